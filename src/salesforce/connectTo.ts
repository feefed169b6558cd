/*
 * SF_JWT_DOCTOR_CONNECT_TO: curl's --connect-to for every request the plugin makes.
 *
 * `HOST:PORT:TARGET_HOST:TARGET_PORT[,…]` — a request for HOST:PORT is connected to TARGET_HOST:TARGET_PORT (loopback
 * only), while TLS still verifies the certificate against HOST. It lets tests and the demo use real Salesforce host
 * names against the simulated org without DNS and without a packet leaving the machine.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { createRequire } from 'node:module';
import { Agent, buildConnector, setGlobalDispatcher, type Dispatcher } from 'undici';
import { traceInterceptor } from './traceCapture.js';

export const CONNECT_TO_ENV = 'SF_JWT_DOCTOR_CONNECT_TO';

export type ConnectToRule = { host: string; port: number; targetHost: string; targetPort: number };

export class ConnectToError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ConnectToError';
  }
}

/** True for 127.0.0.0/8, ::1 and `localhost`: the only targets a route may point at. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

function parsePort(text: string, entry: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) {
    throw new ConnectToError(`${CONNECT_TO_ENV}: "${entry}" has an invalid port "${text}".`);
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
      if (!match) throw new ConnectToError(`${CONNECT_TO_ENV}: "${entry}" is not HOST:PORT:TARGET_HOST:TARGET_PORT.`);
      const [, host, port, targetHost, targetPort] = match;
      const target = targetHost.replace(/^\[|\]$/g, '');
      if (!isLoopback(target)) {
        throw new ConnectToError(
          `${CONNECT_TO_ENV}: "${entry}" routes to ${target}, which is not a loopback address. Only 127.0.0.0/8, ::1 and localhost are allowed.`
        );
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
  const connector = buildConnector({ ...(secureContext ? { secureContext } : {}), allowH2: false, timeout: 10_000 } as buildConnector.BuildOptions);
  const agent = new Agent({
    connect: (opts, callback) => {
      const port = Number(opts.port) || (opts.protocol === 'http:' ? 80 : 443);
      const rule = routeFor(opts.hostname, port);
      if (!rule) {
        connector(opts, callback);
        return;
      }
      connector(
        { ...opts, hostname: rule.targetHost, port: String(rule.targetPort), servername: opts.servername ?? opts.hostname },
        callback
      );
    },
  });
  // --trace records here: the one place every request passes (a pass-through while no trace is being written).
  dispatcher = agent.compose(traceInterceptor);
  setGlobalDispatcher(dispatcher);
  setJsforceDispatcher(dispatcher);
  return rules;
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
