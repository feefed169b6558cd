/*
 * --admin-org → an @salesforce/core Connection, resolved the way sf resolves an org: an alias through the alias file,
 * then the stored authorization of that username. Nothing is written: the doctor persists nothing (DESIGN.md §2) — the
 * alias is read from the file, a missing authorization is reported before core is asked (core would create alias.json
 * and a keychain key on the way), and core opens the stored one without writing sf state (coreReadOnly.ts).
 * The session goes only to the admin org's own Salesforce host (or loopback): a stored instance or login URL that is
 * neither is refused before any request (safety rule 6), and nothing follows a redirect.
 */
import { createRequire } from 'node:module';
import { AuthInfo, Connection } from '@salesforce/core';
import { withoutSfStateWrites } from './coreReadOnly.js';
import { text } from '../doctor/text.js';
import { classifyUrl } from '../knowledge/instanceUrl.js';
import { readAliases, readStoredAuth } from './storedAuth.js';

/** Recent enough for every field read (PermissionSetAssignment.IsActive 52.0, ECA metadata 60.0). */
export const INSPECTOR_API_VERSION = '62.0';

export type AdminConnection = {
  connection: Connection;
  username: string;
  /** The instance URL's origin: the only one the session is sent to. */
  origin: string;
};

export class AdminOrgError extends Error {
  public constructor(
    public readonly code: 'NO_AUTH' | 'AUTH_UNREADABLE' | 'NOT_SALESFORCE' | 'ETIMEDOUT',
    message: string,
  ) {
    super(message);
    this.name = 'AdminOrgError';
  }
}

/** The alias resolved to its username (or the value itself when it is not an alias), read from alias.json as it is. */
export function resolveAdminUsername(aliasOrUsername: string): string {
  const value = aliasOrUsername.trim();
  return readAliases()[value] ?? value;
}

/** Why a stored URL may not receive the admin's session, or undefined when it may (a Salesforce domain or loopback). */
export function foreignUrl(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  const c = classifyUrl(url);
  if (!c.valid || c.hasCredentials || c.invalidPort !== undefined) return `${c.displayUrl} is not a usable URL`;
  if (!c.isSalesforceDomain && !c.isLoopback) return `${c.hostname ?? c.displayUrl} is not a Salesforce domain`;
  return undefined;
}

function newerVersion(a: string | undefined, b: string): string {
  return a && /^\d+\.0$/.test(a) && Number(a) > Number(b) ? a : b;
}

/**
 * jsforce retries a GET on 5xx/429 and network errors five times with exponential backoff (15 s in all): a hung or
 * maintenance org would hold the run that long. One quick retry is enough for the doctor; the other defaults are
 * jsforce's own (transport.js), which setDefaults replaces as a whole.
 */
export function boundJsforceRetries(env: NodeJS.ProcessEnv = process.env): void {
  const require = createRequire(import.meta.url);
  const request = require('@jsforce/jsforce-node/lib/request') as {
    setDefaults?: (d: Record<string, unknown>) => void;
  };
  request.setDefaults?.({
    httpProxy: env.https_proxy ?? env.http_proxy ?? env.HTTPS_PROXY ?? env.HTTP_PROXY ?? undefined,
    timeout: env.HTTP_TIMEOUT ? parseInt(env.HTTP_TIMEOUT, 10) : undefined,
    // Never: a redirect would carry the session (or a refresh token) to wherever Location says.
    followRedirect: false,
    retry: { maxRetries: 1, minTimeout: 300 },
  });
}

/**
 * What is wrong with the admin's stored auth file, read before core does: core builds a connection from a file that is
 * not JSON or has no usable instanceUrl, and its first request fails with ERR_INVALID_URL, which names nothing.
 */
function damagedAuth(
  aliasOrUsername: string,
  username: string,
  stored: ReturnType<typeof readStoredAuth>,
): string | undefined {
  const file = stored.authFileDisplay ?? `~/.sfdx/${username}.json`;
  const problem = (key: string, params: Record<string, string> = {}): string =>
    text('detail.adminAuthDamaged', {
      adminOrg: aliasOrUsername,
      file,
      problem: text(`detail.adminAuthDamaged.${key}`, params),
    });
  if (stored.error) return problem('notJson');
  if (!stored.instanceUrl) return problem('noInstanceUrl');
  let protocol: string | undefined;
  try {
    protocol = new URL(stored.instanceUrl).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    return problem('badInstanceUrl', { instanceUrl: stored.instanceUrl.slice(0, 200) });
  return undefined;
}

function refuseForeign(aliasOrUsername: string, fields: { instanceUrl?: string; loginUrl?: string }): void {
  const why = foreignUrl(fields.instanceUrl) ?? foreignUrl(fields.loginUrl);
  if (why) {
    throw new AdminOrgError('NOT_SALESFORCE', text('error.adminOrgNotSalesforce', { adminOrg: aliasOrUsername, why }));
  }
}

/** The admin org's host as stored (named in messages: the user can tell which org did not answer). */
export function adminHost(instanceUrl: string | undefined): string {
  try {
    return new URL(instanceUrl ?? '').host || (instanceUrl ?? '');
  } catch {
    return instanceUrl ?? '';
  }
}

/**
 * `work` or, once `deadline` (an absolute time) passes first, an error naming the admin org's host. Nothing that work
 * does is cut: it is left to end on its own (it makes no request, see openAdminConnection); the run goes on.
 */
function byDeadline<T>(work: Promise<T>, deadline: number | undefined, message: () => string): Promise<T> {
  if (deadline === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AdminOrgError('ETIMEDOUT', message())), Math.max(0, deadline - Date.now()));
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * `deadline`: the run's (an absolute time). Opening makes no request (the API version is given, so core asks for none),
 * but it reads the keychain and files through core: it is bounded too, so an --admin-org never holds the run.
 */
export async function openAdminConnection(aliasOrUsername: string, deadline?: number): Promise<AdminConnection> {
  boundJsforceRetries();
  const username = resolveAdminUsername(aliasOrUsername);
  // Asked before core: for a name that is not stored, core would create alias.json and a keychain key first.
  const stored = readStoredAuth(username);
  if (!stored.found) {
    throw new AdminOrgError('NO_AUTH', text('adminOrg.notStored', { aliasOrUsername }));
  }
  const damaged = damagedAuth(aliasOrUsername, username, stored);
  if (damaged) throw new AdminOrgError('AUTH_UNREADABLE', damaged);
  refuseForeign(aliasOrUsername, stored);
  const opening = withoutSfStateWrites(async (guard) => {
    let authInfo: AuthInfo;
    try {
      authInfo = await AuthInfo.create({ username });
    } catch (error) {
      // The file is there (asked above): core failing to find it means it failed to read it (no keychain key, say).
      const e = guard.keychainRefused ?? (error as Error);
      throw new AdminOrgError('AUTH_UNREADABLE', text('adminOrg.unreadable', { username, error: e.message }));
    }
    // What core will use, checked again: the session never reaches another host.
    const fields = authInfo.getFields();
    refuseForeign(aliasOrUsername, fields);
    // Never persist: jsforce refreshes an expired session (a JWT re-exchange, a refresh token) and core then calls
    // authInfo.save(), and Connection.create caches the API version with save(). The fresh token lives in memory only.
    authInfo.save = (): Promise<AuthInfo> => Promise.resolve(authInfo);
    // An explicit version skips core's GET /services/data (a round trip, a DNS check, and a save of the result).
    const cached = fields.instanceApiVersion;
    const connection = await Connection.create({
      authInfo,
      connectionOptions: { version: newerVersion(cached, INSPECTOR_API_VERSION) },
    });
    // `sf org login access-token` (and every flag-given URL) stores URL.href, "https://host/"; jsforce joins that with
    // "/services/…" into "https://host//services/…". Salesforce serves that too, but the doctor asks for the plain path.
    if (typeof connection.instanceUrl === 'string') connection.instanceUrl = connection.instanceUrl.replace(/\/+$/, '');
    refuseForeign(aliasOrUsername, { instanceUrl: connection.instanceUrl || 'no instance URL' });
    return { connection, username: authInfo.getUsername() ?? username, origin: new URL(connection.instanceUrl).origin };
  });
  return byDeadline(opening, deadline, () =>
    text('adminOrg.openDeadline', { adminOrg: aliasOrUsername, host: adminHost(stored.instanceUrl) }),
  );
}
