/*
 * `sf doctor` hook (event `sf-doctor-<package name>`): checks every stored JWT login in ~/.sfdx offline, through the
 * same engine as `sf org jwt doctor --from-org <username> --offline` — key path still there, key valid, URL sane, sf's
 * auth store readable (keychain key file mode, the login decrypts, its key path lasting) —
 * and reports through sf doctor's interface: one 'Doctor:diagnostic' event per login, a suggestion for each that
 * fails or warns, and a compact plugin-data entry per login. No network, nothing written, never throws.
 */
import { Lifecycle } from '@salesforce/core';
import type { SfDoctor } from '@salesforce/plugin-info';
import { runDoctor } from '../doctor/doctor.js';
import { resolveInputs } from '../doctor/inputs.js';
import { text } from '../doctor/text.js';
import { fromOrgCheck } from '../doctor/checks/fromOrg.js';
import { localChecks } from '../doctor/checks/local.js';
import { storeLocalChecks } from '../doctor/checks/storeLocal.js';
import type { JwtDoctorResult, Verdict } from '../doctor/types.js';
import { realAdapters } from '../salesforce/adapters.js';
import { listStoredUsernames, readStoredAuth } from '../salesforce/storedAuth.js';
import { readAuthStoreSafely } from '../salesforce/authStore.js';
import { PACKAGE_NAME } from '../packageInfo.js';

type DiagnosticStatus = 'pass' | 'warn' | 'fail';

/** What sf doctor records per login: no secrets, no paths. */
export type LoginSummary = {
  username: string;
  verdict: Verdict | 'error';
  cause: string | null;
  flaggedChecks: string[];
};

const CHECKS = [fromOrgCheck, ...localChecks, ...storeLocalChecks];
// Local checks finish in milliseconds; the deadline only bounds a pathological key file read.
const TIMEOUT_SECONDS = 10;

function statusOf(result: JwtDoctorResult): DiagnosticStatus {
  // Offline runs cannot be inconclusive; if one were, it would deserve a look, not a pass.
  if (result.verdict === 'inconclusive') return 'warn';
  // A warning without a cause (a key others can read) leaves the login working, but sf doctor should still say it.
  if (result.verdict === 'pass' && result.checks.some((c) => c.status === 'warn')) return 'warn';
  return result.verdict;
}

/** The cause and its first fix step; for a warning without a cause, the warning itself. */
function findingOf(result: JwtDoctorResult): { summary: string; firstStep: string } {
  if (result.cause) {
    return { summary: result.cause.summary, firstStep: result.fixes[0]?.steps[0] ?? result.fixes[0]?.title ?? '' };
  }
  const warned = result.checks.find((c) => c.status === 'warn');
  return { summary: warned ? `${warned.title}: ${warned.detail}` : '', firstStep: '' };
}

async function emit(testName: string, status: DiagnosticStatus): Promise<void> {
  try {
    await Lifecycle.getInstance().emit('Doctor:diagnostic', { testName, status });
  } catch {
    // A listener's failure is sf doctor's problem, not a finding about the user's logins.
  }
}

/** Runs the local checks on one stored login, exactly as --from-org <username> --offline would. */
export async function diagnoseStoredLogin(username: string): Promise<JwtDoctorResult> {
  const storedAuth = readStoredAuth(username);
  const inputs = resolveInputs({
    flags: { 'from-org': username, offline: true },
    env: process.env,
    storedAuth,
    defaultTimeoutSeconds: TIMEOUT_SECONDS,
  });
  const { result } = await runDoctor({
    checks: CHECKS,
    inputs,
    adapters: realAdapters({ offline: true }),
    ignoredFlags: [],
    initialFacts: { storedAuth, authStore: await readAuthStoreSafely([username]) },
  });
  return result;
}

/** Usernames of the stored JWT logins (private key set, no refresh token); web logins are not ours to judge. */
export function storedJwtUsernames(): string[] {
  // readStoredAuth/listStoredUsernames default to os.homedir() at call time, so HOME set later is honoured.
  return listStoredUsernames().filter((username) => readStoredAuth(username).isJwt);
}

type Assessment = { username: string; status: DiagnosticStatus; summary: LoginSummary; suggestion?: string };

async function assess(username: string): Promise<Assessment> {
  try {
    const result = await diagnoseStoredLogin(username);
    const status = statusOf(result);
    const summary: LoginSummary = {
      username,
      verdict: result.verdict,
      cause: result.cause?.code ?? null,
      flaggedChecks: result.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => c.id),
    };
    const suggestion =
      status === 'pass' ? undefined : text('hook.suggestion', { username, ...findingOf(result) }).replace(/\s+/g, ' ');
    return { username, status, summary, suggestion };
  } catch (error) {
    const summary: LoginSummary = { username, verdict: 'error', cause: null, flaggedChecks: [] };
    return {
      username,
      status: 'warn',
      summary,
      suggestion: text('hook.suggestion.loginError', { username, message: messageOf(error) }),
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const hook = async (options: { doctor: SfDoctor }): Promise<void> => {
  const { doctor } = options;
  try {
    const usernames = storedJwtUsernames();
    if (usernames.length === 0) {
      doctor.addPluginData(PACKAGE_NAME, { jwtLogins: 0 });
      await emit(text('hook.testName.none', { plugin: PACKAGE_NAME }), 'pass');
      return;
    }
    // Diagnosed in parallel, reported in username order so sf doctor's list reads the same every run.
    const assessments = await Promise.all(usernames.sort().map(assess));
    for (const a of assessments) {
      doctor.addPluginData(PACKAGE_NAME, a.summary);
      if (a.suggestion) doctor.addSuggestion(a.suggestion);
      // eslint-disable-next-line no-await-in-loop -- sf doctor lists diagnostics in emit order
      await emit(text('hook.testName', { plugin: PACKAGE_NAME, username: a.username }), a.status);
    }
  } catch (error) {
    // Never throw into sf doctor: a broken hook would hide every other plugin's findings behind a warning.
    try {
      doctor.addSuggestion(text('hook.suggestion.error', { message: messageOf(error) }));
      await emit(text('hook.testName.error', { plugin: PACKAGE_NAME }), 'warn');
    } catch {
      await emit(`[${PACKAGE_NAME}] stored JWT logins could not be checked`, 'warn');
    }
  }
};

export default hook;
