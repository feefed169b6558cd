/*
 * The admin connection's HTTP transport during an inspection. jsforce's own (request.js) pipes the response body
 * into its stream without an error handler, so a connection cut mid-answer ("terminated") is an unhandled 'error'
 * event that kills the process; it also bounds only the wait for the headers, never the body, and cannot be
 * cancelled from outside, so a hung or slow-drip answer keeps a socket (and the process) alive. This one reads each
 * answer with undici's fetch, which rejects instead of emitting: every request has its own timeout and ends when the
 * inspection does, and an answer that is not what the API sends (not JSON, not a SOAP envelope) is an error with a
 * plain message instead of a value that breaks jsforce further on.
 */
import { PassThrough } from 'node:stream';
import { fetch } from 'undici';
import { text } from '../doctor/text.js';
import { closableDispatcher } from './connectTo.js';
import { parseXml, type XmlObject } from './inspectorXml.js';
import { terminalSafeBody } from './remoteText.js';

/** What jsforce's HttpApi hands a transport and expects back (transport.js, request-helper.js). */
type HttpRequest = { method?: string; url: string; headers?: Record<string, string>; body?: string | Buffer };
type HttpResponse = { statusCode: number; headers: Record<string, string>; body: string };
type StreamPromise = Promise<HttpResponse> & { stream: () => PassThrough };

/** A failed inspector request, with a code for the area error and a message a user can read. */
export class InspectorRequestError extends Error {
  public readonly errorCode: string;
  public constructor(code: string, message: string) {
    super(message);
    this.name = 'InspectorRequestError';
    this.errorCode = code;
  }
}

/** A redirect the org answered: refused, never followed (the request carried the admin's session). */
export type RefusedRedirect = { status: number; method: string; path: string; location: string };

export type InspectorTransport = {
  /** Every redirect answered so far, in order. */
  readonly redirects: RefusedRedirect[];
  httpRequest(req: HttpRequest): StreamPromise;
  /** Aborts whatever is still running and closes its connections (a TLS handshake too); later requests fail at once. */
  close(): void;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Where a redirect pointed, as an origin only (the rest is remote text the doctor has no use for). */
function redirectTarget(location: string | undefined, from: string): string {
  if (!location) return 'no Location';
  try {
    return new URL(location, from).origin;
  } catch {
    return 'an invalid Location';
  }
}

/** One quick retry of a GET on a gateway error or a dropped connection, as jsforce's bounded default did. */
const RETRY_PAUSE_MS = 300;
const RETRY_STATUSES = new Set([502, 503, 504]);
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET']);

function causeCode(error: unknown): string | undefined {
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** The error in the cause chain that carries this code. */
function causeWith(error: unknown, code: string): Error | undefined {
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (e.code === code) return e as Error;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** A pause before the one retry, cut short when the request is aborted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function contentTypeOf(headers: Record<string, string>): string {
  return headers['content-type'] || 'none';
}

/** jsforce would hand the raw text on as the result (then fail on it, or read garbage as an empty answer). */
function checkAnswer(url: string, res: HttpResponse): HttpResponse {
  if (res.statusCode >= 300 || res.statusCode === 204) return res;
  const path = new URL(url).pathname;
  const type = contentTypeOf(res.headers);
  if (path.startsWith('/services/Soap/')) {
    const notSoap = new InspectorRequestError('NOT_SOAP', text('orgRead.notSoap', { contentType: type }));
    let tree: XmlObject;
    try {
      tree = parseXml(res.body);
    } catch {
      throw notSoap;
    }
    const [rootName] = Object.keys(tree);
    const envelope = tree[rootName] as XmlObject;
    if (
      !/(^|:)Envelope$/.test(rootName) ||
      !envelope ||
      typeof envelope !== 'object' ||
      !Object.keys(envelope).some((k) => k.endsWith(':Body'))
    )
      throw notSoap;
    // The tree xml2js would build, handed to jsforce as JSON: it reads that far faster than the XML (inspectorXml.ts).
    return { ...res, headers: { ...res.headers, 'content-type': 'application/json' }, body: JSON.stringify(tree) };
  }
  if (path.startsWith('/services/data/') || path.startsWith('/services/oauth2/')) {
    let value: unknown;
    try {
      value = JSON.parse(res.body);
    } catch {
      throw new InspectorRequestError('NOT_JSON', text('orgRead.notJson', { contentType: type }));
    }
    if (value === null || typeof value !== 'object') {
      throw new InspectorRequestError('NOT_JSON', text('orgRead.notJsonObject', { contentType: type }));
    }
    // The body is JSON whatever the label says: let jsforce read it as such.
    if (!/^application\/json(;|$)/.test(type)) res.headers['content-type'] = 'application/json';
  }
  return res;
}

/**
 * `origin`: the admin org's own instance URL origin. The session goes nowhere else: a request for another origin is
 * refused before it is sent, and a redirect (301/302/303/307/308) is an error, never followed.
 */
export function makeInspectorTransport(options: {
  deadline: number;
  perRequestMs: number;
  now?: () => number;
  origin?: string;
}): InspectorTransport {
  const now = options.now ?? Date.now;
  const ended = new AbortController();
  // Its own connections: closing them ends a connect still in progress, which aborting the request does not.
  const connections = closableDispatcher();
  const redirects: RefusedRedirect[] = [];
  const budget = (): number => Math.max(1, Math.min(options.perRequestMs, options.deadline - now()));

  async function once(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = new URL(req.url).origin;
    if (options.origin && origin !== options.origin) {
      throw new InspectorRequestError(
        'FOREIGN_HOST',
        text('orgRead.foreignHost', { origin, adminOrigin: options.origin }),
      );
    }
    const hasBody = req.body !== undefined && !['GET', 'HEAD'].includes(method);
    const headers = { ...(req.headers ?? {}) };
    // undici computes the length itself; a stale one (jsforce's) would be refused.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-length') delete headers[name];
    const res = await fetch(req.url, {
      method,
      headers,
      body: hasBody ? req.body : undefined,
      // Never followed: a 307/308 would re-send the body (SOAP carries <sessionId>) wherever Location says.
      redirect: 'manual',
      signal,
      dispatcher: connections.dispatcher,
    });
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => (out[name.toLowerCase()] = value));
    if (REDIRECT_STATUSES.has(res.status)) {
      await res.body?.cancel().catch(() => undefined);
      const to = redirectTarget(out.location, req.url);
      redirects.push({ status: res.status, method, path: new URL(req.url).pathname, location: to });
      throw new InspectorRequestError('REDIRECT', text('orgRead.redirect', { status: res.status, location: to }));
    }
    let body: string;
    try {
      body = await res.text();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new InspectorRequestError(
        'TRUNCATED',
        text('orgRead.truncated', { reason: causeCode(error) ?? (error as Error).message }),
      );
    }
    // Remote text is made terminal-safe where it enters (safety rule 7): every record, label and error message.
    return { statusCode: res.status, headers: out, body: terminalSafeBody(body) };
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const ms = budget();
    const signal = AbortSignal.any([ended.signal, AbortSignal.timeout(ms)]);
    const idempotent = ['GET', 'HEAD'].includes((req.method ?? 'GET').toUpperCase());
    for (let attempt = 0; ; attempt++) {
      try {
        if (signal.aborted) throw signal.reason;
        // eslint-disable-next-line no-await-in-loop -- one retry at most, after the first answer
        const res = await once(req, signal);
        if (idempotent && attempt === 0 && RETRY_STATUSES.has(res.statusCode) && budget() > 1000) {
          // eslint-disable-next-line no-await-in-loop -- a retry waits for the pause
          await pause(RETRY_PAUSE_MS, signal);
          continue;
        }
        return checkAnswer(req.url, res);
      } catch (error) {
        if (error instanceof InspectorRequestError) throw error;
        if (signal.aborted) {
          throw new InspectorRequestError(
            'ETIMEDOUT',
            ended.signal.aborted
              ? text('orgRead.inspectionEnded')
              : text('orgRead.noAnswerWithin', { seconds: Math.round(ms / 1000) }),
          );
        }
        const code = causeCode(error);
        if (idempotent && attempt === 0 && code && RETRY_CODES.has(code) && budget() > 1000) {
          // eslint-disable-next-line no-await-in-loop -- a retry waits for the pause
          await pause(RETRY_PAUSE_MS, signal);
          continue;
        }
        // A connection refused by connectTo.ts (safety rule 6) says why; other codes speak for themselves.
        const why = code === 'NOT_LOOPBACK' ? causeWith(error, code)?.message : undefined;
        throw new InspectorRequestError(
          code ?? 'CONNECTION_FAILED',
          why ?? text('orgRead.requestFailed', { reason: code ?? (error as Error).message }),
        );
      }
    }
  }

  return {
    httpRequest(req: HttpRequest): StreamPromise {
      const stream = new PassThrough();
      const promise = send(req).then((res) => {
        stream.end(res.body);
        return res;
      });
      // Nobody may be reading the stream; its end (or failure) must not be an unhandled event.
      stream.on('error', () => undefined);
      promise.catch(() => stream.destroy());
      return Object.assign(promise, { stream: (): typeof stream => stream });
    },
    close(): void {
      ended.abort();
      connections.close();
    },
    redirects,
  };
}

/**
 * Puts the transport on a jsforce Connection (and so on every HttpApi and SOAP endpoint it creates from now on).
 * A stand-in connection without one (tests) is left as it is.
 */
export function useInspectorTransport(connection: object, transport: InspectorTransport): void {
  const conn = connection as { _transport?: { httpRequest?: unknown } };
  if (conn._transport && typeof conn._transport.httpRequest === 'function') conn._transport = transport;
}
