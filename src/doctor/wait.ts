/*
 * --wait: re-run the diagnosis until the login works or time runs out — for the 2–10 minutes an app change takes to
 * apply, and the replication lag after a sandbox is created or refreshed; never for a confirmed cause in the local
 * inputs (a missing key file does not appear by waiting). Pure: time and sleep are injected.
 */
import type { JwtDoctorResult } from './types.js';

export type WaitOptions = {
  /** Absolute end time (ms). */
  until: number;
  /** The first pause; each later one doubles it (the login budget), up to maxIntervalMs. */
  intervalMs: number;
  /** The longest pause between rounds (default: four times intervalMs). */
  maxIntervalMs?: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  onProgress?: (attempt: number, last: JwtDoctorResult, msLeft: number) => void;
};

const works = (r: JwtDoctorResult): boolean => r.verdict === 'pass' || r.verdict === 'warn';

/** Causes in the inputs on this machine: no org change settles them, so polling would only add failed logins. */
const NOT_SETTLED_BY_TIME = new Set([
  'USERNAME_MALFORMED',
  'KEY_FILE_MISSING',
  'KEY_INVALID',
  'AUDIENCE_INVALID',
  'STORED_AUTH_INVALID',
  // Every round would be one more login against the limit that refused it (the login budget, issue 13).
  'LOGIN_RATE_EXCEEDED',
]);

/**
 * The pause before round `round` + 1: intervalMs, then doubled each round up to maxIntervalMs. Every round sends
 * token requests, and each counts against the user's hourly login limit (3,600 per user per hour, restforce PR#744):
 * the longer an approval takes, the less often the doctor asks.
 */
export function pauseBefore(round: number, intervalMs: number, maxIntervalMs = intervalMs * 4): number {
  return Math.min(intervalMs * 2 ** Math.max(0, round - 1), Math.max(intervalMs, maxIntervalMs));
}

export async function waitUntilWorks(
  diagnose: () => Promise<JwtDoctorResult>,
  options: WaitOptions,
): Promise<{ result: JwtDoctorResult; attempts: number }> {
  let attempts = 1;
  let result = await diagnose();
  let tokenRequests = result.tokenRequests;
  while (!works(result) && !(result.cause?.confidence === 'confirmed' && NOT_SETTLED_BY_TIME.has(result.cause.code))) {
    const left = options.until - options.now();
    if (left <= 0) break;
    options.onProgress?.(attempts, result, left);
    // eslint-disable-next-line no-await-in-loop -- polling: each round waits for the previous one.
    await options.sleep(Math.min(pauseBefore(attempts, options.intervalMs, options.maxIntervalMs), left));
    attempts += 1;
    // eslint-disable-next-line no-await-in-loop
    result = await diagnose();
    tokenRequests += result.tokenRequests;
  }
  // The result of the last round, with every round's token requests: what the wait cost the user's login budget.
  return { result: { ...result, tokenRequests }, attempts };
}
