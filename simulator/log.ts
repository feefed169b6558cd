/* The request log: what tests assert on ("read-only", round trips, loopback only). Never assertions or tokens. */
import type { LogDetail } from './http.js';

export type LogEntry = {
  seq: number;
  time: string;
  host: string;
  method: string;
  path: string;
  queryKeys: string[];
  remoteAddress: string;
  /** True when the request arrived over loopback (every request must). */
  loopback: boolean;
  status: number;
  ms: number;
  mutating: boolean;
  fault?: string;
} & Omit<LogDetail, 'mutating'>;

const MUTATING_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Whether a request changes the org when the handler did not say: writes to sobjects and Metadata deploys do. */
export function defaultMutating(method: string, path: string): boolean {
  if (!MUTATING_METHODS.has(method)) return false;
  return /\/sobjects\//.test(path) || /\/services\/Soap\/m\//.test(path) || /\/metadata\/deployRequest/.test(path);
}

export function isLoopbackAddress(addr: string): boolean {
  const a = addr.replace(/^::ffff:/, '');
  return a === '::1' || a.startsWith('127.');
}
