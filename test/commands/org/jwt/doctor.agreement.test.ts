/*
 * The doctor predicts sf: for scenarios of every kind, the doctor's `attempts` are the (login host, aud) pairs
 * @salesforce/core's own JWT login posts, in the same order (read from the simulator's request log); and for the
 * healthy scenarios the doctor passes and its `loginCommand` logs in through @salesforce/core.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../../../simulator/index.js';
import { installConnectTo } from '../../../../src/salesforce/connectTo.js';
import { runDoctor } from '../../../helpers/cli.js';

/** Runs @salesforce/core's JWT login in this process against the simulator; returns its token posts in order. */
async function coreLogin(sim: Simulator, login: { username: string; clientId: string; keyFile: string; loginUrl?: string }): Promise<{ ok: boolean; posts: string[] }> {
  const saved = { ...process.env };
  const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-core-'));
  Object.assign(process.env, sim.env, { HOME: home, SF_DISABLE_DNS_CHECK: 'true', SF_DOMAIN_RETRY: '0', SF_DISABLE_LOG_FILE: 'true', SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' });
  sim.clearLog();
  let ok = true;
  try {
    installConnectTo(process.env);
    const core = await import('@salesforce/core');
    await core.AuthInfo.create({ username: login.username, oauth2Options: { clientId: login.clientId, privateKeyFile: login.keyFile, loginUrl: login.loginUrl } });
  } catch {
    ok = false;
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    rmSync(home, { recursive: true, force: true });
  }
  return { ok, posts: tokenPosts(sim) };
}

function tokenPosts(sim: Simulator): string[] {
  return sim.requests
    .filter((r) => r.path.endsWith('/services/oauth2/token'))
    .sort((a, b) => a.seq - b.seq)
    .map((r) => `${r.host} ${String((r as { token?: { aud?: unknown } }).token?.aud ?? '')}`);
}

const host = (url: string): string => new URL(url).host;

describe('sf org jwt doctor agrees with @salesforce/core', function () {
  this.timeout(120_000);

  for (const scenario of ['self-authorize-never-approved', 'user-not-found-sandbox-suffix', 'cert-mismatch', 'eca-via-login', 'healthy-scratch']) {
    it(`${scenario}: the same login/audience pairs, in sf's order`, async () => {
      const sim = await startSimulator({ scenario });
      try {
        const l = sim.login!;
        const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId, '--json'];
        if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
        const doctor = await runDoctor(args, { env: sim.env });
        const attempts = doctor.json!.result.attempts.map((a) => `${host(a.loginUrl)} ${a.audience}`);
        const sf = await coreLogin(sim, { ...l, loginUrl: l.instanceUrl ? new URL(l.instanceUrl).href : undefined });
        expect(attempts).to.deep.equal(sf.posts);
        expect(doctor.json!.result.verdict === 'pass' || doctor.json!.result.verdict === 'warn').to.equal(sf.ok);
      } finally {
        await sim.stop();
      }
    });
  }

  for (const scenario of ['healthy-production', 'healthy-sandbox', 'healthy-developer', 'healthy-scratch', 'healthy-eca']) {
    it(`${scenario}: verdict pass, exit 0, and the loginCommand logs in through @salesforce/core`, async () => {
      const sim = await startSimulator({ scenario });
      try {
        const l = sim.login!;
        const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId, '--json'];
        if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
        const run = await runDoctor(args, { env: sim.env });
        expect(run.code).to.equal(0);
        expect(run.json!.result.verdict, JSON.stringify(run.json!.result.cause)).to.equal('pass');
        const line = run.json!.result.loginCommand!;
        const flag = (name: string): string | undefined => new RegExp(`--${name} (\\S+)`).exec(line)?.[1];
        expect(line).to.match(/^sf org login jwt /);
        const sf = await coreLogin(sim, { username: flag('username')!, clientId: flag('client-id')!, keyFile: flag('jwt-key-file')!, loginUrl: flag('instance-url') ? new URL(flag('instance-url')!).href : undefined });
        expect(sf.ok).to.equal(true);
      } finally {
        await sim.stop();
      }
    });
  }
});
