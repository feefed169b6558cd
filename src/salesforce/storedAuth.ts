/*
 * Reads a stored sf authorization (for --from-org) straight from ~/.sfdx, read-only.
 *
 * Why not AuthInfo/StateAggregator: they may create ~/.sfdx/key.json (the keychain key) and Org.create() may query
 * the org and re-save the auth file. The doctor must persist nothing, and the fields it needs (username, clientId,
 * privateKey path, loginUrl, instanceUrl) are stored in plain text.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { text } from '../doctor/text.js';

export type StoredAuthFacts = {
  requested: string;
  found: boolean;
  /** Shown to users as ~/.sfdx/<username>.json, never as an absolute path. */
  authFileDisplay?: string;
  username?: string;
  alias?: string;
  isJwt: boolean;
  clientId?: string;
  privateKeyPath?: string;
  keyPathExists?: boolean;
  loginUrl?: string;
  instanceUrl?: string;
  orgId?: string;
  /** Set when the file exists but cannot be read or parsed. */
  error?: string;
};

type AuthFile = {
  username?: string;
  clientId?: string;
  privateKey?: string;
  refreshToken?: string;
  loginUrl?: string;
  instanceUrl?: string;
  orgId?: string;
};

export function sfdxDir(home = homedir()): string {
  return join(home, '.sfdx');
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readAliases(home = homedir()): Record<string, string> {
  const file = readJson<{ orgs?: Record<string, string> }>(join(sfdxDir(home), 'alias.json'));
  return file?.orgs ?? {};
}

/** Every stored authorization file name: sf's own pattern `<username>.json` (must contain `@`). */
export function listStoredUsernames(home = homedir()): string[] {
  try {
    return readdirSync(sfdxDir(home))
      .filter((f) => /^[^.][^@]*@[^.]+(\.[^.\s]+)+\.json$/.test(f))
      .map((f) => f.slice(0, -'.json'.length));
  } catch {
    return [];
  }
}

export function readStoredAuth(aliasOrUsername: string, home = homedir()): StoredAuthFacts {
  const aliases = readAliases(home);
  const username = aliases[aliasOrUsername] ?? aliasOrUsername;
  const alias = aliases[aliasOrUsername] ? aliasOrUsername : Object.keys(aliases).find((a) => aliases[a] === username);
  const file = join(sfdxDir(home), `${username}.json`);
  const base: StoredAuthFacts = { requested: aliasOrUsername, found: false, isJwt: false, username, alias };
  if (!existsSync(file)) return base;
  const display = `~/.sfdx/${username}.json`;
  const raw = readJson<Record<string, unknown>>(file);
  // Only string fields count: a hand-edited file with another type must not reach the checks as a path or URL.
  const auth: AuthFile | undefined =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string'))
      : undefined;
  if (!auth) return { ...base, found: true, authFileDisplay: display, error: text('storedAuth.notJson') };
  const isJwt = Boolean(auth.privateKey) && !auth.refreshToken;
  return {
    ...base,
    found: true,
    authFileDisplay: display,
    username: auth.username ?? username,
    isJwt,
    clientId: auth.clientId,
    privateKeyPath: auth.privateKey,
    keyPathExists: auth.privateKey ? existsSync(auth.privateKey) : undefined,
    loginUrl: auth.loginUrl,
    instanceUrl: auth.instanceUrl,
    orgId: auth.orgId,
  };
}
