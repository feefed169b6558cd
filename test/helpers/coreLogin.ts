/*
 * @salesforce/core's own JWT login (AuthInfo.create with oauth2Options), run in this process against the simulated
 * org with a temporary HOME, routed like the plugin, and then its first use of the org: a Connection made from that
 * login running the Organization query core's determineOrg runs (whose errors core swallows during the login).
 * "sf can log in and use the org" = both work. Returns that, and the token posts the login made, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '../../simulator/index.js';
import { installConnectTo } from '../../src/salesforce/connectTo.js';
import { exclusive } from './cli.js';

export type CoreLogin = {
  /** sf can log in and use the org. */
  ok: boolean;
  /** The login's error, or the first API call's. */
  message?: string;
  posts: string[];
  /** AuthInfo.create worked (the login alone). */
  loginOk: boolean;
};

/** What a scenario says sf gets: it can log in (expect.sfLogin) and use the org (expect.sfUse, default success). */
export function sfCanUseOrg(e: { sfLogin?: string; sfUse?: string } | undefined): boolean {
  return e?.sfLogin === 'success' && (e.sfUse ?? 'success') === 'success';
}

/** The query core's determineOrg runs right after a login: the first call whose answer sf keeps. */
export const FIRST_USE_QUERY =
  'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization';

type CoreLoginInput = {
  username: string;
  clientId: string;
  keyFile: string;
  loginUrl?: string;
  /** SF_AUDIENCE_URL */ audienceUrl?: string;
};

/** In turn with the in-process doctor runs (cli.ts `exclusive`): it sets HOME, the environment and the routing. */
export function coreLogin(sim: Simulator, login: CoreLoginInput): Promise<CoreLogin> {
  return exclusive(() => coreLoginNow(sim, login));
}

async function coreLoginNow(sim: Simulator, login: CoreLoginInput): Promise<CoreLogin> {
  const saved = { ...process.env };
  const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-core-'));
  // Core resolves instance_url by DNS after a grant (polling up to 240 s); routed hosts must never reach DNS.
  Object.assign(process.env, sim.env, {
    HOME: home,
    SF_DISABLE_DNS_CHECK: 'true',
    SF_DOMAIN_RETRY: '0',
    SF_DISABLE_LOG_FILE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  });
  if (login.audienceUrl) process.env.SF_AUDIENCE_URL = login.audienceUrl;
  else delete process.env.SF_AUDIENCE_URL;
  sim.clearLog();
  let result: Omit<CoreLogin, 'posts'> = { ok: true, loginOk: true };
  let posts: string[] = [];
  try {
    installConnectTo(process.env);
    const core = await import('@salesforce/core');
    let authInfo: InstanceType<typeof core.AuthInfo> | undefined;
    try {
      authInfo = await core.AuthInfo.create({
        username: login.username,
        oauth2Options: { clientId: login.clientId, privateKeyFile: login.keyFile, loginUrl: login.loginUrl },
      });
    } catch (error) {
      result = { ok: false, loginOk: false, message: (error as Error).message };
    }
    posts = tokenPosts(sim);
    if (authInfo) {
      try {
        const conn = await core.Connection.create({ authInfo });
        await conn.singleRecordQuery(FIRST_USE_QUERY);
      } catch (error) {
        result = { ok: false, loginOk: true, message: (error as Error).message };
      }
    }
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    rmSync(home, { recursive: true, force: true });
  }
  return { ...result, posts };
}

function tokenPosts(sim: Simulator): string[] {
  return sim.requests
    .filter((r) => r.path.endsWith('/services/oauth2/token'))
    .sort((a, b) => a.seq - b.seq)
    .map((r) => `${r.host} ${String((r as { token?: { aud?: unknown } }).token?.aud ?? '')}`);
}
