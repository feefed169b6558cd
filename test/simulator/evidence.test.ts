/*
 * The evidence model over EVERY scenario of the simulated org, in-process (the runner the command uses, no child
 * process): the doctor runs with the scenario's login flags, and with --admin-org where the scenario names an admin
 * (stored the way `sf org login access-token` stores it, through @salesforce/core's AuthInfo, in a temporary HOME).
 * In each JSON result: every check says where its finding comes from, no `confirmed` cause rests on inferred evidence,
 * the result still fits the schema, and the verdict agrees with what @salesforce/core's own login does there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { listScenarios, loadScenario, startSimulator, type Simulator } from '../../simulator/index.js';
import type { DoctorFlags } from '../../src/doctor/inputs.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { diagnose } from '../../src/salesforce/runner.js';
import { schemaErrors } from '../helpers/schema.js';
import { sfCanUseOrg } from '../helpers/coreLogin.js';

const EVIDENCE = ['observed', 'documented', 'inferred'];
const saved = { ...process.env };

/** The admin's stored authorization, as `sf org login access-token` leaves it (alias "admin"). */
async function storeAdmin(core: typeof import('@salesforce/core'), sim: Simulator): Promise<void> {
  const issued = sim.issueAccessToken(sim.scenario.admin!);
  const instanceUrl = sim.protocol === 'http' ? issued.instanceUrl.replace(/^https:/, 'http:') : issued.instanceUrl;
  // The admin logged in before the org broke: a scenario's faults apply to the doctor's run only.
  sim.setFaults([]);
  try {
    const auth = await core.AuthInfo.create({
      accessTokenOptions: { accessToken: issued.accessToken, instanceUrl, loginUrl: instanceUrl },
    });
    await auth.save();
    const state = await core.StateAggregator.getInstance();
    await state.aliases.setAndSave('admin', auth.getUsername()!);
  } finally {
    sim.setFaults(sim.scenario.server?.faults ?? []);
  }
}

describe('evidence: every scenario of the simulated org, in-process', function () {
  this.timeout(600_000);
  let core: typeof import('@salesforce/core');
  let installConnectTo: (env: NodeJS.ProcessEnv) => unknown;
  const results: Array<{ name: string; admin: boolean; result: JwtDoctorResult }> = [];
  const scenarios = listScenarios().map(({ name }) => ({ name, scenario: loadScenario(name) }));

  before(async function () {
    Object.assign(process.env, {
      SF_DISABLE_DNS_CHECK: 'true',
      SF_DISABLE_LOG_FILE: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_SKIP_SCRATCH_ORG_CHECK: 'true',
    });
    core = await import('@salesforce/core');
    // The adapters load connectTo.js with a dynamic import, which tsx resolves to another module instance than a static
    // import: route through that one.
    ({ installConnectTo } = await import('../../src/salesforce/connectTo.js'));
    // One after another: HOME (and with it @salesforce/core's state) is per process.
    for (const { name, scenario } of scenarios) {
      if (!scenario.login) continue;
      const sim = await startSimulator({ scenario: name });
      installConnectTo({ ...process.env, ...sim.env });
      const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-evidence-'));
      process.env.HOME = home;
      try {
        const l = sim.login!;
        const admin = Boolean(scenario.admin);
        if (admin) await storeAdmin(core, sim);
        const flags: DoctorFlags = {
          username: l.username,
          'jwt-key-file': l.keyFile,
          'client-id': l.clientId,
          timeout: 20,
        };
        if (l.instanceUrl) flags['instance-url'] = l.instanceUrl;
        if (l.audienceUrl) flags['audience-url'] = l.audienceUrl;
        if (admin) flags['admin-org'] = 'admin';
        const { result } = await diagnose(flags, { ...process.env, ...sim.env, HOME: home });
        results.push({ name, admin, result });
      } finally {
        await sim.stop();
        rmSync(home, { recursive: true, force: true });
      }
    }
  });

  after(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    installConnectTo?.(process.env);
  });

  it('ran every scenario that has a login, with --admin-org wherever it names an admin', () => {
    const withLogin = scenarios.filter((s) => s.scenario.login);
    expect(results.map((r) => r.name)).to.deep.equal(withLogin.map((s) => s.name));
    expect(results.filter((r) => r.admin).length)
      .to.equal(withLogin.filter((s) => s.scenario.admin).length)
      .and.be.greaterThan(20);
  });

  it('every check of every result carries an evidence value', () => {
    const missing = results.flatMap((r) =>
      r.result.checks
        .filter((c) => !EVIDENCE.includes(c.evidence))
        .map((c) => `${r.name}: ${c.id} = ${String(c.evidence)}`),
    );
    expect(missing).to.deep.equal([]);
    expect(results.flatMap((r) => r.result.checks).length).to.be.greaterThan(results.length * 10);
  });

  it('no confirmed cause rests on inferred evidence', () => {
    const wrong = results.filter(
      (r) =>
        r.result.cause?.confidence === 'confirmed' &&
        r.result.cause.evidence !== 'observed' &&
        r.result.cause.evidence !== 'documented',
    );
    expect(wrong.map((r) => `${r.name}: ${JSON.stringify(r.result.cause)}`)).to.deep.equal([]);
    // Every cause says which evidence backs it.
    expect(
      results.filter((r) => r.result.cause && !EVIDENCE.includes(r.result.cause.evidence ?? '')).map((r) => r.name),
    ).to.deep.equal([]);
  });

  it('a confirmed cause rests on a finding that is not inferred (some failing or warning check observed or documented)', () => {
    const unbacked = results.filter(
      (r) =>
        r.result.cause?.confidence === 'confirmed' &&
        !r.result.checks.some((c) => (c.status === 'fail' || c.status === 'warn') && c.evidence !== 'inferred'),
    );
    expect(unbacked.map((r) => r.name)).to.deep.equal([]);
  });

  it('the results fit the schema, and the verdict agrees with what sf gets (the login works or it does not)', () => {
    for (const { name, result } of results) {
      expect(schemaErrors(result), name).to.deep.equal([]);
      const scenarioExpect = loadScenario(name).expect;
      if (scenarioExpect?.sfLogin === undefined) continue;
      const works = result.verdict === 'pass' || result.verdict === 'warn';
      if (result.verdict !== 'inconclusive')
        expect(works, `${name}: ${result.verdict} ${JSON.stringify(result.cause)}`).to.equal(
          sfCanUseOrg(scenarioExpect),
        );
    }
  });

  it('the readings issue 10 names are never confirmed: the My Domain login policy flags', () => {
    for (const name of ['my-domain-required', 'my-domain-required-auth-failure']) {
      const r = results.find((x) => x.name === name)!;
      expect(r.result.cause, name).to.include({ code: 'MY_DOMAIN_REQUIRED', confidence: 'likely' });
      expect(
        r.result.checks.find((c) => c.id === 'org.my-domain'),
        name,
      ).to.include({ status: 'fail', evidence: 'inferred' });
    }
  });
});
