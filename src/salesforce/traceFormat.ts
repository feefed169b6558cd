/*
 * The --trace file (format `sf-org-jwt-doctor-trace`, version 1): every request and answer of one run, with the
 * secrets removed and record ids masked, so a run against a real org can be shared and replayed
 * (`npm run sim -- --replay FILE`). Pure: used by the recorder (trace.ts) and by the simulator's replay.
 *
 * Removed: the assertion (only its iss/sub/aud claims stay), access and refresh tokens, session ids (Authorization
 * headers, SOAP <sessionId>, `00D…!…`), authorization codes, consumer secrets, passwords, private keys, cookies.
 * Masked: record ids (15 and 18 characters) become `<prefix>XX0MASK<n>` (18-character ids keep a valid checksum), the
 * same id the same mask everywhere in one trace. Kept: host names, paths, usernames, consumer keys, certificates
 * (public), the rest of each answer.
 */
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { RawExchange } from './traceCapture.js';
import { idChecksum } from '../knowledge/recordId.js';

export const TRACE_FORMAT = 'sf-org-jwt-doctor-trace';
export const TRACE_VERSION = 1;
export const REMOVED = '[removed]';

export type TraceBody =
  /** A form: every name, values removed except grant_type; a JWT assertion's non-secret claims. */
  | { form: Array<[string, string]>; claims?: { iss?: string; sub?: string; aud?: string } }
  | { json: unknown }
  | { text: string };

export type TraceRequest = {
  method: string;
  scheme: 'https' | 'http';
  host: string;
  /** Only when not the scheme's default. */
  port?: number;
  /** As sent, ids masked (a doubled slash stays: it is part of what the org was asked). */
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: TraceBody;
  /** For Metadata API (SOAP) calls: the operation and the metadata types named. */
  soap?: { operation: string; types: string[] };
};

export type TraceResponse = {
  status: number;
  headers: Record<string, string>;
  /** The org's Date header minus this machine's clock at the request's midpoint, in seconds. */
  dateOffsetSeconds?: number;
  body?: TraceBody;
  truncated?: boolean;
};

export type TraceEntry = {
  seq: number;
  /** Milliseconds since the trace started. */
  at: number;
  ms: number;
  request: TraceRequest;
  response?: TraceResponse;
  /** No complete answer: a network error code (ECONNREFUSED, ECONNRESET, UND_ERR_HEADERS_TIMEOUT, a TLS code …). */
  error?: { code: string; message: string };
};

export type TraceFile = {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  createdAt: string;
  tool: { name: string; version: string };
  /** The flags of the run (the key file by name only). */
  run?: Record<string, string | boolean | number>;
  /** What the doctor concluded, to compare a replay with. */
  result?: { verdict: string; cause: string | null; confidence: string | null };
  removed: string;
  masking: string;
  entries: TraceEntry[];
};

export const REMOVED_NOTE =
  'assertions (their iss/sub/aud claims kept), access and refresh tokens, session ids, authorization codes, consumer secrets, passwords, private keys, cookies';
export const MASKING_NOTE = 'record ids → <key prefix>XX0MASK<n>, the same id the same mask within this trace';

// ---------------------------------------------------------------------------------------------------------------
// Secrets

const PRIVATE_KEY = /-----\s*BEGIN[A-Z\s]*PRIVATE\s*KEY\s*-----[\s\S]*?(?:-----\s*END[A-Z\s]*PRIVATE\s*KEY\s*-----|$)/g;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const SESSION_ID = /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g;
const BEARER = /\b(Bearer|OAuth)\s+[^\s"'<>,]{8,}/gi;
// `"access_token":"…"`, `refresh_token=…`, `#access_token=…&`: a token field's value, whatever its shape.
const TOKEN_FIELD =
  /(?<![A-Za-z0-9_])((?:access|refresh|id)_token|assertion|client_secret)(["']?\s*[:=]\s*["']?)[^"'&\s,}<]+/g;
// `?code=…` / `#…&sid=…` in a redirect: an authorization code or a session id as a URL parameter.
const URL_SECRET = /(?<![A-Za-z0-9_])(code|sid)=[^&\s"'<#]+/g;
const SECRET_ELEMENT =
  /<((?:[\w-]+:)?(?:sessionId|consumerSecret|clientSecret|password|oauthConsumerSecret|privateKey))(\s[^>]*)?>[\s\S]*?<\/\1>/g;
const SECRET_KEY =
  /^(?:access_token|refresh_token|id_token|signature|client_secret|clientsecret|consumersecret|password|sessionid|assertion|code|code_verifier|sid)$/i;
const SECRET_PARAM = SECRET_KEY;
/** Form values kept as sent: what kind of request it was. */
const KEPT_FORM_VALUES = new Set(['grant_type']);
const KEPT_REQUEST_HEADERS = ['content-type', 'accept', 'soapaction', 'sforce-call-options'];
const KEPT_RESPONSE_HEADERS = ['content-type', 'retry-after', 'location', 'sforce-limit-info'];

/** Removes anything shaped like a secret from a text (idempotent). */
export function sweepSecrets(text: string): string {
  return text
    .replace(PRIVATE_KEY, '[private key removed]')
    .replace(JWT, '[JWT removed]')
    .replace(SESSION_ID, '[session id removed]')
    .replace(BEARER, `$1 ${REMOVED}`)
    .replace(SECRET_ELEMENT, `<$1$2>${REMOVED}</$1>`)
    .replace(TOKEN_FIELD, `$1$2${REMOVED}`)
    .replace(URL_SECRET, `$1=${REMOVED}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Record ids

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// 15 or 18 characters, the 6th (reserved) a 0, not part of a longer word, a dotted key or a session id.
const RECORD_ID = /(?<![A-Za-z0-9_.])[A-Za-z0-9]{5}0[A-Za-z0-9]{9}(?:[A-Z0-5]{3})?(?![A-Za-z0-9_.!])/g;

function looksLikeId(candidate: string): boolean {
  const id15 = candidate.slice(0, 15);
  if ((id15.match(/\d/g) ?? []).length < 5) return false;
  return candidate.length === 15 || idChecksum(id15) === candidate.slice(15);
}

/** Same id (15 or 18 characters), same mask, within one trace; the key prefix stays (it says what the record is). */
export class IdMasker {
  private readonly masks = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  public get size(): number {
    return this.masks.size;
  }

  public mask15(id15: string): string {
    let masked = this.masks.get(id15);
    if (!masked) {
      const prefix = id15.slice(0, 3);
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      let digits = '';
      for (let v = n; v > 0; v = Math.floor(v / 62)) digits = BASE62[v % 62] + digits;
      masked = `${prefix}XX0MASK${digits.padStart(5, '0')}`;
      this.masks.set(id15, masked);
    }
    return masked;
  }

  public text(value: string): string {
    return value.replace(RECORD_ID, (id) => {
      if (!looksLikeId(id) || /^...XX0MASK/.test(id)) return id;
      const masked = this.mask15(id.slice(0, 15));
      return id.length === 18 ? masked + idChecksum(masked) : masked;
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies

function decode(body: Buffer, encoding: string | undefined): string {
  const enc = (encoding ?? '').toLowerCase().trim();
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(body).toString('utf8');
    if (enc === 'deflate') return inflateSync(body).toString('utf8');
    if (enc === 'br') return brotliDecompressSync(body).toString('utf8');
  } catch {
    return `[${enc} body that could not be decoded]`;
  }
  return body.toString('utf8');
}

/** The non-secret claims of a JWT (the payload is not encrypted; the signature is what makes it a credential). */
export function assertionClaims(assertion: string): { iss?: string; sub?: string; aud?: string } | undefined {
  const payload = assertion.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const str = (v: unknown): string | undefined =>
      typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
    return { iss: str(claims.iss), sub: str(claims.sub), aud: str(claims.aud) };
  } catch {
    return undefined;
  }
}

function cleanJson(value: unknown, clean: (s: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((v) => cleanJson(v, clean));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && v !== null && v !== '' ? REMOVED : cleanJson(v, clean),
      ]),
    );
  }
  return value;
}

/** A body with secrets removed and ids masked (form, JSON, or text such as XML). */
export function cleanBody(text: string, contentType: string, masker: IdMasker): TraceBody {
  const clean = (s: string): string => masker.text(sweepSecrets(s));
  if (
    /x-www-form-urlencoded/i.test(contentType) ||
    (!contentType && /^[\w.%-]+=[^<>{}\s]*(&[\w.%-]+=[^<>{}\s]*)*$/.test(text.trim()) && text.includes('='))
  ) {
    const params = new URLSearchParams(text);
    const assertion = params.get('assertion');
    const form: Array<[string, string]> = [...params].map(([k, v]) => [
      k,
      KEPT_FORM_VALUES.has(k) ? clean(v) : REMOVED,
    ]);
    const claims = assertion ? assertionClaims(assertion) : undefined;
    return claims
      ? {
          form,
          claims: Object.fromEntries(
            Object.entries(claims)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => [k, clean(v)]),
          ),
        }
      : { form };
  }
  const trimmed = text.trim();
  if (/json/i.test(contentType) || /^[[{]/.test(trimmed)) {
    try {
      return { json: cleanJson(JSON.parse(trimmed), clean) };
    } catch {
      // not JSON after all: kept as text
    }
  }
  return { text: clean(text) };
}

/** The SOAP operation (first element in the Body) and the metadata types a Metadata API request names. */
export function soapShape(xml: string): { operation: string; types: string[] } | undefined {
  const operation = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([\w]+)/.exec(xml)?.[1];
  if (!operation) return undefined;
  const types = [...xml.matchAll(/<(?:[\w-]+:)?(?:type|metadataType)>\s*([^<\s]+)\s*</g)].map((m) => m[1]);
  return { operation, types };
}

// ---------------------------------------------------------------------------------------------------------------
// Exchanges

/** One request and its answer, as the dispatcher saw them (traceCapture.ts). */
export type ExchangeInput = RawExchange;

function keptHeaders(
  headers: Record<string, string>,
  names: string[],
  clean: (s: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (headers[name] !== undefined) out[name] = clean(headers[name]);
  return out;
}

/** The request part of an exchange, cleaned. Also used by the replay to read an incoming request the same way. */
export function cleanRequest(
  input: { method: string; origin: string; path: string; headers: Record<string, string>; body?: Buffer },
  masker: IdMasker,
): TraceRequest {
  const clean = (s: string): string => masker.text(sweepSecrets(s));
  const url = new URL(input.origin || 'https://unknown.invalid');
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  const [rawPath, rawQuery = ''] = input.path.split(/\?(.*)/s, 2);
  const query: Array<[string, string]> = [...new URLSearchParams(rawQuery)].map(([k, v]) => [
    k,
    SECRET_PARAM.test(k) ? REMOVED : clean(v),
  ]);
  const headers = keptHeaders(input.headers, KEPT_REQUEST_HEADERS, clean);
  const auth = input.headers.authorization;
  if (auth) headers.authorization = `${auth.split(/\s+/)[0]} ${REMOVED}`;
  if (input.headers.cookie) headers.cookie = REMOVED;
  const request: TraceRequest = {
    method: input.method.toUpperCase(),
    scheme,
    host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(),
    ...(url.port ? { port: Number(url.port) } : {}),
    path: clean(rawPath || '/'),
    query,
    headers,
  };
  if (input.body && input.body.length > 0) {
    const text = input.body.toString('utf8');
    request.body = cleanBody(text, input.headers['content-type'] ?? '', masker);
    if (rawPath.includes('/services/Soap/')) {
      const shape = soapShape(text);
      if (shape) request.soap = shape;
    }
  }
  return request;
}

export function cleanExchange(ex: ExchangeInput, masker: IdMasker, traceStart: number, seq: number): TraceEntry {
  const clean = (s: string): string => masker.text(sweepSecrets(s));
  const entry: TraceEntry = {
    seq,
    at: Math.max(0, ex.startedAt - traceStart),
    ms: ex.ms,
    request: cleanRequest(
      { method: ex.method, origin: ex.origin, path: ex.path, headers: ex.requestHeaders, body: ex.requestBody },
      masker,
    ),
  };
  if (ex.status !== undefined) {
    const headers = ex.responseHeaders ?? {};
    const response: TraceResponse = { status: ex.status, headers: keptHeaders(headers, KEPT_RESPONSE_HEADERS, clean) };
    const date = Date.parse(headers.date ?? '');
    if (!Number.isNaN(date)) response.dateOffsetSeconds = Math.round((date - (ex.startedAt + ex.ms / 2)) / 1000);
    if (ex.responseBody && ex.responseBody.length > 0) {
      response.body = cleanBody(
        decode(ex.responseBody, headers['content-encoding']),
        headers['content-type'] ?? '',
        masker,
      );
    }
    if (ex.truncated) response.truncated = true;
    entry.response = response;
  }
  if (ex.error) entry.error = { code: ex.error.code, message: clean(ex.error.message) };
  return entry;
}

/** A body back as the text it stood for (JSON re-serialised, a form re-encoded). */
export function bodyText(body: TraceBody | undefined): string {
  if (!body) return '';
  if ('json' in body) return JSON.stringify(body.json);
  if ('form' in body) return new URLSearchParams(body.form).toString();
  return body.text;
}

/** Reads and checks a trace file's JSON; throws with a plain message when it is not one. */
export function parseTrace(text: string): TraceFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('not a trace file: not JSON');
  }
  const file = value as Partial<TraceFile>;
  if (!file || typeof file !== 'object' || file.format !== TRACE_FORMAT)
    throw new Error(`not a trace file: no "format": "${TRACE_FORMAT}"`);
  if (file.version !== TRACE_VERSION)
    throw new Error(`trace version ${String(file.version)} is not supported (this reads version ${TRACE_VERSION})`);
  if (!Array.isArray(file.entries)) throw new Error('not a trace file: no entries');
  return file as TraceFile;
}
