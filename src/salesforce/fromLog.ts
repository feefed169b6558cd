/*
 * --from-log: reads the CI log (a file, or stdin for `-`) and replays its attempts as the token probe's answers, so the
 * engine diagnoses them with the same checks and rules as a live run (issue 15). No request is made.
 */
import { readFile } from 'node:fs/promises';
import { impliedError, type LoginLog } from '../knowledge/loginLog.js';
import { jwtAudienceUrl } from '../knowledge/loginAudience.js';
import type { ProbeRequest } from '../doctor/context.js';
import type { AttemptDetail, ProbeReport } from './probe.js';
import { reasonOf } from './outputFile.js';
import { text } from '../doctor/text.js';

/** A log is text: more than this is not one login step's output. */
const MAX_LOG_BYTES = 8 * 1024 * 1024;

/** A log file that cannot be read (missing, a directory, no permission): the command makes it a usage error. */
export class LogFileError extends Error {
  /** Why, in words (logFileReason). */
  public readonly reason: string;

  public constructor(
    public readonly file: string,
    error: unknown,
  ) {
    const reason = logFileReason(error);
    super(`${file}: ${reason}`);
    this.name = 'LogFileError';
    this.reason = reason;
  }
}

/** Why a log file could not be read, in words (the errno kept in brackets). */
export function logFileReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? `${text('logFile.notFound')} (${code})` : reasonOf(error);
}

export async function readLog(source: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (source !== '-') {
    try {
      return (await readFile(source, 'utf8')).slice(0, MAX_LOG_BYTES);
    } catch (error) {
      throw new LogFileError(source, error);
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buf);
    size += buf.length;
    if (size > MAX_LOG_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The log's attempts as the probe's report: the same shape the live probe gives the checks. */
export function replayReport(
  log: LoginLog,
  pairs: Array<{ loginUrl: string; audience: string } | undefined>,
  loginUrl: string,
  audienceOverride?: string,
): ProbeReport {
  const details: AttemptDetail[] = [];
  log.attempts.forEach((a, i) => {
    // jsonwebtoken's refusals happen before any request: they are the key's finding (log.sf-error), not answers.
    if (a.kind === 'key') return;
    const pair = pairs[i] ?? { loginUrl: '', audience: '' };
    const base = { loginUrl: pair.loginUrl, audience: pair.audience, ms: 0 };
    if (a.kind === 'network') {
      details.push({ ...base, outcome: 'network-error', network: 'other', code: a.description, error: a.description });
    } else if (a.kind === 'html') {
      details.push({
        ...base,
        outcome: 'error',
        errorDescription: a.description,
        nonJson: { contentType: 'text/html', snippet: a.description.slice(0, 200) },
      });
    } else {
      details.push({
        ...base,
        outcome: 'error',
        error: a.error ?? impliedError(a.description),
        errorDescription: a.description,
      });
    }
  });
  let audienceUrl = audienceOverride ?? '';
  try {
    audienceUrl = jwtAudienceUrl(loginUrl, audienceOverride);
  } catch {
    // a login URL the log does not show
  }
  return {
    attempts: details.map(({ loginUrl: l, audience, outcome, error, errorDescription, ms }) => ({
      loginUrl: l,
      audience,
      outcome,
      ...(error ? { error } : {}),
      ...(errorDescription ? { errorDescription } : {}),
      ms,
    })),
    details,
    sfLoginUrl: loginUrl,
    audienceUrl,
    timedOut: false,
  };
}

/** The probe adapter of a --from-log run: the log's report, whatever the request (no key, no network). */
export function replayProbe(report: ProbeReport): (request: ProbeRequest) => Promise<ProbeReport> {
  return () => Promise.resolve(report);
}
