/*
 * THE AGREEMENT TEST: for every scenario, @salesforce/core's own JWT login (AuthInfo.create with oauth2Options, the
 * code path of `sf org login jwt`) runs against the simulator in a temporary HOME and must succeed exactly where the
 * scenario's expect.sfLogin says 'success', and otherwise fail with a JwtAuthError containing the expected text. Then
 * sf uses the org: a Connection from that login runs the Organization query core's determineOrg runs (core swallows its
 * errors during the login; every later command would see them), which must work exactly where expect.sfUse says
 * 'success' (the default) and otherwise fail with the expected text: "sf can log in and use the org".
 * The server never reads `expect`; this is the proof it answers like Salesforce to Salesforce's own client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { listScenarios, loadScenario } from '../../simulator/index.js';
import { FIRST_USE_QUERY } from '../helpers/coreLogin.js';
import { routedSimulator } from './helpers.js';

const saved = { ...process.env };

describe('simulator agreement with @salesforce/core JWT login', function () {
  this.timeout(60_000);
  let core: typeof import('@salesforce/core');
  const homes: string[] = [];

  before(async () => {
    // Core resolves instance_url by DNS after a grant (polling up to 240 s); routed hosts must never reach DNS.
    Object.assign(process.env, {
      SF_DISABLE_DNS_CHECK: 'true',
      SF_DOMAIN_RETRY: '0',
      SF_DISABLE_LOG_FILE: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_TELEMETRY: 'true',
    });
    core = await import('@salesforce/core');
  });

  after(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  for (const { name } of listScenarios()) {
    const scenario = loadScenario(name);
    const want = scenario.expect?.sfLogin;
    const wantUse = want === 'success' ? (scenario.expect?.sfUse ?? 'success') : undefined;
    const title =
      want === 'success'
        ? `success, use → ${wantUse === 'success' ? 'success' : JSON.stringify(wantUse)}`
        : JSON.stringify(want);
    it(`${name}: sf login → ${title}`, async () => {
      expect(scenario.login, 'scenario has a login block').to.exist;
      expect(want, 'scenario has expect.sfLogin').to.be.a('string');
      const sim = await routedSimulator({ scenario: name });
      const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-home-'));
      homes.push(home);
      process.env.HOME = home;
      if (sim.login?.audienceUrl) process.env.SF_AUDIENCE_URL = sim.login.audienceUrl;
      else delete process.env.SF_AUDIENCE_URL;
      try {
        const login = sim.login as NonNullable<typeof sim.login>;
        // plugin-auth passes --instance-url as URL.href (with a trailing slash); no flag → core's default login URL.
        const loginUrl = login.instanceUrl ? new URL(login.instanceUrl).href : undefined;
        let outcome:
          | { ok: true; orgId: string; use: { ok: true } | { ok: false; message: string } }
          | { ok: false; name: string; message: string };
        try {
          const auth = await core.AuthInfo.create({
            username: login.username,
            oauth2Options: { clientId: login.clientId, privateKeyFile: login.keyFile, loginUrl },
          });
          let use: { ok: true } | { ok: false; message: string } = { ok: true };
          try {
            const conn = await core.Connection.create({ authInfo: auth });
            const org = await conn.singleRecordQuery<{ Name: string }>(FIRST_USE_QUERY);
            expect(org.Name).to.equal(scenario.org.name);
          } catch (e) {
            use = { ok: false, message: (e as Error).message };
          }
          outcome = { ok: true, orgId: auth.getFields().orgId as string, use };
        } catch (e) {
          outcome = { ok: false, name: (e as Error).name, message: (e as Error).message };
        }
        if (want === 'success') {
          expect(outcome, JSON.stringify(outcome)).to.include({ ok: true });
          const worked = outcome as { orgId: string; use: { ok: boolean; message?: string } };
          expect(worked.orgId).to.equal(sim.state.orgId);
          if (wantUse === 'success') expect(worked.use, JSON.stringify(worked.use)).to.deep.equal({ ok: true });
          else {
            expect(worked.use.ok, 'sf cannot use the org').to.equal(false);
            expect(worked.use.message).to.contain(wantUse);
          }
        } else {
          expect(outcome.ok, 'login must fail').to.equal(false);
          const failure = outcome as { name: string; message: string };
          expect(failure.name).to.equal(scenario.expect?.sfLoginError ?? 'JwtAuthError');
          expect(failure.message).to.contain(want);
        }
        // Nothing left the machine: every request the org saw came over loopback.
        expect(sim.requests.length).to.be.greaterThan(0);
        expect(sim.requests.every((r) => r.loopback)).to.equal(true);
      } finally {
        delete process.env.SF_AUDIENCE_URL;
        await sim.stop();
      }
    });
  }
});
