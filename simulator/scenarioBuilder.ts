/*
 * The scenario builder: turns a scenario file (simulator/scenarios/*.json, an org described, never an answer) into the
 * rows of the record store (state.ts) — users, profiles, permission sets and their grants, apps, approvals, login
 * history — and generates large orgs.
 */
import { createHash } from 'node:crypto';
import { PREFIX } from './ids.js';
import { selfSignedCertificate } from './keys.js';
import {
  ecaEnum,
  LOGIN_RATE_WINDOW_MS,
  OAUTH2_LOGIN_TYPE,
  PERMISSIONS,
  sfDateTime,
  type AppDetail,
  type Rec,
} from './records.js';
import type { ScenarioApp, ScenarioAssignment } from './scenario.js';
import type { OrgState } from './state.js';

export function buildOrg(state: OrgState): void {
  const s = state.scenario;
  const org = s.org;
  // A sandbox's Organization row is re-created by every refresh: its CreatedDate is the refresh time.
  const created = sfDateTime(org.refreshedAt ?? '2024-03-01T09:00:00Z');
  state.insert('Organization', {
    Id: state.orgId,
    Name: org.name,
    InstanceName: org.instanceName ?? (state.isSandboxRealm ? 'CS224' : 'NA224'),
    IsSandbox: state.isSandboxRealm,
    OrganizationType: org.edition ?? (org.kind === 'developer' ? 'Developer Edition' : 'Enterprise Edition'),
    TrialExpirationDate:
      org.trialExpirationDate ?? (org.kind === 'scratch' ? sfDateTime(Date.now() + 7 * 86_400_000) : null),
    NamespacePrefix: org.namespacePrefix ?? null,
    LanguageLocaleKey: 'en_US',
    TimeZoneSidKey: 'America/Los_Angeles',
    CreatedDate: created,
    _active: org.active !== false,
  });
  const partition = { production: 'none', developer: 'develop', sandbox: 'sandbox', scratch: 'scratch' }[org.kind];
  for (const d of [...(org.previousMyDomains ?? []), org.myDomain]) {
    state.insert('OrgDomainLog', {
      Id: state.ids.next(PREFIX.OrgDomainLog),
      MyDomainName: d.split('.')[0],
      DomainPartition: partition,
      CreatedDate: created,
    });
  }

  const profileIds = new Map<string, string>();
  for (const p of s.profiles ?? []) {
    const id = state.ids.next(PREFIX.Profile);
    profileIds.set(p.name, id);
    state.insert('Profile', {
      Id: id,
      Name: p.name,
      UserType: p.userType ?? 'Standard',
      _loginIpRanges: p.loginIpRanges ?? [],
    });
    state.insert(
      'PermissionSet',
      permissionSetRow(state, `X${id}`, p.name, p.permissions ?? [], {
        IsOwnedByProfile: true,
        ProfileId: id,
        IsCustom: false,
      }),
    );
  }
  const psIds = new Map<string, string>();
  for (const ps of s.permissionSets ?? []) {
    const row = state.insert(
      'PermissionSet',
      permissionSetRow(state, ps.name, ps.label ?? ps.name, ps.permissions ?? [], {}),
    );
    psIds.set(ps.name, row.Id as string);
  }
  const groupIds = new Map<string, string>();
  for (const g of s.permissionSetGroups ?? []) {
    const id = state.ids.next(PREFIX.PermissionSetGroup);
    groupIds.set(g.name, id);
    state.insert('PermissionSetGroup', {
      Id: id,
      DeveloperName: g.name,
      MasterLabel: g.label ?? g.name,
      Status: g.status ?? 'Updated',
    });
    for (const name of g.permissionSets) {
      state.insert('PermissionSetGroupComponent', {
        Id: state.ids.next(PREFIX.PermissionSetGroupComponent),
        PermissionSetGroupId: id,
        PermissionSetId: need(psIds, name, 'permission set'),
      });
    }
    // Every group has an aggregate permission set of Type Group (Salesforce creates it).
    state.insert(
      'PermissionSet',
      permissionSetRow(state, `${g.name}_Group`, g.label ?? g.name, [], { PermissionSetGroupId: id, Type: 'Group' }),
    );
  }

  for (const u of s.users ?? []) {
    const id = state.ids.next(PREFIX.User);
    const profileId = need(profileIds, u.profile, 'profile');
    const [first, last] = [u.firstName ?? u.username.split('@')[0], u.lastName ?? 'User'];
    state.insert('User', {
      Id: id,
      Username: u.username,
      Name: `${first} ${last}`,
      FirstName: first,
      LastName: last,
      Email: u.email ?? (state.isSandboxRealm ? `${u.username.replace(/\.[^.@]+$/, '')}.invalid` : u.username),
      IsActive: u.active !== false,
      ProfileId: profileId,
      UserType: u.userType ?? (s.profiles ?? []).find((p) => p.name === u.profile)?.userType ?? 'Standard',
      LastLoginDate: u.lastLogin ? sfDateTime(u.lastLogin) : null,
      TimeZoneSidKey: 'America/Los_Angeles',
      LanguageLocaleKey: 'en_US',
      CreatedDate: created,
    });
    state.insert('UserLogin', {
      Id: state.ids.next(PREFIX.UserLogin),
      UserId: id,
      IsFrozen: u.frozen === true,
      IsPasswordLocked: u.passwordLocked === true,
      LastModifiedDate: created,
    });
    const own = state.profileOwnedPermissionSet(profileId);
    if (own) assign(state, id, { PermissionSetId: own.Id }, {});
    for (const a of u.permissionSets ?? [])
      assign(state, id, { PermissionSetId: need(psIds, nameOf(a), 'permission set') }, a);
    for (const a of u.permissionSetGroups ?? []) {
      const gid = need(groupIds, nameOf(a), 'permission set group');
      const groupPs = state.table('PermissionSet').find((p) => p.PermissionSetGroupId === gid);
      assign(state, id, { PermissionSetGroupId: gid, PermissionSetId: groupPs?.Id ?? null }, a);
    }
  }

  for (const a of s.apps ?? []) addApp(state, a, profileIds, psIds);

  for (const ap of s.approvals ?? []) {
    const user = state.userByUsername(ap.user) ?? state.table('User').find((u) => u.Username === ap.user);
    const app = state.appByName(ap.app);
    if (!user || !app) throw new Error(`approval: unknown user "${ap.user}" or app "${ap.app}"`);
    const row = state.recordApproval(user.Id as string, app, ap.scopes);
    row.UseCount = ap.useCount ?? 1;
    if (ap.lastUsed) row.LastUsedDate = sfDateTime(ap.lastUsed);
    if (ap.created) row.CreatedDate = sfDateTime(ap.created);
  }
  // The login rate limit's counter before the run: a user's logins in the last hour, spread over it.
  for (const u of s.users ?? []) {
    const n = u.loginsInLastHour ?? 0;
    const user = state.table('User').find((r) => r.Username === u.username);
    if (!user || n <= 0) continue;
    const start = state.now() - LOGIN_RATE_WINDOW_MS / 2;
    state.loginTimes.set(
      user.Id as string,
      Array.from({ length: n }, (_, i) => start + (i * LOGIN_RATE_WINDOW_MS) / 2 / n),
    );
  }
  for (const l of s.loginHistory ?? []) {
    const user = state.userByUsername(l.user) ?? state.table('User').find((u) => u.Username === l.user);
    if (!user) throw new Error(`loginHistory: unknown user "${l.user}"`);
    const oauth = l.loginType === undefined || l.loginType === OAUTH2_LOGIN_TYPE;
    state.recordLogin({
      userId: user.Id as string,
      time: Date.parse(l.time),
      status: l.status,
      application: l.application ?? (oauth ? 'N/A' : 'Browser'),
      loginType: l.loginType ?? OAUTH2_LOGIN_TYPE,
      loginUrl: l.loginUrl ?? state.org.myDomain.toLowerCase(),
      sourceIp: l.sourceIp ?? '203.0.113.10',
    });
  }
  generate(state);
}

function permissionSetRow(state: OrgState, name: string, label: string, permissions: string[], extra: Rec): Rec {
  const row: Rec = {
    Id: state.ids.next(PREFIX.PermissionSet),
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

function assign(state: OrgState, userId: string, target: Rec, spec: ScenarioAssignment | Rec): void {
  const s = typeof spec === 'string' ? {} : (spec as { expires?: string; active?: boolean });
  state.insert('PermissionSetAssignment', {
    Id: state.ids.next(PREFIX.PermissionSetAssignment),
    AssigneeId: userId,
    PermissionSetId: null,
    PermissionSetGroupId: null,
    IsActive: s.active !== false,
    ExpirationDate: s.expires ? sfDateTime(s.expires) : null,
    IsRevoked: false,
    ...target,
  });
}

function addApp(
  state: OrgState,
  a: ScenarioApp,
  profileIds: Map<string, string>,
  psIds: Map<string, string>,
): AppDetail {
  const isCa = a.type === 'ConnectedApp';
  const id = state.ids.next(isCa ? PREFIX.ConnectedApplication : PREFIX.ExternalClientApplication);
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
    origin: a.origin ?? (isCa && state.org.kind !== 'developer' ? 'production' : 'local'),
    callbackUrl: a.callbackUrl ?? 'http://localhost:1717/OauthRedirect',
    appMenuItemId: null,
    policyId: null,
    distributionState: a.distributionState ?? (a.packaged || a.namespacePrefix ? 'Packaged' : 'Local'),
    createdDate: sfDateTime('2024-04-01T09:00:00Z'),
    packaged: a.packaged === true || Boolean(a.namespacePrefix),
    apiAccessAllowlisted: a.apiAccessAllowlisted === true,
    oauthSettings: isCa || a.oauthSettings !== false,
    namespacePrefix: a.namespacePrefix ?? null,
  };
  state.apps.push(detail);
  if (isCa) {
    const [period, metricIsInactivity] = refreshPolicyFields(detail.refreshTokenPolicy);
    state.insert('ConnectedApplication', {
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
      detail.appMenuItemId = state.ids.next(PREFIX.AppMenuItem);
      state.insert('AppMenuItem', {
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
    state.insert('ExternalClientApplication', {
      Id: id,
      MasterLabel: label,
      DeveloperName: a.name,
      DistributionState: detail.distributionState,
      CreatedDate: detail.createdDate,
    });
    detail.policyId = state.ids.next(PREFIX.ExtlClntAppOauthPlcyCnfg);
    const rt = ecaRefreshPolicy(detail.refreshTokenPolicy);
    state.insert('ExtlClntAppOauthPlcyCnfg', {
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
    state.insert('SetupEntityAccess', {
      Id: state.ids.next(PREFIX.SetupEntityAccess),
      ParentId: parentId,
      SetupEntityId: id,
      SetupEntityType: isCa ? 'ConnectedApplication' : 'ExternalClientApplication',
    });
  };
  for (const p of a.profiles ?? [])
    grant(state.profileOwnedPermissionSet(need(profileIds, p, 'profile'))?.Id as string);
  for (const p of a.permissionSets ?? []) grant(need(psIds, p, 'permission set'));
  return detail;
}

/** Large-org rows from compact parameters (scenario.generate). */
function generate(state: OrgState): void {
  const g = state.scenario.generate;
  if (!g) return;
  const generatedApps: AppDetail[] = [];
  for (let i = 1; i <= (g.connectedApps ?? 0); i++) {
    const n = String(i).padStart(4, '0');
    generatedApps.push(
      addApp(
        state,
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
        new Map(),
      ),
    );
  }
  for (let i = 1; i <= (g.permissionSets ?? 0); i++) {
    const n = String(i).padStart(4, '0');
    state.insert(
      'PermissionSet',
      permissionSetRow(state, `Generated_PS_${n}`, `Generated PS ${n}`, i % 10 === 0 ? ['ApiEnabled'] : [], {}),
    );
  }
  const users = state.table('User');
  const tokenApps = generatedApps.length > 0 ? generatedApps : [];
  if ((g.oauthTokens ?? 0) > 0 && tokenApps.length === 0) {
    tokenApps.push(
      addApp(
        state,
        {
          type: 'ConnectedApp',
          name: 'Generated_Mobile_App',
          label: 'Generated Mobile App',
          consumerKey: '3MVG9GENMOBILE000000000000',
          scopes: ['api', 'refresh_token'],
        },
        new Map(),
        new Map(),
      ),
    );
  }
  for (let i = 0; i < (g.oauthTokens ?? 0); i++) {
    const user = users[i % users.length];
    const app = tokenApps[i % tokenApps.length];
    const row = state.recordApproval(user.Id as string, app, ['api', 'refresh_token']);
    row.UseCount = (i % 17) + 1;
    row.CreatedDate = sfDateTime(Date.parse('2025-01-01T00:00:00Z') + i * 3_600_000);
    // Fixed like CreatedDate: rows made "now" would order by the milliseconds the org took to build them.
    row.LastUsedDate = sfDateTime(Date.parse('2025-06-01T00:00:00Z') + i * 60_000);
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
