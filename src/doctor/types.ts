/*
 * The doctor's vocabulary: the JSON result contract (DESIGN.md §2, schemas/org-jwt-doctor.json) and the shapes the
 * engine passes between checks, diagnosis and renderers.
 */

import type { LoginRecord } from '../salesforce/inspection.js';

/** Stable cause codes: add new ones, never rename. */
export const CAUSE_CODES = [
  'USERNAME_MALFORMED',
  'KEY_FILE_MISSING',
  'KEY_INVALID',
  'CLIENT_ID_INVALID',
  'INSTANCE_URL_INVALID',
  'ORG_UNREACHABLE',
  'AUDIENCE_INVALID',
  'MY_DOMAIN_REQUIRED',
  'CERT_MISMATCH',
  'CERT_EXPIRED',
  'CLOCK_SKEW',
  'USER_NOT_FOUND',
  'USER_INACTIVE',
  'USER_NOT_PREAUTHORIZED',
  'USER_NOT_APPROVED',
  'REFRESH_SCOPE_MISSING',
  'APP_NOT_INSTALLED',
  'WRONG_APP',
  'IP_RESTRICTED',
  'HIGH_ASSURANCE_REQUIRED',
  'ORG_INACTIVE',
  'STORED_AUTH_INVALID',
  'UNKNOWN',
  'TOKEN_UNUSABLE',
  'API_DISABLED',
  'LOGIN_RATE_EXCEEDED',
  'APP_BLOCKED',
  'LOCAL_AUTH_STORE',
] as const;
export type CauseCode = (typeof CAUSE_CODES)[number];

export type Verdict = 'pass' | 'warn' | 'fail' | 'inconclusive';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type Confidence = 'confirmed' | 'likely';
/**
 * Where a finding comes from (DESIGN.md §2 "Evidence and confidence"): `observed` — Salesforce (or the same code path
 * sf runs locally) said it: the token endpoint's answer, an API error, the file system, the signer; `documented` — a
 * reading whose meaning Salesforce's documentation states; `inferred` — a reading that rests on behaviour no source
 * confirms. Only observed evidence, or documented evidence no observation contradicts, confirms a cause.
 */
export type Evidence = 'observed' | 'documented' | 'inferred';

export type Cause = {
  code: CauseCode;
  summary: string;
  confidence: Confidence;
  alternatives: CauseCode[];
  /** The evidence that backs the cause: for a confirmed one, the evidence that confirms it. */
  evidence?: Evidence;
};

export type CheckResult = {
  /** Stable, dotted, lower case: `key.parse`, `url.my-domain`, `probe.token` … */
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** Where the finding comes from. */
  evidence: Evidence;
};

export type Fix = {
  title: string;
  /**
   * Why this fix, when its messages give a reason apart from the actions (`# fix.<id>.why`): also `steps[0]`, so the
   * steps read as before; the human output and the report show it unnumbered and number the actions from 1.
   */
  why?: string;
  steps: string[];
  commands: string[];
  links: string[];
};

export type AttemptOutcome = 'success' | 'error' | 'network-error';

export type Attempt = {
  loginUrl: string;
  audience: string;
  outcome: AttemptOutcome;
  error?: string;
  errorDescription?: string;
  httpStatus?: number;
  ms: number;
};

export type InputSource = 'flag' | 'env' | 'stored-auth' | 'project-config' | 'default' | 'derived' | 'log';

export type InputValue<T = string> = {
  value: T;
  /** Where the value came from: a flag, an environment variable, a stored authorization, sfdx-project.json … */
  source: InputSource;
  /** The flag, variable or file that set it: `--username`, `SF_AUDIENCE_URL`, `~/.sfdx/<user>.json` … */
  origin: string;
};

export type InputProvenance = {
  name: string;
  value: string | null;
  source: InputSource;
  origin: string;
};

export type FixStepReport = {
  description: string;
  /** The same change as an sf command a person could run. */
  command: string;
  /**
   * `already-there`: an earlier run (or a person) made it; reused, not re-created. `may-have-been-made`: the write's
   * answer never arrived whole (5xx, cut connection, timeout, interrupt): the org may have committed it.
   */
  status: 'planned' | 'applied' | 'already-there' | 'failed' | 'may-have-been-made' | 'skipped';
  recordId?: string;
  error?: string;
};

/** What --fix planned and did (absent without --fix). */
export type FixReport = {
  mode: 'dry-run' | 'applied' | 'declined' | 'not-fixable' | 'failed' | 'interrupted';
  steps: FixStepReport[];
  /** Commands that undo what was applied (or may have been made), newest first. */
  undo: string[];
  notes: string[];
  approvalUrl?: string;
  /** After applying: whether the re-run diagnosis passed. */
  verified?: boolean;
  /**
   * Once the flow went past the plan (applied or failed): the diagnosis the fix set out from. After an applied fix the
   * result around this report is the re-run diagnosis, so this is where the original cause stays.
   */
  before?: { verdict: Verdict; cause: Cause | null };
};

/** A LoginHistory row of the user, as Salesforce recorded it (texts verbatim, control characters removed). */
export type LoginHistoryEntry = LoginRecord & {
  /** True when the row is from this run's own token requests (recorded after the doctor's probe began). */
  thisRun: boolean;
};

export type JwtDoctorResult = {
  verdict: Verdict;
  cause: Cause | null;
  checks: CheckResult[];
  fixes: Fix[];
  attempts: Attempt[];
  /**
   * Token requests this run sent (with --all and --wait: all of them together). Each counts against the user's
   * hourly login limit (3,600 per user per hour: restforce PR#744, help 000312767), whatever its answer.
   */
  tokenRequests: number;
  /** The exact `sf org login jwt …` line that works, or will once fixed. */
  loginCommand: string | null;
  /** Where each input came from. */
  inputs: InputProvenance[];
  /** Flags accepted for compatibility with `sf org login jwt` but without effect on a diagnosis. */
  ignoredFlags: string[];
  /** With --fix: the plan, what was applied and how to undo it. */
  fix?: FixReport;
  /** With --admin-org: the user's latest login attempts as Salesforce recorded them (LoginHistory), newest first. */
  loginHistory?: LoginHistoryEntry[];
  /** With --all: one diagnosis per stored JWT login; `verdict` is then the worst of them. */
  fleet?: FleetEntry[];
  /** With --admin-org and no key: what the run could not check, and what a run with the key would add. */
  keyless?: KeylessReport;
};

/** A run without the private key (--admin-org alone): the org's setup was read, no assertion was signed or sent. */
export type KeylessReport = {
  /** Why no token request was made. */
  reason: 'no-key';
  /** The checks skipped for it (the key, the token endpoint, the API call). */
  skipped: string[];
  /** Causes the org's setup cannot show, which only a run with the key can decide (causes.ts CAUSE_SIDE). */
  onlyProbeDecides: CauseCode[];
};

/** One stored JWT login of --all and its diagnosis. */
export type FleetEntry = { username: string; alias?: string; result: JwtDoctorResult };
