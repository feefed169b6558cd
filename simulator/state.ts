/*
 * The live org model. Everything the org "knows" is a row in a table named like the sObject (User, PermissionSet,
 * SetupEntityAccess, OauthToken, …), so the token rules, SOQL and record creation all read and change one state.
 * Data Salesforce does not expose through SOQL (consumer keys, certificates, scopes) lives in `apps`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { behaviourOf } from './behaviour.js';
import { IdFactory, PREFIX, to18 } from './ids.js';
import { selfSignedCertificate, type CertificateSpec } from './keys.js';
import type { Behaviour, Scenario, ScenarioApp, ScenarioAssignment, ScenarioOrg } from './scenario.js';

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

export const PRODUCTION_HOST = 'login.salesforce.com';
export const SANDBOX_HOST = 'test.salesforce.com';

const here = dirname(fileURLToPath(import.meta.url));
export const SCENARIO_DIR = join(here, 'scenarios');

export function listScenarios(): Array<{ name: string; description: string }> {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const s = JSON.parse(readFileSync(join(SCENARIO_DIR, f), 'utf8')) as Scenario;
      return { name: f.replace(/\.json$/, ''), description: s.description };
    });
}

export function loadScenario(nameOrScenario: string | Scenario): Scenario {
  if (typeof nameOrScenario !== 'string') return nameOrScenario;
  const file = nameOrScenario.endsWith('.json') ? nameOrScenario : join(SCENARIO_DIR, `${nameOrScenario}.json`);
  if (!existsSync(file)) throw new Error(`Unknown scenario "${nameOrScenario}" (no ${file}).`);
  const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
  return { ...scenario, name: scenario.name ?? nameOrScenario.replace(/^.*\//, '').replace(/\.json$/, '') };
}

/** Salesforce's REST date-time format: 2025-01-15T10:00:00.000+0000. */
export function sfDateTime(value: string | number | Date): string {
  return new Date(value).toISOString().replace('Z', '+0000');
}

/** The 2-char pod that makes ids of different scenarios differ (stable per org name). */
function podOf(name: string): string {
  const h = createHash('sha256').update(name).digest();
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return chars[h[0] % 62] + chars[h[1] % 62];
}

const SCOPE_SYNONYMS: Record<string, string> = { offline_access: 'refresh_token' };

/** Normalised scope set: offline_access and refresh_token are one scope ("Perform requests at any time"). */
export function normaliseScopes(scopes: string[]): string[] {
  return [...new Set(scopes.map((s) => SCOPE_SYNONYMS[s.trim().toLowerCase()] ?? s.trim().toLowerCase()))].filter(Boolean);
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
];

export class OrgState {
  public readonly scenario: Scenario;
  public readonly behaviour: Required<Behaviour>;
  public readonly org: ScenarioOrg;
  public readonly orgId: string;
  public readonly ids: IdFactory;
  public readonly apps: AppDetail[] = [];
  public readonly tokens = new Map<string, IssuedToken>();
  /** Authorization codes from the web-server flow, waiting to be exchanged. */
  public readonly codes = new Map<string, { userId: string; appId: string; scopes: string[]; redirectUri: string }>();
  public clockOffsetSeconds: number;
  /** Per user: when each token was issued in the last hour (the login rate limit's counter). */
  public readonly loginTimes = new Map<string, number[]>();
  private readonly tables = new Map<string, Rec[]>();

  public constructor(scenario: Scenario, options: { clockOffsetSeconds?: number } = {}) {
    this.scenario = scenario;
    this.org = scenario.org;
    this.behaviour = behaviourOf(scenario.server?.behaviour);
    this.clockOffsetSeconds = options.clockOffsetSeconds ?? scenario.server?.clock?.offsetSeconds ?? 0;
    this.ids = new IdFactory(podOf(scenario.org.name + scenario.org.myDomain));
    this.orgId = scenario.org.id ? to18(scenario.org.id) : to18(`00D${podOf(scenario.org.myDomain)}000000${podOf(scenario.org.name)}AB`);
    this.build();
  }

  // ---- clock and identity of the org ----

  /** The server's clock (ms), shifted by the scenario's clock offset. */
  public now(): number {
    return Date.now() + this.clockOffsetSeconds * 1000;
  }

  public get isSandboxRealm(): boolean {
    return this.org.kind === 'sandbox' || this.org.kind === 'scratch';
  }

  public get myDomainUrl(): string {
    return `https://${this.org.myDomain.toLowerCase()}`;
  }

  /** Hosts that serve this org (My Domain and extra hosts). */
  public get orgHosts(): string[] {
    return [this.org.myDomain, ...(this.org.otherHosts ?? [])].map((h) => h.toLowerCase());
  }

  /** Every host a client may try for this scenario: routed to the simulator. */
  public get allHosts(): string[] {
    return [...new Set([...this.orgHosts, PRODUCTION_HOST, SANDBOX_HOST])];
  }

  /** Hosts that no longer exist (an old My Domain): routed to a closed port, never to DNS. */
  public get deadHosts(): string[] {
    return [...(this.org.previousMyDomains ?? []), ...(this.org.retiredHosts ?? [])]
      .map((h) => h.toLowerCase())
      .filter((h) => !this.allHosts.includes(h));
  }

  // ---- tables ----

  public table(name: string): Rec[] {
    let t = this.tables.get(name);
    if (!t) {
      t = [];
      this.tables.set(name, t);
    }
    return t;
  }

  public insert(name: string, rec: Rec): Rec {
    this.table(name).push(rec);
    return rec;
  }

  public remove(name: string, id: string): boolean {
    const t = this.table(name);
    const i = t.findIndex((r) => r.Id === id || (typeof r.Id === 'string' && r.Id.slice(0, 15) === id.slice(0, 15)));
    if (i < 0) return false;
    t.splice(i, 1);
    return true;
  }

  public byId(name: string, id: unknown): Rec | undefined {
    if (typeof id !== 'string') return undefined;
    return this.table(name).find((r) => r.Id === id || (typeof r.Id === 'string' && r.Id.slice(0, 15) === id.slice(0, 15)));
  }

  // ---- lookups the rules use ----

  public userByUsername(username: string): Rec | undefined {
    const ci = this.behaviour.usernameMatch === 'case-insensitive';
    return this.table('User').find((u) =>
      ci ? String(u.Username).toLowerCase() === username.toLowerCase() : u.Username === username
    );
  }

  public userLogin(userId: string): Rec | undefined {
    return this.table('UserLogin').find((l) => l.UserId === userId);
  }

  public appByKey(consumerKey: string): AppDetail | undefined {
    return this.apps.find((a) => a.consumerKey === consumerKey);
  }

  public appByName(nameOrLabel: string): AppDetail | undefined {
    return this.apps.find((a) => a.name === nameOrLabel || a.label === nameOrLabel || a.consumerKey === nameOrLabel);
  }

  public profileOwnedPermissionSet(profileId: unknown): Rec | undefined {
    return this.table('PermissionSet').find((p) => p.IsOwnedByProfile === true && p.ProfileId === profileId);
  }

  /** Permission sets in effect for a user: the profile's own, plus active, unexpired assignments (groups expanded). */
  public effectivePermissionSetIds(userId: string): Set<string> {
    const user = this.byId('User', userId);
    const ids = new Set<string>();
    const own = user ? this.profileOwnedPermissionSet(user.ProfileId) : undefined;
    if (own) ids.add(own.Id as string);
    const now = this.now();
    for (const a of this.table('PermissionSetAssignment')) {
      if (a.AssigneeId !== userId) continue;
      if (a.IsActive === false || a.IsRevoked === true) continue;
      if (a.ExpirationDate && Date.parse(String(a.ExpirationDate)) <= now) continue;
      if (a.PermissionSetGroupId) {
        const group = this.byId('PermissionSetGroup', a.PermissionSetGroupId);
        if (group && group.Status === 'Outdated') continue;
        for (const c of this.table('PermissionSetGroupComponent')) {
          if (c.PermissionSetGroupId === a.PermissionSetGroupId) ids.add(c.PermissionSetId as string);
        }
      }
      if (a.PermissionSetId) ids.add(a.PermissionSetId as string);
    }
    return ids;
  }

  public userHasPermission(userId: string, permission: string): boolean {
    for (const psId of this.effectivePermissionSetIds(userId)) {
      const ps = this.byId('PermissionSet', psId);
      if (ps && ps[`Permissions${permission}`] === true) return true;
    }
    return false;
  }

  /** Admin pre-authorization: a permission set of the user (incl. the profile's) has SetupEntityAccess to the app. */
  public isPreAuthorized(userId: string, app: AppDetail): boolean {
    const sets = this.effectivePermissionSetIds(userId);
    return this.table('SetupEntityAccess').some((s) => s.SetupEntityId === app.id && sets.has(s.ParentId as string));
  }

  /** Prior approvals (OauthToken rows) of this app by this user. */
  public approvalsOf(userId: string, app: AppDetail): Rec[] {
    return this.table('OauthToken').filter((t) => t.UserId === userId && t._appId === app.id);
  }

  // ---- changes ----

  /** Records a one-time approval (what an interactive OAuth flow with refresh_token leaves behind). */
  public recordApproval(userId: string, app: AppDetail, scopes: string[]): Rec {
    const when = sfDateTime(this.now());
    return this.insert('OauthToken', {
      Id: null,
      AccessToken: `5Aep861${randomBytes(20).toString('base64url').replace(/[-_]/g, 'x')}`,
      AppMenuItemId: app.appMenuItemId,
      AppName: app.label,
      DeleteToken: `5Aep861${randomBytes(20).toString('base64url').replace(/[-_]/g, 'y')}`,
      LastUsedDate: when,
      RequestToken: null,
      UseCount: 1,
      UserId: userId,
      CreatedDate: when,
      _appId: app.id,
      _scopes: normaliseScopes(scopes),
    });
  }

  /** One LoginHistory row (the token endpoint's attempts, and a scenario's earlier ones). */
  public recordLogin(l: { userId: string; time: number; status: string; application: string; loginType: string; loginUrl: string; sourceIp: string }): Rec {
    return this.insert('LoginHistory', {
      Id: this.ids.next(PREFIX.LoginHistory),
      UserId: l.userId,
      LoginTime: sfDateTime(l.time),
      LoginType: l.loginType,
      LoginSubType: null,
      Status: l.status,
      Application: l.application,
      LoginUrl: l.loginUrl,
      SourceIp: l.sourceIp,
      ApiType: 'N/A',
      ApiVersion: 'N/A',
      Browser: 'Unknown',
      Platform: 'Unknown',
    });
  }

  /** Logins of this user within the rate limit window ending now. */
  public loginsInWindow(userId: string): number {
    const since = this.now() - LOGIN_RATE_WINDOW_MS;
    const kept = (this.loginTimes.get(userId) ?? []).filter((t) => t > since);
    this.loginTimes.set(userId, kept);
    return kept.length;
  }

  public countLogin(userId: string): void {
    this.loginTimes.set(userId, [...(this.loginTimes.get(userId) ?? []), this.now()]);
  }

  /**
   * Whether a user's session may use the API: the org has the API (org.apiEnabled) and the user has API Enabled
   * (PermissionsApiEnabled on the profile or a permission set). Object Reference: PermissionSet.PermissionsApiEnabled.
   */
  public apiAllowedFor(userId: string): boolean {
    return this.org.apiEnabled !== false && this.userHasPermission(userId, 'ApiEnabled');
  }

  /** An opaque session id in Salesforce's shape (`00D…!…`, characters core's accessTokenRegex accepts). */
  public issueToken(userId: string, scopes: string[], appId: string | null): string {
    const body = randomBytes(72).toString('base64url').replace(/[-_]/g, '') + '.' + randomBytes(12).toString('hex');
    const token = `${this.orgId.slice(0, 15)}!AQ${body}`;
    this.tokens.set(token, { userId, scopes, appId, issuedAt: this.now() });
    return token;
  }

  // ---- building from the scenario ----

  private build(): void {
    const s = this.scenario;
    const org = s.org;
    // A sandbox's Organization row is re-created by every refresh: its CreatedDate is the refresh time.
    const created = sfDateTime(org.refreshedAt ?? '2024-03-01T09:00:00Z');
    this.insert('Organization', {
      Id: this.orgId,
      Name: org.name,
      InstanceName: org.instanceName ?? (this.isSandboxRealm ? 'CS224' : 'NA224'),
      IsSandbox: this.isSandboxRealm,
      OrganizationType: org.edition ?? (org.kind === 'developer' ? 'Developer Edition' : 'Enterprise Edition'),
      TrialExpirationDate: org.trialExpirationDate ?? (org.kind === 'scratch' ? sfDateTime(Date.now() + 7 * 86_400_000) : null),
      NamespacePrefix: org.namespacePrefix ?? null,
      LanguageLocaleKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
      CreatedDate: created,
      _active: org.active !== false,
    });
    const partition = { production: 'none', developer: 'develop', sandbox: 'sandbox', scratch: 'scratch' }[org.kind];
    for (const d of [...(org.previousMyDomains ?? []), org.myDomain]) {
      this.insert('OrgDomainLog', {
        Id: this.ids.next(PREFIX.OrgDomainLog),
        MyDomainName: d.split('.')[0],
        DomainPartition: partition,
        CreatedDate: created,
      });
    }

    const profileIds = new Map<string, string>();
    for (const p of s.profiles ?? []) {
      const id = this.ids.next(PREFIX.Profile);
      profileIds.set(p.name, id);
      this.insert('Profile', { Id: id, Name: p.name, UserType: p.userType ?? 'Standard', _loginIpRanges: p.loginIpRanges ?? [] });
      this.insert('PermissionSet', this.permissionSetRow(`X${id}`, p.name, p.permissions ?? [], { IsOwnedByProfile: true, ProfileId: id, IsCustom: false }));
    }
    const psIds = new Map<string, string>();
    for (const ps of s.permissionSets ?? []) {
      const row = this.insert('PermissionSet', this.permissionSetRow(ps.name, ps.label ?? ps.name, ps.permissions ?? [], {}));
      psIds.set(ps.name, row.Id as string);
    }
    const groupIds = new Map<string, string>();
    for (const g of s.permissionSetGroups ?? []) {
      const id = this.ids.next(PREFIX.PermissionSetGroup);
      groupIds.set(g.name, id);
      this.insert('PermissionSetGroup', { Id: id, DeveloperName: g.name, MasterLabel: g.label ?? g.name, Status: g.status ?? 'Updated' });
      for (const name of g.permissionSets) {
        this.insert('PermissionSetGroupComponent', {
          Id: this.ids.next(PREFIX.PermissionSetGroupComponent),
          PermissionSetGroupId: id,
          PermissionSetId: need(psIds, name, 'permission set'),
        });
      }
      // Every group has an aggregate permission set of Type Group (Salesforce creates it).
      this.insert('PermissionSet', this.permissionSetRow(`${g.name}_Group`, g.label ?? g.name, [], { PermissionSetGroupId: id, Type: 'Group' }));
    }

    for (const u of s.users ?? []) {
      const id = this.ids.next(PREFIX.User);
      const profileId = need(profileIds, u.profile, 'profile');
      const [first, last] = [u.firstName ?? u.username.split('@')[0], u.lastName ?? 'User'];
      this.insert('User', {
        Id: id,
        Username: u.username,
        Name: `${first} ${last}`,
        FirstName: first,
        LastName: last,
        Email: u.email ?? (this.isSandboxRealm ? `${u.username.replace(/\.[^.@]+$/, '')}.invalid` : u.username),
        IsActive: u.active !== false,
        ProfileId: profileId,
        UserType: u.userType ?? (s.profiles ?? []).find((p) => p.name === u.profile)?.userType ?? 'Standard',
        LastLoginDate: u.lastLogin ? sfDateTime(u.lastLogin) : null,
        TimeZoneSidKey: 'America/Los_Angeles',
        LanguageLocaleKey: 'en_US',
        CreatedDate: created,
      });
      this.insert('UserLogin', {
        Id: this.ids.next(PREFIX.UserLogin),
        UserId: id,
        IsFrozen: u.frozen === true,
        IsPasswordLocked: u.passwordLocked === true,
        LastModifiedDate: created,
      });
      const own = this.profileOwnedPermissionSet(profileId);
      if (own) this.assign(id, { PermissionSetId: own.Id }, {});
      for (const a of u.permissionSets ?? []) this.assign(id, { PermissionSetId: need(psIds, nameOf(a), 'permission set') }, a);
      for (const a of u.permissionSetGroups ?? []) {
        const gid = need(groupIds, nameOf(a), 'permission set group');
        const groupPs = this.table('PermissionSet').find((p) => p.PermissionSetGroupId === gid);
        this.assign(id, { PermissionSetGroupId: gid, PermissionSetId: groupPs?.Id ?? null }, a);
      }
    }

    for (const a of s.apps ?? []) this.addApp(a, profileIds, psIds);

    for (const ap of s.approvals ?? []) {
      const user = this.userByUsername(ap.user) ?? this.table('User').find((u) => u.Username === ap.user);
      const app = this.appByName(ap.app);
      if (!user || !app) throw new Error(`approval: unknown user "${ap.user}" or app "${ap.app}"`);
      const row = this.recordApproval(user.Id as string, app, ap.scopes);
      row.UseCount = ap.useCount ?? 1;
      if (ap.lastUsed) row.LastUsedDate = sfDateTime(ap.lastUsed);
      if (ap.created) row.CreatedDate = sfDateTime(ap.created);
    }
    // The login rate limit's counter before the run: a user's logins in the last hour, spread over it.
    for (const u of s.users ?? []) {
      const n = u.loginsInLastHour ?? 0;
      const user = this.table('User').find((r) => r.Username === u.username);
      if (!user || n <= 0) continue;
      const start = this.now() - LOGIN_RATE_WINDOW_MS / 2;
      this.loginTimes.set(user.Id as string, Array.from({ length: n }, (_, i) => start + (i * LOGIN_RATE_WINDOW_MS) / 2 / n));
    }
    for (const l of s.loginHistory ?? []) {
      const user = this.userByUsername(l.user) ?? this.table('User').find((u) => u.Username === l.user);
      if (!user) throw new Error(`loginHistory: unknown user "${l.user}"`);
      const oauth = l.loginType === undefined || l.loginType === OAUTH2_LOGIN_TYPE;
      this.recordLogin({
        userId: user.Id as string,
        time: Date.parse(l.time),
        status: l.status,
        application: l.application ?? (oauth ? 'N/A' : 'Browser'),
        loginType: l.loginType ?? OAUTH2_LOGIN_TYPE,
        loginUrl: l.loginUrl ?? this.org.myDomain.toLowerCase(),
        sourceIp: l.sourceIp ?? '203.0.113.10',
      });
    }
    this.generate();
  }

  private permissionSetRow(name: string, label: string, permissions: string[], extra: Rec): Rec {
    const row: Rec = {
      Id: this.ids.next(PREFIX.PermissionSet),
      Name: name,
      Label: label,
      IsOwnedByProfile: false,
      ProfileId: null,
      IsCustom: true,
      LicenseId: null,
      PermissionSetGroupId: null,
      Type: extra.IsOwnedByProfile ? 'Profile' : 'Regular',
      NamespacePrefix: null,
      CreatedDate: sfDateTime('2024-03-01T09:00:00Z'),
      ...extra,
    };
    for (const p of PERMISSIONS) row[`Permissions${p}`] = permissions.includes(p);
    return row;
  }

  private assign(userId: string, target: Rec, spec: ScenarioAssignment | Rec): void {
    const s = typeof spec === 'string' ? {} : (spec as { expires?: string; active?: boolean });
    this.insert('PermissionSetAssignment', {
      Id: this.ids.next(PREFIX.PermissionSetAssignment),
      AssigneeId: userId,
      PermissionSetId: null,
      PermissionSetGroupId: null,
      IsActive: s.active !== false,
      ExpirationDate: s.expires ? sfDateTime(s.expires) : null,
      IsRevoked: false,
      ...target,
    });
  }

  private addApp(a: ScenarioApp, profileIds: Map<string, string>, psIds: Map<string, string>): AppDetail {
    const isCa = a.type === 'ConnectedApp';
    const id = this.ids.next(isCa ? PREFIX.ConnectedApplication : PREFIX.ExternalClientApplication);
    const label = a.label ?? a.name.replace(/_/g, ' ');
    const installed = a.installed !== false;
    const detail: AppDetail = {
      id,
      type: a.type,
      name: a.name,
      label,
      consumerKey: a.consumerKey,
      certificate: a.certificate ?? null,
      certificatePem: a.certificate ? selfSignedCertificate(a.certificate) : null,
      scopes: a.scopes,
      adminApproved: a.adminApproved === true,
      ipRelaxation: a.ipRelaxation ?? 'ENFORCE',
      refreshTokenPolicy: a.refreshTokenPolicy ?? 'infinite',
      sessionLevel: a.sessionLevel ?? 'STANDARD',
      installed,
      blocked: a.blocked === true,
      // CAs of production orgs (and a Dev Hub's) have copies, same key and certificate, in the other realm.
      origin: a.origin ?? (isCa && this.org.kind !== 'developer' ? 'production' : 'local'),
      callbackUrl: a.callbackUrl ?? 'http://localhost:1717/OauthRedirect',
      appMenuItemId: null,
      policyId: null,
      distributionState: a.distributionState ?? (a.packaged || a.namespacePrefix ? 'Packaged' : 'Local'),
      createdDate: sfDateTime('2024-04-01T09:00:00Z'),
      packaged: a.packaged === true || Boolean(a.namespacePrefix),
      apiAccessAllowlisted: a.apiAccessAllowlisted === true,
      namespacePrefix: a.namespacePrefix ?? null,
    };
    this.apps.push(detail);
    if (isCa) {
      const [period, metricIsInactivity] = refreshPolicyFields(detail.refreshTokenPolicy);
      this.insert('ConnectedApplication', {
        Id: id,
        Name: label,
        CreatedDate: detail.createdDate,
        CreatedById: null,
        LastModifiedDate: detail.createdDate,
        LastModifiedById: null,
        SystemModstamp: detail.createdDate,
        OptionsAllowAdminApprovedUsersOnly: detail.adminApproved,
        OptionsRefreshTokenValidityMetric: metricIsInactivity,
        RefreshTokenValidityPeriod: period,
        OptionsHasSessionLevelPolicy: detail.sessionLevel === 'HIGH_ASSURANCE',
        OptionsTokenExchangeManageBitEnabled: false,
        OptionsIsInternal: false,
        OptionsCodeCredentialGuestEnabled: false,
        OptionsFullContentPushNotifications: false,
        MobileSessionTimeout: null,
        MobileStartUrl: null,
        PinLength: null,
        StartUrl: null,
        NamedUserUvidTimeout: null,
        UvidTimeout: null,
      });
      if (installed) {
        detail.appMenuItemId = this.ids.next(PREFIX.AppMenuItem);
        this.insert('AppMenuItem', {
          Id: detail.appMenuItemId,
          ApplicationId: id,
          IsUsingAdminAuthorization: detail.adminApproved,
          IsAccessible: !detail.blocked,
          IsVisible: true,
          Label: label,
          Name: a.name,
          NamespacePrefix: detail.namespacePrefix,
          StartUrl: null,
          Type: 'ConnectedApplication',
        });
      }
    } else {
      this.insert('ExternalClientApplication', {
        Id: id,
        MasterLabel: label,
        DeveloperName: a.name,
        DistributionState: detail.distributionState,
        CreatedDate: detail.createdDate,
      });
      detail.policyId = this.ids.next(PREFIX.ExtlClntAppOauthPlcyCnfg);
      const rt = ecaRefreshPolicy(detail.refreshTokenPolicy);
      this.insert('ExtlClntAppOauthPlcyCnfg', {
        Id: detail.policyId,
        ExternalClientApplicationId: id,
        PermittedUsersPolicyType: detail.adminApproved ? 'AdminApprovedPreAuthorized' : 'AllSelfAuthorized',
        IpRelaxationPolicyType: ecaEnum(detail.ipRelaxation),
        RefreshTokenPolicyType: rt.type,
        RefreshTokenValidityPeriod: rt.period,
        RefreshTokenValidityUnit: rt.unit,
        RequiredSessionLevel: detail.sessionLevel,
      });
    }
    const grant = (parentId: string): void => {
      this.insert('SetupEntityAccess', {
        Id: this.ids.next(PREFIX.SetupEntityAccess),
        ParentId: parentId,
        SetupEntityId: id,
        SetupEntityType: isCa ? 'ConnectedApplication' : 'ExternalClientApplication',
      });
    };
    for (const p of a.profiles ?? []) grant(this.profileOwnedPermissionSet(need(profileIds, p, 'profile'))?.Id as string);
    for (const p of a.permissionSets ?? []) grant(need(psIds, p, 'permission set'));
    return detail;
  }

  /** Large-org rows from compact parameters (scenario.generate). */
  private generate(): void {
    const g = this.scenario.generate;
    if (!g) return;
    const generatedApps: AppDetail[] = [];
    for (let i = 1; i <= (g.connectedApps ?? 0); i++) {
      const n = String(i).padStart(4, '0');
      generatedApps.push(
        this.addApp(
          {
            type: 'ConnectedApp',
            name: `Generated_App_${n}`,
            label: `Generated App ${n}`,
            consumerKey: `3MVG9GEN${n}${createHash('sha1').update(n).digest('hex').slice(0, 24)}`,
            certificate: i % 3 === 0 ? { key: 'generated', subject: 'generated' } : null,
            scopes: i % 2 === 0 ? ['api', 'refresh_token'] : ['api', 'web'],
            adminApproved: i % 4 === 0,
          },
          new Map(),
          new Map()
        )
      );
    }
    for (let i = 1; i <= (g.permissionSets ?? 0); i++) {
      const n = String(i).padStart(4, '0');
      this.insert('PermissionSet', this.permissionSetRow(`Generated_PS_${n}`, `Generated PS ${n}`, i % 10 === 0 ? ['ApiEnabled'] : [], {}));
    }
    const users = this.table('User');
    const tokenApps = generatedApps.length > 0 ? generatedApps : [];
    if ((g.oauthTokens ?? 0) > 0 && tokenApps.length === 0) {
      tokenApps.push(
        this.addApp(
          { type: 'ConnectedApp', name: 'Generated_Mobile_App', label: 'Generated Mobile App', consumerKey: '3MVG9GENMOBILE000000000000', scopes: ['api', 'refresh_token'] },
          new Map(),
          new Map()
        )
      );
    }
    for (let i = 0; i < (g.oauthTokens ?? 0); i++) {
      const user = users[i % users.length];
      const app = tokenApps[i % tokenApps.length];
      const row = this.recordApproval(user.Id as string, app, ['api', 'refresh_token']);
      row.UseCount = (i % 17) + 1;
      row.CreatedDate = sfDateTime(Date.parse('2025-01-01T00:00:00Z') + i * 3_600_000);
      // Fixed like CreatedDate: rows made "now" would order by the milliseconds the org took to build them.
      row.LastUsedDate = sfDateTime(Date.parse('2025-06-01T00:00:00Z') + i * 60_000);
    }
  }
}

function need(map: Map<string, string>, name: string, what: string): string {
  const v = map.get(name);
  if (!v) throw new Error(`scenario refers to unknown ${what} "${name}"`);
  return v;
}

function nameOf(a: ScenarioAssignment): string {
  return typeof a === 'string' ? a : a.name;
}

/** ConnectedApplication.RefreshTokenValidityPeriod / OptionsRefreshTokenValidityMetric from the metadata policy. */
function refreshPolicyFields(policy: string): [number | null, boolean] {
  const m = /^specific_(lifetime|inactivity):(\d+):/.exec(policy);
  if (!m) return [policy === 'zero' ? 0 : null, false];
  return [Number(m[2]), m[1] === 'inactivity'];
}

function ecaRefreshPolicy(policy: string): { type: string; period: number | null; unit: string | null } {
  const m = /^specific_(lifetime|inactivity):(\d+):(\w+)$/.exec(policy);
  if (m) {
    const unit = m[3].charAt(0) + m[3].slice(1).toLowerCase();
    return { type: m[1] === 'inactivity' ? 'SpecificInactivity' : 'SpecificLifetime', period: Number(m[2]), unit };
  }
  return { type: policy === 'zero' ? 'Zero' : 'Infinite', period: null, unit: null };
}

/** ENFORCE → Enforce, BYPASS_2FACTOR → Bypass_2factor, ENFORCE_RELAXREFRESH → Enforce_RelaxRefresh. */
export function ecaEnum(value: string): string {
  return { ENFORCE: 'Enforce', BYPASS: 'Bypass', BYPASS_2FACTOR: 'Bypass_2factor', ENFORCE_RELAXREFRESH: 'Enforce_RelaxRefresh' }[value] ?? value;
}
