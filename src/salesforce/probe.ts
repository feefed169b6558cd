/*
 * The token probe: signs the claims `sf org login jwt` signs (iss, sub, aud, exp = Date.now() + 300 — sf's own
 * millisecond quirk, kept so the verdict predicts sf — RS256 with the same jsonwebtoken) and posts them to the same
 * login/audience pairs, in sf's order. It never goes through AuthInfo and persists nothing.
 *
 * Round trips: sf posts the pairs one after another (up to 11). The probe posts the first pair alone — sf stops there
 * when it works — and, if it fails, all remaining pairs at once: at most 2 sequential round trips, never more requests
 * than sf would send for a failing login.
 *
 * Then it uses the token and gives it back (DESIGN safety rule 7): sf's first call after a login (core's
 * determineIfDevHub: GET <instance_url>/services/data/v51.0/query?q=SELECT Id FROM ScratchOrgInfo limit 1) says whether
 * the org lets this session use the API, and every token obtained is revoked (POST /services/oauth2/revoke). When the
 * first pair worked the revoke follows the call (depth 3); when a fallback pair worked the call and the revokes go
 * together (depth 3 too), so a 401 then may be the revoke's doing and is reported as such (`raced`).
 */
import jwt from 'jsonwebtoken';
import { request, type Dispatcher } from 'undici';
import type { KeyObject } from 'node:crypto';
import type { Attempt } from '../doctor/types.js';
import { closableDispatcher, getDispatcher } from './connectTo.js';
import { removeSecrets } from '../knowledge/mask.js';
import { jwtAudienceUrl, loginAudienceCombos } from '../knowledge/loginAudience.js';
import { terminalSafe, terminalSafeBody } from './remoteText.js';
import { asText } from '../knowledge/values.js';
import { text } from '../doctor/text.js';

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
  /** HTTP 200 whose JSON lacks a usable access_token, id or instance_url: the fields missing (sf cannot use it). */
  unusable?: string[];
};

/** What sf's first API call with the token answered. */
export type ApiUse = {
  /** ok: the API took the session (2xx, or the query's 400 for an org without ScratchOrgInfo); refused: 401/403. */
  outcome: 'ok' | 'refused' | 'other' | 'network-error' | 'not-sent';
  httpStatus?: number;
  errorCode?: string;
  message?: string;
  /** The ScratchOrgInfo query worked: the org is a Dev Hub (core's determineIfDevHub). */
  isDevHub?: boolean;
  /** The revoke went out together with the call (a fallback pair got the token): a 401 may be the revoke's doing. */
  raced: boolean;
  /** not-sent: the instance URL was not one the token may be sent to. */
  host?: string;
  ms: number;
};

export type RevokeResult = { host: string; httpStatus?: number; ok: boolean };

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
  /** sf's first API call with the token sf would get (absent when no usable token came back). */
  use?: ApiUse;
  /** One per token the probe obtained (each revoked before the run ends). */
  revokes?: RevokeResult[];
  /** Token requests actually sent (each counts against the user's hourly login limit); refused hosts not counted. */
  tokenRequests?: number;
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
  /**
   * The login budget (--all, --wait): when sf's first pair got an answer this says decides the verdict on its own,
   * the fallback pairs are not sent (each would be one more login against the user's hourly limit).
   */
  decidesAlone?: (first: AttemptDetail) => boolean;
  /** Set by probeToken: the probe's own connections, closed when it ends (connectTo.ts, closableDispatcher). */
  dispatcher?: Dispatcher;
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
  const flat = removeSecrets((title ?? body).slice(0, 4000))
    .replace(/\s+/g, ' ')
    .trim();
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

/** The access tokens the probe obtained, by attempt: kept out of the details, so nothing downstream can show them. */
type Tokens = Map<AttemptDetail, string>;

async function postAssertion(
  login: string,
  audience: string,
  options: ProbeOptions,
  signal: AbortSignal,
  tokens: Tokens,
): Promise<AttemptDetail> {
  const now = options.now ?? Date.now;
  const started = now();
  const base: Pick<Attempt, 'loginUrl' | 'audience'> = { loginUrl: login, audience };
  if (!options.allowHost(login)) {
    return {
      ...base,
      outcome: 'network-error',
      error: 'refused',
      network: 'not-allowed',
      code: 'NOT_SALESFORCE',
      errorDescription: text('probe.notSalesforceHost'),
      ms: 0,
    };
  }
  const assertion = signAssertion({
    clientId: options.clientId,
    username: options.username,
    audience,
    key: options.privateKey,
  });
  const body = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString();
  try {
    const res = await untilAborted(
      request(tokenUrl(login), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        dispatcher: options.dispatcher ?? getDispatcher(),
        signal,
      }),
      signal,
    );
    // Remote text is made terminal-safe where it enters (safety rule 7): error, error_description, pages.
    const answer = terminalSafeBody(await res.body.text());
    const ms = now() - started;
    if ([301, 302, 303, 307, 308].includes(res.statusCode)) {
      // Never followed (undici's request does not): the assertion goes to the host it was meant for and nowhere else.
      const to = redirectTarget(res.headers.location, tokenUrl(login));
      return {
        ...base,
        outcome: 'network-error',
        httpStatus: res.statusCode,
        error: 'REDIRECT',
        errorDescription: text('probe.redirect', { status: res.statusCode, location: to }),
        network: 'redirect',
        code: 'REDIRECT',
        ms,
      };
    }
    const date = Date.parse(String(res.headers.date ?? ''));
    const clockOffsetSeconds = Number.isNaN(date) ? undefined : Math.round((date - (started + ms / 2)) / 1000);
    const contentType = String(res.headers['content-type'] ?? '');
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(answer) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    const throttled =
      res.statusCode === 429 || /REQUEST_LIMIT_EXCEEDED|rate_limit_exceeded/.test(answer.slice(0, 500)) || undefined;
    const common = { ...base, httpStatus: res.statusCode, ms, clockOffsetSeconds, throttled };
    if (res.statusCode === 200 && json && !Array.isArray(json) && json.error === undefined) {
      // The access token goes to `tokens` only (to use and revoke it): it must never be shown.
      const accessToken = typeof json.access_token === 'string' ? json.access_token : '';
      const detail: AttemptDetail = {
        ...common,
        outcome: 'success',
        instanceUrl: asText(json.instance_url),
        idUrl: asText(json.id),
      };
      if (accessToken) tokens.set(detail, accessToken);
      const missing = unusableFields(accessToken, json);
      // sf takes any 200 as its answer and then cannot read it (core: ensureString(id)): a failure, never a pass.
      return missing.length === 0
        ? detail
        : {
            ...detail,
            outcome: 'error',
            error: 'unusable_token_response',
            errorDescription: missing.join(', '),
            unusable: missing,
          };
    }
    if (json && typeof json.error === 'string') {
      // Echoed to the user: an org (or anything answering for it) must not be able to make us print a secret.
      return {
        ...common,
        outcome: 'error',
        error: removeSecrets(json.error).slice(0, 200),
        errorDescription: removeSecrets(asText(json.error_description)).slice(0, 500),
      };
    }
    if (Array.isArray(json) && typeof (json[0] as { errorCode?: unknown })?.errorCode === 'string') {
      const first = json[0] as { errorCode: string; message?: string };
      return {
        ...common,
        outcome: 'error',
        error: removeSecrets(first.errorCode).slice(0, 200),
        errorDescription: removeSecrets(first.message ?? '').slice(0, 500),
      };
    }
    return {
      ...common,
      outcome: 'error',
      error: `ERROR_HTTP_${res.statusCode}`,
      errorDescription: snippet(answer) || '(empty body)',
      nonJson: { contentType, snippet: snippet(answer) },
    };
  } catch (error) {
    const { network, code, message } = classifyNetworkError(error);
    return {
      ...base,
      outcome: 'network-error',
      error: code,
      errorDescription: terminalSafe(message),
      network,
      code,
      ms: now() - started,
    };
  }
}

/** The fields of a 200 token answer sf cannot use: an empty access_token, an id without /id/<org>/<user>, no https instance_url. */
function unusableFields(accessToken: string, json: Record<string, unknown>): string[] {
  const missing: string[] = [];
  if (!accessToken.trim()) missing.push('access_token');
  const id = typeof json.id === 'string' ? json.id : '';
  if (!/\/id\/00D[0-9A-Za-z]{12,15}\/005[0-9A-Za-z]{12,15}\/?$/.test(id)) missing.push('id');
  const instance = typeof json.instance_url === 'string' ? json.instance_url : '';
  let url: URL | undefined;
  try {
    url = new URL(instance);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.hostname !== '127.0.0.1')) missing.push('instance_url');
  return missing;
}

/** Does sf stop at this attempt? At its first HTTP 200, usable or not. */
const sfStops = (d: AttemptDetail): boolean => d.outcome === 'success' || d.unusable !== undefined;

/** core's determineIfDevHub, verbatim: the first request sf makes with a new token. */
export const FIRST_API_CALL = 'services/data/v51.0/query?q=SELECT%20Id%20FROM%20ScratchOrgInfo%20limit%201';

async function useToken(detail: AttemptDetail, token: string, options: ProbeOptions, raced: boolean): Promise<ApiUse> {
  const now = options.now ?? Date.now;
  const started = now();
  const base = (detail.instanceUrl ?? '').replace(/\/?$/, '/');
  const host = hostOf(base);
  // The session goes only where the token endpoint said it lives, and only to a host an assertion may go to.
  if (!options.allowHost(base)) return { outcome: 'not-sent', raced, host, ms: 0 };
  try {
    const signal = requestSignal(options.deadline, now);
    const res = await untilAborted(
      request(`${base}${FIRST_API_CALL}`, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        dispatcher: options.dispatcher ?? getDispatcher(),
        signal,
      }),
      signal,
    );
    const raw = await res.body.text();
    const ms = now() - started;
    let first: { errorCode?: unknown; message?: unknown } | undefined;
    try {
      const json = JSON.parse(raw) as unknown;
      first = Array.isArray(json) ? (json[0] as typeof first) : undefined;
    } catch {
      first = undefined;
    }
    const errorCode = typeof first?.errorCode === 'string' ? removeSecrets(first.errorCode).slice(0, 200) : undefined;
    const message = typeof first?.message === 'string' ? removeSecrets(first.message).slice(0, 500) : undefined;
    const status = res.statusCode;
    // 400 INVALID_TYPE is the API answering for an org without ScratchOrgInfo (not a Dev Hub): the session works.
    const outcome =
      status < 300 || (status === 400 && errorCode !== undefined)
        ? 'ok'
        : status === 401 || status === 403
          ? 'refused'
          : 'other';
    return { outcome, httpStatus: status, errorCode, message, isDevHub: status < 300, raced, host, ms };
  } catch (error) {
    const { code, message } = classifyNetworkError(error);
    return {
      outcome: 'network-error',
      errorCode: code,
      message: removeSecrets(message).slice(0, 300),
      raced,
      host,
      ms: now() - started,
    };
  }
}

/** Gives a token back: POST /services/oauth2/revoke where it lives (its instance), else where it was issued. */
async function revokeToken(detail: AttemptDetail, token: string, options: ProbeOptions): Promise<RevokeResult> {
  const now = options.now ?? Date.now;
  const instance =
    detail.instanceUrl && !detail.unusable?.includes('instance_url') && options.allowHost(detail.instanceUrl)
      ? detail.instanceUrl
      : detail.loginUrl;
  const url = `${instance.replace(/\/$/, '')}/services/oauth2/revoke`;
  const host = hostOf(url);
  try {
    // Rule 7 over rule 5's run deadline: the revoke gets a short timeout of its own.
    const signal = AbortSignal.timeout(Math.min(PER_REQUEST_TIMEOUT_MS, Math.max(3000, options.deadline - now())));
    const res = await untilAborted(
      request(url, {
        method: 'POST',
        body: new URLSearchParams({ token }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        dispatcher: options.dispatcher ?? getDispatcher(),
        signal,
      }),
      signal,
    );
    await res.body.dump();
    return { host, httpStatus: res.statusCode, ok: res.statusCode === 200 };
  } catch {
    return { host, ok: false };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * undici's request() does not end at its signal while the connection is still being made (a TLS handshake that never
 * completes): it waits for the connect timeout. The attempt ends at the signal; closing the probe's connections ends
 * the connect itself.
 */
function untilAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void =>
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

function requestSignal(deadline: number, now: () => number): AbortSignal {
  const remaining = Math.max(1, Math.min(PER_REQUEST_TIMEOUT_MS, deadline - now()));
  return AbortSignal.timeout(remaining);
}

export async function probeToken(options: ProbeOptions): Promise<ProbeReport> {
  // Its own connections, closed when it ends: nothing of the probe (a handshake still under way) outlives it.
  const connections = closableDispatcher();
  try {
    return await probeWith({ ...options, dispatcher: connections.dispatcher });
  } finally {
    connections.close();
  }
}

async function probeWith(options: ProbeOptions): Promise<ProbeReport> {
  const now = options.now ?? Date.now;
  const audienceUrl = jwtAudienceUrl(options.loginUrl, options.audienceOverride);
  const pairs = loginAudienceCombos(audienceUrl, options.loginUrl);
  const details: AttemptDetail[] = [];
  const tokens: Tokens = new Map();

  const [firstLogin, firstAud] = pairs[0];
  details.push(await postAssertion(firstLogin, firstAud, options, requestSignal(options.deadline, now), tokens));
  let tokenRequests = sent(details[0]) ? 1 : 0;
  const decided = options.decidesAlone?.(details[0]) === true;
  if (!sfStops(details[0]) && !decided && pairs.length > 1 && now() < options.deadline) {
    const rest = await Promise.all(
      pairs
        .slice(1)
        .map(([login, aud]) => postAssertion(login, aud, options, requestSignal(options.deadline, now), tokens)),
    );
    tokenRequests += rest.filter(sent).length;
    // sf stops at its first 200: report the attempts sf would have made, in its order.
    const firstStop = rest.findIndex(sfStops);
    details.push(...(firstStop === -1 ? rest : rest.slice(0, firstStop + 1)));
  }
  const success = details.find((d) => d.outcome === 'success');
  // Use sf's token as sf would, then give back every token obtained (the batch may have got more than sf's one).
  const mine = success ? tokens.get(success) : undefined;
  const raced = success !== undefined && success !== details[0];
  const revokeAll = (): Promise<RevokeResult[]> => Promise.all([...tokens].map(([d, t]) => revokeToken(d, t, options)));
  let use: ApiUse | undefined;
  let revokes: RevokeResult[];
  if (success && mine && !raced) {
    use = await useToken(success, mine, options, false);
    revokes = await revokeAll();
  } else if (success && mine) {
    [use, revokes] = await Promise.all([useToken(success, mine, options, true), revokeAll()]);
  } else {
    revokes = await revokeAll();
  }
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
    ...(use ? { use } : {}),
    revokes,
    tokenRequests,
  };
}

/** Did this attempt go out (a login the org may count)? A host refused before connecting (rule 4, routing) did not. */
function sent(d: AttemptDetail): boolean {
  return d.network !== 'not-allowed';
}
