/*
 * The demo's scripted fixes (scripts/demoFixes.ts): each one fixes its own scenario — the doctor fails before it and
 * the login works after it — and no scenario borrows another's (seed 000's approval once ran on a frozen user).
 */
import { expect } from 'chai';
import { listScenarios, startSimulator } from '../../simulator/index.js';
import { SCRIPTED_FIXES } from '../../scripts/demoFixes.js';
import { runInProcess } from '../helpers/cli.js';
import { loginArgs } from '../helpers/loginArgs.js';

describe('npm run demo: each scenario gets its own fix', function () {
  this.timeout(120_000);

  it('names only scenarios that exist', () => {
    const names = new Set(listScenarios().map((s) => s.name));
    for (const name of Object.keys(SCRIPTED_FIXES)) expect(names.has(name), name).to.equal(true);
  });

  for (const [scenario, fix] of Object.entries(SCRIPTED_FIXES)) {
    it(`${scenario}: fails before its fix, works after it`, async () => {
      const sim = await startSimulator({ scenario });
      try {
        const before = await runInProcess([...loginArgs(sim), '--json'], { env: sim.env });
        expect(before.json!.result.verdict, before.stdout).to.not.be.oneOf(['pass', 'warn']);
        const said = fix.apply(sim, sim.login!.username);
        const after = await runInProcess([...loginArgs(sim), '--json'], { env: sim.env });
        expect(after.json!.result.verdict, `${said}\n${after.stdout}`).to.be.oneOf(['pass', 'warn']);
        console.log(
          `      ${scenario}: ${before.json!.result.cause?.code ?? '?'} → ${after.json!.result.verdict} (${said})`,
        );
      } finally {
        await sim.stop();
      }
    });
  }

  it("another scenario's fix does not fix user-frozen (seed 000's approval leaves it failing)", async () => {
    const sim = await startSimulator({ scenario: 'user-frozen' });
    try {
      SCRIPTED_FIXES['self-authorize-never-approved'].apply(sim, sim.login!.username);
      const after = await runInProcess([...loginArgs(sim), '--json'], { env: sim.env });
      expect(after.json!.result.verdict).to.equal('fail');
    } finally {
      await sim.stop();
    }
  });
});
