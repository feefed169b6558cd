/*
 * An admin connection for --admin-org made the real way: a stored sf authorization in a temporary HOME, created by
 * @salesforce/core in a child process (storeAdminAuth.ts) with an access token the simulated org issued.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Simulator } from '../../simulator/index.js';
import { ROOT } from './cli.js';

const run = promisify(execFile);

export const KEYCHAIN_ENV = { SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true', SF_SKIP_SCRATCH_ORG_CHECK: 'true' };

export async function storeAdminAuth(sim: Simulator, home: string, options: { username?: string; alias?: string } = {}): Promise<string> {
  const adminUsername = options.username ?? sim.scenario.admin;
  if (!adminUsername) throw new Error(`scenario ${sim.scenario.name ?? ''} names no admin user`);
  const issued = sim.issueAccessToken(adminUsername);
  // A plain-HTTP scenario serves no TLS: the admin logged in over http too.
  const instanceUrl = sim.protocol === 'http' ? issued.instanceUrl.replace(/^https:/, 'http:') : issued.instanceUrl;
  const args = ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'storeAdminAuth.ts'), issued.accessToken, instanceUrl, ...(options.alias ? [options.alias] : [])];
  // The admin logged in before the org broke: a scenario's faults (maintenance pages …) apply to the doctor's run only.
  sim.setFaults([]);
  try {
    const { stdout } = await run(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: home, ...KEYCHAIN_ENV, ...sim.env } });
    return (JSON.parse(stdout) as { username: string }).username;
  } finally {
    sim.setFaults(sim.scenario.server?.faults ?? []);
  }
}
