/*
 * One read against the admin connection: bounded by the run deadline, counted, and never throwing — a failure is
 * recorded for its area with the permission the admin user most likely lacks, so only the checks needing it skip.
 */
import { text } from '../doctor/text.js';
import type { AreaError, InspectionArea } from './inspection.js';

/** Salesforce's usual answers when the inspecting user cannot see something, and what grants it. */
const PERMISSION_FOR: Record<string, string> = {
  // Setup objects (SetupEntityAccess, ConnectedApplication, ExternalClientApplication …) are invisible without it.
  INVALID_TYPE: 'View Setup and Configuration',
  INSUFFICIENT_ACCESS: 'Modify Metadata Through Metadata API Functions (or Modify All Data)',
  INSUFFICIENT_ACCESS_OR_READONLY: 'View Setup and Configuration',
  API_DISABLED_FOR_ORG: 'API Enabled',
  API_CURRENTLY_DISABLED: 'API Enabled',
};

export const PER_READ_TIMEOUT_MS = 20_000;

export class ReadTimeout extends Error {
  public constructor() {
    super(text('orgRead.deadline'));
    this.name = 'ETIMEDOUT';
  }
}

/** JavaScript's own errors: jsforce or the inspector tripped over an answer of an unexpected shape. */
const INTERNAL = new Set(['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function areaError(error: unknown, permissionHint?: string): AreaError {
  const e = (error && typeof error === 'object' ? error : {}) as {
    errorCode?: unknown;
    name?: unknown;
    message?: unknown;
    code?: unknown;
  };
  if (typeof e.name === 'string' && INTERNAL.has(e.name) && typeof e.errorCode !== 'string') {
    return { code: 'UNEXPECTED_ANSWER', message: text('orgRead.unexpectedShape') };
  }
  const raw = [e.errorCode, e.name !== 'Error' ? e.name : undefined, e.code].find(
    (v) => typeof v === 'string' && v !== '',
  );
  // Codes come from the org's answer: only a plain identifier is shown as one.
  const code = typeof raw === 'string' && /^(sf:)?[\w.-]{1,80}$/.test(raw) ? raw.replace(/^sf:/, '') : 'ERROR';
  // SOAP faults repeat the code in the message ("INSUFFICIENT_ACCESS: use of …"); keep the sentence.
  const said = typeof e.message === 'string' ? e.message : typeof error === 'string' ? error : '';
  const line = said
    .replace(new RegExp(`^(sf:)?${escapeRegExp(code)}:\\s*`), '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();
  const message = line
    ? line.length > 300
      ? `${line.slice(0, 300)}…`
      : line
    : code === 'ERROR'
      ? text('orgRead.failed')
      : code;
  const http = /^ERROR_HTTP_(\d+)$/.exec(code);
  // jsforce's text for a non-JSON answer points at error.data; say what it was instead.
  if (http)
    return {
      code,
      message: text('orgRead.htmlPage', { status: http[1] }),
    };
  const permission =
    code === 'INSUFFICIENT_ACCESS' || code === 'INVALID_TYPE'
      ? (permissionHint ?? PERMISSION_FOR[code])
      : PERMISSION_FOR[code];
  return permission ? { code, message, permission } : { code, message };
}

export type ReadOptions = {
  /** Not recorded as the area's error (a read whose failure is expected in some orgs). */
  quiet?: boolean;
  /** How many sequential round trips deep the read is (1 = needs nothing read before it). */
  depth?: number;
};

export type Reader = {
  /** The deepest chain of dependent reads issued (the requests at one depth run in parallel). */
  readonly rounds: number;
  readonly requests: number;
  /** Runs one request; on failure records `errors[area]` (first failure wins; not when quiet) and resolves undefined. */
  read<T>(
    area: InspectionArea,
    run: () => Promise<T>,
    permissionHint?: string,
    options?: ReadOptions,
  ): Promise<T | undefined>;
};

export function makeReader(
  errors: Partial<Record<InspectionArea, AreaError>>,
  deadline: number,
  now: () => number = Date.now,
): Reader {
  let rounds = 0;
  let requests = 0;
  return {
    async read<T>(
      area: InspectionArea,
      run: () => Promise<T>,
      permissionHint?: string,
      options: ReadOptions = {},
    ): Promise<T | undefined> {
      requests++;
      rounds = Math.max(rounds, options.depth ?? 1);
      const budget = Math.max(1, Math.min(PER_READ_TIMEOUT_MS, deadline - now()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ReadTimeout()), budget);
        timer.unref();
      });
      try {
        return await Promise.race([run(), timeout]);
      } catch (error) {
        if (!options.quiet) errors[area] ??= areaError(error, permissionHint);
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    },
    get rounds() {
      return rounds;
    },
    get requests() {
      return requests;
    },
  };
}

/** A SOQL string literal: quotes and backslashes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A SOQL LIKE pattern literal with the value's own % and _ taken literally. */
export function soqlLikePrefix(value: string): string {
  return soqlString(value).replace(/%/g, '\\%').replace(/_/g, '\\_');
}
