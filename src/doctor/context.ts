/*
 * The context a check runs in: the inputs (with provenance), the adapters that do I/O (injected, so the engine stays
 * pure and unit tests can fake them), and a blackboard of facts that earlier checks leave for later ones.
 */
import type { CheckResult, InputValue, LoginHistoryEntry } from './types.js';
import type { KeyAnalysis, KeyFileFacts } from '../salesforce/keyFile.js';
import type { UrlClassification } from '../knowledge/instanceUrl.js';
import type { ProbeReport } from '../salesforce/probe.js';
import type { OrgInspection } from '../salesforce/inspection.js';
import type { StoredAuthFacts } from '../salesforce/storedAuth.js';
import type { AuthStoreFacts } from '../salesforce/authStore.js';
import type { LoginLog } from '../knowledge/loginLog.js';

export type DoctorInputs = {
  username?: InputValue;
  clientId?: InputValue;
  keyFile?: InputValue;
  /** The login URL sf would use: --instance-url, else sfdx-project.json sfdcLoginUrl, else login.salesforce.com. */
  instanceUrl: InputValue;
  /** SF_AUDIENCE_URL / SFDX_AUDIENCE_URL / --audience-url, when set. */
  audienceUrl?: InputValue;
  adminOrg?: InputValue;
  fromOrg?: InputValue;
  /** --from-log: the CI log whose attempts stand in for the token probe (FILE, or - for stdin). */
  fromLog?: InputValue;
  offline: boolean;
  /**
   * No private key given (--admin-org alone): the one switch for a run without an assertion. The checks that need the
   * key are `skip` with "no key given", the org-side checks run, and the verdict is never "works" without an observed
   * token (engine.ts, diagnosis.ts). An adapter that brings the token endpoint's answers another way (a CI log) sets
   * it too and passes the answers as facts.probe.
   */
  keyless?: boolean;
  /** Whole-run deadline in milliseconds. */
  timeoutMs: number;
};

export type Adapters = {
  readKeyFile: (path: string) => Promise<KeyFileFacts>;
  analyzeKey: (text: string) => KeyAnalysis;
  classifyUrl: (url: string) => UrlClassification;
  /** Signs and posts the assertion to sf's login/audience pairs. Only called when the key parsed and the URL is safe. */
  probe?: (request: ProbeRequest) => Promise<ProbeReport>;
  /** Resolves a host name; `routed` when SF_JWT_DOCTOR_CONNECT_TO routes it (then DNS is not asked). */
  lookup?: (host: string, deadline: number) => Promise<LookupResult>;
  /** Reads the org's setup through the admin connection. */
  inspect?: (request: InspectRequest) => Promise<OrgInspection>;
  now: () => number;
  /** A developer's trace line (core's Logger, shown with DEBUG=* or sf's --dev-debug): check order and timings. */
  debug?: (line: string) => void;
};

export type ProbeRequest = {
  username: string;
  clientId: string;
  /** Absent with --from-log: the log's answers need no key. */
  key?: KeyAnalysis;
  /** The login URL exactly as sf would use it (see sfLoginUrl). */
  loginUrl: string;
  audienceOverride?: string;
  deadline: number;
};

export type LookupResult =
  | { status: 'resolved'; addresses: string[] }
  | { status: 'routed'; target: string }
  | { status: 'failed'; code: string; message: string };

export type InspectRequest = {
  adminOrg: string;
  username: string;
  clientId: string;
  /** The instance URL the user gave (to compare with the org's own My Domain). */
  instanceUrl: string;
  deadline: number;
  /**
   * Settles when the run's own token requests are over: LoginHistory is read after it, so those attempts are in it.
   * Without it, LoginHistory is read as soon as the user is found.
   */
  loginAttemptsOver?: Promise<unknown>;
};

/** Facts left on the blackboard by the checks that found them. */
export type Facts = {
  keyFile?: KeyFileFacts;
  key?: KeyAnalysis;
  url?: UrlClassification;
  storedAuth?: StoredAuthFacts;
  /** sf's local auth store as read for this run: keychain, the stored login of this username (store.* checks). */
  authStore?: AuthStoreFacts;
  probe?: ProbeReport;
  org?: OrgInspection;
  /** The org inspection in flight (started early by org.connection's `start`, awaited by the admin checks). */
  orgPending?: Promise<OrgInspection>;
  /** Tells the inspection that the token probe is over (org.connection's `run`; see InspectRequest.loginAttemptsOver). */
  endLoginAttempts?: () => void;
  /** When the token probe began (adapters.now()): LoginHistory rows from then on are this run's own attempts. */
  probeStartedAt?: number;
  /** The user's LoginHistory rows as the result shows them (user.login-history). */
  loginHistory?: LoginHistoryEntry[];
  /** --from-log: what the log held (knowledge/loginLog.ts). */
  loginLog?: LoginLog;
};

export type DoctorContext = {
  inputs: DoctorInputs;
  adapters: Adapters;
  facts: Facts;
  /** Results so far, by check id. */
  results: ReadonlyMap<string, CheckResult>;
  /** Absolute time (ms, adapters.now()) by which the whole run must be done. */
  deadline: number;
};
