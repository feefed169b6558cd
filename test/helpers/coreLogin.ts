/*
 * @salesforce/core's own JWT login (AuthInfo.create with oauth2Options), run in this process against the simulated
 * org with a temporary HOME, routed like the plugin; returns whether it worked and the token posts it made, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '../../simulator/index.js';
import { installConnectTo } from '../../src/salesforce/connectTo.js';
import { exclusive } from './cli.js';

export type CoreLogin = { ok: boolean; message?: string; posts: string[] };

type CoreLoginInput = { username: string; clientId: string; keyFile: string; loginUrl?: string; /** SF_AUDIENCE_URL */ audienceUrl?: string };

/** In turn with the in-process doctor runs (cli.ts `exclusive`): it sets HOME, the environment and the routing. */
export function coreLogin(sim: Simulator, login: CoreLoginInput): Promise<CoreLogin> {
  return exclusive(() => coreLoginNow(sim, login));
}

async function coreLoginNow(sim: Simulator, login: CoreLoginInput): Promise<CoreLogin> {
  const saved = { ...process.env };
  const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-core-'));
  // Core resolves instance_url by DNS after a grant (polling up to 240 s); routed hosts must never reach DNS.
  Object.assign(process.env, sim.env, { HOME: home, SF_DISABLE_DNS_CHECK: 'true', SF_DOMAIN_RETRY: '0', SF_DISABLE_LOG_FILE: 'true', SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' });
  if (login.audienceUrl) process.env.SF_AUDIENCE_URL = login.audienceUrl;
  else delete process.env.SF_AUDIENCE_URL;
  sim.clearLog();
  let result: Omit<CoreLogin, 'posts'> = { ok: true };
  try {
    installConnectTo(process.env);
    const core = await import('@salesforce/core');
    await core.AuthInfo.create({ username: login.username, oauth2Options: { clientId: login.clientId, privateKeyFile: login.keyFile, loginUrl: login.loginUrl } });
  } catch (error) {
    result = { ok: false, message: (error as Error).message };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    rmSync(home, { recursive: true, force: true });
  }
  const posts = sim.requests
    .filter((r) => r.path.endsWith('/services/oauth2/token'))
    .sort((a, b) => a.seq - b.seq)
    .map((r) => `${r.host} ${String((r as { token?: { aud?: unknown } }).token?.aud ?? '')}`);
  return { ...result, posts };
}
