/*
 * The users the person probably meant: one selective User query (indexed Username, IN plus one prefix LIKE) finds the
 * exact username and its likely intended variants — trimmed, cleaned of invisible characters, other case, with or
 * without a sandbox suffix, or renamed with the same beginning (ci@acme.com → ci-bot@acme.com).
 */
import type { UserFacts } from './inspection.js';
import { classifyUrl } from '../knowledge/instanceUrl.js';
import { ambiguousSuffix, inspectUsername, likelyIntended, sandboxSuffix } from '../knowledge/username.js';
import { soqlString } from './orgReads.js';

export function usernameVariants(username: string, instanceUrl: string): string[] {
  const cleaned = inspectUsername(username).cleaned ?? username.trim();
  const out = new Set<string>([username, username.trim(), cleaned, cleaned.toLowerCase()]);
  const intended = likelyIntended(cleaned, classifyUrl(instanceUrl));
  if (intended?.suggestedUsername) out.add(intended.suggestedUsername);
  const suffix = sandboxSuffix(cleaned);
  if (suffix) out.add(cleaned.slice(0, -(suffix.length + 1)));
  // `ci@acme.com.br` on sandbox uat: a Brazilian domain (ci@acme.com.br.uat) or sandbox br's user (ci@acme.com.uat).
  const maybe = ambiguousSuffix(cleaned);
  const sandbox = classifyUrl(instanceUrl).sandboxName?.toLowerCase();
  if (maybe && sandbox) out.add(`${cleaned.slice(0, -(maybe.length + 1))}.${sandbox}`);
  return [...out].filter((u) => u !== '');
}

/** `local%@domain%`: same beginning, same domain, any sandbox suffix. Undefined when the username has no @. */
function likePattern(username: string): string | undefined {
  const cleaned = inspectUsername(username).cleaned ?? username.trim();
  const at = cleaned.lastIndexOf('@');
  if (at < 1) return undefined;
  const suffix = sandboxSuffix(cleaned);
  const domain = cleaned.slice(at + 1, suffix ? -(suffix.length + 1) : undefined);
  const escape = (s: string): string =>
    s
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/[%_]/g, (c) => `\\${c}`);
  return `'${escape(cleaned.slice(0, at))}%@${escape(domain)}%'`;
}

export const USER_FIELDS = 'Id, Username, Name, IsActive, UserType, ProfileId, Profile.Name, LastLoginDate';

export function userQuery(username: string, instanceUrl: string): string {
  const variants = usernameVariants(username, instanceUrl).map(soqlString).join(', ');
  const like = likePattern(username);
  const where = like ? `Username IN (${variants}) OR Username LIKE ${like}` : `Username IN (${variants})`;
  return `SELECT ${USER_FIELDS} FROM User WHERE ${where} LIMIT 20`;
}

type UserRow = {
  Id: string;
  Username: string;
  Name?: string;
  IsActive: boolean;
  UserType?: string;
  ProfileId?: string;
  Profile?: { Name?: string } | null;
  LastLoginDate?: string | null;
};

export function userFacts(row: Record<string, unknown>): UserFacts {
  const r = row as UserRow;
  return {
    id: r.Id,
    username: r.Username,
    name: r.Name,
    isActive: r.IsActive !== false,
    userType: r.UserType,
    profileId: r.ProfileId,
    profileName: r.Profile?.Name,
    lastLoginDate: r.LastLoginDate ?? null,
  };
}

/** Lower is closer: the variants a person is likelier to have meant come first. */
function tier(candidate: string, username: string, variants: string[]): number {
  if (candidate === username) return 0;
  const cleaned = inspectUsername(username).cleaned ?? username.trim();
  if (candidate === cleaned) return 1;
  if (candidate.toLowerCase() === cleaned.toLowerCase()) return 2;
  if (variants.includes(candidate)) return 3;
  if (candidate.toLowerCase().startsWith(`${cleaned.toLowerCase()}.`)) return 4;
  return 5;
}

/** Splits the rows into the exact match and the others, best guess first (active, then recently logged in). */
export function rankUsers(
  rows: UserFacts[],
  username: string,
  instanceUrl: string,
): { exact?: UserFacts; similar: UserFacts[] } {
  const variants = usernameVariants(username, instanceUrl);
  const exact = rows.find((u) => u.username === username);
  const similar = rows
    .filter((u) => u !== exact)
    .map((u) => ({ u, t: tier(u.username, username, variants) }))
    .sort(
      (a, b) =>
        a.t - b.t ||
        Number(b.u.isActive) - Number(a.u.isActive) ||
        String(b.u.lastLoginDate ?? '').localeCompare(String(a.u.lastLoginDate ?? '')),
    )
    .map((x) => x.u);
  return { exact, similar };
}
