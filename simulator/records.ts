/*
 * What the org model is made of, shared by the record store (state.ts), the scenario builder (scenarioBuilder.ts) and
 * the endpoints: the row type, the apps' details Salesforce keeps outside SOQL, issued tokens, and Salesforce's formats.
 */
import type { CertificateSpec } from './keys.js';

export type Rec = { [field: string]: unknown };

/**
 * LoginHistory.LoginType of an OAuth 2.0 login (Object Reference: "Remote Access 2.0" = OAuth 2.0, "Remote Access
 * Client" = OAuth 1.0). LoginSubType has no JWT value, so a JWT bearer login is recorded as OAuth 2.0.
 */
export const OAUTH2_LOGIN_TYPE = 'Remote Access 2.0';

export type AppDetail = {
  id: string;
  type: 'ConnectedApp' | 'ExternalClientApp';
  name: string;
  label: string;
  consumerKey: string;
  certificatePem: string | null;
  certificate: CertificateSpec | null;
  scopes: string[];
  adminApproved: boolean;
  ipRelaxation: string;
  refreshTokenPolicy: string;
  sessionLevel: string;
  installed: boolean;
  blocked: boolean;
  origin: 'local' | 'production';
  callbackUrl: string;
  appMenuItemId: string | null;
  policyId: string | null;
  distributionState: string;
  createdDate: string;
  /** Installed from a package: its metadata reads no consumer key here (see ScenarioApp.packaged). */
  packaged: boolean;
  namespacePrefix: string | null;
  /** On the API Access Control allowlist (read only when the org has API Access Control). */
  apiAccessAllowlisted: boolean;
  /** ECAs: false when the app's OAuth settings (and consumer key) are gone from this org (ScenarioApp.oauthSettings). */
  oauthSettings: boolean;
};

export type IssuedToken = {
  userId: string;
  scopes: string[];
  appId: string | null;
  issuedAt: number;
  /**
   * Why every API call with this session answers 401 although the token endpoint issued it: a High Assurance session
   * requirement (highAssuranceError 'api-401'), an app API Access Control does not allow (apiAccessControlAnswer 'api-401').
   */
  refusedByApi?: 'high-assurance' | 'api-access-control';
};

/** Login rate limit window (per user): one hour. */
export const LOGIN_RATE_WINDOW_MS = 3_600_000;
/** Logins per user per hour (help 000312767 as cited by restforce PR#744; cli#3297). */
export const DEFAULT_LOGIN_RATE_LIMIT = 3600;

/** Salesforce's REST date-time format: 2025-01-15T10:00:00.000+0000. */
export function sfDateTime(value: string | number | Date): string {
  return new Date(value).toISOString().replace('Z', '+0000');
}

const SCOPE_SYNONYMS: Record<string, string> = { offline_access: 'refresh_token' };

/** Normalised scope set: offline_access and refresh_token are one scope ("Perform requests at any time"). */
export function normaliseScopes(scopes: string[]): string[] {
  return [...new Set(scopes.map((s) => SCOPE_SYNONYMS[s.trim().toLowerCase()] ?? s.trim().toLowerCase()))].filter(
    Boolean,
  );
}

export function hasRefreshScope(scopes: string[]): boolean {
  return normaliseScopes(scopes).includes('refresh_token');
}

/** Standard permission fields exposed on PermissionSet (Permissions<Name>). */
export const PERMISSIONS = [
  'ApiEnabled',
  'ViewSetup',
  'ModifyAllData',
  'CustomizeApplication',
  'ManageUsers',
  'ViewAllUsers',
  'ModifyMetadata',
  // Since Aug/Sept 2025: use of uninstalled connected apps (help 005132365); only on the standard System Administrator.
  'ApproveUninstalledConnectedApps',
];

export function ecaEnum(value: string): string {
  return (
    {
      ENFORCE: 'Enforce',
      BYPASS: 'Bypass',
      BYPASS_2FACTOR: 'Bypass_2factor',
      ENFORCE_RELAXREFRESH: 'Enforce_RelaxRefresh',
    }[value] ?? value
  );
}
