/*
 * What a check is. Each check lives in its own file under src/doctor/checks/, declares which checks it needs, and turns
 * facts (gathered by the adapters in src/salesforce, injected through the context) into one result. A check never
 * prints and never decides the root cause alone: it may *propose* a cause; diagnosis.ts picks one.
 */
import type { CauseCode, CheckStatus, Confidence, Evidence } from './types.js';
import type { DoctorContext } from './context.js';

export type CheckGroup = 'inputs' | 'key' | 'url' | 'network' | 'token' | 'org' | 'app' | 'user' | 'approval';

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
   * Optional: begins slow I/O before the graph runs (the engine calls every applicable check's `start` first), so
   * independent work — the org inspection and the token probe — overlaps instead of adding round trips. Must not throw.
   */
  start?(ctx: DoctorContext): void;
  /** Returns undefined when the check does not apply to these inputs (it is then left out of the report). */
  run(ctx: DoctorContext): Promise<CheckOutcome | undefined> | CheckOutcome | undefined;
};
