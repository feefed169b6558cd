/*
 * Live diagnosis without admin access, against every scenario of the simulated org over real HTTPS with real host
 * names routed to loopback: the doctor's verdict predicts sf's outcome (the scenario's expect.sfLogin), and its cause
 * is the scenario's cause — confirmed, or likely with the scenario's cause first among the alternatives where the
 * token endpoint's answer cannot tell them apart.
 */
import { expect } from 'chai';
import { listScenarios, loadScenario, startSimulator } from '../../../../simulator/index.js';
import { ALL_RUNS, runInProcess } from '../../../helpers/cli.js';
import { schemaErrors } from '../../../helpers/schema.js';
import { sfCanUseOrg } from '../../../helpers/coreLogin.js';
import { sfLoginArgs as loginArgs } from '../../../helpers/loginArgs.js';

type Expect = { sfLogin?: string; sfUse?: string; cause?: string };

const SCENARIOS = listScenarios()
  .map(({ name }) => ({ name, scenario: loadScenario(name) }))
  .filter((s) => (s.scenario as { expect?: Expect }).expect && s.scenario.login);

describe('sf org jwt doctor: token probe against every scenario (no admin org)', function () {
  this.timeout(120_000);

  for (const { name, scenario } of SCENARIOS) {
    const expected = (scenario as { expect: Expect }).expect;
    it(`${name}: ${expected.cause ?? 'healthy'}`, async () => {
      const sim = await startSimulator({ scenario: name });
      try {
        const run = await runInProcess([...loginArgs(sim), '--json', '--timeout', '20'], { env: sim.env });
        expect(run.json, run.stderr).to.not.equal(undefined);
        const result = run.json!.result;
        expect(schemaErrors(result)).to.deep.equal([]);
        // sf can log in and use the org (sfUse: its first API call after the login).
        const sfSucceeds = sfCanUseOrg(expected);
        const works = result.verdict === 'pass' || result.verdict === 'warn';
        expect(works, `verdict ${result.verdict}, cause ${JSON.stringify(result.cause)}`).to.equal(sfSucceeds);
        expect(run.code).to.equal(works ? 0 : result.verdict === 'fail' ? 1 : 3);
        if (!sfSucceeds && expected.cause) {
          const named = [result.cause?.code, ...(result.cause?.alternatives ?? [])];
          expect(named, JSON.stringify(result.cause)).to.include(expected.cause);
          expect(result.fixes.length).to.be.greaterThan(0);
        }
        // Read-only: the probe only ever posts to the token endpoint, and revokes its own access tokens (which ends a
        // session and changes no record: the log marks it revoke=access-token, not mutating).
        const mutating = sim.requests.filter(
          (r) =>
            r.method !== 'GET' &&
            !r.path.endsWith('/services/oauth2/token') &&
            !(r.revoke === 'access-token' && !r.mutating),
        );
        expect(mutating.map((r) => `${r.method} ${r.path} ${r.revoke ?? ''}`)).to.deep.equal([]);
        // Leave nothing behind (safety rule 7): one revoke per token obtained, and no session of the run is left.
        const issued = sim.requests.filter((r) => r.path.endsWith('/services/oauth2/token') && r.status === 200).length;
        expect(sim.requests.filter((r) => r.revoke === 'access-token').length, 'a revoke for every token').to.equal(
          issued,
        );
        // (A token the org issued but a fault kept from the doctor — a maintenance page instead — reached nobody.)
        const undelivered = sim.requests.filter((r) => r.token?.outcome === 'success' && r.status !== 200).length;
        expect(sim.state.tokens.size, 'sessions left in the org').to.equal(undelivered);
        expect(run.stdout).to.not.match(/"access_token"|00D\w{12,15}![\w.]{20,}/);
      } finally {
        await sim.stop();
      }
    });
  }

  it('ran the real command for every scenario', () => {
    expect(SCENARIOS.length).to.be.greaterThan(25);
    expect(ALL_RUNS.length).to.be.at.least(SCENARIOS.length);
  });
});
