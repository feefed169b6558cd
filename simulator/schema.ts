/*
 * The sObjects the simulator serves, with exactly the fields of reference §4.1 (plus a few standard ones), their
 * relationships, which API (REST/Tooling) exposes them and which permission makes them visible.
 */
import { PERMISSIONS } from './state.js';

export type FieldType = 'id' | 'string' | 'boolean' | 'int' | 'datetime' | 'reference' | 'picklist';

export type ObjectDef = {
  name: string;
  fields: Record<string, FieldType>;
  /** relationship name → [reference field, target object] */
  relationships?: Record<string, [string, string]>;
  rest: boolean;
  tooling: boolean;
  /** Users without this permission don't see the object at all (INVALID_TYPE, as for an unknown object). */
  requires?: string;
  /** Rows per batch (default 2000). */
  batchSize?: number;
  /** queryMore stops after this many rows (OauthToken: 2500). */
  maxRows?: number;
  /** Creatable/deletable through REST sobjects (fix mode). */
  writable?: boolean;
  /** Only in a Dev Hub (org.isDevHub); who may read it there: behaviour scratchOrgInfoAccess. */
  devHubOnly?: boolean;
};

const audit: Record<string, FieldType> = { CreatedDate: 'datetime' };

const permissionFields = Object.fromEntries(PERMISSIONS.map((p) => [`Permissions${p}`, 'boolean' as FieldType]));

export const OBJECTS: ObjectDef[] = [
  {
    name: 'Organization',
    fields: {
      Id: 'id',
      Name: 'string',
      InstanceName: 'string',
      IsSandbox: 'boolean',
      OrganizationType: 'picklist',
      TrialExpirationDate: 'datetime',
      NamespacePrefix: 'string',
      LanguageLocaleKey: 'picklist',
      TimeZoneSidKey: 'picklist',
      ...audit,
    },
    rest: true,
    tooling: true,
  },
  {
    name: 'User',
    fields: {
      Id: 'id',
      Username: 'string',
      Name: 'string',
      FirstName: 'string',
      LastName: 'string',
      Email: 'string',
      IsActive: 'boolean',
      ProfileId: 'reference',
      UserType: 'picklist',
      LastLoginDate: 'datetime',
      TimeZoneSidKey: 'picklist',
      LanguageLocaleKey: 'picklist',
      ...audit,
    },
    relationships: { Profile: ['ProfileId', 'Profile'] },
    rest: true,
    tooling: true,
  },
  {
    name: 'UserLogin',
    fields: {
      Id: 'id',
      UserId: 'reference',
      IsFrozen: 'boolean',
      IsPasswordLocked: 'boolean',
      LastModifiedDate: 'datetime',
    },
    rest: true,
    tooling: false,
    // Object Reference: UserLogin needs Manage Users (real-org-api-notes), not View Setup.
    requires: 'ManageUsers',
  },
  {
    // Object Reference: LoginHistory needs Manage Users (or Monitor Login History, which the simulator does not model).
    name: 'LoginHistory',
    fields: {
      Id: 'id',
      UserId: 'reference',
      LoginTime: 'datetime',
      LoginType: 'picklist',
      LoginSubType: 'picklist',
      Status: 'string',
      Application: 'string',
      LoginUrl: 'string',
      SourceIp: 'string',
      ApiType: 'string',
      ApiVersion: 'string',
      Browser: 'string',
      Platform: 'string',
    },
    rest: true,
    tooling: false,
    requires: 'ManageUsers',
  },
  {
    name: 'Profile',
    fields: { Id: 'id', Name: 'string', UserType: 'picklist' },
    rest: true,
    tooling: true,
  },
  {
    name: 'PermissionSet',
    fields: {
      Id: 'id',
      Name: 'string',
      Label: 'string',
      IsOwnedByProfile: 'boolean',
      ProfileId: 'reference',
      IsCustom: 'boolean',
      LicenseId: 'reference',
      PermissionSetGroupId: 'reference',
      Type: 'picklist',
      NamespacePrefix: 'string',
      ...permissionFields,
      ...audit,
    },
    relationships: {
      Profile: ['ProfileId', 'Profile'],
      PermissionSetGroup: ['PermissionSetGroupId', 'PermissionSetGroup'],
    },
    rest: true,
    tooling: true,
    writable: true,
  },
  {
    name: 'PermissionSetAssignment',
    fields: {
      Id: 'id',
      AssigneeId: 'reference',
      PermissionSetId: 'reference',
      PermissionSetGroupId: 'reference',
      IsActive: 'boolean',
      ExpirationDate: 'datetime',
      IsRevoked: 'boolean',
    },
    relationships: {
      Assignee: ['AssigneeId', 'User'],
      PermissionSet: ['PermissionSetId', 'PermissionSet'],
      PermissionSetGroup: ['PermissionSetGroupId', 'PermissionSetGroup'],
    },
    rest: true,
    tooling: true,
    writable: true,
  },
  {
    name: 'PermissionSetGroup',
    fields: { Id: 'id', DeveloperName: 'string', MasterLabel: 'string', Status: 'picklist' },
    rest: true,
    tooling: true,
  },
  {
    name: 'PermissionSetGroupComponent',
    fields: { Id: 'id', PermissionSetGroupId: 'reference', PermissionSetId: 'reference' },
    relationships: {
      PermissionSet: ['PermissionSetId', 'PermissionSet'],
      PermissionSetGroup: ['PermissionSetGroupId', 'PermissionSetGroup'],
    },
    rest: true,
    tooling: true,
  },
  {
    name: 'SetupEntityAccess',
    fields: { Id: 'id', ParentId: 'reference', SetupEntityId: 'reference', SetupEntityType: 'picklist' },
    relationships: { Parent: ['ParentId', 'PermissionSet'] },
    rest: true,
    tooling: true,
    requires: 'ViewSetup',
    writable: true,
  },
  {
    name: 'ConnectedApplication',
    fields: {
      Id: 'id',
      Name: 'string',
      CreatedDate: 'datetime',
      CreatedById: 'reference',
      LastModifiedDate: 'datetime',
      LastModifiedById: 'reference',
      SystemModstamp: 'datetime',
      OptionsAllowAdminApprovedUsersOnly: 'boolean',
      OptionsRefreshTokenValidityMetric: 'boolean',
      RefreshTokenValidityPeriod: 'int',
      OptionsHasSessionLevelPolicy: 'boolean',
      OptionsTokenExchangeManageBitEnabled: 'boolean',
      OptionsIsInternal: 'boolean',
      OptionsCodeCredentialGuestEnabled: 'boolean',
      OptionsFullContentPushNotifications: 'boolean',
      MobileSessionTimeout: 'picklist',
      MobileStartUrl: 'string',
      PinLength: 'picklist',
      StartUrl: 'string',
      NamedUserUvidTimeout: 'int',
      UvidTimeout: 'int',
    },
    rest: true,
    tooling: true,
    requires: 'ViewSetup',
  },
  {
    name: 'AppMenuItem',
    fields: {
      Id: 'id',
      ApplicationId: 'reference',
      IsUsingAdminAuthorization: 'boolean',
      IsAccessible: 'boolean',
      IsVisible: 'boolean',
      Label: 'string',
      Name: 'string',
      NamespacePrefix: 'string',
      StartUrl: 'string',
      Type: 'picklist',
    },
    rest: true,
    tooling: false,
  },
  {
    name: 'OauthToken',
    fields: {
      Id: 'id',
      AccessToken: 'string',
      AppMenuItemId: 'reference',
      AppName: 'string',
      DeleteToken: 'string',
      LastUsedDate: 'datetime',
      RequestToken: 'string',
      UseCount: 'int',
      UserId: 'reference',
      CreatedDate: 'datetime',
    },
    relationships: { User: ['UserId', 'User'], AppMenuItem: ['AppMenuItemId', 'AppMenuItem'] },
    rest: true,
    tooling: false,
    batchSize: 500,
    maxRows: 2500,
  },
  {
    name: 'ExternalClientApplication',
    fields: {
      Id: 'id',
      MasterLabel: 'string',
      DeveloperName: 'string',
      DistributionState: 'picklist',
      CreatedDate: 'datetime',
    },
    rest: true,
    tooling: true,
    requires: 'ViewSetup',
  },
  {
    name: 'ExtlClntAppOauthPlcyCnfg',
    fields: {
      Id: 'id',
      ExternalClientApplicationId: 'reference',
      PermittedUsersPolicyType: 'picklist',
      IpRelaxationPolicyType: 'picklist',
      RefreshTokenPolicyType: 'picklist',
      RefreshTokenValidityPeriod: 'int',
      RefreshTokenValidityUnit: 'picklist',
      RequiredSessionLevel: 'picklist',
    },
    relationships: { ExternalClientApplication: ['ExternalClientApplicationId', 'ExternalClientApplication'] },
    rest: true,
    tooling: false, // "For internal use only"; Tooling answers INVALID_TYPE
    requires: 'ViewSetup',
  },
  {
    name: 'OrgDomainLog',
    fields: { Id: 'id', MyDomainName: 'string', DomainPartition: 'picklist', CreatedDate: 'datetime' },
    rest: false,
    tooling: true,
    requires: 'ViewSetup',
  },
  // Exists only in a Dev Hub (org.isDevHub): core's determineIfDevHub reads it; INVALID_TYPE elsewhere.
  {
    name: 'ScratchOrgInfo',
    fields: {
      Id: 'id',
      OrgName: 'string',
      Status: 'picklist',
      SignupUsername: 'string',
      ConnectedAppConsumerKey: 'string',
      CreatedDate: 'datetime',
    },
    rest: true,
    tooling: false,
    devHubOnly: true,
  },
  {
    name: 'Domain',
    fields: { Id: 'id', Domain: 'string', DomainType: 'picklist', HttpsOption: 'picklist' },
    rest: true,
    tooling: true,
  },
];

const byLowerName = new Map(OBJECTS.map((o) => [o.name.toLowerCase(), o]));

export function objectDef(name: string): ObjectDef | undefined {
  return byLowerName.get(name.toLowerCase());
}

/** Canonical field name (SOQL is case-insensitive; results use the API name). */
export function canonicalField(def: ObjectDef, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(def.fields).find((f) => f.toLowerCase() === lower);
}

export function canonicalRelationship(def: ObjectDef, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(def.relationships ?? {}).find((r) => r.toLowerCase() === lower);
}
