/*
 * Rules about sf's local auth store (~/.sfdx), pure: the generic keychain file's mode, a stored login that no longer
 * matches the org it names, and a stored key path that lies in a temporary directory.
 * Sources: reference/sf-cli-internals.md §2 (persistence) and reference/field-reports-and-platform-2025-2026.md §1
 * rows 21–25 and §2 (enhanced domains).
 */

/**
 * core's generic Unix keychain accepts ~/.sfdx/key.json only with mode 600 (keyChainImpl GenericUnixKeychainAccess
 * isValidFileAccess: `(stats.mode & 0o777).toString(8) === '600'`); any other mode is GenericKeychainInvalidPermsError,
 * which older cores swallowed into "Cannot read properties of undefined (reading 'setContentsFromObject')"
 * (forcedotcom/cli#3231, #3201, #2773; sfdx-core PR#1175).
 */
export const KEYCHAIN_FILE_MODE = 0o600;

export function keychainModeOk(mode: number): boolean {
  return (mode & 0o777) === KEYCHAIN_FILE_MODE;
}

/** The permission bits as `ls` and `chmod` write them: 644, 600 … */
export function octalMode(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}

/** An instance URL's origin as sf compares hosts: lower case, without path or trailing slash; undefined if not a URL. */
export function urlOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.trim()).origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A record id's 15-character form (org ids come as 15 or 18 characters from different sources). */
function id15(id: string | undefined): string | undefined {
  const trimmed = id?.trim();
  return trimmed && trimmed.length >= 15 ? trimmed.slice(0, 15) : undefined;
}

export type StoredIdentity = { instanceUrl?: string; orgId?: string };

export type Staleness = {
  /** The stored instance URL's host is not the one the org's token endpoint now names (a My Domain change, a refresh). */
  instanceUrl?: { stored: string; current: string };
  /** The stored org id is not the org's id now (a sandbox refresh makes a new org). */
  orgId?: { stored: string; current: string };
};

/**
 * What a stored login for the same username has that the org no longer has. Undefined when nothing differs or either
 * side is unknown. Since Spring '26 old hostnames (pre-enhanced domains, an earlier My Domain) no longer redirect, so
 * a stored host that differs is one every later command fails on ("versions.map is not a function", cli#1687).
 */
export function staleness(stored: StoredIdentity, current: StoredIdentity): Staleness | undefined {
  const out: Staleness = {};
  const storedHost = urlOrigin(stored.instanceUrl);
  const currentHost = urlOrigin(current.instanceUrl);
  if (storedHost && currentHost && storedHost !== currentHost)
    out.instanceUrl = { stored: stored.instanceUrl!.trim(), current: current.instanceUrl!.trim() };
  const storedId = id15(stored.orgId);
  const currentId = id15(current.orgId);
  if (storedId && currentId && storedId !== currentId) out.orgId = { stored: storedId, current: currentId };
  return out.instanceUrl || out.orgId ? out : undefined;
}

/** The org id in an identity URL (`https://login.salesforce.com/id/<00D…>/<005…>`), as core's parseIdUrl reads it. */
export function orgIdOfIdUrl(idUrl: string | undefined): string | undefined {
  const match = /\/id\/(00D\w{12,15})\/\w+\/?$/.exec(idUrl ?? '');
  return match?.[1];
}

/**
 * The temporary directory a stored key path lies in, if any: one of `roots` (the system's and the CI runner's temporary
 * directories, passed in by the adapter), or a CI secret-file folder by name (cli#381: "ENOENT …secretFiles…key").
 * A CI runner deletes these when the job ends, and sf signs every later token refresh with the stored path. A root
 * that also holds `home` does not count: a store in the same temporary directory goes away with the key (an ephemeral
 * CI home), so no stored login is left pointing at nothing.
 */
export function temporaryRoot(path: string | undefined, roots: string[], home?: string): string | undefined {
  if (!path) return undefined;
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '').toLowerCase();
  const within = (child: string, parent: string): boolean =>
    norm(child) === norm(parent) || norm(child).startsWith(`${norm(parent)}/`);
  const named = /^(.*\/(?:_temp|secretfiles|secure_files|\.secure_files))\//i.exec(path.replace(/\\/g, '/'));
  const candidates = [...roots.filter((r) => r.trim().length > 1), ...(named ? [named[1]] : [])]
    .filter((root) => within(path, root) && !(home && within(home, root)))
    .sort((a, b) => b.length - a.length);
  return candidates[0];
}
