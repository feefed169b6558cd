/*
 * Finding the app by consumer key. SOQL cannot (ConnectedApplication has no key); the Metadata API can:
 * ConnectedApp.oauthConfig.consumerKey, ExtlClntAppGlobalOauthSettings.consumerKey. listMetadata names the apps,
 * readMetadata (10 names per call) returns them; every batch is sent at once, so a large org costs one round trip
 * more width, not more depth. Pure mapping from metadata records to AppFacts lives here too.
 */
import { certificateFacts } from './certificate.js';
import type { AppCertificate, AppFacts, CertificateFacts } from './inspection.js';
import { asText } from '../knowledge/values.js';

export const READ_BATCH = 10;

export type MetadataRecord = Record<string, unknown>;

export function batches<T>(items: T[], size = READ_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** jsforce converts typed metadata; newer types arrive as strings. */
export function bool(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function obj(value: unknown): MetadataRecord {
  return value && typeof value === 'object' ? (value as MetadataRecord) : {};
}

/** Metadata scope enum (Api, RefreshToken, Web …) → OAuth scope names (api, refresh_token, web …). */
const SCOPE_NAMES: Record<string, string> = {
  api: 'api',
  refreshtoken: 'refresh_token',
  offlineaccess: 'refresh_token',
  web: 'web',
  full: 'full',
  basic: 'id',
  openid: 'openid',
  chatter: 'chatter_api',
  custompermissions: 'custom_permissions',
  visualforce: 'visualforce',
};

export function scopeNames(values: string[]): string[] {
  const names = values
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => SCOPE_NAMES[v.replace(/[_\s]/g, '').toLowerCase()] ?? v.toLowerCase());
  return [...new Set(names)];
}

/** ECA policy enums → the Connected App ones, so checks compare one vocabulary. */
const IP_RELAXATION: Record<string, string> = {
  enforce: 'ENFORCE',
  bypass: 'BYPASS',
  bypass_2factor: 'BYPASS_2FACTOR',
  enforce_relaxrefresh: 'ENFORCE_RELAXREFRESH',
};

function ecaRefreshPolicy(type?: string, period?: string, unit?: string): string | undefined {
  if (!type) return undefined;
  const t = type.toLowerCase();
  if (t === 'infinite') return 'infinite';
  if (t === 'zero') return 'zero';
  const kind = t === 'specificinactivity' ? 'specific_inactivity' : 'specific_lifetime';
  return `${kind}:${period ?? '?'}:${(unit ?? '').toUpperCase()}`;
}

function certificateOf(record: MetadataRecord, now: number): CertificateFacts | undefined {
  const text = str(record.certificate);
  return text ? certificateFacts(text, now) : undefined;
}

export function connectedAppFacts(record: MetadataRecord, now: number): AppFacts {
  const oauth = obj(record.oauthConfig);
  const policy = obj(record.oauthPolicy);
  const session = obj(record.sessionPolicy);
  return {
    kind: 'ConnectedApp',
    name: String(record.fullName),
    label: str(record.label),
    consumerKey: str(oauth.consumerKey),
    certificate: certificateOf(oauth, now),
    callbackUrl: str(oauth.callbackUrl)?.split(/\s+/)[0],
    scopes: scopeNames(asArray(oauth.scopes as string | string[])),
    adminApproved: bool(oauth.isAdminApproved) ?? false,
    grantedProfiles: asArray(record.profileName as string | string[]),
    grantedPermissionSets: asArray(record.permissionSetName as string | string[]),
    ipRelaxation: str(policy.ipRelaxation)?.toUpperCase(),
    refreshTokenPolicy: str(policy.refreshTokenPolicy),
    sessionLevel: str(session.sessionLevel),
  };
}

/** The ECA as its parts describe it: global settings (key, cert), OAuth settings (scopes), policies, the app. */
export type EcaParts = {
  global: MetadataRecord;
  settings?: MetadataRecord;
  policy?: MetadataRecord;
  app?: MetadataRecord;
};

export function externalClientAppFacts(parts: EcaParts, now: number): AppFacts {
  const { global, settings = {}, policy = {}, app = {} } = parts;
  const split = (v: unknown): string[] =>
    (str(v) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    kind: 'ExternalClientApp',
    name: str(global.externalClientApplication) ?? String(global.fullName),
    label: str(app.label),
    consumerKey: str(global.consumerKey),
    certificate: certificateOf(global, now),
    callbackUrl: str(global.callbackUrl)?.split(/\s+/)[0],
    scopes: scopeNames(split(settings.commaSeparatedOauthScopes)),
    adminApproved: str(policy.permittedUsersPolicyType)
      ? policy.permittedUsersPolicyType === 'AdminApprovedPreAuthorized'
      : undefined,
    grantedProfiles: split(policy.commaSeparatedProfile),
    grantedPermissionSets: split(policy.commaSeparatedPermissionSet),
    ipRelaxation: IP_RELAXATION[asText(policy.ipRelaxationPolicyType).toLowerCase()],
    refreshTokenPolicy: ecaRefreshPolicy(
      str(policy.refreshTokenPolicyType),
      str(asText(policy.refreshTokenValidityPeriod)),
      str(policy.refreshTokenValidityUnit),
    ),
    sessionLevel: str(policy.requiredSessionLevel),
  };
}

export function certificateEntry(app: AppFacts): AppCertificate | undefined {
  const fingerprint = app.certificate?.fingerprint;
  return fingerprint ? { kind: app.kind, name: app.name, label: app.label, fingerprint } : undefined;
}

/** ECA metadata parts name their app in `externalClientApplication`. */
export function byApp(records: MetadataRecord[]): Map<string, MetadataRecord> {
  const map = new Map<string, MetadataRecord>();
  for (const r of records) {
    const name = str(r.externalClientApplication) ?? str(r.fullName);
    if (name) map.set(name, r);
  }
  return map;
}
