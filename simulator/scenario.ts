/*
 * The scenario file format (simulator/scenarios/<name>.json). A scenario describes an org — never the answers: the
 * server derives every response from this state by Salesforce's rules. `expect` is for tests only.
 */
import type { CertificateSpec } from './keys.js';

export type OrgKind = 'production' | 'developer' | 'sandbox' | 'scratch';

export type ScenarioOrg = {
  /** 15- or 18-char id; derived from the name when absent. */
  id?: string;
  name: string;
  kind: OrgKind;
  /** Organization.OrganizationType, e.g. "Enterprise Edition", "Developer Edition". */
  edition?: string;
  instanceName?: string;
  /** The current My Domain login host, e.g. acme.my.salesforce.com. */
  myDomain: string;
  /** Earlier My Domain names (OrgDomainLog) — e.g. the host a sandbox had before a refresh. */
  previousMyDomains?: string[];
  /** Other hosts that reach this org and are routed to the simulator (e.g. a legacy *.force.com site host). */
  otherHosts?: string[];
  /** Hosts that no longer resolve (legacy *.force.com): routed to a closed port so nothing reaches DNS. */
  retiredHosts?: string[];
  sandboxName?: string;
  refreshedAt?: string;
  trialExpirationDate?: string | null;
  namespacePrefix?: string | null;
  active?: boolean;
  isDevHub?: boolean;
  myDomainSettings?: { canOnlyLoginWithMyDomainUrl?: boolean; doesApiLoginRequireOrgDomain?: boolean };
  /**
   * The org setting "Allow Access to OAuth Consumer Secrets via Metadata API": without it, readMetadata of an External
   * Client App's global OAuth settings (`<App>_glbloauth`) returns no consumer key (Metadata API,
   * ExtlClntAppGlobalOauthSettings, special access rules). Default true here, so the ECA scenarios read their keys.
   */
  ecaSecretsViaMetadata?: boolean;
  /**
   * The org has API access (an edition with the API, e.g. not Professional without the API add-on). Default true. Without
   * it every REST/SOAP call answers API_DISABLED_FOR_ORG, whatever the user's profile says.
   */
  apiEnabled?: boolean;
  /**
   * API Access Control (enabled through Support; Help "API Access Control"): only allowlisted apps may use the API, and
   * turning it on makes every app admin-approved. Default false.
   */
  apiAccessControl?: boolean;
};

export type IpRange = { start: string; end: string };

export type ScenarioProfile = {
  name: string;
  userType?: string;
  /** Permission API names without the "Permissions" prefix: ApiEnabled, ViewSetup, ModifyAllData, … */
  permissions?: string[];
  loginIpRanges?: IpRange[];
};

export type ScenarioPermissionSet = { name: string; label?: string; permissions?: string[] };
export type ScenarioPermissionSetGroup = { name: string; label?: string; permissionSets: string[]; status?: string };

export type ScenarioApp = {
  type: 'ConnectedApp' | 'ExternalClientApp';
  /** Developer name (Metadata fullName). */
  name: string;
  label?: string;
  consumerKey: string;
  /** The uploaded certificate; null = JWT bearer not enabled (no certificate). */
  certificate?: CertificateSpec | null;
  /** OAuth scope strings: api, refresh_token, offline_access, web, full, id, openid … */
  scopes: string[];
  /** Permitted users: true = "Admin approved users are pre-authorized" (ECA: AdminApprovedPreAuthorized). */
  adminApproved?: boolean;
  /** Profiles / permission sets the app is granted to (SetupEntityAccess rows). */
  profiles?: string[];
  permissionSets?: string[];
  ipRelaxation?: 'ENFORCE' | 'BYPASS_2FACTOR' | 'BYPASS' | 'ENFORCE_RELAXREFRESH';
  refreshTokenPolicy?: string;
  sessionLevel?: 'STANDARD' | 'HIGH_ASSURANCE' | 'LOW';
  /** Installed in this org (Connected Apps OAuth Usage "Install"); false = the Sept-2025 uninstalled-app restriction. */
  installed?: boolean;
  blocked?: boolean;
  /** Where a CA lives: "production" apps (and a Dev Hub's) also exist, same key, in the other realm (sandbox copies). */
  origin?: 'local' | 'production';
  callbackUrl?: string;
  distributionState?: string;
  /**
   * Installed from a package (created in another org). Its metadata then reads no consumer key: readMetadata returns
   * oauthConfig.consumerKey only in the org that created the app; a packaged ECA's global OAuth settings stay in the
   * owning org. listMetadata shows manageableState "installed" and the namespace prefix.
   */
  packaged?: boolean;
  /** The package's namespace prefix (implies packaged). */
  namespacePrefix?: string;
  /** On the org's API Access Control allowlist (only read when org.apiAccessControl is on). */
  apiAccessAllowlisted?: boolean;
  /**
   * ECAs only; default true. false: the app exists in this org (ExternalClientApplication, its policies) but its OAuth
   * settings and global OAuth settings, consumer key included, do not — the known issue a02Ka00000mn8S6 after a sandbox
   * refresh (sfdx-hardis#1994). The token endpoint then does not know the key (behaviour ecaOauthSettingsLostError).
   */
  oauthSettings?: boolean;
};

export type ScenarioAssignment = string | { name: string; expires?: string; active?: boolean };

export type ScenarioUser = {
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  profile: string;
  userType?: string;
  active?: boolean;
  frozen?: boolean;
  passwordLocked?: boolean;
  permissionSets?: ScenarioAssignment[];
  permissionSetGroups?: ScenarioAssignment[];
  lastLogin?: string;
  /** Logins (tokens issued) of this user in the hour before the run: what counts against the login rate limit. */
  loginsInLastHour?: number;
};

export type ScenarioApproval = {
  user: string;
  app: string;
  scopes: string[];
  useCount?: number;
  lastUsed?: string;
  created?: string;
};

/** A LoginHistory row from before the run (earlier login attempts of a user). */
export type ScenarioLoginRecord = {
  user: string;
  /** ISO date-time. */
  time: string;
  /** Verbatim LoginHistory.Status text. */
  status: string;
  /** App label (Application); default "Browser" for UI logins when loginType is not OAuth. */
  application?: string;
  loginType?: string;
  /** Host the attempt reached (LoginUrl). */
  loginUrl?: string;
  sourceIp?: string;
};

/** Where Salesforce's behaviour is not settled, the scenario picks the variant (defaults in behaviour.ts). */
export type Behaviour = {
  myDomainAudience?: 'accepted' | 'rejected';
  audienceTrailingSlash?: 'ignored' | 'rejected';
  usernameMatch?: 'exact' | 'case-insensitive';
  adminApprovedUnassignedError?: 'invalid_app_access' | 'hasnt_approved';
  inactiveUserError?: 'invalid_grant' | 'inactive_user';
  loginPolicyFlags?: 'any' | 'canOnlyLoginWithMyDomainUrl' | 'doesApiLoginRequireOrgDomain' | 'none';
  loginPolicyError?: 'hasnt_approved' | 'authentication_failure';
  /** api-401: the token is issued and every API call answers 401 (jsforce#1291). */
  highAssuranceError?: 'authentication_failure' | 'hasnt_approved' | 'api-401';
  uninstalledAppError?: 'app_must_be_installed' | 'hasnt_approved';
  expiredCertificate?: 'rejected' | 'accepted';
  clockSkewSeconds?: number;
  missingExp?: 'rejected' | 'accepted';
  ipRestrictedDescription?: 'lowercase' | 'capitalised';
  inactiveOrgResponse?: 'inactive_org' | 'html-420';
  caAdminApprovedNeedsRefreshScope?: boolean;
  loginHistory?: 'recorded' | 'not-recorded';
  /** listMetadata's FileProperties.id for a ConnectedApp: the ConnectedApplication id (0H4) or the application id (06P). */
  listMetadataAppId?: '0H4' | '06P';
  /** The token endpoint's answer for an app an admin blocked (n8n#21589 shows OAUTH_APP_BLOCKED on the authorize redirect). */
  blockedAppError?: 'oauth_app_blocked' | 'hasnt_approved';
  /** The form of the login rate limit answer ("Login Rate Exceeded", LOGIN_RATE_EXCEEDED; the JSON shape is unverified). */
  loginRateError?: 'invalid_grant' | 'login_rate_exceeded';
  /** An app not on the API Access Control allowlist: refused at the token endpoint, or a token every API call refuses. */
  apiAccessControlAnswer?: 'invalid_app_access' | 'api-401';
  /**
   * An ECA whose OAuth settings are gone (known issue a02Ka00000mn8S6): the key is unknown, so "client identifier
   * invalid" by the rule for an unknown key, or the ECA answer "External client app is not installed" (cli#3482 shows it
   * after sandbox refreshes). Unverified.
   */
  ecaOauthSettingsLostError?: 'client_id_invalid' | 'app_not_found';
  /**
   * The "Approve Uninstalled Connected Apps" permission (help 005132365) lets its holders use uninstalled connected
   * apps; whether that covers a JWT bearer login (documented for the approval) is unverified.
   */
  approveUninstalledPermission?: 'honoured' | 'ignored';
  /** Who may read ScratchOrgInfo in a Dev Hub (core's determineIfDevHub query): any API user, or admins only. Unverified. */
  scratchOrgInfoAccess?: 'api-users' | 'admins';
};

export type FaultKind =
  | 'refuse'
  | 'reset'
  | 'tls-untrusted'
  | 'tls-wrong-name'
  | 'tls-expired'
  | 'hang'
  | 'slow-drip'
  | 'html-500'
  | 'malformed-json'
  | 'truncated-body'
  | 'rate-limit-429'
  | 'request-limit-exceeded'
  | 'wrong-content-type'
  | 'terminal-injection'
  | 'redirect'
  | 'token-incomplete';

export type FaultSpec = {
  kind: FaultKind;
  match?: { host?: string; pathPrefix?: string; method?: string };
  /** How many matching requests (or handshakes) the fault applies to; unlimited when absent. */
  times?: number;
  /** html-500: the status (default 503); redirect: the status (default 307). */
  status?: number;
  /** redirect: the Location header (default https://login.salesforce.com plus the request's path). */
  location?: string;
  /** slow-drip: ms between bytes (default 1000). */
  intervalMs?: number;
  /** terminal-injection: the text put into the answer's error message (default TERMINAL_INJECTION in server.ts). */
  text?: string;
};

export type ScenarioServer = {
  protocol?: 'https' | 'http';
  clock?: { offsetSeconds?: number };
  latencyMs?: number;
  /** The source IP the org sees (profile login IP ranges are checked against it); default the socket's address. */
  clientIp?: string;
  maxApiVersion?: string;
  /** Logins (issued tokens) per user per hour before "Login Rate Exceeded" (default 3,600: help 000312767, restforce PR#744). */
  loginRateLimit?: number;
  behaviour?: Behaviour;
  faults?: FaultSpec[];
};

export type ScenarioGenerate = {
  connectedApps?: number;
  permissionSets?: number;
  oauthTokens?: number;
  users?: number;
};

export type ScenarioLogin = {
  username: string;
  /** The app whose consumer key the user passes … */
  app?: string;
  /** … or a literal client id (a typo, another org's key). */
  clientId?: string;
  key: string;
  instanceUrl?: string;
  /** The aud the user's own tool sends (SF_AUDIENCE_URL for sf). */
  audienceUrl?: string;
};

export type ScenarioExpect = {
  /** 'success' or the error_description text sf's JwtAuthError message contains. */
  sfLogin: string;
  /** The error name of sf's failed login when it is not JwtAuthError (a token answer core cannot read). */
  sfLoginError?: string;
  /**
   * sf's first API call after a login that worked (core's Organization query): 'success' (the default) or the text
   * its error contains.
   */
  sfUse?: string;
  cause: string | null;
  /** A plain client (exp in seconds by its own clock, aud = login.audienceUrl or the realm's) at login.instanceUrl. */
  direct?: string;
};

export type Scenario = {
  name?: string;
  description: string;
  notes: string;
  org: ScenarioOrg;
  profiles?: ScenarioProfile[];
  permissionSets?: ScenarioPermissionSet[];
  permissionSetGroups?: ScenarioPermissionSetGroup[];
  apps?: ScenarioApp[];
  users?: ScenarioUser[];
  approvals?: ScenarioApproval[];
  /** LoginHistory rows from before the run; the token endpoint adds one per attempt it can attribute to a user. */
  loginHistory?: ScenarioLoginRecord[];
  /** Username of the admin user the tests and the demo inspect the org as. */
  admin?: string;
  server?: ScenarioServer;
  generate?: ScenarioGenerate;
  login?: ScenarioLogin;
  /** For tests only; the server never reads it. */
  expect?: ScenarioExpect;
};
