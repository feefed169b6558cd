/*
 * REST: /services/data (versions, resources, query + queryMore, Tooling query, sobjects create/read/delete) and the
 * identity endpoints (/services/oauth2/userinfo, /id/<org>/<user>). Bearer tokens are the ones the token endpoint
 * (or Simulator.issueAccessToken) issued; anything else is 401 INVALID_SESSION_ID.
 */
import { randomBytes } from 'node:crypto';
import { header, json, restError, type SimRequest, type SimResponse } from './http.js';
import { PREFIX, to18 } from './ids.js';
import { objectDef } from './schema.js';
import { parseSoql, project, select, SoqlError, type QueryContext } from './soql.js';
import { sfDateTime, type IssuedToken, type OrgState, type Rec } from './state.js';

const MIN_VERSION = 31;

export function maxVersion(state: OrgState): string {
  return state.scenario.server?.maxApiVersion ?? '66.0';
}

function releaseLabel(v: number): string {
  const idx = v - 60;
  const season = ['Spring', 'Summer', 'Winter'][((idx % 3) + 3) % 3];
  const year = 24 + Math.floor((idx + 1) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function authenticate(state: OrgState, req: SimRequest): IssuedToken | undefined {
  const auth = header(req, 'authorization') ?? '';
  const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(auth);
  return m ? state.tokens.get(m[1]) : undefined;
}

const invalidSession = (): SimResponse => restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

/**
 * A session the API refuses although the token endpoint issued it:
 * - the org has no API, or the user no API Enabled: 403 API_DISABLED_FOR_ORG "The REST API is not enabled for this
 *   Organization." (salesforcedx-vscode#2387; the status, 403, from the REST API's status codes: "the request has been
 *   refused … the logged-in user [lacks] appropriate permissions");
 * - a High Assurance requirement or an app off the API Access Control allowlist (behaviour 'api-401'): 401
 *   INVALID_SESSION_ID with "This session is not valid for use with the REST API" — a 401 body jsforce lists as one a
 *   blocked connection gives (http-api.ts isSessionExpired); which condition gives which text is unverified.
 */
export function apiRefusal(state: OrgState, token: IssuedToken): SimResponse | undefined {
  if (token.refusedByApi)
    return restError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');
  if (!state.apiAllowedFor(token.userId))
    return restError(403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.');
  return undefined;
}

/**
 * POST /services/oauth2/revoke (Help "Revoke OAuth Tokens"): an access token ends that session; a refresh token
 * (an approval: OauthToken.DeleteToken) deletes the approval and its sessions. An unknown token: 400
 * unsupported_token_type (the answer's text is unverified). Only the approval case changes the org's data.
 */
export function revokeEndpoint(state: OrgState, req: SimRequest): SimResponse {
  const token = new URLSearchParams(req.body.toString('utf8')).get('token') ?? req.query.get('token') ?? '';
  const bodyShape = { params: [...new Set(new URLSearchParams(req.body.toString('utf8')).keys())] };
  if (state.tokens.delete(token))
    return { status: 200, headers: {}, body: '', log: { mutating: false, revoke: 'access-token', bodyShape } };
  const approvals = state.table('OauthToken');
  const at = token ? approvals.findIndex((t) => t.DeleteToken === token || t.AccessToken === token) : -1;
  if (at >= 0) {
    approvals.splice(at, 1); // OauthToken.Id is always null: the row goes by position
    return { status: 200, headers: {}, body: '', log: { mutating: true, revoke: 'approval', bodyShape } };
  }
  return json(
    400,
    { error: 'unsupported_token_type', error_description: 'this token type is not supported' },
    { mutating: false, revoke: 'unknown-token', bodyShape },
  );
}

type Cursor = {
  rows: Array<Record<string, unknown>>;
  pos: number;
  totalSize: number;
  batch: number;
  api: 'rest' | 'tooling';
  version: string;
};
const cursors = new WeakMap<OrgState, Map<string, Cursor>>();

function page(state: OrgState, locator: string, c: Cursor): Record<string, unknown> {
  const records = c.rows.slice(c.pos, c.pos + c.batch);
  c.pos += records.length;
  const done = c.pos >= c.rows.length;
  const out: Record<string, unknown> = { totalSize: c.totalSize, done };
  if (!done) {
    out.nextRecordsUrl = `/services/data/v${c.version}/${c.api === 'tooling' ? 'tooling/' : ''}query/${locator}-${c.pos}`;
  } else cursors.get(state)?.delete(locator);
  out.records = records;
  return out;
}

export function runQuery(
  state: OrgState,
  soql: string,
  api: 'rest' | 'tooling',
  userId: string | null,
  version: string,
): Record<string, unknown> {
  const ctx: QueryContext = { state, api, userId, now: state.now() };
  const q = parseSoql(soql);
  const rows = select(ctx, q);
  if (q.count) return { totalSize: rows.length, done: true, records: [] };
  const def = objectDef(q.from);
  const capped = def?.maxRows ? rows.slice(0, def.maxRows) : rows;
  const cursor: Cursor = {
    rows: capped.map((r) => project(ctx, q, r, version)),
    pos: 0,
    totalSize: rows.length,
    batch: def?.batchSize ?? 2000,
    api,
    version,
  };
  const locator = to18(`${PREFIX.QueryLocator}${randomBytes(6).toString('hex').slice(0, 12)}`.slice(0, 15));
  if (!cursors.has(state)) cursors.set(state, new Map());
  cursors.get(state)?.set(locator, cursor);
  return page(state, locator, cursor);
}

function queryResponse(
  state: OrgState,
  req: SimRequest,
  api: 'rest' | 'tooling',
  version: string,
  token: IssuedToken,
): SimResponse {
  const soql = req.query.get('q');
  if (!soql) return restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  try {
    return json(200, runQuery(state, soql, api, token.userId, version), { soql });
  } catch (e) {
    if (e instanceof SoqlError) return restError(400, e.errorCode, e.message, { soql });
    throw e;
  }
}

function identity(state: OrgState, userId: string, host: string): Record<string, unknown> {
  const user = state.byId('User', userId) as Rec;
  const md = state.myDomainUrl;
  const org15 = state.orgId.slice(0, 15);
  const v = '{version}';
  const id = `https://${host}/id/${state.orgId}/${userId}`;
  return {
    id,
    asserted_user: true,
    user_id: userId,
    organization_id: state.orgId,
    username: user.Username,
    nick_name: String(user.Username).split('@')[0],
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey,
    photos: { picture: `${md}/profilephoto/005/F`, thumbnail: `${md}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${md}/services/Soap/c/${v}/${org15}`,
      metadata: `${md}/services/Soap/m/${v}/${org15}`,
      partner: `${md}/services/Soap/u/${v}/${org15}`,
      rest: `${md}/services/data/v${v}/`,
      sobjects: `${md}/services/data/v${v}/sobjects/`,
      search: `${md}/services/data/v${v}/search/`,
      query: `${md}/services/data/v${v}/query/`,
      recent: `${md}/services/data/v${v}/recent/`,
      tooling_soap: `${md}/services/Soap/T/${v}/${org15}`,
      tooling_rest: `${md}/services/data/v${v}/tooling/`,
      profile: `${md}/${userId.slice(0, 15)}`,
      feeds: `${md}/services/data/v${v}/chatter/feeds`,
      groups: `${md}/services/data/v${v}/chatter/groups`,
      users: `${md}/services/data/v${v}/chatter/users`,
      feed_items: `${md}/services/data/v${v}/chatter/feed-items`,
      feed_elements: `${md}/services/data/v${v}/chatter/feed-elements`,
      custom_domain: md,
    },
    active: user.IsActive,
    user_type: String(user.UserType).toUpperCase(),
    language: user.LanguageLocaleKey,
    locale: user.LanguageLocaleKey,
    utcOffset: -28_800_000,
    last_modified_date: user.CreatedDate,
    is_app_installed: true,
  };
}

function badOAuthToken(): SimResponse {
  return { status: 403, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'Bad_OAuth_Token' };
}

export function identityEndpoint(state: OrgState, req: SimRequest): SimResponse {
  const token = authenticate(state, req) ?? state.tokens.get(req.query.get('oauth_token') ?? '');
  if (!token) return badOAuthToken();
  const m = /^\/id\/([^/]+)\/([^/]+)\/?$/.exec(req.path);
  if (!m || m[1].slice(0, 15) !== state.orgId.slice(0, 15)) return badOAuthToken();
  const user = state.byId('User', m[2]);
  if (!user) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return json(200, identity(state, user.Id as string, req.host));
}

export function userinfoEndpoint(state: OrgState, req: SimRequest): SimResponse {
  const token = authenticate(state, req);
  if (!token) return badOAuthToken();
  const i = identity(state, token.userId, req.host);
  return json(200, {
    sub: i.id,
    user_id: i.user_id,
    organization_id: i.organization_id,
    preferred_username: i.username,
    nickname: i.nick_name,
    name: i.display_name,
    email: i.email,
    email_verified: true,
    given_name: i.first_name,
    family_name: i.last_name,
    zoneinfo: i.timezone,
    photos: i.photos,
    profile: (i.urls as Record<string, string>).profile,
    picture: (i.photos as Record<string, string>).picture,
    address: {},
    is_salesforce_integration_user: false,
    urls: i.urls,
    active: i.active,
    user_type: i.user_type,
    language: i.language,
    locale: i.locale,
    utcOffset: i.utcOffset,
    updated_at: i.last_modified_date,
    is_app_installed: true,
  });
}

// ---- sobjects (fix mode) ----

const REQUIRED: Record<string, string[]> = {
  PermissionSet: ['Name', 'Label'],
  SetupEntityAccess: ['ParentId', 'SetupEntityId'],
  PermissionSetAssignment: ['AssigneeId'],
};

function canWrite(state: OrgState, userId: string, type: string): boolean {
  if (state.userHasPermission(userId, 'ModifyAllData')) return true;
  return type === 'PermissionSetAssignment' && state.userHasPermission(userId, 'ManageUsers');
}

function createRecord(state: OrgState, type: string, body: Record<string, unknown>, userId: string): SimResponse {
  const log = { mutating: true, bodyShape: { type, fields: Object.keys(body) } };
  const def = objectDef(type);
  if (!def) return restError(404, 'NOT_FOUND', 'The requested resource does not exist', log);
  if (!def.writable)
    return restError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support insert`, log);
  if (!canWrite(state, userId, def.name)) {
    return restError(
      400,
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'insufficient access rights on cross-reference id',
      log,
    );
  }
  const rec: Rec = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attributes') continue;
    const f = Object.keys(def.fields).find((x) => x.toLowerCase() === k.toLowerCase());
    if (!f || f === 'Id')
      return restError(400, 'INVALID_FIELD', `No such column '${k}' on sobject of type ${def.name}`, log);
    rec[f] = v;
  }
  const missing = (REQUIRED[def.name] ?? []).filter((f) => rec[f] === undefined || rec[f] === null || rec[f] === '');
  if (def.name === 'PermissionSetAssignment' && !rec.PermissionSetId && !rec.PermissionSetGroupId)
    missing.push('PermissionSetId');
  if (missing.length) {
    return restError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, log);
  }
  const ref = (table: string, id: unknown): boolean => Boolean(state.byId(table, id));
  if (def.name === 'SetupEntityAccess') {
    const app = state.apps.find((a) => a.id.slice(0, 15) === String(rec.SetupEntityId).slice(0, 15));
    if (!ref('PermissionSet', rec.ParentId) || !app) {
      return restError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', log);
    }
    const dup = state
      .table('SetupEntityAccess')
      .some((s) => s.ParentId === state.byId('PermissionSet', rec.ParentId)?.Id && s.SetupEntityId === app.id);
    if (dup)
      return restError(
        400,
        'DUPLICATE_VALUE',
        'duplicate value found: SetupEntityId duplicates value on record with id: ' + app.id,
        log,
      );
    rec.ParentId = state.byId('PermissionSet', rec.ParentId)?.Id;
    rec.SetupEntityId = app.id;
    rec.SetupEntityType = app.type === 'ConnectedApp' ? 'ConnectedApplication' : 'ExternalClientApplication';
  }
  if (def.name === 'PermissionSetAssignment') {
    if (
      !ref('User', rec.AssigneeId) ||
      (rec.PermissionSetId && !ref('PermissionSet', rec.PermissionSetId)) ||
      (rec.PermissionSetGroupId && !ref('PermissionSetGroup', rec.PermissionSetGroupId))
    ) {
      return restError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', log);
    }
    rec.AssigneeId = state.byId('User', rec.AssigneeId)?.Id;
    if (rec.PermissionSetId) rec.PermissionSetId = state.byId('PermissionSet', rec.PermissionSetId)?.Id;
    const dup = state
      .table('PermissionSetAssignment')
      .some((a) => a.AssigneeId === rec.AssigneeId && a.PermissionSetId && a.PermissionSetId === rec.PermissionSetId);
    if (dup) {
      return restError(
        400,
        'DUPLICATE_VALUE',
        `Duplicate PermissionSetAssignment. Assignee: ${String(rec.AssigneeId)}; Permission Set: ${String(rec.PermissionSetId)}`,
        log,
      );
    }
    rec.IsActive = true;
    rec.IsRevoked = false;
    rec.ExpirationDate = rec.ExpirationDate ? sfDateTime(String(rec.ExpirationDate)) : null;
    rec.PermissionSetGroupId = rec.PermissionSetGroupId ?? null;
  }
  if (def.name === 'PermissionSet') {
    if (state.table('PermissionSet').some((p) => String(p.Name).toLowerCase() === String(rec.Name).toLowerCase())) {
      return restError(
        400,
        'DUPLICATE_DEVELOPER_NAME',
        'The API name you entered is already in use. Enter a unique name.',
        log,
      );
    }
    Object.assign(rec, {
      IsOwnedByProfile: false,
      ProfileId: null,
      IsCustom: true,
      LicenseId: null,
      PermissionSetGroupId: null,
      Type: 'Regular',
      NamespacePrefix: null,
      CreatedDate: sfDateTime(state.now()),
    });
    for (const f of Object.keys(def.fields)) if (f.startsWith('Permissions') && rec[f] === undefined) rec[f] = false;
  }
  rec.Id = state.ids.next(PREFIX[def.name as keyof typeof PREFIX]);
  state.insert(def.name, rec);
  return json(201, { id: rec.Id, success: true, errors: [] }, log);
}

function deleteRecord(state: OrgState, type: string, id: string, userId: string): SimResponse {
  const log = { mutating: true, bodyShape: { type } };
  const def = objectDef(type);
  if (!def) return restError(404, 'NOT_FOUND', 'The requested resource does not exist', log);
  if (!def.writable)
    return restError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support delete`, log);
  if (!canWrite(state, userId, def.name))
    return restError(400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', log);
  const rec = state.byId(def.name, id);
  if (!rec) return restError(404, 'ENTITY_IS_DELETED', 'entity is deleted', log);
  if (def.name === 'PermissionSet' && rec.IsOwnedByProfile) {
    return restError(400, 'CANNOT_MODIFY_MANAGED_OBJECT', 'You cannot delete a profile-owned permission set.', log);
  }
  state.remove(def.name, rec.Id as string);
  return { status: 204, headers: {}, body: '', log };
}

/** Everything under /services/data. */
export function dataEndpoint(state: OrgState, req: SimRequest): SimResponse {
  const path = req.path.replace(/\/+$/, '');
  const max = maxVersion(state);
  if (path === '/services/data') {
    const versions = [];
    for (let v = MIN_VERSION; v <= Number(max); v++) {
      versions.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    }
    return json(200, versions);
  }
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
  if (!m || Number(m[1]) > Number(max) || Number(m[1]) < MIN_VERSION)
    return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const version = m[1];
  const rest = m[2] ?? '';
  const token = authenticate(state, req);
  if (!token) return invalidSession();
  const refused = apiRefusal(state, token);
  if (refused) return refused;
  if (rest === '') {
    const base = `/services/data/v${version}`;
    return json(200, {
      tooling: `${base}/tooling`,
      metadata: `${base}/metadata`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      sobjects: `${base}/sobjects`,
      limits: `${base}/limits`,
      identity: `https://${req.host}/id/${state.orgId}/${token.userId}`,
    });
  }
  const qm = /^(\/tooling)?\/query(All)?(?:\/([^/]+))?$/.exec(rest);
  if (qm && req.method === 'GET') {
    const api = qm[1] ? 'tooling' : 'rest';
    if (!qm[3]) return queryResponse(state, req, api, version, token);
    const [locator, offset] = qm[3].split('-');
    const cursor = cursors.get(state)?.get(locator);
    if (!cursor || Number(offset) !== cursor.pos)
      return restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return json(200, page(state, locator, cursor));
  }
  const sm = /^(?:\/tooling)?\/sobjects\/([A-Za-z_]+)(?:\/([A-Za-z0-9]{15,18}))?$/.exec(rest);
  if (sm) {
    const [, type, id] = sm;
    if (req.method === 'POST' && !id) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return restError(400, 'JSON_PARSER_ERROR', 'Unexpected character in request body', { mutating: true });
      }
      return createRecord(state, type, body, token.userId);
    }
    if (req.method === 'DELETE' && id) return deleteRecord(state, type, id, token.userId);
    if (req.method === 'GET' && id) {
      const def = objectDef(type);
      const rec = def ? state.byId(def.name, id) : undefined;
      if (!def || !rec) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const out: Record<string, unknown> = {
        attributes: { type: def.name, url: `/services/data/v${version}/sobjects/${def.name}/${String(rec.Id)}` },
      };
      for (const f of Object.keys(def.fields)) out[f] = rec[f] ?? null;
      return json(200, out);
    }
  }
  return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
}
