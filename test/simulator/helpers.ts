/* Shared test helpers: start a scenario, route every host to it, make assertions like a plain client would. */
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fetch } from 'undici';
import { installConnectTo } from '../../src/salesforce/connectTo.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Starts a simulator and routes this process's requests (undici + jsforce) to it. */
export async function routedSimulator(options: SimulatorOptions): Promise<Simulator> {
  const sim = await startSimulator(options);
  installConnectTo({ ...process.env, ...sim.env });
  return sim;
}

export function b64url(v: unknown): string {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

/** Signs claims with RS256 (or a given header) using a PEM key file. */
export function signJwt(
  claims: Record<string, unknown>,
  keyFile: string,
  header: Record<string, unknown> = { alg: 'RS256' },
): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const sig = createSign('RSA-SHA256').update(input).sign(readFileSync(keyFile, 'utf8'));
  return `${input}.${sig.toString('base64url')}`;
}

export type TokenResult = { status: number; body: Record<string, string>; headers: Headers };

export async function postToken(
  host: string,
  form: Record<string, string>,
  init: { contentType?: string; protocol?: string } = {},
): Promise<TokenResult> {
  const res = await fetch(`${init.protocol ?? 'https'}://${host}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' },
    body: init.contentType?.includes('json') ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  let body: Record<string, string>;
  try {
    body = JSON.parse(text) as Record<string, string>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body, headers: res.headers as unknown as Headers };
}

/** A JWT bearer request as a standard client makes it: exp in seconds from now. */
export async function jwtLogin(
  sim: Simulator,
  opts: {
    host?: string;
    iss?: string;
    sub?: string;
    aud?: string;
    key?: string;
    expSeconds?: number;
    extra?: Record<string, unknown>;
  } = {},
): Promise<TokenResult> {
  const login = sim.login;
  const host = opts.host ?? new URL(login?.instanceUrl ?? sim.url()).hostname;
  const realmAud = sim.state.isSandboxRealm ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
  const claims = {
    iss: opts.iss ?? login?.clientId,
    sub: opts.sub ?? login?.username,
    aud: opts.aud ?? login?.audienceUrl ?? realmAud,
    exp: Math.floor(Date.now() / 1000) + (opts.expSeconds ?? 300),
    ...opts.extra,
  };
  const keyFile = opts.key ? sim.keyFile(opts.key) : (login?.keyFile as string);
  return postToken(host, { grant_type: JWT_GRANT, assertion: signJwt(claims, keyFile) });
}
