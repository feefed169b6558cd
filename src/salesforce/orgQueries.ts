/*
 * The SOQL the inspector sends, each selective (by user id, by app id) so its cost does not grow with the org, and
 * the mapping of the rows into inspection facts.
 */
import type {
  AdminPermissions,
  AppRecord,
  ApprovalFacts,
  AssignmentFacts,
  GrantFacts,
  GroupComponentFacts,
  LoginRecord,
  OrgFacts,
} from './inspection.js';
import { soqlString } from './orgReads.js';
import { asText } from '../knowledge/values.js';

type Row = Record<string, unknown>;

const rel = (row: Row, name: string): Row => (row[name] && typeof row[name] === 'object' ? (row[name] as Row) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const ORGANIZATION_QUERY =
  'SELECT Id, Name, IsSandbox, OrganizationType, TrialExpirationDate, InstanceName, CreatedDate FROM Organization';

export function organizationFacts(row: Row): OrgFacts {
  const isSandbox = row.IsSandbox === true;
  const trial = s(row.TrialExpirationDate) ?? null;
  const type = s(row.OrganizationType);
  // core's determineOrg: scratch = IsSandbox && TrialExpirationDate.
  const kind = isSandbox ? (trial ? 'scratch' : 'sandbox') : type === 'Developer Edition' ? 'developer' : 'production';
  return {
    id: String(row.Id),
    name: String(row.Name),
    isSandbox,
    organizationType: type,
    instanceName: s(row.InstanceName),
    trialExpirationDate: trial,
    kind,
    createdDate: s(row.CreatedDate),
  };
}

export const userLoginQuery = (userIds: string[]): string =>
  `SELECT UserId, IsFrozen, IsPasswordLocked FROM UserLogin WHERE UserId IN (${userIds.map(soqlString).join(', ')})`;

/** How many of the user's latest attempts are read: sf sends up to 11 token requests per login. */
export const LOGIN_HISTORY_ROWS = 20;

/** The user's latest login attempts. LoginHistory filters on few fields (UserId, LoginTime are among them). */
export const loginHistoryQuery = (userId: string): string =>
  'SELECT LoginTime, Status, Application, LoginType, LoginUrl, SourceIp FROM LoginHistory ' +
  `WHERE UserId = ${soqlString(userId)} ORDER BY LoginTime DESC LIMIT ${LOGIN_HISTORY_ROWS}`;

export function loginRecord(row: Row): LoginRecord | undefined {
  const time = s(row.LoginTime);
  if (!time) return undefined;
  return {
    loginTime: time,
    status: s(row.Status) ?? '',
    application: s(row.Application),
    loginType: s(row.LoginType),
    loginUrl: s(row.LoginUrl),
    sourceIp: s(row.SourceIp),
  };
}

export const assignmentQuery = (userId: string): string =>
  'SELECT PermissionSetId, PermissionSet.Name, PermissionSet.Label, PermissionSet.IsOwnedByProfile, PermissionSetGroupId, ' +
  `PermissionSetGroup.DeveloperName, IsActive, ExpirationDate FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)}`;

export function assignmentFacts(row: Row, now: number): AssignmentFacts {
  const ps = rel(row, 'PermissionSet');
  const expiration = s(row.ExpirationDate) ?? null;
  const isActive = row.IsActive !== false;
  return {
    permissionSetId: asText(row.PermissionSetId),
    name: s(ps.Name) ?? asText(row.PermissionSetId),
    label: s(ps.Label),
    isOwnedByProfile: ps.IsOwnedByProfile === true,
    groupId: s(row.PermissionSetGroupId),
    groupName: s(rel(row, 'PermissionSetGroup').DeveloperName),
    isActive,
    expirationDate: expiration,
    effective: isActive && row.IsRevoked !== true && (!expiration || Date.parse(expiration) > now),
  };
}

/** The permission sets inside the groups assigned to the user (a semi-join keeps it in the same round). */
export const groupComponentQuery = (userId: string): string =>
  'SELECT PermissionSetGroupId, PermissionSetId, PermissionSet.Name FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ' +
  `(SELECT PermissionSetGroupId FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)})`;

export function groupComponentFacts(row: Row): GroupComponentFacts {
  return {
    groupId: String(row.PermissionSetGroupId),
    permissionSetId: String(row.PermissionSetId),
    name: s(rel(row, 'PermissionSet').Name) ?? String(row.PermissionSetId),
  };
}

/** What the inspecting user may see: OauthToken shows other users' rows only with Customize Application. */
export const adminPermissionsQuery = (adminUserId: string): string =>
  'SELECT PermissionsViewSetup, PermissionsModifyAllData, PermissionsCustomizeApplication, PermissionsModifyMetadata, PermissionsManageUsers ' +
  `FROM PermissionSet WHERE Id IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(adminUserId)})`;

export function adminPermissions(rows: Row[]): AdminPermissions {
  const any = (field: string): boolean => rows.some((r) => r[field] === true);
  return {
    viewSetup: any('PermissionsViewSetup'),
    modifyAllData: any('PermissionsModifyAllData'),
    customizeApplication: any('PermissionsCustomizeApplication'),
    modifyMetadata: any('PermissionsModifyMetadata'),
    manageUsers: any('PermissionsManageUsers'),
  };
}

export const grantQuery = (appId: string): string =>
  `SELECT ParentId, Parent.Name, Parent.IsOwnedByProfile, Parent.Profile.Name FROM SetupEntityAccess WHERE SetupEntityId = ${soqlString(appId)}`;

export function grantFacts(row: Row): GrantFacts {
  const parent = rel(row, 'Parent');
  return {
    parentId: String(row.ParentId),
    permissionSetName: s(parent.Name),
    isOwnedByProfile: parent.IsOwnedByProfile === true,
    profileName: s(rel(parent, 'Profile').Name),
  };
}

export const appMenuQuery = (appId: string): string =>
  `SELECT Id, ApplicationId, IsAccessible, IsUsingAdminAuthorization, Name, Label FROM AppMenuItem WHERE ApplicationId = ${soqlString(appId)}`;

export const connectedApplicationQuery = (appId: string): string =>
  'SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly, OptionsHasSessionLevelPolicy, RefreshTokenValidityPeriod, OptionsRefreshTokenValidityMetric ' +
  `FROM ConnectedApplication WHERE Id = ${soqlString(appId)}`;

export const ecaPolicyQuery = (appId: string): string =>
  'SELECT PermittedUsersPolicyType, IpRelaxationPolicyType, RefreshTokenPolicyType, RefreshTokenValidityPeriod, RefreshTokenValidityUnit, ' +
  `RequiredSessionLevel FROM ExtlClntAppOauthPlcyCnfg WHERE ExternalClientApplicationId = ${soqlString(appId)}`;

/** OauthToken rows name the app by label (ECAs sometimes by developer name); newest first, bounded. */
export const approvalQuery = (userId: string, appNames: string[]): string =>
  `SELECT AppName, CreatedDate, LastUsedDate, UseCount, AppMenuItemId FROM OauthToken WHERE UserId = ${soqlString(userId)} ` +
  `AND AppName IN (${[...new Set(appNames)].map(soqlString).join(', ')}) ORDER BY LastUsedDate DESC LIMIT 200`;

/** The user's OauthToken rows for every app: which apps the user approved (and the app's own rows among them). */
export const userApprovalsQuery = (userId: string): string =>
  `SELECT AppName, CreatedDate, LastUsedDate, UseCount, AppMenuItemId FROM OauthToken WHERE UserId = ${soqlString(userId)} ` +
  'ORDER BY LastUsedDate DESC LIMIT 200';

/**
 * The apps the user's profile and permission sets are granted (admin pre-authorization): one semi-join, so it is read
 * with the user's other rows. Permission sets inside groups are not covered (SOQL allows no nested semi-join).
 */
export const userAppAccessQuery = (userId: string): string =>
  "SELECT SetupEntityId, SetupEntityType FROM SetupEntityAccess WHERE SetupEntityType IN ('ConnectedApplication', 'ExternalClientApplication') " +
  `AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)})`;

/**
 * The apps' ids by query, never listMetadata's FileProperties.id (no source says that is the 0H4 id). One query for
 * the org's apps, read first: a `WHERE Name = …` per app would need the labels readMetadata returns, a round later.
 * ConnectedApplication.Name is the "Connected App Name" (the label); ECAs carry DeveloperName and MasterLabel.
 */
export const CONNECTED_APPLICATIONS_QUERY = 'SELECT Id, Name FROM ConnectedApplication ORDER BY Name LIMIT 2000';
export const EXTERNAL_CLIENT_APPS_QUERY =
  'SELECT Id, DeveloperName, MasterLabel FROM ExternalClientApplication ORDER BY DeveloperName LIMIT 2000';

export function appRecordFacts(row: Row): AppRecord | undefined {
  const id = s(row.Id);
  if (!id) return undefined;
  if (s(row.DeveloperName))
    return { kind: 'ExternalClientApp', id, name: s(row.DeveloperName)!, label: s(row.MasterLabel) };
  return s(row.Name) ? { kind: 'ConnectedApp', id, name: s(row.Name)!, label: s(row.Name) } : undefined;
}

export function approvalFacts(row: Row): ApprovalFacts {
  return {
    appName: String(row.AppName),
    createdDate: s(row.CreatedDate),
    lastUsedDate: s(row.LastUsedDate) ?? null,
    useCount: typeof row.UseCount === 'number' ? row.UseCount : undefined,
    appMenuItemId: s(row.AppMenuItemId) ?? null,
  };
}
