/*
 * The command in-process on every scenario of the simulated org that has a login, with its login flags (and
 * --audience-url where the scenario sets one), once plain and, where the scenario names an admin, once with
 * --admin-org: the runs the whole-catalogue tests read (rendered sentences, the first screen).
 */
import { listScenarios, startSimulator, type Scenario } from '../../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from './adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from './cli.js';
import { sfLoginArgs } from './loginArgs.js';

export type ScenarioRun = { label: string; run: CliRun; scenario: Scenario };

export async function everyScenario(extraArgs: string[] = []): Promise<ScenarioRun[]> {
  const out: ScenarioRun[] = [];
  for (const { name } of listScenarios()) {
    const sim = await startSimulator({ scenario: name });
    try {
      if (!sim.login) continue;
      const flags = [...sfLoginArgs(sim), '--timeout', '30'];
      for (const admin of sim.scenario.admin ? [false, true] : [false]) {
        const home = tempHome();
        try {
          if (admin) await storeAdminAuth(sim, home, { alias: 'admin' });
          const args = [...flags, ...extraArgs, ...(admin ? ['--admin-org', 'admin'] : [])];
          const run = await runInProcess(args, { env: { ...sim.env, ...KEYCHAIN_ENV }, home, timeoutMs: 90_000 });
          out.push({ label: `${name}${admin ? ' --admin-org' : ''}`, run, scenario: sim.scenario });
        } finally {
          removeDir(home);
        }
      }
    } finally {
      await sim.stop();
    }
  }
  return out;
}
