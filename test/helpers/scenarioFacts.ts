/*
 * What a scenario's org says is true, and the sentences that would say otherwise. A rendered sentence may only claim
 * a grant, a user state, an approval or a policy the org holds: "…'s profile Integration User is granted it" for a
 * profile the app is not granted to is a sentence that negates a fact. The rules read the scenario (the org), never the
 * expected answer, and know the sentence shapes of messages/*.md only as far as the words that carry a claim:
 * "granted to", "not granted to", "is frozen", "never approved", `is "Admin approved …"`.
 */
import type { Scenario } from '../../simulator/index.js';

type App = NonNullable<Scenario['apps']>[number];
type User = NonNullable<Scenario['users']>[number];

export type FactViolation = { sentence: string; claim: string };

function appOf(s: Scenario): App | undefined {
  const login = s.login;
  if (!login) return undefined;
  return (s.apps ?? []).find((a) => (login.app ? a.name === login.app : a.consumerKey === login.clientId));
}

function userOf(s: Scenario): User | undefined {
  const wanted = s.login?.username.trim().toLowerCase();
  return (s.users ?? []).find((u) => u.username.toLowerCase() === wanted);
}

/** The permission sets a user holds today: assignments that are active and not expired (groups count by name). */
function effectiveSets(user: User, now: number): string[] {
  return [...(user.permissionSets ?? []), ...(user.permissionSetGroups ?? [])]
    .map((a) => (typeof a === 'string' ? { name: a } : a))
    .filter((a) => a.active !== false && (!a.expires || Date.parse(a.expires) > now))
    .map((a) => a.name);
}

/** Sentences, then clauses: a claim and its negation sit in one clause ("granted to X, but not to Y" is two). */
function sentences(text: string): string[] {
  return text
    .split(/\n|<br>|(?<=[.;:])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The names a text segment mentions as `profile <name>` / `permission set(s) <…name…>`. */
function named(segment: string, names: string[], noun: 'profile' | 'permission set'): string[] {
  return names.filter((n) => new RegExp(`\\b${noun}s?\\b[^.;]*?\\b${escape(n)}\\b`, 'i').test(segment));
}

/** Every claim of `text` the scenario's org contradicts. */
export function contradictions(s: Scenario, text: string, now = Date.now()): FactViolation[] {
  const out: FactViolation[] = [];
  const app = appOf(s);
  const user = userOf(s);
  const profiles = (s.profiles ?? []).map((p) => p.name);
  const sets = (s.permissionSets ?? []).map((p) => p.name);
  for (const sentence of sentences(text)) {
    const bad = (claim: string): number => out.push({ sentence, claim });
    if (app) {
      const appNamed = [app.name, app.label].filter(Boolean).some((n) => sentence.includes(n!));
      // Grants: what follows "granted to" is granted, what follows "not granted to" / "but not to" is not.
      const negated = /\b(?:not granted to|but not to|none of them is granted)\b(.*)$/i.exec(sentence);
      const positive = /\bgranted to\b(.*?)(?:,? but not to\b|$)/i.exec(
        negated ? sentence.slice(0, negated.index) : sentence,
      );
      if (positive && !/\b(?:not|never|no longer)\s+(?:be\s+)?granted to\b/i.test(positive[0])) {
        for (const p of named(positive[1], profiles, 'profile'))
          if (!(app.profiles ?? []).includes(p)) bad(`${app.name} is granted to profile ${p}`);
        for (const p of named(positive[1], sets, 'permission set'))
          if (!(app.permissionSets ?? []).includes(p)) bad(`${app.name} is granted to permission set ${p}`);
      }
      // "<subject> is granted it": the profiles and permission sets named in the subject are granted, unless negated.
      const subject = /^(.*)\bis granted (?:it|the app)\b/i.exec(sentence);
      if (subject && !/\b(?:not|neither|nor|none|no longer)\b/i.test(subject[1])) {
        for (const p of named(subject[1], profiles, 'profile'))
          if (!(app.profiles ?? []).includes(p)) bad(`${app.name} is granted to profile ${p}`);
        for (const p of named(subject[1], sets, 'permission set'))
          if (!(app.permissionSets ?? []).includes(p)) bad(`${app.name} is granted to permission set ${p}`);
      }
      if (negated) {
        for (const p of named(negated[1], profiles, 'profile'))
          if ((app.profiles ?? []).includes(p)) bad(`${app.name} is not granted to profile ${p}`);
        for (const p of named(negated[1], sets, 'permission set'))
          if ((app.permissionSets ?? []).includes(p)) bad(`${app.name} is not granted to permission set ${p}`);
      }
      if (appNamed && /\bis "Admin approved users are pre-authorized"/.test(sentence) && !app.adminApproved)
        bad(`${app.name} is admin-approved`);
      if (appNamed && /\bis "All users may self-authorize"/.test(sentence) && app.adminApproved)
        bad(`${app.name} lets all users self-authorize`);
      if (appNamed && /\bis not installed in this org\b/.test(sentence) && app.installed !== false)
        bad(`${app.name} is not installed`);
    }
    if (user && sentence.includes(user.username)) {
      // "is frozen or locked out" claims one of the two, not that the user is frozen.
      const frozen = /\bis frozen\b(?! or)/.test(sentence) && !/\bnot frozen\b/.test(sentence);
      if (frozen && !user.frozen) bad(`${user.username} is frozen`);
      if (/\bis not frozen\b/.test(sentence) && user.frozen) bad(`${user.username} is not frozen`);
      if (/\b(?:is|was) (?:inactive|deactivated)\b/.test(sentence) && user.active !== false)
        bad(`${user.username} is inactive`);
      if (/\bthe user has no (?:active )?permission sets\b/.test(sentence) && effectiveSets(user, now).length > 0)
        bad(`${user.username} has no permission sets`);
      const approved = (s.approvals ?? []).some(
        (a) => a.user.toLowerCase() === user.username.toLowerCase() && (!app || a.app === app.name),
      );
      if (/\b(?:has never approved|never approved it|has no approval of)\b/.test(sentence) && approved)
        bad(`${user.username} never approved the app`);
      const said = (sentence.split(/\bhas profile\s+/)[1] ?? '').trimStart();
      const profile = profiles.find((p) => said.startsWith(p));
      if (profile && profile !== user.profile) bad(`${user.username} has profile ${profile}`);
    }
  }
  return out;
}
