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
import { text } from '../doctor/text.js';

export const DEFAULT_TIMEOUT_SECONDS = 60;

export async function diagnose(
  flags: DoctorFlags,
  env: Record<string, string | undefined> = process.env,
  options: { spareLogins?: boolean } = {},
): Promise<DoctorRun> {
  if (flags['from-log'] !== undefined) return diagnoseLog(flags, env);
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

/**
 * --from-log: the log's attempts stand in for the token probe (the same checks and rules as a live run); the key and
 * the network are not touched. Flags win over the values the log's command line shows.
 */
async function diagnoseLog(flags: DoctorFlags, env: Record<string, string | undefined>): Promise<DoctorRun> {
  const { readLog, replayReport, replayProbe } = await import('./fromLog.js');
  const { attemptPairs, parseLoginLog } = await import('../knowledge/loginLog.js');
  const log = parseLoginLog(await readLog(flags['from-log']!));
  const given = flags['instance-url'] ?? log.command?.instanceUrl;
  let loginHint: string | undefined;
  try {
    loginHint = given ? new URL(given.trim()).href : undefined;
  } catch {
    loginHint = given;
  }
  const audienceOverride = flags['audience-url'] ?? log.command?.audienceUrl;
  const { pairs, loginUrl, customUrl } = attemptPairs(log.attempts, loginHint, audienceOverride);
  const inputs = resolveInputs({
    flags,
    env,
    log: {
      ...log.command,
      // Without a command line (or with its --username masked), sf's "Successfully authorized <username>" names it.
      username: log.command?.username ?? log.success?.username,
      instanceUrl: log.command?.instanceUrl ?? loginUrl,
      origin: log.command
        ? text('origin.logCommand')
        : log.success
          ? text('origin.logSuccess')
          : text('origin.logAttempts'),
    },
    defaultTimeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  });
  const offline = realAdapters({ offline: true });
  const replayable = log.attempts.some((a) => a.kind !== 'key');
  const online = flags.offline ? offline : realAdapters({ offline: false });
  return runDoctor({
    checks: allChecks,
    inputs,
    adapters: {
      ...offline,
      // The org's setup (with --admin-org) is read as in a live run; the token endpoint is the log's.
      ...(inputs.adminOrg && online.inspect ? { inspect: online.inspect } : {}),
      ...(replayable
        ? { probe: replayProbe(replayReport(log, pairs, loginUrl ?? loginHint ?? '', audienceOverride)) }
        : {}),
    },
    ignoredFlags: ignoredFlags(flags),
    initialFacts: { loginLog: customUrl ? { ...log, impliedCustomUrl: true } : log },
  });
}
