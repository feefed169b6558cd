/*
 * Replays a recorded run (`sf org jwt doctor --trace FILE`): serves, for each incoming request, the answer recorded
 * for the same request, so a run against a real org becomes a reproducible case.
 *
 * Matching, tightest first, each recorded exchange used once and in its recorded order (when all that match were used,
 * the last one answers again, as for a --wait loop):
 *   1. method, host, port, path, query and body as recorded (secrets removed and ids masked the same way);
 *   2. method, host, port, path, the SOQL with its literals left out, the SOAP operation and metadata types;
 *   3. method, host, port, path.
 * A token request also matches on its assertion's aud claim at every level (sf posts several to the same host).
 * A recorded success gets a fresh fake token of the same shape (`<org id>!…`); a recorded network error is replayed
 * as one: a refused host is routed to a closed port, a reset drops the connection, a timeout never answers, a TLS
 * error serves a certificate the client refuses the same way. Nothing is checked: signatures and sessions are not
 * verified (the recorded answers already say what the org decided).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import {
  bodyText,
  cleanRequest,
  IdMasker,
  parseTrace,
  REMOVED,
  type TraceEntry,
  type TraceFile,
  type TraceRequest,
} from '../src/salesforce/traceFormat.js';
import { namedKey } from './keys.js';
import { certificateAuthority, secureContext, serverCertificate } from './tls.js';

export type ReplayOptions = {
  /** A trace file's path, its JSON text's parsed form, or a TraceFile. */
  trace: string | TraceFile;
  port?: number;
};

export type ReplayLogEntry = {
  seq: number;
  host: string;
  method: string;
  path: string;
  status: number;
  /** The recorded exchange that answered (its seq), or null when none matched (answered 404). */
  matched: number | null;
  /** 1 (exact) … 3 (method, host, path); 0: made from the recorded userinfo (the admin's User record). */
  level?: number;
};

export type Replay = {
  trace: TraceFile;
  port: number;
  /** The recorded hosts (name or address), served by this replay. */
  hosts: string[];
  readonly env: Record<string, string>;
  caFile: string;
  /** A private key file for the run's --jwt-key-file: the replay checks no signature, any RSA key works. */
  keyFile: string;
  requests: ReplayLogEntry[];
  unmatched: () => ReplayLogEntry[];
  /** The recorded admin's org id (15 characters, masked) for a stand-in session: `<org>!replay`. */
  orgId?: string;
  /** Recorded exchanges no request asked for. */
  unused: () => TraceEntry[];
  stop: () => Promise<void>;
};

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const HANG = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'AbortError',
  'UND_ERR_ABORTED',
  'ETIMEDOUT',
]);

const normalPath = (p: string): string => p.replace(/\/{2,}/g, '/');
/** SOQL without its literals: the same query about another record still matches at level 2. */
const looseSoql = (q: string): string => q.replace(/'(?:[^'\\]|\\.)*'/g, '?').replace(/\b\d[\d.:TZ+-]*\b/g, '?');

function tokenAud(req: TraceRequest): string {
  if (req.body && 'form' in req.body) return req.body.claims?.aud ?? '';
  return '';
}

function keys(req: TraceRequest): [string, string, string] {
  const base = [req.method, req.scheme, req.host, req.port ?? '', normalPath(req.path), tokenAud(req)].join(' ');
  const exact = `${base} ?${JSON.stringify(req.query)} ${bodyText(req.body)} ${JSON.stringify(req.body && 'form' in req.body ? (req.body.claims ?? {}) : {})}`;
  const loose = `${base} ?${JSON.stringify(req.query.map(([k, v]) => [k, k === 'q' ? looseSoql(v) : v]))} ${req.soap ? `${req.soap.operation}:${req.soap.types.join(',')}` : ''}`;
  return [exact, loose, base];
}

function fakeToken(orgId15: string): string {
  return `${orgId15}!AQ${randomBytes(72).toString('base64url').replace(/[-_]/g, 'x')}`;
}

function orgIdOf(json: Record<string, unknown>): string {
  const fromId = /\/id\/([A-Za-z0-9]{15})/.exec(String(json.id ?? ''))?.[1];
  return fromId ?? '00DXX0MASK00001';
}

/** A recorded answer's body, with fresh fake tokens where the originals were removed. */
function answerBody(entry: TraceEntry): string {
  const body = entry.response?.body;
  if (!body) return '';
  if ('json' in body && body.json && typeof body.json === 'object' && !Array.isArray(body.json)) {
    const json = { ...(body.json as Record<string, unknown>) };
    const org = orgIdOf(json);
    if (json.access_token === REMOVED) json.access_token = fakeToken(org);
    if (json.refresh_token === REMOVED)
      json.refresh_token = `5Aep861${randomBytes(40).toString('base64url').replace(/[-_]/g, 'x')}`;
    if (json.signature === REMOVED) json.signature = randomBytes(32).toString('base64');
    return JSON.stringify(json);
  }
  const text = bodyText(body);
  return 'text' in body
    ? text.replace(
        /<((?:[\w-]+:)?sessionId)>\[removed\]<\/\1>/g,
        (_m, tag: string) => `<${tag}>${fakeToken('00DXX0MASK00001')}</${tag}>`,
      )
    : text;
}

function readTrace(trace: string | TraceFile): TraceFile {
  return typeof trace === 'string' ? parseTrace(readFileSync(trace, 'utf8')) : trace;
}

async function listen(server: Server | ReturnType<typeof createNetServer>, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as { port: number }).port;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startReplay(options: ReplayOptions): Promise<Replay> {
  const trace = readTrace(options.trace);
  const entries = [...trace.entries].sort((a, b) => a.seq - b.seq);
  const index = entries.map((e) => ({ entry: e, keys: keys(e.request), used: false }));
  const requests: ReplayLogEntry[] = [];
  const sockets = new Set<Socket>();
  const masker = new IdMasker();

  const find = (incoming: TraceRequest): { entry: TraceEntry; level: number } | undefined => {
    const wanted = keys(incoming);
    for (let level = 0; level < 3; level++) {
      const candidates = index.filter((i) => i.keys[level] === wanted[level]);
      if (candidates.length === 0) continue;
      const pick = candidates.find((c) => !c.used) ?? candidates[candidates.length - 1];
      pick.used = true;
      return { entry: pick.entry, level: level + 1 };
    }
    return undefined;
  };

  /** The admin's User record, made from the recorded userinfo answer (sf's access-token login reads it). */
  const userRecord = (incoming: TraceRequest): string | undefined => {
    const id = /^\/services\/data\/v\d+\.\d\/sobjects\/User\/([A-Za-z0-9]{15,18})$/.exec(
      normalPath(incoming.path),
    )?.[1];
    if (incoming.method !== 'GET' || !id) return undefined;
    for (const e of entries) {
      const info =
        e.response?.body && 'json' in e.response.body ? (e.response.body.json as Record<string, unknown>) : undefined;
      if (!/\/services\/oauth2\/userinfo$/.test(e.request.path) || !info || typeof info.user_id !== 'string') continue;
      if (info.user_id.slice(0, 15) !== id.slice(0, 15)) continue;
      return JSON.stringify({
        attributes: { type: 'User', url: incoming.path },
        Id: info.user_id,
        Username: info.preferred_username,
        Email: info.email,
        Name: info.name,
      });
    }
    return undefined;
  };

  /** The API versions (GET /services/data), up to the one the recorded run used: sf's login asks to store it. */
  const apiVersions = (incoming: TraceRequest): string | undefined => {
    if (incoming.method !== 'GET' || normalPath(incoming.path).replace(/\/$/, '') !== '/services/data')
      return undefined;
    const used = entries.map((e) =>
      Number(/^\/services\/(?:data\/v|Soap\/m\/)(\d+)\.0/.exec(normalPath(e.request.path))?.[1] ?? 0),
    );
    const max = Math.max(0, ...used);
    if (!max) return undefined;
    return JSON.stringify(
      Array.from({ length: max - 30 }, (_, i) => ({
        label: `v${31 + i}.0`,
        url: `/services/data/v${31 + i}.0`,
        version: `${31 + i}.0`,
      })),
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, scheme: 'https' | 'http'): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const authority = (req.headers.host ?? '127.0.0.1').toLowerCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const incoming = cleanRequest(
      {
        method: req.method ?? 'GET',
        origin: `${scheme}://${authority}`,
        path: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks),
      },
      masker,
    );
    // The port the client asked for is in the Host header only when it is not the default one, as recorded.
    const found = find(incoming);
    const log: ReplayLogEntry = {
      seq: requests.length + 1,
      host: incoming.host,
      method: incoming.method,
      path: incoming.path,
      status: 0,
      matched: found?.entry.seq ?? null,
      ...(found ? { level: found.level } : {}),
    };
    requests.push(log);
    const made = found ? undefined : (userRecord(incoming) ?? apiVersions(incoming));
    if (made) {
      // Not part of the recorded run: what `sf org login access-token` asks to store the admin connection.
      log.status = 200;
      log.level = 0;
      res.writeHead(200, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(made),
      });
      res.end(made);
      return;
    }
    if (!found) {
      log.status = 404;
      const body = JSON.stringify([
        { errorCode: 'NOT_FOUND', message: 'The replayed trace holds no answer to this request' },
      ]);
      res.writeHead(404, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const { entry } = found;
    const response = entry.response;
    if (!response) {
      const code = entry.error?.code ?? '';
      if (HANG.has(code)) return; // never answered: the client gives up as it did
      req.socket.destroy();
      return;
    }
    const body = Buffer.from(answerBody(entry), 'utf8');
    res.sendDate = false;
    const offset = response.dateOffsetSeconds ?? 0;
    // The recorded Date had whole seconds: half a second keeps the replayed offset centred on the recorded one.
    res.setHeader('date', new Date(Date.now() + offset * 1000 + 500).toUTCString());
    for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
    res.setHeader('content-length', String(body.length));
    res.statusCode = response.status;
    log.status = response.status;
    if (entry.error || response.truncated) {
      // The answer stopped half-way, as recorded.
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      await sleep(20);
      req.socket.destroy();
      return;
    }
    res.end(body);
  };

  // Hosts and the TLS errors to reproduce per host.
  const endpoints = new Map<string, { host: string; port: number; scheme: 'https' | 'http'; entries: TraceEntry[] }>();
  for (const e of entries) {
    const port = e.request.port ?? (e.request.scheme === 'http' ? 80 : 443);
    const id = `${e.request.scheme}://${e.request.host}:${port}`;
    const ep = endpoints.get(id) ?? { host: e.request.host, port, scheme: e.request.scheme, entries: [] };
    ep.entries.push(e);
    endpoints.set(id, ep);
  }
  const allFail = (list: TraceEntry[], codes: (c: string) => boolean): boolean =>
    list.length > 0 && list.every((e) => !e.response && e.error && codes(e.error.code));
  const hosts = [...new Set([...endpoints.values()].map((e) => e.host))];
  const tlsFault = new Map<string, 'rogue' | 'expired' | 'wrong-name'>();
  for (const ep of endpoints.values()) {
    if (allFail(ep.entries, (c) => TLS_UNTRUSTED.has(c))) tlsFault.set(ep.host, 'rogue');
    else if (allFail(ep.entries, (c) => c === 'CERT_HAS_EXPIRED')) tlsFault.set(ep.host, 'expired');
    else if (allFail(ep.entries, (c) => c === 'ERR_TLS_CERT_ALTNAME_INVALID')) tlsFault.set(ep.host, 'wrong-name');
  }

  const names = hosts.filter((h) => !/^[\d.]+$|:/.test(h));
  const { certPem, keyPem } = serverCertificate([...names, 'localhost']);
  const normal = secureContext([...names, 'localhost']);
  const https = createHttpsServer(
    {
      cert: certPem,
      key: keyPem,
      SNICallback: (servername, cb) => {
        const fault = tlsFault.get(servername.toLowerCase());
        if (fault === 'rogue') return cb(null, secureContext([servername], { ca: 'rogue' }));
        if (fault === 'expired') return cb(null, secureContext([servername], { expired: true }));
        if (fault === 'wrong-name') return cb(null, secureContext(['wrong-name.invalid']));
        return cb(null, normal);
      },
    },
    (req, res) => void handle(req, res, 'https'),
  );
  const http = createHttpServer((req, res) => void handle(req, res, 'http'));
  const dead = createNetServer((s) => s.destroy());
  for (const server of [https, http]) {
    server.keepAliveTimeout = 5000;
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }
  https.on('secureConnection', (s: TLSSocket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const httpsPort = await listen(https, options.port ?? 0);
  const httpPort = await listen(http, 0);
  // A port nothing listens on: bind, note, close.
  const deadPort = await listen(dead, 0);
  await new Promise<void>((r) => dead.close(() => r()));

  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-replay-'));
  const caFile = join(dir, 'simulator-ca.pem');
  writeFileSync(caFile, certificateAuthority('trusted').certPem);
  const keyFile = join(dir, 'replay.key');
  writeFileSync(keyFile, namedKey('replay').privateKeyPem, { mode: 0o600 });

  const routes: string[] = [];
  for (const ep of endpoints.values()) {
    if (ep.host.includes(':')) continue; // SF_JWT_DOCTOR_CONNECT_TO routes names and IPv4 addresses
    const refused = allFail(ep.entries, (c) => REFUSED.has(c));
    const target = refused ? deadPort : ep.scheme === 'http' ? httpPort : httpsPort;
    routes.push(`${ep.host}:${ep.port}:127.0.0.1:${target}`);
  }

  const userinfo = entries
    .map((e) =>
      e.response?.body && 'json' in e.response.body ? (e.response.body.json as Record<string, unknown>) : undefined,
    )
    .find((j) => typeof j?.organization_id === 'string');
  return {
    trace,
    orgId: userinfo ? String(userinfo.organization_id).slice(0, 15) : undefined,
    port: httpsPort,
    hosts,
    get env() {
      return { SF_JWT_DOCTOR_CONNECT_TO: routes.join(','), NODE_EXTRA_CA_CERTS: caFile };
    },
    caFile,
    keyFile,
    requests,
    unmatched: () => requests.filter((r) => r.matched === null && r.level !== 0),
    unused: () => index.filter((i) => !i.used).map((i) => i.entry),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([https, http].map((s) => new Promise<void>((r) => s.close(() => r()))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
