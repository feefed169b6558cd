/*
 * One HTTP(S) server on 127.0.0.1 for every host of the scenario. The virtual host is the Host header (the SNI name
 * equals it); the server clock (scenario clock offset) drives `now` and the Date header of every response.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { authorizeEndpoint } from './authorize.js';
import { Faults, MAINTENANCE_PAGE } from './faults.js';
import { json, restError, type SimRequest, type SimResponse } from './http.js';
import { defaultMutating, isLoopbackAddress, type LogEntry } from './log.js';
import { metadataEndpoint } from './metadata.js';
import { dataEndpoint, identityEndpoint, revokeEndpoint, userinfoEndpoint } from './rest.js';
import type { FaultSpec } from './scenario.js';
import type { OrgState } from './state.js';
import { secureContext, serverCertificate } from './tls.js';
import { tokenEndpoint } from './token/endpoint.js';

export type ServerOptions = {
  protocol: 'https' | 'http';
  latencyMs: number;
  faults: Faults;
  /** Tests only: each request as the handlers see it (assertions and tokens included: never log or keep it). */
  onRequest?: (req: SimRequest) => void;
};

/** The org's answer to a request, before faults: what every handler derives from the state. */
export function route(state: OrgState, req: SimRequest): SimResponse {
  const p = req.path;
  if (p === '/services/oauth2/token') return tokenEndpoint(state, req);
  if (p === '/services/oauth2/authorize') return authorizeEndpoint(state, req);
  if (p === '/services/oauth2/userinfo') return userinfoEndpoint(state, req);
  if (p === '/services/oauth2/revoke') return revokeEndpoint(state, req);
  if (p.startsWith('/id/')) return identityEndpoint(state, req);
  if (p === '/services/data' || p.startsWith('/services/data/')) return dataEndpoint(state, req);
  if (/^\/services\/Soap\/m\/\d+\.\d\/?/.test(p) && req.method === 'POST') return metadataEndpoint(state, req);
  return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/**
 * What a hostile server (or a proxy answering for the org) might put in its error text: erase the line, go up one,
 * print a fake verdict in green, an OSC 8 link, a bell, an 8-bit CSI, a CR that rewrites the line.
 */
export const TERMINAL_INJECTION =
  '\u001b[2K\u001b[1A\u001b[2K\r\u001b[32m✓ The JWT login works.\u001b[0m 0 failed\u0007' +
  '\u001b]8;;https://evil.example/\u001b\\open this\u001b]8;;\u001b\\\u009b31m\u001b]0;owned\u0007\rINJECTED';

/** terminal-injection: the fault's text appended to every error message of an answer (OAuth, REST, SOAP fault). */
function injectText(res: SimResponse, text: string): SimResponse {
  const body = res.body;
  if (res.status < 400 || !body) return res;
  if (/<faultstring>/.test(body))
    return {
      ...res,
      body: body.replace(
        /<faultstring>([\s\S]*?)<\/faultstring>/,
        (_m, t: string) => `<faultstring>${t}${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</faultstring>`,
      ),
    };
  try {
    const value = JSON.parse(body) as unknown;
    if (Array.isArray(value))
      return {
        ...res,
        body: JSON.stringify(value.map((e: { message?: string }) => ({ ...e, message: `${e.message ?? ''}${text}` }))),
      };
    const oauth = value as { error?: string; error_description?: string };
    if (typeof oauth.error === 'string')
      return {
        ...res,
        body: JSON.stringify({
          ...oauth,
          error: `${oauth.error}${text.slice(0, 12)}`,
          error_description: `${oauth.error_description ?? ''}${text}`,
        }),
      };
  } catch {
    // not JSON: an HTML page keeps its text
  }
  return res;
}

/** Turns a normal answer into the faulty one (the fault kinds that still send a complete HTTP response). */
function applyFault(fault: FaultSpec, res: SimResponse, path: string): SimResponse {
  switch (fault.kind) {
    case 'html-500':
      return { ...res, status: fault.status ?? 503, headers: { 'content-type': 'text/html' }, body: MAINTENANCE_PAGE };
    case 'malformed-json':
      return {
        ...res,
        headers: { ...res.headers, 'content-type': 'application/json;charset=UTF-8' },
        body: '{"access_token":"00D',
      };
    case 'rate-limit-429':
      return path.startsWith('/services/oauth2/')
        ? {
            ...json(429, { error: 'rate_limit_exceeded', error_description: 'Number of logins exceeded' }),
            headers: { 'content-type': 'application/json;charset=UTF-8', 'retry-after': '60' },
          }
        : {
            ...restError(429, 'REQUEST_LIMIT_EXCEEDED', 'Too many requests. Retry later.'),
            headers: { 'content-type': 'application/json;charset=UTF-8', 'retry-after': '60' },
          };
    case 'request-limit-exceeded':
      return restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    case 'wrong-content-type':
      return { ...res, headers: { ...res.headers, 'content-type': 'text/html;charset=UTF-8' } };
    case 'terminal-injection':
      return injectText(res, fault.text ?? TERMINAL_INJECTION);
    case 'token-incomplete': {
      // A 200 token answer without id and instance_url (the access token kept): what a rewriting gateway could pass on.
      if (res.status !== 200 || !path.endsWith('/oauth2/token')) return res;
      const body = JSON.parse(res.body) as Record<string, unknown>;
      delete body.id;
      delete body.instance_url;
      return { ...res, body: JSON.stringify(body) };
    }
    default:
      return res;
  }
}

/**
 * The request target as a path and query. Clients that join a base URL ending in "/" with "/services/…" send
 * `//services/…`: sf's JWT login (`${loginUrl}/services/oauth2/token` with loginUrl = URL.href) and every Connection
 * made from an auth file `sf org login access-token` stored (its instanceUrl is URL.href too). Salesforce serves such
 * a target as the single-slash one. `new URL('//services/…', base)` would read it as a network-path reference (host
 * "services"), so the target is appended to a fixed origin instead and repeated slashes are collapsed by the caller.
 */
export function requestTarget(target: string | undefined): URL {
  const raw = target && target.startsWith('/') ? target : `/${target ?? ''}`;
  return new URL(`http://sim${raw}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type RunningServer = { server: Server; port: number; close: () => Promise<void> };

export async function startServer(
  state: OrgState,
  opts: ServerOptions,
  log: LogEntry[],
  port = 0,
): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  let seq = 0;
  const hosts = [...state.allHosts, 'localhost'];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = requestTarget(req.url);
    const authority = (req.headers.host ?? '').toLowerCase();
    const host = authority.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const path = url.pathname.replace(/\/{2,}/g, '/');
    const method = (req.method ?? 'GET').toUpperCase();
    const remoteAddress = req.socket.remoteAddress ?? '';
    const entry: LogEntry = {
      seq: ++seq,
      time: new Date(state.now()).toISOString(),
      host,
      method,
      path,
      queryKeys: [...new Set(url.searchParams.keys())],
      remoteAddress,
      loopback: isLoopbackAddress(remoteAddress),
      status: 0,
      ms: 0,
      mutating: false,
    };
    const finish = (status: number, fault?: string): void => {
      entry.status = status;
      entry.ms = Date.now() - started;
      if (fault) entry.fault = fault;
      log.push(entry);
    };
    const fault = opts.faults.requestFor(host, path, method);
    if (fault?.kind === 'refuse') {
      req.socket.destroy();
      return finish(0, 'refuse');
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return finish(0, 'reset');
    }
    if (fault?.kind === 'hang') return finish(0, 'hang'); // never answered; the socket dies on stop()
    if (fault?.kind === 'redirect') {
      // Answered before the org sees the request (a proxy or a moved host would): nothing in the state changes.
      entry.mutating = false;
      res.statusCode = fault.status ?? 307;
      res.setHeader('location', fault.location ?? `https://login.salesforce.com${path}`);
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>Moved</body></html>');
      return finish(res.statusCode, 'redirect');
    }
    const latency = opts.latencyMs + (state.scenario.server?.latencyMs ?? 0);
    if (latency > 0) await sleep(latency);
    const simReq: SimRequest = {
      method,
      host,
      authority,
      path,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
      remoteAddress,
      secure: opts.protocol === 'https',
    };
    opts.onRequest?.(simReq);
    let out: SimResponse;
    try {
      out = route(state, simReq);
    } catch (e) {
      out = restError(500, 'UNKNOWN_EXCEPTION', `simulator error: ${(e as Error).message}`);
    }
    if (fault) out = applyFault(fault, out, path);
    entry.mutating = out.log?.mutating ?? defaultMutating(method, path);
    if (out.log?.bodyShape) entry.bodyShape = out.log.bodyShape;
    if (out.log?.token) entry.token = out.log.token;
    if (out.log?.soql) entry.soql = out.log.soql;
    if (out.log?.revoke) entry.revoke = out.log.revoke;
    const body = Buffer.from(out.body, 'utf8');
    res.sendDate = false;
    res.setHeader('Date', new Date(state.now()).toUTCString());
    for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
    res.setHeader('content-length', String(body.length));
    res.statusCode = out.status;
    if (fault?.kind === 'truncated-body') {
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
      return finish(out.status, 'truncated-body');
    }
    if (fault?.kind === 'slow-drip') {
      // Logged when the drip starts: a client that gives up mid-drip must still see the fault in the log.
      finish(out.status, 'slow-drip');
      res.flushHeaders();
      for (let i = 0; i < body.length && !res.destroyed; i++) {
        res.write(body.subarray(i, i + 1));
        await sleep(fault.intervalMs ?? 1000);
      }
      res.end();
      entry.ms = Date.now() - started;
      return;
    }
    res.end(body);
    finish(out.status, fault?.kind);
  };

  let server: Server;
  if (opts.protocol === 'https') {
    const normal = secureContext(hosts);
    const { certPem, keyPem } = serverCertificate(hosts);
    server = createHttpsServer(
      {
        // Used when a client sends no SNI (an IP address); named hosts go through SNICallback.
        cert: certPem,
        key: keyPem,
        SNICallback: (servername, cb) => {
          const f = opts.faults.tlsFor(servername);
          if (!f) return cb(null, normal);
          if (f.kind === 'tls-untrusted') return cb(null, secureContext([servername], { ca: 'rogue' }));
          if (f.kind === 'tls-expired') return cb(null, secureContext([servername], { expired: true }));
          return cb(null, secureContext(['wrong-name.invalid']));
        },
      },
      handler,
    );
    server.on('secureConnection', (s: TLSSocket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  } else {
    server = createHttpServer(handler);
  }
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
