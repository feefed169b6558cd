/*
 * The demo: the doctor against the embedded simulated org, on seed 000's case — a self-authorize connected app the CI
 * user never approved ("user hasn't approved this consumer") — then the scenario's own fix (scripts/demoFixes.ts: for
 * seed 000 one interactive approval that includes refresh_token), and the doctor again. A scenario without a scripted
 * fix is said to have none, with the doctor's own steps. Everything stays on loopback.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/index.js';
import type { JwtDoctorResult } from '../src/doctor/types.js';
import { SCRIPTED_FIXES } from './demoFixes.js';

// `npm run demo -- --scenario NAME` (or a bare NAME) picks another situation; `npm run sim -- --list` lists them.
const argv = process.argv.slice(2);
const SCENARIO =
  (argv.includes('--scenario') ? argv[argv.indexOf('--scenario') + 1] : argv[0]) ?? 'self-authorize-never-approved';
const run = fileURLToPath(new URL('../bin/run.js', import.meta.url));

// Asynchronous on purpose: the simulated org answers from this same process.
async function doctor(
  env: Record<string, string>,
  args: string[],
  quiet = false,
): Promise<{ code: number; stdout: string }> {
  const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-demo-'));
  if (!quiet) console.log(`\n$ sf org jwt doctor ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [run, 'org', 'jwt', 'doctor', ...args], {
    stdio: quiet ? ['ignore', 'pipe', 'ignore'] : 'inherit',
    env: { ...process.env, ...env, HOME: home },
  });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  rmSync(home, { recursive: true, force: true });
  return { code: code ?? 1, stdout };
}

const sim = await startSimulator({ scenario: SCENARIO });
try {
  const login = sim.login;
  if (!login) throw new Error(`scenario ${SCENARIO} has no login block`);
  console.log(`Simulated org "${SCENARIO}": ${sim.scenario.description}`);
  const args = ['--username', login.username, '--jwt-key-file', login.keyFile, '--client-id', login.clientId];
  if (login.instanceUrl) args.push('--instance-url', login.instanceUrl);

  const first = await doctor(sim.env, args);
  console.log(`\n(exit code ${first.code})`);

  const fix = SCRIPTED_FIXES[SCENARIO];
  if (first.code !== 0 && fix) {
    console.log(`\n--- ${fix.what(login.username)} ---`);
    console.log(fix.apply(sim, login.username));
    const second = await doctor(sim.env, args);
    console.log(`\n(exit code ${second.code})`);
  } else if (first.code !== 0) {
    // Never another scenario's fix: say there is none here, and what the doctor says to do.
    console.log(`\n--- The demo has no scripted fix for "${SCENARIO}": the doctor's steps are what to do ---`);
    const { stdout } = await doctor(sim.env, [...args, '--json'], true);
    const result = (JSON.parse(stdout) as { result: JwtDoctorResult }).result;
    for (const f of result.fixes) {
      console.log(f.title);
      f.steps.forEach((step, i) => console.log(`  ${i + 1}. ${step}`));
      for (const command of f.commands) console.log(`     $ ${command}`);
    }
  }
} finally {
  await sim.stop();
}
