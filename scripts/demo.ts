/*
 * The demo: the doctor against the embedded simulated org, on seed 000's case — a self-authorize connected app the CI
 * user never approved ("user hasn't approved this consumer") — then the seed's accepted fix (one interactive approval
 * that includes refresh_token), and the doctor again. Everything stays on loopback.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/index.js';

// `npm run demo -- --scenario NAME` (or a bare NAME) picks another situation; `npm run sim -- --list` lists them.
const argv = process.argv.slice(2);
const SCENARIO =
  (argv.includes('--scenario') ? argv[argv.indexOf('--scenario') + 1] : argv[0]) ?? 'self-authorize-never-approved';
const run = fileURLToPath(new URL('../bin/run.js', import.meta.url));

// Asynchronous on purpose: the simulated org answers from this same process.
async function doctor(env: Record<string, string>, args: string[]): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-demo-'));
  console.log(`\n$ sf org jwt doctor ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [run, 'org', 'jwt', 'doctor', ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env, HOME: home },
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  rmSync(home, { recursive: true, force: true });
  return code ?? 1;
}

const sim = await startSimulator({ scenario: SCENARIO });
try {
  const login = sim.login;
  if (!login) throw new Error(`scenario ${SCENARIO} has no login block`);
  console.log(`Simulated org "${SCENARIO}": ${sim.scenario.description}`);
  const args = ['--username', login.username, '--jwt-key-file', login.keyFile, '--client-id', login.clientId];
  if (login.instanceUrl) args.push('--instance-url', login.instanceUrl);

  const first = await doctor(sim.env, args);
  console.log(`\n(exit code ${first})`);

  const app = sim.scenario.login?.app;
  if (first !== 0 && app) {
    console.log(
      `\n--- The fix from seed 000: ${login.username} approves the app once in a browser, with the refresh_token scope ---`,
    );
    const approval = sim.approve(login.username, app, ['api', 'refresh_token']);
    console.log(`approved: ${approval.approved}, scopes: ${approval.scopes?.join(' ')}`);
    const second = await doctor(sim.env, args);
    console.log(`\n(exit code ${second})`);
  }
} finally {
  await sim.stop();
}
