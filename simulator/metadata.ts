/*
 * Metadata API (SOAP) at POST /services/Soap/m/<version>: listMetadata and readMetadata for ConnectedApp, the four
 * External Client App types and MyDomainSettings. Envelopes follow what jsforce parses: soapenv:Envelope/Body,
 * <method>Response/result, readMetadata records with xsi:type. Grants (profileName, permissionSetName,
 * commaSeparatedProfile/PermissionSet) are read live from SetupEntityAccess, so fixes show up here too.
 */
import { header, type SimRequest, type SimResponse } from './http.js';
import { authenticate } from './rest.js';
import { to18 } from './ids.js';
import { ecaEnum, sfDateTime, type AppDetail, type OrgState } from './state.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';

const SCOPE_ENUM: Record<string, string> = {
  api: 'Api',
  refresh_token: 'RefreshToken',
  offline_access: 'RefreshToken',
  web: 'Web',
  full: 'Full',
  id: 'Basic',
  openid: 'OpenID',
  chatter_api: 'Chatter',
  custom_permissions: 'CustomPermissions',
  visualforce: 'Visualforce',
  profile: 'Profile',
  email: 'Email',
  address: 'Address',
  phone: 'Phone',
  lightning: 'Lightning',
  content: 'Content',
};

function esc(v: unknown): string {
  return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type Xml = Array<[string, unknown]>;

function xml(items: Xml): string {
  return items
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (v === null) return `<${k} xsi:nil="true"/>`;
      if (Array.isArray(v)) return `<${k}>${xml(v as Xml)}</${k}>`;
      return `<${k}>${esc(v)}</${k}>`;
    })
    .join('');
}

function envelope(body: string): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`,
  };
}

export function soapFault(code: string, message: string): SimResponse {
  return {
    status: 500,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="${NS}"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${esc(`${code}: ${message}`)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
  };
}

/** Names of profiles / permission sets granted the app (live SetupEntityAccess). */
function grants(state: OrgState, app: AppDetail): { profiles: string[]; permissionSets: string[] } {
  const profiles: string[] = [];
  const permissionSets: string[] = [];
  for (const s of state.table('SetupEntityAccess')) {
    if (s.SetupEntityId !== app.id) continue;
    const ps = state.byId('PermissionSet', s.ParentId);
    if (!ps) continue;
    if (ps.IsOwnedByProfile) profiles.push(String(state.byId('Profile', ps.ProfileId)?.Name));
    else permissionSets.push(String(ps.Name));
  }
  return { profiles, permissionSets };
}

function scopesEnum(app: AppDetail): string[] {
  return [...new Set(app.scopes.map((s) => SCOPE_ENUM[s.toLowerCase()] ?? s))];
}

type Component = {
  type: string;
  fullName: string;
  id: string;
  fileName: string;
  body: () => Xml;
  packaged?: boolean;
  namespacePrefix?: string | null;
};

/** A ConnectedApp's listMetadata id: which key prefix it carries is unverified (behaviour listMetadataAppId). */
function listedAppId(state: OrgState, app: AppDetail): string {
  if (state.behaviour.listMetadataAppId !== '06P') return app.id;
  return to18(`06P${app.id.slice(3, 15)}`);
}

function components(state: OrgState): Component[] {
  const out: Component[] = [];
  const adminEmail = state.scenario.admin ?? 'admin@example.com';
  for (const app of state.apps) {
    const g = grants(state, app);
    if (app.type === 'ConnectedApp') {
      out.push({
        type: 'ConnectedApp',
        fullName: app.name,
        id: listedAppId(state, app),
        packaged: app.packaged,
        namespacePrefix: app.namespacePrefix,
        fileName: `connectedApps/${app.name}.connectedApp`,
        body: () => [
          ['contactEmail', adminEmail],
          ['label', app.label],
          [
            'oauthConfig',
            [
              ['callbackUrl', app.callbackUrl],
              ['certificate', app.certificatePem ?? undefined],
              // Returned only in the org that created the app: a packaged app reads none.
              ['consumerKey', app.packaged ? undefined : app.consumerKey],
              ['isAdminApproved', app.adminApproved],
              ['isClientCredentialEnabled', false],
              ['isCodeCredentialEnabled', false],
              ['isConsumerSecretOptional', false],
              ['isIntrospectAllTokens', false],
              ['isNamedUserJwtEnabled', false],
              ['isPkceRequired', false],
              ['isRefreshTokenRotationEnabled', false],
              ['isSecretRequiredForRefreshToken', true],
              ...scopesEnum(app).map((s): [string, unknown] => ['scopes', s]),
            ],
          ],
          [
            'oauthPolicy',
            [
              ['ipRelaxation', app.ipRelaxation],
              ['refreshTokenPolicy', app.refreshTokenPolicy],
            ],
          ],
          ...g.permissionSets.map((n): [string, unknown] => ['permissionSetName', n]),
          ...g.profiles.map((n): [string, unknown] => ['profileName', n]),
          ...(app.sessionLevel === 'HIGH_ASSURANCE'
            ? [
                [
                  'sessionPolicy',
                  [
                    ['policyAction', 'RaiseSessionLevel'],
                    ['sessionLevel', 'HIGH_ASSURANCE'],
                  ],
                ] as [string, unknown],
              ]
            : []),
        ],
      });
      continue;
    }
    const ns = app.namespacePrefix;
    out.push({
      type: 'ExternalClientApplication',
      fullName: app.name,
      id: app.id,
      packaged: app.packaged,
      namespacePrefix: ns,
      fileName: `externalClientApps/${app.name}.eca`,
      body: () => [
        ['contactEmail', adminEmail],
        ['distributionState', app.distributionState],
        ['isProtected', false],
        ['label', app.label],
        ['orgScopedExternalApp', `${state.orgId.slice(0, 15)}:${app.name}`],
      ],
    });
    // The known issue a02Ka00000mn8S6: after a refresh the app and its policies exist, its OAuth settings do not.
    if (app.oauthSettings)
      out.push({
        type: 'ExtlClntAppOauthSettings',
        packaged: app.packaged,
        namespacePrefix: ns,
        fullName: `${app.name}_oauth`,
        id: app.id.replace(/^0xI/, '0xS'),
        fileName: `extlClntAppOauthSettings/${app.name}_oauth.ecaOauth`,
        body: () => [
          ['commaSeparatedOauthScopes', scopesEnum(app).join(', ')],
          ['externalClientApplication', app.name],
          ['label', `${app.label} OAuth`],
        ],
      });
    // A packaged ECA's global OAuth settings stay in the org that owns the package.
    if (!app.packaged && app.oauthSettings) {
      out.push({
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: `${app.name}_glbloauth`,
        id: app.id.replace(/^0xI/, '0xG'),
        fileName: `extlClntAppGlobalOauthSets/${app.name}_glbloauth.ecaGlblOauth`,
        body: () => [
          ['callbackUrl', app.callbackUrl],
          ['certificate', app.certificatePem ?? undefined],
          // Only with the org setting "Allow Access to OAuth Consumer Secrets via Metadata API".
          ['consumerKey', state.org.ecaSecretsViaMetadata === false ? undefined : app.consumerKey],
          ['externalClientApplication', app.name],
          ['isClientCredentialsFlowEnabled', false],
          ['isConsumerSecretOptional', false],
          ['isDeviceFlowEnabled', false],
          ['isIntrospectAllTokens', false],
          ['isPkceRequired', true],
          ['isRefreshTokenRotationEnabled', false],
          ['isSecretRequiredForRefreshToken', true],
          ['label', `${app.label} Global OAuth`],
        ],
      });
    }
    out.push({
      type: 'ExtlClntAppOauthConfigurablePolicies',
      packaged: app.packaged,
      namespacePrefix: ns,
      fullName: `${app.name}_oauthPlcy`,
      id: app.policyId ?? app.id,
      fileName: `extlClntAppOauthPolicies/${app.name}_oauthPlcy.ecaOauthPlcy`,
      body: () => {
        const policy = state.byId('ExtlClntAppOauthPlcyCnfg', app.policyId);
        return [
          ['commaSeparatedPermissionSet', g.permissionSets.join(',') || undefined],
          ['commaSeparatedProfile', g.profiles.join(',') || undefined],
          ['externalClientApplication', app.name],
          ['ipRelaxationPolicyType', ecaEnum(app.ipRelaxation)],
          ['isClientCredentialsFlowEnabled', false],
          ['label', `${app.label} OAuth Policies`],
          ['permittedUsersPolicyType', policy?.PermittedUsersPolicyType],
          ['policyAction', app.sessionLevel === 'HIGH_ASSURANCE' ? 'RaiseSessionLevel' : undefined],
          ['refreshTokenPolicyType', policy?.RefreshTokenPolicyType],
          ['refreshTokenValidityPeriod', policy?.RefreshTokenValidityPeriod ?? undefined],
          ['refreshTokenValidityUnit', policy?.RefreshTokenValidityUnit ?? undefined],
          ['requiredSessionLevel', app.sessionLevel],
        ];
      },
    });
  }
  const s = state.org.myDomainSettings ?? {};
  const partition = { production: 'none', developer: 'develop', sandbox: 'sandbox', scratch: 'scratch' }[
    state.org.kind
  ];
  out.push({
    type: 'MyDomainSettings',
    fullName: 'MyDomain',
    id: state.orgId,
    fileName: 'settings/MyDomain.settings',
    body: () => [
      ['canOnlyLoginWithMyDomainUrl', s.canOnlyLoginWithMyDomainUrl === true],
      ['doesApiLoginRequireOrgDomain', s.doesApiLoginRequireOrgDomain === true],
      ['domainPartition', partition],
      ['enableNativeBrowserForAuthOnAndroid', false],
      ['enableNativeBrowserForAuthOnIos', false],
      ['useStabilizedMyDomainHostnames', true],
      ['useStabilizedSandboxMyDomainHostnames', state.isSandboxRealm],
    ],
  });
  return out;
}

function all(body: string, tag: string): string[] {
  const re = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${tag}>`, 'g');
  return [...body.matchAll(re)].map((m) => m[1].trim());
}

function unesc(v: string): string {
  return v
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function metadataEndpoint(state: OrgState, req: SimRequest): SimResponse {
  const body = req.body.toString('utf8');
  const method = /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1] ?? 'unknown';
  const session = unesc(all(body, 'sessionId')[0] ?? '');
  const token = state.tokens.get(session) ?? authenticate(state, req);
  const withLog = (res: SimResponse, extra: Record<string, unknown> = {}): SimResponse => ({
    ...res,
    log: {
      bodyShape: { soapAction: header(req, 'soapaction') ?? null, method, ...extra },
      mutating: !['listMetadata', 'readMetadata', 'describeMetadata', 'checkRetrieveStatus'].includes(method),
    },
  });
  if (!token)
    return withLog(soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session'));
  if (token.refusedByApi)
    return withLog(soapFault('INVALID_SESSION_ID', 'This session is not valid for use with the API'));
  if (!state.apiAllowedFor(token.userId))
    return withLog(soapFault('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner'));
  if (
    !state.userHasPermission(token.userId, 'ModifyAllData') &&
    !state.userHasPermission(token.userId, 'ModifyMetadata')
  ) {
    return withLog(
      soapFault(
        'INSUFFICIENT_ACCESS',
        'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
      ),
    );
  }
  const comps = components(state);
  const created = sfDateTime('2024-04-01T09:00:00Z');
  const adminId = String(state.userByUsername(state.scenario.admin ?? '')?.Id ?? '005000000000000AAA');
  if (method === 'listMetadata') {
    const types = all(body, 'queries').map((q) => unesc(all(q, 'type')[0] ?? ''));
    const wanted = (c: Component): boolean =>
      types.includes(c.type) || (types.includes('Settings') && c.type === 'MyDomainSettings');
    const results = comps.filter(wanted).map((c) =>
      xml([
        [
          'result',
          [
            ['createdById', adminId],
            ['createdByName', 'Admin User'],
            ['createdDate', created],
            ['fileName', c.fileName],
            ['fullName', c.type === 'MyDomainSettings' && types.includes('Settings') ? 'MyDomain' : c.fullName],
            ['id', c.id],
            ['lastModifiedById', adminId],
            ['lastModifiedByName', 'Admin User'],
            ['lastModifiedDate', created],
            ['manageableState', c.packaged ? 'installed' : 'unmanaged'],
            ['namespacePrefix', c.namespacePrefix ?? undefined],
            ['type', c.type === 'MyDomainSettings' && types.includes('Settings') ? 'Settings' : c.type],
          ],
        ],
      ]),
    );
    return withLog(envelope(`<listMetadataResponse>${results.join('')}</listMetadataResponse>`), { types });
  }
  if (method === 'readMetadata') {
    const type = unesc(all(body, 'type')[0] ?? '');
    const names = all(body, 'fullNames').map(unesc);
    const records = names.map((n) => {
      const c = comps.find((x) => x.type === type && x.fullName === n);
      if (!c) return '<records xsi:nil="true"/>';
      return `<records xsi:type="${type}">${xml([['fullName', c.fullName], ...c.body()])}</records>`;
    });
    return withLog(envelope(`<readMetadataResponse><result>${records.join('')}</result></readMetadataResponse>`), {
      type,
      count: names.length,
    });
  }
  return withLog(soapFault('INVALID_OPERATION', `The simulator does not implement ${method}`));
}
