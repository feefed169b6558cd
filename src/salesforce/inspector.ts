/*
 * The org inspector (--admin-org): reads the org's setup through @salesforce/core's Connection, read-only, in at most
 * three sequential rounds of parallel requests:
 *   A  identity, Organization, the user and its likely variants, the app lists, MyDomainSettings
 *   B  the listed apps' metadata (batches of 10, all at once), UserLogin, the user's permission sets and groups,
 *      the inspecting user's own permissions
 *   C  for the app found: who is granted it (SetupEntityAccess), whether it is installed (AppMenuItem), its policy
 *      row, and the user's approvals of it (OauthToken)
 * Nothing throws: what cannot be read is recorded per area, with the permission that would allow it.
 */
import type { Connection } from '@salesforce/core';
import type { InspectRequest } from '../doctor/context.js';
import { AdminOrgError, openAdminConnection } from './adminConnection.js';
import { asArray, batches, byApp, certificateEntry, connectedAppFacts, externalClientAppFacts, type MetadataRecord } from './appMetadata.js';
import type { AppFacts, OrgInspection, UserFacts } from './inspection.js';
import { areaError, makeReader, type Reader } from './orgReads.js';
import * as q from './orgQueries.js';
import { rankUsers, userFacts, userQuery } from './userCandidates.js';

export type { OrgInspection } from './inspection.js';

type Row = Record<string, unknown>;
type Listed = { fullName: string; id?: string; type: string };

const METADATA_PERMISSION = 'Modify Metadata Through Metadata API Functions (or Modify All Data)';
const ECA_TYPES = ['ExtlClntAppGlobalOauthSettings', 'ExternalClientApplication', 'ExtlClntAppOauthSettings'];

async function records(conn: Connection, soql: string): Promise<Row[]> {
  return (await conn.query<Row>(soql)).records;
}

function listed(value: unknown): Listed[] {
  return asArray(value as Listed | Listed[]).filter((f) => f?.fullName);
}

function emptyInspection(adminOrg: string): OrgInspection {
  return { adminOrg, similarUsers: [], assignments: [], groupComponents: [], certificates: [], appKeys: [], appsSearched: { connectedApps: 0, externalClientApps: 0 }, errors: {}, rounds: 0, requests: 0 };
}

type RoundA = { list: Listed[]; ecaList: Listed[]; users: UserFacts[] };

async function roundA(conn: Connection, r: Reader, out: OrgInspection, request: InspectRequest): Promise<RoundA> {
  r.round();
  const [identity, org, users, caList, ecaList, ecaPolicies, myDomain] = await Promise.all([
    r.read('identity', () => conn.request<Row>('/services/oauth2/userinfo')),
    r.read('organization', () => records(conn, q.ORGANIZATION_QUERY)),
    r.read('user', () => records(conn, userQuery(request.username, request.instanceUrl))),
    r.read('apps', () => conn.metadata.list([{ type: 'ConnectedApp' }]), METADATA_PERMISSION),
    // ECA types are listed apart: an org without External Client Apps may refuse them without spoiling the CA list.
    r.read('apps', () => conn.metadata.list(ECA_TYPES.map((type) => ({ type }))), undefined, { quiet: true }),
    r.read('apps', () => conn.metadata.list([{ type: 'ExtlClntAppOauthConfigurablePolicies' }]), undefined, { quiet: true }),
    r.read('myDomainSettings', () => conn.metadata.read('MyDomainSettings', ['MyDomain']), METADATA_PERMISSION),
  ]);
  if (identity) {
    const urls = (identity.urls ?? {}) as Record<string, string>;
    out.myDomainUrl = urls.custom_domain?.replace(/\/$/, '');
    out.orgId = identity.organization_id as string | undefined;
    out.adminUserId = identity.user_id as string | undefined;
    out.adminUsername = (identity.preferred_username as string | undefined) ?? out.adminUsername;
  }
  if (org?.[0]) out.org = q.organizationFacts(org[0]);
  const setting = asArray(myDomain as MetadataRecord | MetadataRecord[])[0];
  if (setting) {
    const flag = (v: unknown): boolean | undefined => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined);
    out.myDomainPolicy = {
      canOnlyLoginWithMyDomainUrl: flag(setting.canOnlyLoginWithMyDomainUrl),
      doesApiLoginRequireOrgDomain: flag(setting.doesApiLoginRequireOrgDomain),
      domainPartition: setting.domainPartition as string | undefined,
    };
  }
  const ecaListed = [...listed(ecaList), ...listed(ecaPolicies)];
  return { list: listed(caList), ecaList: ecaListed, users: (users ?? []).map(userFacts) };
}

async function readAll(conn: Connection, r: Reader, type: string, names: string[]): Promise<MetadataRecord[]> {
  const results = await Promise.all(batches(names).map((batch) => r.read('apps', () => conn.metadata.read(type as 'ConnectedApp', batch), METADATA_PERMISSION)));
  return results.flatMap((rows) => asArray(rows as MetadataRecord | MetadataRecord[])).filter((m) => m && typeof m === 'object' && m.fullName);
}

async function findApps(conn: Connection, r: Reader, a: RoundA, now: number): Promise<AppFacts[]> {
  const names = (type: string): string[] => a.ecaList.filter((f) => f.type === type).map((f) => f.fullName);
  const [cas, globals, ecaApps, settings, policies] = await Promise.all([
    readAll(conn, r, 'ConnectedApp', a.list.map((f) => f.fullName)),
    readAll(conn, r, 'ExtlClntAppGlobalOauthSettings', names('ExtlClntAppGlobalOauthSettings')),
    readAll(conn, r, 'ExternalClientApplication', names('ExternalClientApplication')),
    readAll(conn, r, 'ExtlClntAppOauthSettings', names('ExtlClntAppOauthSettings')),
    readAll(conn, r, 'ExtlClntAppOauthConfigurablePolicies', names('ExtlClntAppOauthConfigurablePolicies')),
  ]);
  const idOf = (type: string, name: string): string | undefined => [...a.list, ...a.ecaList].find((f) => f.type === type && f.fullName === name)?.id;
  const [settingsBy, policiesBy, appsBy] = [byApp(settings), byApp(policies), byApp(ecaApps)];
  const caFacts = cas.map((m) => ({ ...connectedAppFacts(m, now), id: idOf('ConnectedApp', String(m.fullName)) }));
  const ecaFacts = globals.map((g) => {
    const name = String(g.externalClientApplication ?? g.fullName);
    return { ...externalClientAppFacts({ global: g, settings: settingsBy.get(name), policy: policiesBy.get(name), app: appsBy.get(name) }, now), id: idOf('ExternalClientApplication', name) };
  });
  return [...caFacts, ...ecaFacts];
}

async function roundB(conn: Connection, r: Reader, out: OrgInspection, a: RoundA, request: InspectRequest, now: number): Promise<void> {
  r.round();
  const user = out.user;
  const ids = a.users.map((u) => u.id);
  const [apps, logins, assignments, components, adminPerms] = await Promise.all([
    findApps(conn, r, a, now),
    ids.length ? r.read('userLogin', () => records(conn, q.userLoginQuery(ids))) : undefined,
    user ? r.read('permissionSets', () => records(conn, q.assignmentQuery(user.id))) : undefined,
    user ? r.read('permissionSets', () => records(conn, q.groupComponentQuery(user.id))) : undefined,
    out.adminUserId ? r.read('adminPermissions', () => records(conn, q.adminPermissionsQuery(out.adminUserId!))) : undefined,
  ]);
  out.appsSearched = { connectedApps: a.list.length, externalClientApps: a.ecaList.filter((f) => f.type === 'ExtlClntAppGlobalOauthSettings').length };
  out.certificates = apps.map(certificateEntry).filter((c) => c !== undefined);
  out.appKeys = apps.filter((x) => x.consumerKey).map((x) => ({ kind: x.kind, name: x.name, consumerKey: x.consumerKey! }));
  const key = request.clientId.trim();
  out.app = apps.find((app) => app.consumerKey === key);
  out.callbackUrl = out.app?.callbackUrl;
  for (const row of logins ?? []) {
    const u = [out.user, ...out.similarUsers].find((x) => x && x.id === row.UserId);
    if (u) Object.assign(u, { isFrozen: row.IsFrozen === true, isPasswordLocked: row.IsPasswordLocked === true });
  }
  out.assignments = (assignments ?? []).map((row) => q.assignmentFacts(row, now));
  out.groupComponents = (components ?? []).map(q.groupComponentFacts);
  if (adminPerms) out.adminPermissions = q.adminPermissions(adminPerms);
}

function applyPolicyRow(app: AppFacts, row: Row | undefined): void {
  if (!row) return;
  if (app.kind === 'ConnectedApp') {
    app.adminApproved ??= row.OptionsAllowAdminApprovedUsersOnly === true;
    if (row.OptionsHasSessionLevelPolicy === true) app.sessionLevel ??= 'HIGH_ASSURANCE';
    return;
  }
  app.adminApproved ??= row.PermittedUsersPolicyType === 'AdminApprovedPreAuthorized';
  app.sessionLevel ??= row.RequiredSessionLevel as string | undefined;
}

async function roundC(conn: Connection, r: Reader, out: OrgInspection): Promise<void> {
  const app = out.app;
  if (!app?.id) return;
  const appId = app.id;
  r.round();
  const user = out.user;
  const isCa = app.kind === 'ConnectedApp';
  const view = 'View Setup and Configuration';
  const [grants, menu, policy, approvals] = await Promise.all([
    r.read('appAccess', () => records(conn, q.grantQuery(appId)), view),
    isCa ? r.read('appMenu', () => records(conn, q.appMenuQuery(appId))) : undefined,
    r.read('appPolicy', () => records(conn, isCa ? q.connectedApplicationQuery(appId) : q.ecaPolicyQuery(appId)), view),
    user ? r.read('approvals', () => records(conn, q.approvalQuery(user.id, [app.label ?? app.name, app.name]))) : undefined,
  ]);
  if (grants) {
    out.grants = grants.map(q.grantFacts);
    app.grantedProfiles = [...new Set(out.grants.filter((g) => g.isOwnedByProfile && g.profileName).map((g) => g.profileName!))];
    app.grantedPermissionSets = [...new Set(out.grants.filter((g) => !g.isOwnedByProfile && g.permissionSetName).map((g) => g.permissionSetName!))];
  }
  if (menu) {
    app.installed = menu.length > 0;
    app.blocked = menu.length > 0 && menu.every((m) => m.IsAccessible === false);
  }
  applyPolicyRow(app, policy?.[0]);
  if (approvals) out.approvals = approvals.map(q.approvalFacts);
}

export async function inspectOrg(request: InspectRequest): Promise<OrgInspection> {
  const out = emptyInspection(request.adminOrg);
  let conn: Connection;
  try {
    const admin = await openAdminConnection(request.adminOrg);
    conn = admin.connection;
    out.adminUsername = admin.username;
  } catch (error) {
    out.errors.connection = error instanceof AdminOrgError ? { code: error.code, message: error.message } : areaError(error);
    return out;
  }
  const r = makeReader(out.errors, request.deadline);
  const now = Date.now();
  const a = await roundA(conn, r, out, request);
  const ranked = rankUsers(a.users, request.username, request.instanceUrl);
  out.user = ranked.exact;
  out.similarUsers = ranked.similar;
  await roundB(conn, r, out, a, request, now);
  await roundC(conn, r, out);
  // The user-facing approval count is only complete when the admin may see other users' tokens.
  const p = out.adminPermissions;
  out.approvalsComplete = p ? p.customizeApplication || p.modifyAllData : undefined;
  out.rounds = r.rounds;
  out.requests = r.requests;
  return out;
}
