/*
 * What a check is. Each check lives in its own file under src/doctor/checks/, declares which checks it needs, and turns
 * facts (gathered by the adapters in src/salesforce, injected through the context) into one result. A check never
 * prints and never decides the root cause alone: it may *propose* a cause; diagnosis.ts picks one.
 */
import type { CauseCode, CheckStatus, Confidence, Evidence } from './types.js';
import type { DoctorContext } from './context.js';

export type CheckGroup = 'inputs' | 'key' | 'url' | 'network' | 'token' | 'org' | 'app' | 'user' | 'approval' | 'store';

export type CauseProposal = {
  code: CauseCode;
  confidence: Confidence;
  /** Causes that the same evidence cannot rule out, most likely first. */
  alternatives?: CauseCode[];
  /** Higher wins when several checks propose a cause (default 50). Local certainty beats a token-endpoint guess. */
  weight?: number;
  /** Named values for the fix texts: `{username}`, `{suggestedUsername}`, `{appName}` … */
  params?: Record<string, string>;
  /** One line saying why, shown as the root cause summary. */
  summary: string;
  /** Which fix to print: `# fix.<fix>.title|steps|commands|links` in messages/fixes.md (default: the code). */
  fix?: string;
  /** Where the proposal's evidence comes from (default: its outcome's, else its check's). The diagnosis sets it. */
  evidence?: Evidence;
};

export type CheckOutcome = {
  /** `skip` from run(): the check applies but cannot decide (an admin user lacking a permission, say the detail why). */
  status: CheckStatus;
  detail: string;
  /** Where this finding comes from, when it differs from the check's own `evidence` (a branch that reads another source). */
  evidence?: Evidence;
  cause?: CauseProposal;
  /** True when the evidence does not decide (network down, hung org): the verdict becomes inconclusive. */
  inconclusive?: boolean;
  /** Causes this evidence disproves, whatever other checks guessed (a token issued to the user disproves "no such user"). */
  rulesOut?: CauseCode[];
  /**
   * A failure (or, with --from-log, a skip) sf goes past (a URL with a page path): sf still sends its requests, and a fallback pair may still get a
   * token, so the checks that need this one run anyway and the probe decides whether the login works.
   */
  sfGoesOn?: boolean;
  /** The token endpoint issued a token to sf's own attempts: the login works, so no finding can make the verdict fail. */
  loginWorks?: boolean;
  /**
   * A failure that stops sf before it sends any token request (the generic keychain's key file mode: core's AuthInfo
   * reads the keychain first). sf fails whatever the org answers, so a working token endpoint does not make it pass.
   */
  stopsSf?: boolean;
  /** Causes this reading of the setup can neither show nor rule out: only the token endpoint's answer can (keyless runs). */
  undecided?: CauseCode[];
};

export type Check = {
  /** Stable dotted id; its title is `# check.<id>` in messages/checks.md. */
  id: string;
  group: CheckGroup;
  /** Checks that must have passed (or warned) before this one runs; otherwise it is `skip` with the reason. */
  needs: string[];
  /** local: no network; network: token endpoint and DNS; admin: needs --admin-org. */
  mode: 'local' | 'network' | 'admin';
  /** Where the check's findings come from unless an outcome says otherwise (DESIGN.md §2 "Evidence and confidence"). */
  evidence: Evidence;
  /**
   * What the check takes from the private key: `key` — the key itself (reads, parses, signs and sends it); `answers` —
   * only the token endpoint's answers to it (facts.probe). Without a key (inputs.keyless) a `key` check is `skip` with
   * "no key given", and so is an `answers` check unless the answers came another way (facts.probe given up front).
   */
  probe?: 'key' | 'answers';
  /**
   * Optional: begins slow I/O before the graph runs (the engine calls every applicable check's `start` first), so
   * independent work — the org inspection and the token probe — overlaps instead of adding round trips. Must not throw.
   */
  start?(ctx: DoctorContext): void;
  /** Returns undefined when the check does not apply to these inputs (it is then left out of the report). */
  run(ctx: DoctorContext): Promise<CheckOutcome | undefined> | CheckOutcome | undefined;
};

/** What a cause proposal holds beyond its code, confidence and weight. */
export type ProposalRest = Omit<CauseProposal, 'code' | 'confidence' | 'weight'>;

/**
 * The common finding, written once: a status and its detail line proposing a cause (which, how sure, how much it
 * weighs against other checks' proposals) with its summary, fix id and fix parameters.
 */
export function proposing(
  status: CheckStatus,
  detail: string,
  code: CauseCode,
  confidence: Confidence,
  weight: number,
  rest: ProposalRest,
): CheckOutcome {
  return { status, detail, cause: { code, confidence, weight, ...rest } };
}
