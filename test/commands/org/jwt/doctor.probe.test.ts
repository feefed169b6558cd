/*
 * Live diagnosis without admin access, against every scenario of the simulated org over real HTTPS with real host
 * names routed to loopback: the doctor's verdict predicts sf's outcome (the scenario's expect.sfLogin), and its cause
 * is the scenario's cause — confirmed, or likely with the scenario's cause first among the alternatives where the
 * token endpoint's answer cannot tell them apart.
 */
import { expect } from 'chai';
import { listScenarios, loadScenario, startSimulator, type Simulator } from '../../../../simulator/index.js';
import { ALL_RUNS, runDoctor } from '../../../helpers/cli.js';
import { schemaErrors } from '../../../helpers/schema.js';

type Expect = { sfLogin?: string; cause?: string };

const SCENARIOS = listScenarios()
  .map(({ name }) => ({ name, scenario: loadScenario(name) }))
  .filter((s) => (s.scenario as { expect?: Expect }).expect && s.scenario.login);

function loginArgs(sim: Simulator): string[] {
  const login = sim.login!;
  const args = ['--username', login.username, '--jwt-key-file', login.keyFile, '--client-id', login.clientId];
  if (login.instanceUrl) args.push('--instance-url', login.instanceUrl);
  if (login.audienceUrl) args.push('--audience-url', login.audienceUrl);
  return args;
}

describe('sf org jwt doctor: token probe against every scenario (no admin org)', function () {
  this.timeout(120_000);

  for (const { name, scenario } of SCENARIOS) {
    const expected = (scenario as { expect: Expect }).expect;
    it(`${name}: ${expected.cause ?? 'healthy'}`, async () => {
      const sim = await startSimulator({ scenario: name });
      try {
        const run = await runDoctor([...loginArgs(sim), '--json', '--timeout', '20'], { env: sim.env });
        expect(run.json, run.stderr).to.not.equal(undefined);
        const result = run.json!.result;
        expect(schemaErrors(result)).to.deep.equal([]);
        const sfSucceeds = expected.sfLogin === 'success';
        const works = result.verdict === 'pass' || result.verdict === 'warn';
        expect(works, `verdict ${result.verdict}, cause ${JSON.stringify(result.cause)}`).to.equal(sfSucceeds);
        expect(run.code).to.equal(works ? 0 : result.verdict === 'fail' ? 1 : 3);
        if (!sfSucceeds && expected.cause) {
          const named = [result.cause?.code, ...(result.cause?.alternatives ?? [])];
          expect(named, JSON.stringify(result.cause)).to.include(expected.cause);
          expect(result.fixes.length).to.be.greaterThan(0);
        }
        // Read-only: the probe only ever posts to the token endpoint.
        const mutating = sim.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/services/oauth2/token'));
        expect(mutating.map((r) => `${r.method} ${r.path}`)).to.deep.equal([]);
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
