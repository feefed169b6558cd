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
  const confirmed = proposals.some((p) => p.confidence === 'confirmed' && !ruledOut.has(p.code));
  const works = runs.some((r) => r.outcome?.loginWorks);
  const standing = proposals.flatMap((p): CauseProposal[] => {
    if (!ruledOut.has(p.code)) return [p];
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
 * One fix per fix text; and once weightier evidence (the org's setup) confirms a cause, the token-only guess at it
 * adds nothing. A lighter confirmation (sf's fallback pair worked) leaves a weightier guess with a better fix in place.
 */
function dedupe(list: CauseProposal[]): CauseProposal[] {
  const seen = new Set<string>();
  const confirmedWeight = (code: string): number =>
    Math.max(-1, ...list.filter((p) => p.confidence === 'confirmed' && p.code === code).map((p) => p.weight ?? DEFAULT_WEIGHT));
  return list.filter((p) => {
    const key = p.fix ?? p.code;
    if (seen.has(key) || (p.confidence === 'likely' && confirmedWeight(p.code) >= (p.weight ?? DEFAULT_WEIGHT))) return false;
    seen.add(key);
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
