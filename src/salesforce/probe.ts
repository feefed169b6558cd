/*
 * The token probe: signs the claims `sf org login jwt` signs (iss, sub, aud, exp = Date.now() + 300 — sf's own
 * millisecond quirk, kept so the verdict predicts sf — RS256 with the same jsonwebtoken) and posts them to the same
 * login/audience pairs, in sf's order. It never goes through AuthInfo and persists nothing.
 *
 * Round trips: sf posts the pairs one after another (up to 11). The probe posts the first pair alone — sf stops there
 * when it works — and, if it fails, all remaining pairs at once: at most 2 sequential round trips, never more requests
 * than sf would send for a failing login.
 */
import jwt from 'jsonwebtoken';
import { request } from 'undici';
import type { KeyObject } from 'node:crypto';
import type { Attempt } from '../doctor/types.js';
import { getDispatcher } from './connectTo.js';
import { removeSecrets } from '../knowledge/mask.js';
import { jwtAudienceUrl, loginAudienceCombos } from '../knowledge/loginAudience.js';
import { terminalSafe, terminalSafeBody } from './remoteText.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const PER_REQUEST_TIMEOUT_MS = 15_000;

export type NetworkFailure =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'tls-untrusted'
  | 'tls-wrong-name'
  | 'tls-expired'
  | 'tls-other'
  | 'timeout'
  | 'not-allowed'
  | 'redirect'
  | 'other';

export type AttemptDetail = Attempt & {
  /** Set for outcome network-error: what went wrong below HTTP. */
  network?: NetworkFailure;
  /** Node's error code (ENOTFOUND, ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE …). */
  code?: string;
  /** Set when the answer was not the token endpoint's JSON: an HTML page, a 5xx, a truncated body. */
  nonJson?: { contentType: string; snippet: string };
  /** Set for HTTP 429, REQUEST_LIMIT_EXCEEDED and rate_limit_exceeded: transient, says nothing about the setup. */
  throttled?: boolean;
  /** Server clock minus local clock, in seconds, from the Date header (midpoint of the request). */
  clockOffsetSeconds?: number;
  instanceUrl?: string;
  idUrl?: string;
};

export type ProbeReport = {
  attempts: Attempt[];
  details: AttemptDetail[];
  /** The login URL that worked, for the suggested `sf org login jwt` line. */
  recommendedLoginUrl?: string;
  /** The login URL sf would post to first (`--instance-url` as URL.href). */
  sfLoginUrl: string;
  audienceUrl: string;
  clockOffsetSeconds?: number;
  /** True when the run deadline cut the probe short. */
  timedOut: boolean;
};

export type ProbeOptions = {
  username: string;
  clientId: string;
  privateKey: KeyObject;
  /** The login URL as sf would use it (flag values as URL.href, stored ones verbatim). */
  loginUrl: string;
  audienceOverride?: string;
  /** Absolute time (ms) by which every request must be done. */
  deadline: number;
  /** Refuses a host before any request is made (safety rule 4: only Salesforce domains and loopback). */
  allowHost: (url: string) => boolean;
  now?: () => number;
};

/** What sf's jsonwebtoken call produces: header {alg: RS256, typ: JWT}, claims iss/sub/aud/exp, plus iat. */
export function signAssertion(o: { clientId: string; username: string; audience: string; key: KeyObject }): string {
  return jwt.sign({ iss: o.clientId, sub: o.username, aud: o.audience, exp: Date.now() + 300 }, o.key, {
    algorithm: 'RS256',
  });
}

function tokenUrl(loginUrl: string): string {
  // jsforce appends /services/oauth2/token to the login URL as given (a trailing slash gives //services/…).
  return `${loginUrl.replace(/\/$/, '')}/services/oauth2/token`;
}

function classifyNetworkError(error: unknown): { network: NetworkFailure; code: string; message: string } {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  // DOMException timeouts carry a numeric `code`: use names for those.
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const code = str(err.cause?.code) ?? str(err.code) ?? str(err.name) ?? 'ERROR';
  const message = err.cause?.message ?? err.message ?? String(error);
  const byCode: Record<string, NetworkFailure> = {
    ENOTFOUND: 'dns',
    EAI_AGAIN: 'dns',
    ECONNREFUSED: 'refused',
    ECONNRESET: 'reset',
    UND_ERR_SOCKET: 'reset',
    EPIPE: 'reset',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-untrusted',
    SELF_SIGNED_CERT_IN_CHAIN: 'tls-untrusted',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-untrusted',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-untrusted',
    ERR_TLS_CERT_ALTNAME_INVALID: 'tls-wrong-name',
    CERT_HAS_EXPIRED: 'tls-expired',
    UND_ERR_CONNECT_TIMEOUT: 'timeout',
    UND_ERR_HEADERS_TIMEOUT: 'timeout',
    UND_ERR_BODY_TIMEOUT: 'timeout',
    TimeoutError: 'timeout',
    AbortError: 'timeout',
    UND_ERR_ABORTED: 'timeout',
    // connectTo.ts: plain http, or a name that is not Salesforce's, not landing on loopback: refused unconnected.
    NOT_LOOPBACK: 'not-allowed',
  };
  const network = byCode[code] ?? (/tls|ssl|certificate/i.test(message) ? 'tls-other' : 'other');
  return { network, code, message };
}

/** A short, printable excerpt of an answer that was not the token endpoint's JSON — with any token in it removed. */
function snippet(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
  const flat = removeSecrets((title ?? body).slice(0, 4000)).replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

/** A redirect's target as an origin only (the rest is remote text). */
function redirectTarget(location: string | string[] | undefined, from: string): string {
  try {
    return location ? new URL(String(location), from).origin : 'no Location';
  } catch {
    return 'an invalid Location';
  }
}

async function postAssertion(
  login: string,
  audience: string,
  options: ProbeOptions,
  signal: AbortSignal
): Promise<AttemptDetail> {
  const now = options.now ?? Date.now;
  const started = now();
  const base: Pick<Attempt, 'loginUrl' | 'audience'> = { loginUrl: login, audience };
  if (!options.allowHost(login)) {
    return { ...base, outcome: 'network-error', error: 'refused', network: 'not-allowed', code: 'NOT_SALESFORCE', errorDescription: 'not a Salesforce host: the assertion was not sent', ms: 0 };
  }
  const assertion = signAssertion({ clientId: options.clientId, username: options.username, audience, key: options.privateKey });
  const body = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString();
  try {
    const res = await request(tokenUrl(login), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      dispatcher: getDispatcher(),
      signal,
    });
    // Remote text is made terminal-safe where it enters (safety rule 7): error, error_description, pages.
    const text = terminalSafeBody(await res.body.text());
    const ms = now() - started;
    if ([301, 302, 303, 307, 308].includes(res.statusCode)) {
      // Never followed (undici's request does not): the assertion goes to the host it was meant for and nowhere else.
      const to = redirectTarget(res.headers.location, tokenUrl(login));
      return { ...base, outcome: 'network-error', httpStatus: res.statusCode, error: 'REDIRECT', errorDescription: `HTTP ${res.statusCode}, a redirect to ${to}: not followed, the assertion was not re-sent`, network: 'redirect', code: 'REDIRECT', ms };
    }
    const date = Date.parse(String(res.headers.date ?? ''));
    const clockOffsetSeconds = Number.isNaN(date) ? undefined : Math.round((date - (started + ms / 2)) / 1000);
    const contentType = String(res.headers['content-type'] ?? '');
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    const throttled = res.statusCode === 429 || /REQUEST_LIMIT_EXCEEDED|rate_limit_exceeded/.test(text.slice(0, 500)) || undefined;
    const common = { ...base, httpStatus: res.statusCode, ms, clockOffsetSeconds, throttled };
    if (res.statusCode === 200 && json && typeof json.access_token === 'string') {
      // The access token is dropped here: nothing downstream needs it, and it must never be shown.
      return { ...common, outcome: 'success', instanceUrl: String(json.instance_url ?? ''), idUrl: String(json.id ?? '') };
    }
    if (json && typeof json.error === 'string') {
      // Echoed to the user: an org (or anything answering for it) must not be able to make us print a secret.
      return { ...common, outcome: 'error', error: removeSecrets(json.error).slice(0, 200), errorDescription: removeSecrets(String(json.error_description ?? '')).slice(0, 500) };
    }
    if (Array.isArray(json) && typeof (json[0] as { errorCode?: unknown })?.errorCode === 'string') {
      const first = json[0] as { errorCode: string; message?: string };
      return { ...common, outcome: 'error', error: removeSecrets(first.errorCode).slice(0, 200), errorDescription: removeSecrets(first.message ?? '').slice(0, 500) };
    }
    return {
      ...common,
      outcome: 'error',
      error: `ERROR_HTTP_${res.statusCode}`,
      errorDescription: snippet(text) || '(empty body)',
      nonJson: { contentType, snippet: snippet(text) },
    };
  } catch (error) {
    const { network, code, message } = classifyNetworkError(error);
    return { ...base, outcome: 'network-error', error: code, errorDescription: terminalSafe(message), network, code, ms: now() - started };
  }
}

function requestSignal(deadline: number, now: () => number): AbortSignal {
  const remaining = Math.max(1, Math.min(PER_REQUEST_TIMEOUT_MS, deadline - now()));
  return AbortSignal.timeout(remaining);
}

export async function probeToken(options: ProbeOptions): Promise<ProbeReport> {
  const now = options.now ?? Date.now;
  const audienceUrl = jwtAudienceUrl(options.loginUrl, options.audienceOverride);
  const pairs = loginAudienceCombos(audienceUrl, options.loginUrl);
  const details: AttemptDetail[] = [];

  const [firstLogin, firstAud] = pairs[0];
  details.push(await postAssertion(firstLogin, firstAud, options, requestSignal(options.deadline, now)));
  if (details[0].outcome !== 'success' && pairs.length > 1 && now() < options.deadline) {
    const rest = await Promise.all(
      pairs.slice(1).map(([login, aud]) => postAssertion(login, aud, options, requestSignal(options.deadline, now)))
    );
    // sf stops at its first success: report the attempts sf would have made, in its order.
    const firstSuccess = rest.findIndex((d) => d.outcome === 'success');
    details.push(...(firstSuccess === -1 ? rest : rest.slice(0, firstSuccess + 1)));
  }
  const success = details.find((d) => d.outcome === 'success');
  const offsets = details.map((d) => d.clockOffsetSeconds).filter((o): o is number => o !== undefined);
  return {
    attempts: details.map(({ loginUrl, audience, outcome, error, errorDescription, httpStatus, ms }) => ({
      loginUrl,
      audience,
      outcome,
      ...(error !== undefined ? { error } : {}),
      ...(errorDescription !== undefined ? { errorDescription } : {}),
      ...(httpStatus !== undefined ? { httpStatus } : {}),
      ms,
    })),
    details,
    recommendedLoginUrl: success ? success.loginUrl : undefined,
    sfLoginUrl: options.loginUrl,
    audienceUrl,
    clockOffsetSeconds: offsets.length > 0 ? offsets[0] : undefined,
    timedOut: now() >= options.deadline && details.some((d) => d.network === 'timeout'),
  };
}
