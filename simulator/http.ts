/* The request/response values handlers work with: plain data, so faults and the log can wrap any answer. */
import type { IncomingHttpHeaders } from 'node:http';

export type SimRequest = {
  method: string;
  /** The Host header's name (lower case, no port): the virtual host. */
  host: string;
  /** The Host header as sent (name and port). */
  authority: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  remoteAddress: string;
  secure: boolean;
};

/** What a handler adds to the request log (never secrets). */
export type LogDetail = {
  bodyShape?: Record<string, unknown>;
  token?: { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown; outcome: string; rule?: string };
  soql?: string;
  mutating?: boolean;
  /**
   * A revoke (POST /services/oauth2/revoke): what it revoked. `access-token`: one session ends, no record changes (the
   * doctor's cleanup of its own token: not mutating); `approval`: a refresh token / OauthToken row, i.e. a user's
   * approval of an app, is deleted (mutating); `unknown-token`: nothing was revoked.
   */
  revoke?: 'access-token' | 'approval' | 'unknown-token';
};

export type SimResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
  log?: LogDetail;
};

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(status: number, value: unknown, log?: LogDetail): SimResponse {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(value), log };
}

/** REST API errors are an array of {message, errorCode}. */
export function restError(status: number, errorCode: string, message: string, log?: LogDetail): SimResponse {
  return json(status, [{ message, errorCode }], log);
}

export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
