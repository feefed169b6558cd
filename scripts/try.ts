/* Development aid: run the doctor (human output) against one scenario of the simulated org. Usage: tsx scripts/try.ts SCENARIO [flags…] */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/index.js';

const [name = 'self-authorize-never-approved', ...extra] = process.argv.slice(2);
const sim = await startSimulator({ scenario: name });
const l = sim.login!;
const args = ['org', 'jwt', 'doctor', '--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId];
if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
const child = spawn(process.execPath, [fileURLToPath(new URL('../bin/run.js', import.meta.url)), ...args, ...extra], {
  stdio: 'inherit',
  env: { ...process.env, ...sim.env },
});
await new Promise((resolve) => child.on('close', resolve));
await sim.stop();
