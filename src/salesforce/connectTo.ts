/*
 * SF_JWT_DOCTOR_CONNECT_TO: curl's --connect-to for every request the plugin makes.
 *
 * `HOST:PORT:TARGET_HOST:TARGET_PORT[,…]` — a request for HOST:PORT is connected to TARGET_HOST:TARGET_PORT (loopback
 * only), while TLS still verifies the certificate against HOST. It lets tests and the demo use real Salesforce host
 * names against the simulated org without DNS and without a packet leaving the machine.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { createRequire } from 'node:module';
import { Agent, buildConnector, setGlobalDispatcher, type Dispatcher } from 'undici';
import { traceInterceptor } from './traceCapture.js';
import { isSalesforceHostname } from '../knowledge/instanceUrl.js';
import { text } from '../doctor/text.js';

export const CONNECT_TO_ENV = 'SF_JWT_DOCTOR_CONNECT_TO';

export type ConnectToRule = { host: string; port: number; targetHost: string; targetPort: number };

export class ConnectToError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ConnectToError';
  }
}

/**
 * An address (not a name) on this machine: 127.0.0.0/8, ::1, and IPv4-mapped 127.x. Safety rule 6: a credential goes
 * over plain http, or to a host that is not a Salesforce domain, only when the connection lands on one of these.
 */
export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) !== 6) return false;
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^(?:0:0:0:0:0:|::)ffff:(.+)$/.exec(a)?.[1];
  if (!mapped) return false;
  if (isIP(mapped) === 4) return mapped.startsWith('127.');
  return /^7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(mapped);
}

/** A connection refused before it was made: it would have left loopback where only loopback is allowed. */
export class NotLoopbackError extends Error {
  public readonly code = 'NOT_LOOPBACK';
  public constructor(message: string) {
    super(message);
    this.name = 'NotLoopbackError';
  }
}

/** Resolves a host name to its addresses (every one, as the OS would try them). */
export type HostLookup = (hostname: string) => Promise<string[]>;

const systemLookup: HostLookup = async (hostname) => (await dnsLookup(hostname, { all: true })).map((r) => r.address);
/** Process-wide, so every copy of this module (a test's and the command's) sees the same one. */
const LOOKUP_SLOT = Symbol.for('sf-jwt-doctor.connectTo.hostLookup');
const slot = globalThis as { [LOOKUP_SLOT]?: HostLookup };
const hostLookup: HostLookup = (hostname) => (slot[LOOKUP_SLOT] ?? systemLookup)(hostname);

/**
 * Tests only: answers the name lookups of connections that must land on loopback (a name mapped to a TEST-NET address
 * proves a refusal without a packet leaving the machine). Without an argument, the system's resolver again.
 */
export function setHostLookup(lookup?: HostLookup): void {
  if (lookup) slot[LOOKUP_SLOT] = lookup;
  else delete slot[LOOKUP_SLOT];
}

/** Why a connection may only land on loopback: plain http, or a name that is not Salesforce's (`*.localhost`). */
function loopbackOnly(protocol: string, hostname: string): 'http' | 'name' | undefined {
  if (protocol === 'http:') return 'http';
  const h = hostname.replace(/^\[|\]$/g, '');
  return isSalesforceHostname(h) ? undefined : 'name';
}

/** The loopback address to connect to for `host`, resolved once (the address checked is the address connected to). */
async function loopbackAddressOf(host: string, why: 'http' | 'name', shown: string): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [bare] : await hostLookup(bare);
  const outside = addresses.filter((a) => !isLoopbackAddress(a));
  if (addresses.length > 0 && outside.length === 0) return addresses[0];
  const reason = why === 'http' ? text('connectTo.plainHttp') : text('connectTo.notSalesforce', { host: shown });
  throw new NotLoopbackError(
    text('connectTo.refused', {
      host: shown,
      addresses: outside.join(', ') || text('connectTo.noAddress'),
      reason,
    }),
  );
}

/** True for 127.0.0.0/8, ::1 and `localhost`: the only targets a route may point at. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

function parsePort(raw: string, entry: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    throw new ConnectToError(text('connectTo.invalidPort', { variable: CONNECT_TO_ENV, entry, port: raw }));
  }
  return port;
}

/** Parses the variable; throws ConnectToError with a specific message for a malformed or non-loopback entry. */
export function parseConnectTo(value: string | undefined): ConnectToRule[] {
  if (!value?.trim()) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      // IPv6 targets may be bracketed: host:443:[::1]:8443
      const match = /^([^:\s]+):(\d+):(\[[^\]]+\]|[^:\s]+):(\d+)$/.exec(entry);
      if (!match) throw new ConnectToError(text('connectTo.malformed', { variable: CONNECT_TO_ENV, entry }));
      const [, host, port, targetHost, targetPort] = match;
      const target = targetHost.replace(/^\[|\]$/g, '');
      if (!isLoopback(target)) {
        throw new ConnectToError(text('connectTo.notLoopback', { variable: CONNECT_TO_ENV, entry, target }));
      }
      return {
        host: host.toLowerCase(),
        port: parsePort(port, entry),
        targetHost: target,
        targetPort: parsePort(targetPort, entry),
      };
    });
}

let rules: ConnectToRule[] = [];
let dispatcher: Dispatcher | undefined;

/** The rule that routes host:port, if any (the doctor's DNS check reports such hosts as routed). */
export function routeFor(host: string, port: number): ConnectToRule | undefined {
  const h = host.toLowerCase();
  return rules.find((r) => r.host === h && r.port === port);
}

export function isRouted(host: string): boolean {
  const h = host.toLowerCase();
  return rules.some((r) => r.host === h);
}

/**
 * NODE_EXTRA_CA_CERTS is read by Node only at start-up; honour it here too so an in-process caller can set it later.
 * One secure context for the process: building one per connection (what a `ca` option does) costs milliseconds of CPU
 * each, which adds up when the inspector opens a hundred connections to a large org.
 */
function trustedContext(env: NodeJS.ProcessEnv): SecureContext | undefined {
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (!extra) return undefined;
  try {
    return createSecureContext({ ca: [...rootCertificates, readFileSync(extra, 'utf8')] });
  } catch {
    return undefined;
  }
}

/**
 * Builds the dispatcher every request goes through: jsforce's (hence @salesforce/core's Connection and OAuth2),
 * undici's global one, and the probe's own. Safe to call more than once; the latest environment wins.
 */
export function installConnectTo(env: NodeJS.ProcessEnv = process.env): ConnectToRule[] {
  rules = parseConnectTo(env[CONNECT_TO_ENV]);
  const secureContext = trustedContext(env);
  connector = buildConnector({ ...(secureContext ? { secureContext } : {}), allowH2: false, timeout: 10_000 });
  // --trace records here: the one place every request passes (a pass-through while no trace is being written).
  dispatcher = makeAgent(connector).compose(traceInterceptor);
  setGlobalDispatcher(dispatcher);
  setJsforceDispatcher(dispatcher);
  return rules;
}

type Connector = ReturnType<typeof buildConnector>;
let connector: Connector | undefined;

/** An agent with the routes and loopback rules above; `opened` sees every socket it starts (mid-handshake too). */
function makeAgent(connect: Connector, opened?: (socket: Socket) => void): Agent {
  const connectVia: Connector = (opts, callback) => {
    // undici's connector returns the socket it starts (its type says void).
    const socket = connect(opts, callback) as unknown as Socket | undefined;
    if (socket) opened?.(socket);
  };
  return new Agent({
    connect: (opts, callback) => {
      const port = Number(opts.port) || (opts.protocol === 'http:' ? 80 : 443);
      const rule = routeFor(opts.hostname, port);
      const why = loopbackOnly(opts.protocol, opts.hostname);
      if (!rule && !why) {
        connectVia(opts, callback);
        return;
      }
      // Plain http, a name that is not Salesforce's, or a route: resolve first, connect only to a loopback address,
      // and check the socket's peer once connected (the name is never trusted to mean loopback).
      const target = rule
        ? { host: rule.targetHost, port: String(rule.targetPort) }
        : { host: opts.hostname, port: opts.port };
      const shown = `${opts.hostname}${rule ? ` (routed to ${rule.targetHost})` : ''}`;
      const name = opts.hostname.replace(/^\[|\]$/g, '');
      // TLS still checks the certificate against the name asked for (an IP address is sent no SNI).
      const servername = opts.servername || (isIP(name) ? undefined : name);
      loopbackAddressOf(target.host, why ?? 'name', shown).then(
        (address) =>
          connectVia(
            { ...opts, hostname: address, port: target.port, ...(servername ? { servername } : {}) },
            (error, socket) => {
              if (error || !socket) return callback(error ?? new Error('no socket'), null);
              const peer = socket.remoteAddress ?? '';
              if (isLoopbackAddress(peer)) return callback(null, socket);
              socket.destroy();
              callback(
                new NotLoopbackError(
                  text('connectTo.reachedOther', { host: shown, peer: peer || text('connectTo.unknownAddress') }),
                ),
                null,
              );
            },
          ),
        (error: Error) => callback(error, null),
      );
    },
  });
}

/** A dispatcher that can be closed: see closableDispatcher. */
export type ClosableDispatcher = { dispatcher: Dispatcher; close(): void };

/**
 * A dispatcher of one piece of work's own (the token probe, an org inspection), with the same routes, loopback rules
 * and --trace recording as the shared one. close() ends it at once: requests still waiting for a connection fail, and
 * every socket it opened is destroyed, one still in its TLS handshake too. (An aborted request does not end a connect
 * in progress: undici waits for it, up to the connect timeout, and then connects again for each request that was
 * queued behind it, so a host that accepts TCP and never completes TLS would hold the run, or the process, for minutes.)
 */
export function closableDispatcher(): ClosableDispatcher {
  getDispatcher();
  const sockets = new Set<Socket>();
  let closed = false;
  const agent = makeAgent(connector as Connector, (socket) => {
    if (closed) socket.destroy(new Error(text('connectTo.closed')));
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    dispatcher: agent.compose(traceInterceptor),
    close(): void {
      if (closed) return;
      closed = true;
      agent.destroy().catch(() => undefined);
      for (const socket of sockets) socket.destroy(new Error(text('connectTo.closed')));
      sockets.clear();
    },
  };
}

/** The dispatcher for the plugin's own requests (installs the default one on first use). */
export function getDispatcher(): Dispatcher {
  if (!dispatcher) installConnectTo();
  return dispatcher as Dispatcher;
}

function setJsforceDispatcher(d: Dispatcher): void {
  // jsforce keeps its own undici Agent and ignores the global one; it exports a setter for exactly this.
  const require = createRequire(import.meta.url);
  const request = require('@jsforce/jsforce-node/lib/request') as { setDispatcher?: (d?: Dispatcher) => void };
  request.setDispatcher?.(d);
}
