/*
 * The org inspector (--admin-org): reads the org's setup through @salesforce/core's Connection, read-only, at most
 * three dependent requests deep:
 *   1  identity, Organization, the user and its likely variants, the app lists, MyDomainSettings
 *   2  the listed apps' metadata (batches of 10, all at once), UserLogin, the user's permission sets and groups,
 *      the inspecting user's own permissions
 *      (also at depth 1: the ConnectedApplication and ExternalClientApplication rows, the apps' ids by query;
 *      at depth 2: the user's OauthToken rows and the apps the user is granted)
 *   3  for the app found: who is granted it (SetupEntityAccess), whether it is installed (AppMenuItem), its policy row
 *   and the user's login attempts (LoginHistory), once the user is found and the doctor's token probe is over
 *      (readLoginHistory says why it waits, and why that adds no round trip)
 * Each request starts as soon as what it needs has been read (not when all of the level above has), goes through
 * the inspector's transport (inspectorTransport.ts: its own timeout, cut when the inspection ends) and never throws:
 * what cannot be read is recorded per area, with the permission that would allow it.
 */
import type { Connection } from '@salesforce/core';
import type { InspectRequest } from '../doctor/context.js';
import { AdminOrgError, openAdminConnection, type AdminConnection } from './adminConnection.js';
import {
  asArray,
  batches,
  byApp,
  certificateEntry,
  connectedAppFacts,
  externalClientAppFacts,
  type MetadataRecord,
} from './appMetadata.js';
import { approvalsOf, linkedToUser } from '../knowledge/appUse.js';
import type { AppFacts, AppRecord, OrgInspection, UserFacts } from './inspection.js';
import { InspectorRequestError, makeInspectorTransport, useInspectorTransport } from './inspectorTransport.js';
import { areaError, makeReader, PER_READ_TIMEOUT_MS, type Reader } from './orgReads.js';
import * as q from './orgQueries.js';
import { text } from '../doctor/text.js';
import { rankUsers, userFacts, userQuery } from './userCandidates.js';

export type { OrgInspection } from './inspection.js';

type Row = Record<string, unknown>;
/** listMetadata's FileProperties. Its `id` is never used as the app's id (no source says which id it is). */
type Listed = { fullName: string; id?: string; type: string; manageableState?: string; namespacePrefix?: string };

const METADATA_PERMISSION = 'Modify Metadata Through Metadata API Functions (or Modify All Data)';
const VIEW_SETUP = 'View Setup and Configuration';
/** UserLogin and LoginHistory need Manage Users (Object Reference), not View Setup. */
const MANAGE_USERS = 'Manage Users';
const ECA_TYPES = ['ExtlClntAppGlobalOauthSettings', 'ExternalClientApplication', 'ExtlClntAppOauthSettings'];

async function records(conn: Connection, soql: string): Promise<Row[]> {
  const result = (await conn.query<Row>(soql)) as { records?: unknown } | undefined;
  if (!Array.isArray(result?.records)) throw new InspectorRequestError('UNEXPECTED_ANSWER', text('orgRead.noRecords'));
  return result.records.filter((row): row is Row => row !== null && typeof row === 'object');
}

function listed(value: unknown): Listed[] {
  return asArray(value as Listed | Listed[]).filter(
    (f) => f && typeof f === 'object' && typeof f.fullName === 'string' && f.fullName !== '',
  );
}

function emptyInspection(adminOrg: string): OrgInspection {
  return {
    adminOrg,
    similarUsers: [],
    assignments: [],
    groupComponents: [],
    certificates: [],
    appKeys: [],
    appsSearched: { connectedApps: 0, externalClientApps: 0 },
    errors: {},
    rounds: 0,
    requests: 0,
  };
}

type Lists = { list: Listed[]; ecaList: Listed[] };

/** The run's identity: the admin user, its org and My Domain (userinfo). */
async function readIdentity(conn: Connection, r: Reader, out: OrgInspection): Promise<void> {
  const identity = await r.read('identity', () => conn.request<Row>('/services/oauth2/userinfo'));
  if (!identity || typeof identity !== 'object') return;
  const urls = (identity.urls && typeof identity.urls === 'object' ? identity.urls : {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  out.myDomainUrl = str(urls.custom_domain)?.replace(/\/$/, '');
  out.orgId = str(identity.organization_id);
  out.adminUserId = str(identity.user_id);
  out.adminUsername = str(identity.preferred_username) ?? out.adminUsername;
}

async function readOrganization(conn: Connection, r: Reader, out: OrgInspection): Promise<void> {
  const org = await r.read('organization', () => records(conn, q.ORGANIZATION_QUERY));
  if (org?.[0]) out.org = q.organizationFacts(org[0]);
}

async function readMyDomainSettings(conn: Connection, r: Reader, out: OrgInspection): Promise<void> {
  const myDomain = await r.read(
    'myDomainSettings',
    () => conn.metadata.read('MyDomainSettings', ['MyDomain']),
    METADATA_PERMISSION,
  );
  const setting = asArray(myDomain as MetadataRecord | MetadataRecord[])[0];
  if (!setting || typeof setting !== 'object') return;
  const flag = (v: unknown): boolean | undefined =>
    v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
  out.myDomainPolicy = {
    canOnlyLoginWithMyDomainUrl: flag(setting.canOnlyLoginWithMyDomainUrl),
    doesApiLoginRequireOrgDomain: flag(setting.doesApiLoginRequireOrgDomain),
    domainPartition: typeof setting.domainPartition === 'string' ? setting.domainPartition : undefined,
  };
}

async function readLists(conn: Connection, r: Reader): Promise<Lists> {
  const [caList, ecaList, ecaPolicies] = await Promise.all([
    r.read('apps', () => conn.metadata.list([{ type: 'ConnectedApp' }]), METADATA_PERMISSION),
    // ECA types are listed apart: an org without External Client Apps may refuse them without spoiling the CA list.
    r.read('apps', () => conn.metadata.list(ECA_TYPES.map((type) => ({ type }))), undefined, { quiet: true }),
    r.read('apps', () => conn.metadata.list([{ type: 'ExtlClntAppOauthConfigurablePolicies' }]), undefined, {
      quiet: true,
    }),
  ]);
  return { list: listed(caList), ecaList: [...listed(ecaList), ...listed(ecaPolicies)] };
}

async function readAll(conn: Connection, r: Reader, type: string, names: string[]): Promise<MetadataRecord[]> {
  const read = (batch: string[]): Promise<unknown> =>
    r.read('apps', () => conn.metadata.read(type as 'ConnectedApp', batch), METADATA_PERMISSION, { depth: 2 });
  const results = await Promise.all(batches(names).map(read));
  return results
    .flatMap((rows) => asArray(rows as MetadataRecord | MetadataRecord[]))
    .filter((m) => m && typeof m === 'object' && m.fullName);
}

const isPackaged = (f: Listed | undefined): boolean =>
  Boolean(f && (f.manageableState === 'installed' || f.manageableState === 'released' || f.namespacePrefix));

/** The apps as their metadata describes them; a consumer key that did not come back carries the reason. */
async function findApps(conn: Connection, r: Reader, a: Lists, now: number): Promise<AppFacts[]> {
  const names = (type: string): string[] => a.ecaList.filter((f) => f.type === type).map((f) => f.fullName);
  const [cas, globals, ecaApps, settings, policies] = await Promise.all([
    readAll(
      conn,
      r,
      'ConnectedApp',
      a.list.map((f) => f.fullName),
    ),
    readAll(conn, r, 'ExtlClntAppGlobalOauthSettings', names('ExtlClntAppGlobalOauthSettings')),
    readAll(conn, r, 'ExternalClientApplication', names('ExternalClientApplication')),
    readAll(conn, r, 'ExtlClntAppOauthSettings', names('ExtlClntAppOauthSettings')),
    readAll(conn, r, 'ExtlClntAppOauthConfigurablePolicies', names('ExtlClntAppOauthConfigurablePolicies')),
  ]);
  const listedAs = (type: string, name: string): Listed | undefined =>
    [...a.list, ...a.ecaList].find((f) => f.type === type && f.fullName === name);
  const [settingsBy, policiesBy, appsBy, globalsBy] = [
    byApp(settings),
    byApp(policies),
    byApp(ecaApps),
    byApp(globals),
  ];
  const caFacts = cas.map((m): AppFacts => {
    const facts = connectedAppFacts(m, now);
    const listedApp = listedAs('ConnectedApp', facts.name);
    const namespacePrefix = listedApp?.namespacePrefix || undefined;
    return {
      ...facts,
      namespacePrefix,
      keyUnreadable: facts.consumerKey ? undefined : isPackaged(listedApp) ? 'packaged' : 'not-returned',
    };
  });
  // An ECA is known from its app record or its global settings: a packaged one has no global settings in this org.
  const ecaNames = [...new Set([...appsBy.keys(), ...globalsBy.keys()])];
  const ecaFacts = ecaNames.map((name): AppFacts => {
    const global = globalsBy.get(name);
    const facts = externalClientAppFacts(
      {
        global: global ?? { externalClientApplication: name },
        settings: settingsBy.get(name),
        policy: policiesBy.get(name),
        app: appsBy.get(name),
      },
      now,
    );
    const listedApp = listedAs('ExternalClientApplication', name);
    const packaged = isPackaged(listedApp) || appsBy.get(name)?.distributionState === 'Packaged';
    const keyUnreadable = facts.consumerKey
      ? undefined
      : global
        ? 'eca-setting'
        : packaged
          ? 'eca-packaged'
          : 'not-returned';
    // The app is there, none of its OAuth settings are: what a sandbox refresh can leave (known issue a02Ka00000mn8S6).
    const oauthSettingsMissing = !global && !settingsBy.has(name) && !packaged ? true : undefined;
    return {
      ...facts,
      namespacePrefix: listedApp?.namespacePrefix || undefined,
      keyUnreadable,
      ...(oauthSettingsMissing ? { oauthSettingsMissing } : {}),
    };
  });
  return [...caFacts, ...ecaFacts];
}

/** The ConnectedApplication and ExternalClientApplication rows (depth 1): the apps' ids, by query. */
async function readAppRecords(conn: Connection, r: Reader, out: OrgInspection): Promise<void> {
  const [cas, ecas] = await Promise.all([
    r.read('appRecords', () => records(conn, q.CONNECTED_APPLICATIONS_QUERY), VIEW_SETUP),
    // An org without External Client Apps may not know the object: that must not hide the Connected Apps' ids.
    r.read('appRecords', () => records(conn, q.EXTERNAL_CLIENT_APPS_QUERY), VIEW_SETUP, { quiet: true }),
  ]);
  if (!cas && !ecas) return;
  out.appRecords = [...(cas ?? []), ...(ecas ?? [])].map(q.appRecordFacts).filter((x) => x !== undefined);
}

/** The app's row: an ECA by developer name; a Connected App by its Name (the label), else its developer name. */
function recordOf(app: AppFacts, recs: AppRecord[]): AppRecord | undefined {
  const same = recs.filter((x) => x.kind === app.kind);
  const one = (rows: AppRecord[]): AppRecord | undefined => (rows.length === 1 ? rows[0] : undefined);
  if (app.kind === 'ExternalClientApp') return one(same.filter((x) => x.name === app.name));
  return one(same.filter((x) => x.name === (app.label ?? app.name))) ?? one(same.filter((x) => x.name === app.name));
}

/**
 * The apps: listed (depth 1), read (depth 2), their ids from their rows (depth 1), the one whose consumer key is the
 * client id picked out. When none is and some keys could not be read, the keyless app the org's data points to (the
 * only one, or the only one the user is pre-authorized for or approved) is taken as the likely app.
 */
async function readApps(
  conn: Connection,
  r: Reader,
  out: OrgInspection,
  request: InspectRequest,
  now: number,
  rows: Promise<void>,
  userApps: Promise<void>,
): Promise<void> {
  const lists = await readLists(conn, r);
  const [apps] = await Promise.all([findApps(conn, r, lists, now), rows]);
  for (const app of apps) {
    const rec = out.appRecords ? recordOf(app, out.appRecords) : undefined;
    app.id = rec?.id;
    app.foundBy = rec ? ['record'] : [];
  }
  out.apps = apps;
  out.appsSearched = {
    connectedApps: lists.list.length,
    externalClientApps: apps.filter((x) => x.kind === 'ExternalClientApp').length,
  };
  out.certificates = apps.map(certificateEntry).filter((c) => c !== undefined);
  out.appKeys = apps
    .filter((x) => x.consumerKey)
    .map((x) => ({ kind: x.kind, name: x.name, consumerKey: x.consumerKey! }));
  const keyless = apps.filter((x) => x.keyUnreadable);
  out.keylessApps = keyless;
  const key = request.clientId.trim();
  const byKey = apps.find((app) => app.consumerKey === key);
  if (byKey) byKey.foundBy = ['metadata', ...(byKey.foundBy ?? [])];
  else if (keyless.length > 0) await userApps;
  out.app = byKey ?? likelyKeylessApp(out);
  out.callbackUrl = out.app?.callbackUrl;
}

function likelyKeylessApp(out: OrgInspection): AppFacts | undefined {
  const keyless = out.keylessApps ?? [];
  if (keyless.length === 1) return keyless[0];
  const used = keyless.filter((app) => linkedToUser(out, app));
  return used.length === 1 ? used[0] : undefined;
}

/** The user and its likely variants (depth 1). */
async function findUsers(
  conn: Connection,
  r: Reader,
  out: OrgInspection,
  request: InspectRequest,
): Promise<UserFacts[]> {
  const rows = await r.read('user', () => records(conn, userQuery(request.username, request.instanceUrl)));
  const found = (rows ?? []).map(userFacts);
  const ranked = rankUsers(found, request.username, request.instanceUrl);
  out.user = ranked.exact;
  out.similarUsers = ranked.similar;
  return found;
}

/** The users' login state and the user's permission sets (depth 2). */
async function readUsers(
  conn: Connection,
  r: Reader,
  out: OrgInspection,
  usersFound: Promise<UserFacts[]>,
  now: number,
): Promise<void> {
  const found = await usersFound;
  const user = out.user;
  const ids = found.map((u) => u.id);
  const [logins, assignments, components] = await Promise.all([
    ids.length
      ? r.read('userLogin', () => records(conn, q.userLoginQuery(ids)), MANAGE_USERS, { depth: 2 })
      : undefined,
    user
      ? r.read('permissionSets', () => records(conn, q.assignmentQuery(user.id)), undefined, { depth: 2 })
      : undefined,
    user
      ? r.read('permissionSets', () => records(conn, q.groupComponentQuery(user.id)), undefined, { depth: 2 })
      : undefined,
  ]);
  for (const row of logins ?? []) {
    const u = [out.user, ...out.similarUsers].find((x) => x && x.id === row.UserId);
    if (u) Object.assign(u, { isFrozen: row.IsFrozen === true, isPasswordLocked: row.IsPasswordLocked === true });
  }
  out.assignments = (assignments ?? []).map((row) => q.assignmentFacts(row, now));
  out.groupComponents = (components ?? []).map(q.groupComponentFacts);
}

async function readAdminPermissions(conn: Connection, r: Reader, out: OrgInspection, id: Promise<void>): Promise<void> {
  await id;
  const adminUserId = out.adminUserId;
  if (!adminUserId) return;
  const rows = await r.read('adminPermissions', () => records(conn, q.adminPermissionsQuery(adminUserId)), undefined, {
    depth: 2,
  });
  if (rows) out.adminPermissions = q.adminPermissions(rows);
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

/** For the app found (depth 3): who is granted it, whether it is installed, its policy row. */
async function readAppSetup(conn: Connection, r: Reader, out: OrgInspection, apps: Promise<void>): Promise<void> {
  await apps;
  const app = out.app;
  const noId = out.errors.appRecords;
  if (app && !app.id && noId) {
    // Reading who is granted the app, its menu item and its policy row takes its id, which its row would have given.
    for (const area of ['appAccess', 'appMenu', 'appPolicy'] as const)
      out.errors[area] ??= { ...noId, message: text('orgRead.noAppId', { reason: noId.message }) };
  }
  if (!app?.id) return;
  const appId = app.id;
  const isCa = app.kind === 'ConnectedApp';
  const view = VIEW_SETUP;
  const deep = { depth: 3 };
  const [grants, menu, policy] = await Promise.all([
    r.read('appAccess', () => records(conn, q.grantQuery(appId)), view, deep),
    isCa ? r.read('appMenu', () => records(conn, q.appMenuQuery(appId)), undefined, deep) : undefined,
    r.read(
      'appPolicy',
      () => records(conn, isCa ? q.connectedApplicationQuery(appId) : q.ecaPolicyQuery(appId)),
      view,
      deep,
    ),
  ]);
  if (grants) {
    out.grants = grants.map(q.grantFacts);
    app.grantedProfiles = [
      ...new Set(out.grants.filter((g) => g.isOwnedByProfile && g.profileName).map((g) => g.profileName!)),
    ];
    app.grantedPermissionSets = [
      ...new Set(out.grants.filter((g) => !g.isOwnedByProfile && g.permissionSetName).map((g) => g.permissionSetName!)),
    ];
  }
  if (menu) {
    app.installed = menu.length > 0;
    app.blocked = menu.length > 0 && menu.every((m) => m.IsAccessible === false);
  }
  applyPolicyRow(app, policy?.[0]);
}

/** The user's approvals of every app and the apps the user is granted (depth 2): which apps the user can use. */
async function readUserApps(conn: Connection, r: Reader, out: OrgInspection, users: Promise<unknown>): Promise<void> {
  await users;
  const user = out.user;
  if (!user) return;
  const deep = { depth: 2 };
  const [tokens, access] = await Promise.all([
    r.read('approvals', () => records(conn, q.userApprovalsQuery(user.id)), undefined, deep),
    r.read('userAppAccess', () => records(conn, q.userAppAccessQuery(user.id)), VIEW_SETUP, deep),
  ]);
  if (tokens) out.userApprovals = tokens.map(q.approvalFacts);
  if (access) out.userAppIds = [...new Set(access.map((row) => String(row.SetupEntityId)))];
}

/** The app's own approvals, and the routes that found it besides its key: its row, the user's OauthToken rows. */
async function readApprovals(out: OrgInspection, apps: Promise<void>, userApps: Promise<void>): Promise<void> {
  await Promise.all([apps, userApps]);
  const app = out.app;
  if (!app || !out.user) return;
  out.approvals = approvalsOf(out, app);
  if (out.approvals?.length && !app.foundBy?.includes('approval')) app.foundBy = [...(app.foundBy ?? []), 'approval'];
}

/** Settles with `gate`, or at the deadline if it never does. */
function until(gate: Promise<unknown> | undefined, deadline: number): Promise<unknown> {
  if (!gate) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    timer.unref();
  });
  return Promise.race([gate.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The user's latest login attempts (LoginHistory): Salesforce's own record, the observed evidence of what happened to
 * a login. Read once the user is found and once the run's own token requests are over (request.loginAttemptsOver),
 * so that the doctor's probe attempts are in it: read earlier, it would show only older attempts, made perhaps
 * against another setup, and say nothing for certain about this run. Waiting costs no round trip of its own: the
 * probe (1–2 sequential requests) runs alongside the inspection's levels 1 and 2, so this read goes out about when
 * level 3 does, in parallel with it. It counts as depth 2 (the user is the only inspection read it needs).
 */
async function readLoginHistory(
  conn: Connection,
  r: Reader,
  out: OrgInspection,
  request: InspectRequest,
  usersFound: Promise<unknown>,
): Promise<void> {
  await Promise.all([usersFound, until(request.loginAttemptsOver, request.deadline)]);
  const user = out.user;
  if (!user) return;
  const rows = await r.read('loginHistory', () => records(conn, q.loginHistoryQuery(user.id)), MANAGE_USERS, {
    depth: 2,
  });
  if (rows) out.loginHistory = rows.map(q.loginRecord).filter((x) => x !== undefined);
}

/**
 * Every area starts as soon as what it needs is read, not when a whole round is: a hung userinfo delays only the
 * admin's own permissions, a slow app search only what is read about the app found.
 */
async function inspect(
  conn: Connection,
  r: Reader,
  out: OrgInspection,
  request: InspectRequest,
  now: number,
): Promise<void> {
  const identity = readIdentity(conn, r, out);
  const usersFound = findUsers(conn, r, out, request);
  const users = readUsers(conn, r, out, usersFound, now);
  const userApps = readUserApps(conn, r, out, usersFound);
  const apps = readApps(conn, r, out, request, now, readAppRecords(conn, r, out), userApps);
  await Promise.all([
    identity,
    users,
    userApps,
    apps,
    readOrganization(conn, r, out),
    readMyDomainSettings(conn, r, out),
    readAdminPermissions(conn, r, out, identity),
    readAppSetup(conn, r, out, apps),
    readApprovals(out, apps, userApps),
    readLoginHistory(conn, r, out, request, usersFound),
  ]);
}

export async function inspectOrg(request: InspectRequest): Promise<OrgInspection> {
  const out = emptyInspection(request.adminOrg);
  let conn: Connection;
  let admin: AdminConnection;
  try {
    admin = await openAdminConnection(request.adminOrg, request.deadline);
    conn = admin.connection;
    out.adminUsername = admin.username;
    out.adminHost = new URL(admin.origin).host;
  } catch (error) {
    out.errors.connection =
      error instanceof AdminOrgError ? { code: error.code, message: error.message } : areaError(error);
    return out;
  }
  const r = makeReader(out.errors, request.deadline);
  const transport = makeInspectorTransport({
    deadline: request.deadline,
    perRequestMs: PER_READ_TIMEOUT_MS,
    origin: admin.origin,
  });
  useInspectorTransport(conn, transport);
  try {
    await inspect(conn, r, out, request, Date.now());
  } finally {
    // Whatever still runs (a read given up at its timeout) is cut: no socket outlives the inspection.
    transport.close();
  }
  if (transport.redirects.length > 0) out.redirects = [...transport.redirects];
  // The user-facing approval count is only complete when the admin may see other users' tokens.
  const p = out.adminPermissions;
  out.approvalsComplete = p ? p.customizeApplication || p.modifyAllData : undefined;
  out.rounds = r.rounds;
  out.requests = r.requests;
  return out;
}
