/*
 * What the org inspector (--admin-org) found, as plain data: the checks in src/doctor/checks read only this. Every
 * area that could not be read carries an error naming the permission the admin user lacks, so only the checks that
 * need that area skip.
 */

/** Parts of the org the inspector reads; each may fail on its own (permissions differ per object and API). */
export type InspectionArea =
  | 'connection'
  | 'identity'
  | 'organization'
  | 'user'
  | 'userLogin'
  | 'loginHistory'
  | 'permissionSets'
  | 'adminPermissions'
  | 'apps'
  | 'myDomainSettings'
  | 'appRecords'
  | 'userAppAccess'
  | 'appAccess'
  | 'appMenu'
  | 'appPolicy'
  | 'approvals';

export type AreaError = {
  /** Salesforce's error code (INVALID_TYPE, INSUFFICIENT_ACCESS …), or a transport one (ETIMEDOUT, ERROR_HTTP_503). */
  code: string;
  message: string;
  /** The permission the admin user needs to read this area, when a missing permission is the likely reason. */
  permission?: string;
};

export type OrgKindFound = 'production' | 'developer' | 'sandbox' | 'scratch';

export type OrgFacts = {
  id: string;
  name: string;
  isSandbox: boolean;
  organizationType?: string;
  instanceName?: string;
  trialExpirationDate?: string | null;
  kind: OrgKindFound;
  /** In a sandbox, when it was created or last refreshed (a refresh re-creates the org) [INFERRED]. */
  createdDate?: string;
};

export type MyDomainPolicy = {
  canOnlyLoginWithMyDomainUrl?: boolean;
  doesApiLoginRequireOrgDomain?: boolean;
  domainPartition?: string;
};

export type UserFacts = {
  id: string;
  username: string;
  name?: string;
  isActive: boolean;
  /** SOQL form: Standard, PowerPartner, CspLitePortal, CsnOnly … */
  userType?: string;
  profileId?: string;
  profileName?: string;
  lastLoginDate?: string | null;
  /** From UserLogin (undefined when it could not be read). */
  isFrozen?: boolean;
  isPasswordLocked?: boolean;
};

export type AssignmentFacts = {
  permissionSetId: string;
  name: string;
  label?: string;
  isOwnedByProfile: boolean;
  /** Set when the assignment is of a permission set group (the row's permission set is the group's aggregate). */
  groupId?: string;
  groupName?: string;
  isActive: boolean;
  expirationDate?: string | null;
  /** Active and not expired at inspection time. */
  effective: boolean;
};

/** A permission set that is part of a group assigned to the user. */
export type GroupComponentFacts = { groupId: string; permissionSetId: string; name: string };

export type CertificateFacts = {
  /** sha256 of the public key's DER SubjectPublicKeyInfo, in keyFile.ts's `sha256:aa:bb…` format. */
  fingerprint?: string;
  subject?: string;
  notAfter?: string;
  /** Whole days until notAfter (negative when expired). */
  daysLeft?: number;
  /** The stored certificate did not parse. */
  parseError?: string;
};

export type AppKind = 'ConnectedApp' | 'ExternalClientApp';

/**
 * The routes by which the inspection found an app: its consumer key in its metadata; its ConnectedApplication /
 * ExternalClientApplication row (the queried id); the user's OauthToken rows naming it. (The fourth, the token
 * endpoint's own answer, is the probe's: app.found adds it.)
 */
export type AppRoute = 'metadata' | 'record' | 'approval';

/**
 * Why an app's metadata gave no consumer key: `packaged` (readMetadata returns oauthConfig.consumerKey only in the
 * org that created the app; listMetadata says it was installed), `eca-packaged` (a packaged ECA's global OAuth
 * settings stay in the owning org), `eca-setting` (the ECA's global OAuth settings came back without a key: the org
 * setting "Allow Access to OAuth Consumer Secrets via Metadata API" is off), `not-returned` (no key, no known reason:
 * a packaged app or one not created in this org).
 */
export type KeyUnreadable = 'packaged' | 'eca-packaged' | 'eca-setting' | 'not-returned';

/** A ConnectedApplication (0H4…) or ExternalClientApplication (0xI…) row: the app's id, by query. */
export type AppRecord = { kind: AppKind; id: string; name: string; label?: string };

export type AppFacts = {
  kind: AppKind;
  /** Developer name (Metadata fullName). */
  name: string;
  label?: string;
  /** ConnectedApplication (0H4…) or ExternalClientApplication (0xI…) id. */
  id?: string;
  consumerKey?: string;
  certificate?: CertificateFacts;
  callbackUrl?: string;
  /** Lower-case OAuth scope names: api, refresh_token, web, full, openid … (RefreshToken → refresh_token). */
  scopes: string[];
  /** Permitted users: "Admin approved users are pre-authorized". */
  adminApproved?: boolean;
  /** Profiles and permission sets the app is granted to (metadata, or SetupEntityAccess when read). */
  grantedProfiles: string[];
  grantedPermissionSets: string[];
  /** ENFORCE | BYPASS | BYPASS_2FACTOR | ENFORCE_RELAXREFRESH (ECA values mapped to these). */
  ipRelaxation?: string;
  /** Connected App form: infinite | zero | specific_lifetime:n:UNIT | specific_inactivity:n:UNIT. */
  refreshTokenPolicy?: string;
  /** HIGH_ASSURANCE | STANDARD | LOW. */
  sessionLevel?: string;
  /** AppMenuItem exists (Connected Apps OAuth Usage: installed); undefined when unknown. */
  installed?: boolean;
  /** AppMenuItem.IsAccessible false. */
  blocked?: boolean;
  /** How the inspection found it (see AppRoute); `metadata` only when its consumer key equals --client-id. */
  foundBy?: AppRoute[];
  /** Set when its metadata gave no consumer key, with the reason. */
  keyUnreadable?: KeyUnreadable;
  /** listMetadata's namespace prefix (an app installed from a managed package). */
  namespacePrefix?: string;
  /**
   * An ECA with neither OAuth settings nor global OAuth settings in this org (not packaged): the app exists, its
   * consumer key does not — the known issue a02Ka00000mn8S6 after a sandbox refresh (sfdx-hardis#1994).
   */
  oauthSettingsMissing?: boolean;
};

/** An app read during the search whose certificate is known: for WRONG_APP (which app holds this key's cert). */
export type AppCertificate = { kind: AppKind; name: string; label?: string; fingerprint: string };

/** Whether the user may use an app by the org's data: pre-authorized, approved (OauthToken), neither, or unknown. */
export type AppUse = 'preauthorized' | 'approved' | 'no' | 'unknown';

export type GrantFacts = {
  /** PermissionSet id (profile-owned ones included). */
  parentId: string;
  permissionSetName?: string;
  isOwnedByProfile: boolean;
  profileName?: string;
};

export type ApprovalFacts = {
  appName: string;
  createdDate?: string;
  lastUsedDate?: string | null;
  useCount?: number;
  appMenuItemId?: string | null;
};

/** One LoginHistory row: Salesforce's own record of a login attempt of the user (texts verbatim, unmapped). */
export type LoginRecord = {
  /** ISO date-time (LoginTime, the org's clock). */
  loginTime: string;
  /** Free text ("Success", "Failed: Not approved for access" …); Salesforce publishes no list. */
  status: string;
  /** The app's name for OAuth logins, "Browser" for the UI. */
  application?: string;
  /** "Remote Access 2.0" for OAuth 2.0 (JWT bearer included), "Application" for the UI … */
  loginType?: string;
  /** The host the attempt reached. */
  loginUrl?: string;
  sourceIp?: string;
};

export type AdminPermissions = {
  viewSetup: boolean;
  modifyAllData: boolean;
  customizeApplication: boolean;
  modifyMetadata: boolean;
  manageUsers: boolean;
};

export type OrgInspection = {
  /** The --admin-org value and the username it resolved to. */
  adminOrg: string;
  adminUsername?: string;
  /** The admin org's host (its stored instance URL's), once the connection is open: named when it does not answer. */
  adminHost?: string;
  adminUserId?: string;
  orgId?: string;
  org?: OrgFacts;
  /** The org's My Domain login URL (identity urls.custom_domain). */
  myDomainUrl?: string;
  myDomainPolicy?: MyDomainPolicy;
  adminPermissions?: AdminPermissions;
  /** The user whose username equals --username exactly. */
  user?: UserFacts;
  /** Users found for the likely intended variants (trimmed, case, sandbox suffix, renamed), best first. */
  similarUsers: UserFacts[];
  /** The user's permission set assignments (profile-owned rows included) and the sets inside assigned groups. */
  assignments: AssignmentFacts[];
  groupComponents: GroupComponentFacts[];
  /**
   * The app whose consumer key equals --client-id (foundBy includes `metadata`), or, when no key read matches and some
   * apps' keys could not be read, the one of those the org's data points to (foundBy without `metadata`).
   */
  app?: AppFacts;
  /** Every app read from metadata (with its queried id), to pair a key file with the app that holds its certificate. */
  apps?: AppFacts[];
  /** Apps whose metadata gave no consumer key (packaged, or the ECA setting off): the client id may be theirs. */
  keylessApps?: AppFacts[];
  /** ConnectedApplication and ExternalClientApplication rows (Id by query, never listMetadata's id). */
  appRecords?: AppRecord[];
  /** The user's OauthToken rows for every app (newest first, at most 200). */
  userApprovals?: ApprovalFacts[];
  /** Ids of the apps the user's profile or permission sets are granted (SetupEntityAccess). */
  userAppIds?: string[];
  /** The app's callback URL, for the one-time approval URL (doctor.ts reads it). */
  callbackUrl?: string;
  /** Every app seen with a certificate, to name the one that holds the key's certificate. */
  certificates: AppCertificate[];
  /** Every app's consumer key (not a secret), to recognise a mistyped copy of one. */
  appKeys: Array<{ kind: AppKind; name: string; consumerKey: string }>;
  /** How many apps were searched. */
  appsSearched: { connectedApps: number; externalClientApps: number };
  /** SetupEntityAccess rows for the app: who is granted it. */
  grants?: GrantFacts[];
  /** The user's approvals (OauthToken rows) of the app. */
  approvals?: ApprovalFacts[];
  /** The user's most recent login attempts (LoginHistory), newest first; undefined when not read. */
  loginHistory?: LoginRecord[];
  /** True when the admin can see every user's OauthToken rows (Customize Application / Modify All Data). */
  approvalsComplete?: boolean;
  errors: Partial<Record<InspectionArea, AreaError>>;
  /** Redirects the admin org answered: refused, never followed (safety rule 6); the reads they answered failed. */
  redirects?: Array<{ status: number; method: string; path: string; location: string }>;
  /** Set by the org.connection check when the admin org is not the org being diagnosed: why it thinks so. */
  otherOrg?: string;
  /** Sequential request rounds the inspection needed (the parallel requests inside a round count once). */
  rounds: number;
  requests: number;
};
