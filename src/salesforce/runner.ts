/*
 * Runs one diagnosis with the real adapters: reads the stored auth (--from-org), sf's local auth store (read-only) and
 * sfdx-project.json, resolves the inputs and runs the engine. Shared by the command, --wait, --all and the sf doctor hook.
 */
import { runDoctor, type DoctorRun } from '../doctor/doctor.js';
import { allChecks } from '../doctor/checks/index.js';
import { ignoredFlags, resolveInputs, type DoctorFlags } from '../doctor/inputs.js';
import { realAdapters } from './adapters.js';
import { findProjectLoginUrl } from './projectConfig.js';
import { readStoredAuth } from './storedAuth.js';
import { readAuthStoreSafely } from './authStore.js';

export const DEFAULT_TIMEOUT_SECONDS = 60;

export async function diagnose(
  flags: DoctorFlags,
  env: Record<string, string | undefined> = process.env,
  options: { spareLogins?: boolean } = {},
): Promise<DoctorRun> {
  const storedAuth = flags['from-org'] ? readStoredAuth(flags['from-org']) : undefined;
  const inputs = resolveInputs({
    flags,
    env,
    storedAuth,
    project: flags['instance-url'] || storedAuth?.found ? undefined : await findProjectLoginUrl(),
    defaultTimeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  });
  const username = inputs.username?.value.trim();
  const authStore = await readAuthStoreSafely(username ? [username] : []);
  return runDoctor({
    checks: allChecks,
    inputs,
    adapters: realAdapters({ offline: inputs.offline, spareLogins: options.spareLogins }),
    ignoredFlags: ignoredFlags(flags),
    initialFacts: { storedAuth, authStore },
  });
}
