/*
 * Picks one root cause from the check outcomes and derives the verdict. The renderer never decides anything: what
 * is printed as "root cause" is what this returns.
 *
 * The evidence rule (DESIGN.md §2 "Evidence and confidence"), applied to every proposal before any is ranked:
 * - a proposal is `confirmed` only on observed evidence, or on documented evidence that no observation contradicts
 *   (Salesforce did not rule its cause out); an inferred reading, or a documented one Salesforce contradicts, is at
 *   most `likely`, with what Salesforce's own answers leave open as its alternatives;
 * - such a reading is `confirmed` when a confirmed proposal names the same cause (Salesforce says so too), and keeps
 *   its own fix (which names the app, the profile …);
 * - an inferred reading never outranks a confirmed proposal of another cause (observed evidence is never overruled);
 * - a login that works is never failed (every finding becomes a warning), and its working values are never replaced
 *   by an inferred reading's suggestion (`works`, used for the login line).
 */
import type { CauseProposal } from './check.js';
import type { CheckRun } from './engine.js';
import type { Cause, CauseCode, Evidence, Verdict } from './types.js';
import { has, text } from './text.js';

export type Diagnosis = {
  verdict: Verdict;
  cause: Cause | null;
  /** The winning proposal first, then the other failing and warning ones (fix order). */
  proposals: CauseProposal[];
  /** sf's own attempts got a token: observed evidence that the login works as given. */
  works?: boolean;
};

const DEFAULT_WEIGHT = 50;

/**
 * Fixes for a cause that is left once the setup disproves the one Salesforce's answer named: "not admin approved"
 * for a user the setup pre-authorizes is API Access Control's answer for an app off its allowlist (cli#3260).
 */
const WHEN_RULED_OUT: Array<{ ruledOut: CauseCode; code: CauseCode; fix: string }> = [
  { ruledOut: 'USER_NOT_PREAUTHORIZED', code: 'API_DISABLED', fix: 'api-access-control' },
];

const phrase = (code: CauseCode): string => (has(`cause.${code}.phrase`) ? text(`cause.${code}.phrase`) : code);

const weightOf = (p: CauseProposal): number => p.weight ?? DEFAULT_WEIGHT;

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/**
 * The evidence rule on every proposal: its evidence set (the outcome's or the check's), its confidence what that
 * evidence can bear. Returns the runs with their proposals so weighed; the rest of the diagnosis works on those.
 */
export function weighEvidence(runs: CheckRun[]): CheckRun[] {
  const observed = runs.filter((r) => r.result.evidence === 'observed');
  // What Salesforce's answers disprove (a token issued to this user, key and app), and what they leave open.
  const contradicted = new Set(observed.flatMap((r) => r.outcome?.rulesOut ?? []));
  const ruledOut = new Set(runs.flatMap((r) => r.outcome?.rulesOut ?? []));
  const open = observed
    .filter((r) => r.outcome?.cause && (r.result.status === 'fail' || r.result.status === 'warn'))
    .flatMap((r) => [r.outcome!.cause!.code, ...(r.outcome!.cause!.alternatives ?? [])])
    .filter((c) => !ruledOut.has(c));
  const demoted = new Map<CheckRun, CauseCode[]>();
  const weighed = runs.map((r): CheckRun => {
    const p = r.outcome?.cause;
    if (!p) return r;
    const evidence: Evidence = p.evidence ?? r.result.evidence;
    // A documented failure Salesforce rules out does not stand; a warning about what breaks next is not contradicted.
    const holds =
      evidence === 'observed' ||
      (evidence === 'documented' && !(r.result.status === 'fail' && contradicted.has(p.code)));
    if (p.confidence === 'likely' ? evidence !== 'inferred' : holds)
      return { ...r, outcome: { ...r.outcome!, cause: { ...p, evidence } } };
    // At most likely: what Salesforce's answers leave open (and the org's setup does not rule out) are the alternatives.
    demoted.set(r, p.alternatives ?? []);
    const alternatives = unique([...(p.alternatives ?? []), ...open]).filter((c) => c !== p.code);
    return { ...r, outcome: { ...r.outcome!, cause: { ...p, evidence, confidence: 'likely', alternatives } } };
  });
  // A demoted reading that a confirmed proposal agrees with (the same cause) is confirmed by that evidence.
  const confirming = (code: CauseCode): CauseProposal | undefined =>
    weighed.find(
      (r) => !r.outcome?.inconclusive && r.outcome?.cause?.confidence === 'confirmed' && r.outcome.cause.code === code,
    )?.outcome?.cause;
  return weighed.map((r, i): CheckRun => {
    const p = r.outcome?.cause;
    const original = demoted.get(runs[i]);
    const by = p && original ? confirming(p.code) : undefined;
    if (!p || !by) return r;
    return {
      ...r,
      outcome: {
        ...r.outcome!,
        cause: { ...p, confidence: 'confirmed', evidence: by.evidence, alternatives: original },
      },
    };
  });
}

/** An inferred reading never outranks a confirmed proposal of another cause: its weight stays below theirs. */
function effectiveWeight(p: CauseProposal, all: CauseProposal[]): number {
  if (p.evidence !== 'inferred' || p.confidence === 'confirmed') return weightOf(p);
  const above = all.filter((q) => q.confidence === 'confirmed' && q.code !== p.code).map(weightOf);
  return above.length ? Math.min(weightOf(p), Math.min(...above) - 1) : weightOf(p);
}

function byWeight(list: CauseProposal[], context: CauseProposal[] = list): CauseProposal[] {
  const weights = new Map(list.map((p) => [p, effectiveWeight(p, context)]));
  return [...list].sort((a, b) => weights.get(b)! - weights.get(a)!);
}

function rank(runs: CheckRun[], status: 'fail' | 'warn'): CauseProposal[] {
  // Evidence that disproves a guess (a token issued to the user disproves "no such user"; the org's setup showing the
  // user pre-authorized disproves "not approved"). A disproved warning is dropped; a disproved failure still fails:
  // it is dropped when a confirmed cause explains the failure, else it becomes its first alternative still standing.
  const ruledOut = new Set(runs.flatMap((r) => r.outcome?.rulesOut ?? []));
  const proposals = runs
    .filter((r) => r.result.status === status && r.outcome?.cause && !r.outcome.inconclusive)
    .map((r) => r.outcome!.cause!);
  // Only a guess can be disproved: what Salesforce or the org's setup states outright ("user is not admin approved")
  // stands even where the doctor's reading of the setup says otherwise (a rule the doctor does not know).
  const disproved = (p: CauseProposal): boolean => p.confidence === 'likely' && ruledOut.has(p.code);
  const confirmed = proposals.some((p) => p.confidence === 'confirmed');
  const works = runs.some((r) => r.outcome?.loginWorks);
  const standing = proposals.flatMap((p): CauseProposal[] => {
    // What the evidence disproves is no alternative either ("could also be" lists only what is still open).
    if (!disproved(p)) return [{ ...p, alternatives: (p.alternatives ?? []).filter((c) => !ruledOut.has(c)) }];
    if (status === 'warn' || confirmed || works) return [];
    const alternatives = (p.alternatives ?? []).filter((c) => !ruledOut.has(c));
    const [code = 'UNKNOWN', ...rest] = alternatives;
    if (code === 'UNKNOWN') return [{ ...p, code, alternatives: rest, confidence: 'likely', fix: 'UNKNOWN' }];
    // The summary and the fix must be the remaining cause's, not the disproved one's: a fix written for "this cause,
    // once that one is ruled out" where there is one, else the cause's own.
    const summary = text('summary.diagnosis.ruledOut', { ruledOut: phrase(p.code), cause: phrase(code) });
    const fix = WHEN_RULED_OUT.find((w) => w.ruledOut === p.code && w.code === code)?.fix;
    return [{ ...p, code, alternatives: rest, confidence: 'likely', summary, fix }];
  });
  // Stable sort: equal weights keep graph order, so the earliest (most fundamental) check wins.
  return byWeight(standing);
}

function toCause(p: CauseProposal): Cause {
  return {
    code: p.code,
    summary: p.summary,
    confidence: p.confidence,
    alternatives: (p.alternatives ?? []).filter((c) => c !== p.code),
    ...(p.evidence ? { evidence: p.evidence } : {}),
  };
}

/**
 * One proposal per cause and per fix text, the weightiest first; and a guess adds nothing once weightier confirmed
 * evidence names its cause or one of its alternatives (the org shows the user renamed: "not approved" is explained).
 * An inferred reading adds nothing once any confirmed evidence does.
 */
function dedupe(list: CauseProposal[]): CauseProposal[] {
  const seen = new Set<string>();
  const confirmed = list.filter((p) => p.confidence === 'confirmed');
  const explained = (p: CauseProposal): boolean =>
    p.confidence === 'likely' &&
    confirmed.some(
      (q) =>
        q !== p &&
        (weightOf(q) >= weightOf(p) || p.evidence === 'inferred') &&
        (q.code === p.code || (p.alternatives ?? []).includes(q.code)),
    );
  return list.filter((p) => {
    const keys = [`fix:${p.fix ?? p.code}`, `code:${p.code}`];
    if (keys.some((k) => seen.has(k)) || explained(p)) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
}

export type DiagnoseOptions = {
  /**
   * No key given (inputs.keyless): only a token shows that the login works, so without one a run that finds no failure
   * is inconclusive (its warnings, if any, lead), never pass or warn.
   */
  keyless?: boolean;
};

export function diagnose(given: CheckRun[], options: DiagnoseOptions = {}): Diagnosis {
  const runs = weighEvidence(given);
  const fails = rank(runs, 'fail');
  const warns = rank(runs, 'warn');
  const inconclusive = runs
    .filter((r) => r.outcome?.inconclusive)
    .map((r) => r.outcome!.cause)
    .filter(Boolean) as CauseProposal[];
  // The root cause is the first proposal that survives de-duplication, so it always matches the first fix.
  const decide = (verdict: Verdict, list: CauseProposal[]): Diagnosis => {
    const proposals = dedupe(list);
    return { verdict, cause: toCause(proposals[0]), proposals };
  };

  // sf's own attempts got a token (through a fallback pair, say, past a URL with a page path): the login works, and
  // what the checks found is a warning that says how to make it sound — never a failure sf would not have.
  // Unless a failure stops sf before its first token request (store.keychain): then sf fails whatever the org answers.
  const stopped = runs.some((r) => r.outcome?.stopsSf && r.result.status === 'fail');
  if (!stopped && runs.some((r) => r.outcome?.loginWorks)) {
    const found = byWeight([...fails, ...warns, ...inconclusive]);
    return found.length > 0
      ? { ...decide('warn', found), works: true }
      : { verdict: 'pass', cause: null, proposals: [], works: true };
  }
  if (fails.length > 0) return decide('fail', [...fails, ...warns]);
  if (inconclusive.length > 0) return decide('inconclusive', [inconclusive[0], ...warns]);
  if (options.keyless)
    return warns.length > 0 ? decide('inconclusive', warns) : { verdict: 'inconclusive', cause: null, proposals: [] };
  if (warns.length > 0) return decide('warn', warns);
  return { verdict: 'pass', cause: null, proposals: [] };
}

/** DESIGN.md §2: 0 works (pass/warn) · 1 cause found · 3 inconclusive. (2, usage errors, is oclif's.) */
export function exitCodeFor(verdict: Verdict): number {
  switch (verdict) {
    case 'pass':
    case 'warn':
      return 0;
    case 'fail':
      return 1;
    case 'inconclusive':
      return 3;
  }
}
