/*
 * Picks one root cause from the check outcomes and derives the verdict. The renderer never decides anything: what
 * is printed as "root cause" is what this returns.
 */
import type { CauseProposal } from './check.js';
import type { CheckRun } from './engine.js';
import type { Cause, Verdict } from './types.js';

export type Diagnosis = {
  verdict: Verdict;
  cause: Cause | null;
  /** The winning proposal first, then the other failing and warning ones (fix order). */
  proposals: CauseProposal[];
};

const DEFAULT_WEIGHT = 50;

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
    if (!disproved(p)) return [p];
    if (status === 'warn' || confirmed || works) return [];
    const alternatives = (p.alternatives ?? []).filter((c) => !ruledOut.has(c));
    const [code = 'UNKNOWN', ...rest] = alternatives;
    return [{ ...p, code, alternatives: rest, confidence: 'likely', fix: code === 'UNKNOWN' ? 'UNKNOWN' : undefined }];
  });
  // Stable sort: equal weights keep graph order, so the earliest (most fundamental) check wins.
  return standing.sort((a, b) => (b.weight ?? DEFAULT_WEIGHT) - (a.weight ?? DEFAULT_WEIGHT));
}

function toCause(p: CauseProposal): Cause {
  return {
    code: p.code,
    summary: p.summary,
    confidence: p.confidence,
    alternatives: (p.alternatives ?? []).filter((c) => c !== p.code),
  };
}

/**
 * One proposal per cause and per fix text, the weightiest first; and a guess adds nothing once weightier confirmed
 * evidence names its cause or one of its alternatives (the org shows the user renamed: "not approved" is explained).
 */
function dedupe(list: CauseProposal[]): CauseProposal[] {
  const seen = new Set<string>();
  const confirmed = list.filter((p) => p.confidence === 'confirmed');
  const explained = (p: CauseProposal): boolean =>
    p.confidence === 'likely' &&
    confirmed.some((q) => q !== p && (q.weight ?? DEFAULT_WEIGHT) >= (p.weight ?? DEFAULT_WEIGHT) && (q.code === p.code || (p.alternatives ?? []).includes(q.code)));
  return list.filter((p) => {
    const keys = [`fix:${p.fix ?? p.code}`, `code:${p.code}`];
    if (keys.some((k) => seen.has(k)) || explained(p)) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
}

export function diagnose(runs: CheckRun[]): Diagnosis {
  const fails = rank(runs, 'fail');
  const warns = rank(runs, 'warn');
  const inconclusive = runs.filter((r) => r.outcome?.inconclusive).map((r) => r.outcome!.cause).filter(Boolean) as CauseProposal[];
  // The root cause is the first proposal that survives de-duplication, so it always matches the first fix.
  const decide = (verdict: Verdict, list: CauseProposal[]): Diagnosis => {
    const proposals = dedupe(list);
    return { verdict, cause: toCause(proposals[0]), proposals };
  };

  // sf's own attempts got a token (through a fallback pair, say, past a URL with a page path): the login works, and
  // what the checks found is a warning that says how to make it sound — never a failure sf would not have.
  if (runs.some((r) => r.outcome?.loginWorks)) {
    const found = [...fails, ...warns, ...inconclusive].sort((a, b) => (b.weight ?? DEFAULT_WEIGHT) - (a.weight ?? DEFAULT_WEIGHT));
    return found.length > 0 ? decide('warn', found) : { verdict: 'pass', cause: null, proposals: [] };
  }
  if (fails.length > 0) return decide('fail', [...fails, ...warns]);
  if (inconclusive.length > 0) return decide('inconclusive', [inconclusive[0], ...warns]);
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
