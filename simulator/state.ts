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
import type { Behaviour, Scenario, ScenarioOrg } from './scenario.js';
import { buildOrg } from './scenarioBuilder.js';
import {
  LOGIN_RATE_WINDOW_MS,
  normaliseScopes,
  sfDateTime,
  type AppDetail,
  type IssuedToken,
  type Rec,
} from './records.js';

export * from './records.js';

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

/** The 2-char pod that makes ids of different scenarios differ (stable per org name). */
function podOf(name: string): string {
  const h = createHash('sha256').update(name).digest();
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return chars[h[0] % 62] + chars[h[1] % 62];
}

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
    this.orgId = scenario.org.id
      ? to18(scenario.org.id)
      : to18(`00D${podOf(scenario.org.myDomain)}000000${podOf(scenario.org.name)}AB`);
    buildOrg(this);
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
    return this.table(name).find(
      (r) => r.Id === id || (typeof r.Id === 'string' && r.Id.slice(0, 15) === id.slice(0, 15)),
    );
  }

  // ---- lookups the rules use ----

  public userByUsername(username: string): Rec | undefined {
    const ci = this.behaviour.usernameMatch === 'case-insensitive';
    return this.table('User').find((u) =>
      ci ? String(u.Username).toLowerCase() === username.toLowerCase() : u.Username === username,
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
  public recordLogin(l: {
    userId: string;
    time: number;
    status: string;
    application: string;
    loginType: string;
    loginUrl: string;
    sourceIp: string;
  }): Rec {
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
}
