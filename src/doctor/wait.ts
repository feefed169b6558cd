/*
 * --wait: re-run the diagnosis until the login works or time runs out — for the 2–10 minutes an app change takes to
 * apply, and the replication lag after a sandbox is created or refreshed; never for a confirmed cause in the local
 * inputs (a missing key file does not appear by waiting). Pure: time and sleep are injected.
 */
import type { JwtDoctorResult } from './types.js';

export type WaitOptions = {
  /** Absolute end time (ms). */
  until: number;
  intervalMs: number;
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
]);

export async function waitUntilWorks(
  diagnose: () => Promise<JwtDoctorResult>,
  options: WaitOptions,
): Promise<{ result: JwtDoctorResult; attempts: number }> {
  let attempts = 1;
  let result = await diagnose();
  while (!works(result) && !(result.cause?.confidence === 'confirmed' && NOT_SETTLED_BY_TIME.has(result.cause.code))) {
    const left = options.until - options.now();
    if (left <= 0) break;
    options.onProgress?.(attempts, result, left);
    // eslint-disable-next-line no-await-in-loop -- polling: each round waits for the previous one.
    await options.sleep(Math.min(options.intervalMs, left));
    attempts += 1;
    // eslint-disable-next-line no-await-in-loop
    result = await diagnose();
  }
  return { result, attempts };
}
