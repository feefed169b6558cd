/*
 * The recording side of --trace: an undici interceptor on the one dispatcher every request of the plugin goes through
 * (connectTo.ts: the token probe, the inspector's transport, jsforce and so @salesforce/core). While a sink is set it
 * hands each exchange (request line, headers, body, answer, timing) to the sink, which removes the secrets at once
 * (trace.ts). Without a sink it is a pass-through: nothing is kept, nothing is written.
 */
import type { Dispatcher } from 'undici';
import { asText } from '../knowledge/values.js';

export type RawExchange = {
  method: string;
  /** `https://host[:port]` */
  origin: string;
  /** Path and query, as sent. */
  path: string;
  requestHeaders: Record<string, string>;
  requestBody?: Buffer;
  /** Date.now() when the request was handed to the dispatcher. */
  startedAt: number;
  ms: number;
  status?: number;
  responseHeaders?: Record<string, string>;
  /** The answer's bytes as they came off the wire (possibly compressed: see content-encoding). */
  responseBody?: Buffer;
  truncated?: boolean;
  /** Set when no complete answer arrived: refused, reset, TLS, timeout, aborted. */
  error?: { code: string; message: string };
};

export type TraceSink = (exchange: RawExchange) => void;

/** No single body is kept beyond this (a huge answer is marked truncated). */
export const MAX_CAPTURED_BYTES = 16 * 1024 * 1024;

let sink: TraceSink | undefined;

/** Starts (a function) or stops (undefined) recording. */
export function setTraceSink(next: TraceSink | undefined): void {
  sink = next;
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: unknown, value: unknown): void => {
    if (name === undefined || name === null || value === undefined || value === null) return;
    const key = asText(name).toLowerCase();
    const text = Array.isArray(value)
      ? value.map(asText).join(', ')
      : Buffer.isBuffer(value)
        ? value.toString('latin1')
        : asText(value);
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  };
  if (!headers || typeof headers !== 'object') return out;
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) for (const [k, v] of headers as unknown[][]) add(k, v);
    else for (let i = 0; i + 1 < headers.length; i += 2) add(headers[i], headers[i + 1]);
    return out;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of headers as Iterable<unknown>) if (Array.isArray(pair)) add(pair[0], pair[1]);
    return out;
  }
  for (const [k, v] of Object.entries(headers)) add(k, v);
  return out;
}

type Collected = { chunks: Buffer[]; size: number; truncated: boolean };

function collect(into: Collected, chunk: unknown): void {
  const buf = Buffer.isBuffer(chunk)
    ? chunk
    : typeof chunk === 'string'
      ? Buffer.from(chunk)
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : undefined;
  if (!buf) return;
  if (into.size + buf.length > MAX_CAPTURED_BYTES) {
    into.truncated = true;
    return;
  }
  into.chunks.push(buf);
  into.size += buf.length;
}

/** The request body as sent, copied on its way out (a string or bytes at once, a stream chunk by chunk). */
function tapBody(body: unknown, into: Collected): unknown {
  if (body === undefined || body === null) return body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    collect(into, body);
    return body;
  }
  const iterable = body as AsyncIterable<unknown>;
  if (typeof iterable[Symbol.asyncIterator] === 'function') {
    return (async function* tapped(): AsyncGenerator<unknown> {
      for await (const chunk of iterable) {
        collect(into, chunk);
        yield chunk;
      }
    })();
  }
  return body;
}

function errorOf(error: unknown): { code: string; message: string } {
  const e = error as
    { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    code: text(e?.cause?.code) ?? text(e?.code) ?? text(e?.name) ?? 'ERROR',
    message: text(e?.cause?.message) ?? text(e?.message) ?? String(error),
  };
}

/** Forwards every callback to the caller's handler and keeps a copy of the answer. */
class TapHandler implements Dispatcher.DispatchHandler {
  private readonly body: Collected = { chunks: [], size: 0, truncated: false };
  private done = false;

  public constructor(
    private readonly handler: Dispatcher.DispatchHandler,
    private readonly exchange: RawExchange,
    private readonly requestBody: Collected,
    private readonly deliver: TraceSink,
  ) {}

  public onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  public onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.handler.onRequestUpgrade?.(...args);
  }

  public onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode >= 200) {
      this.exchange.status = statusCode;
      this.exchange.responseHeaders = headerRecord(headers);
    }
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  public onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    collect(this.body, chunk);
    this.handler.onResponseData?.(controller, chunk);
  }

  public onResponseEnd(
    controller: Dispatcher.DispatchController,
    trailers: Record<string, string | string[] | undefined>,
  ): void {
    this.finish();
    this.handler.onResponseEnd?.(controller, trailers);
  }

  public onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.finish(error);
    this.handler.onResponseError?.(controller, error);
  }

  private finish(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    const ex = this.exchange;
    ex.ms = Date.now() - ex.startedAt;
    if (this.requestBody.size > 0) ex.requestBody = Buffer.concat(this.requestBody.chunks);
    if (ex.status !== undefined) ex.responseBody = Buffer.concat(this.body.chunks);
    if (this.body.truncated || this.requestBody.truncated) ex.truncated = true;
    if (error !== undefined) ex.error = errorOf(error);
    try {
      this.deliver(ex);
    } catch {
      // A trace that cannot take an entry must never break the request it describes.
    }
  }
}

/** The interceptor connectTo.ts composes onto its Agent. */
export const traceInterceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) =>
  function traced(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const deliver = sink;
    if (!deliver) return dispatch(opts, handler);
    const origin = typeof opts.origin === 'string' ? opts.origin : (opts.origin?.origin ?? '');
    const requestBody: Collected = { chunks: [], size: 0, truncated: false };
    const exchange: RawExchange = {
      method: (opts.method ?? 'GET').toUpperCase(),
      origin: origin.replace(/\/$/, ''),
      path: opts.path,
      requestHeaders: headerRecord(opts.headers),
      startedAt: Date.now(),
      ms: 0,
    };
    const body = tapBody(opts.body, requestBody);
    return dispatch(
      { ...opts, body: body as Dispatcher.DispatchOptions['body'] },
      new TapHandler(handler, exchange, requestBody, deliver),
    );
  };
