/*
 * One read against the admin connection: bounded by the run deadline, counted, and never throwing — a failure is
 * recorded for its area with the permission the admin user most likely lacks, so only the checks needing it skip.
 */
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
    super('The admin org did not answer before the deadline.');
    this.name = 'ETIMEDOUT';
  }
}

export function areaError(error: unknown, permissionHint?: string): AreaError {
  const e = error as { errorCode?: string; name?: string; message?: string; code?: string };
  const raw = e.errorCode ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'ERROR';
  const code = String(raw).replace(/^sf:/, '');
  // SOAP faults repeat the code in the message ("INSUFFICIENT_ACCESS: use of …"); keep the sentence.
  const message = String(e.message ?? error)
    .replace(new RegExp(`^(sf:)?${code}:\\s*`), '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? code;
  const http = /^ERROR_HTTP_(\d+)$/.exec(code);
  // jsforce's text for a non-JSON answer points at error.data; say what it was instead.
  if (http) return { code, message: `HTTP ${http[1]} with a page instead of the API's answer (maintenance, a proxy, or not a Salesforce API host)` };
  const permission = code === 'INSUFFICIENT_ACCESS' || code === 'INVALID_TYPE' ? permissionHint ?? PERMISSION_FOR[code] : PERMISSION_FOR[code];
  return permission ? { code, message, permission } : { code, message };
}

export type Reader = {
  /** Runs one request; on failure records `errors[area]` (first failure wins; not when quiet) and resolves undefined. */
  read<T>(area: InspectionArea, run: () => Promise<T>, permissionHint?: string, options?: { quiet?: boolean }): Promise<T | undefined>;
  /** Marks the start of a sequential round (the requests issued in it run in parallel). */
  round(): void;
  readonly rounds: number;
  readonly requests: number;
};

export function makeReader(errors: Partial<Record<InspectionArea, AreaError>>, deadline: number, now: () => number = Date.now): Reader {
  let rounds = 0;
  let requests = 0;
  return {
    async read<T>(area: InspectionArea, run: () => Promise<T>, permissionHint?: string, options: { quiet?: boolean } = {}): Promise<T | undefined> {
      requests++;
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
    round(): void {
      rounds++;
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
