/*
 * POST /services/oauth2/token. The JWT bearer grant is decided in Salesforce's order (reference §1.3, inferred):
 * grant type → parse → iss lookup → aud → (org active) → signature → exp → user → IP → session level → installed →
 * approval. Also the authorization_code grant, so a web-server-flow approval can be completed the way a client does.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { header, json, type LogDetail, type SimRequest, type SimResponse } from '../http.js';
import { hasRefreshScope, type AppDetail, type OrgState, type Rec } from '../state.js';
import { E, TokenRejection, reject, type OAuthError } from './errors.js';
import { certificateValidAt, parseJwt, verifyRs256 } from './jwt.js';
import { checkAudience, hostRole, lookupApp } from './realm.js';
import { checkIp, checkSessionLevel, resolveUser } from './user.js';
import { checkApiAccessControl, checkInstalled, checkLoginRate, grantedScopes } from './approval.js';
import { recordTokenLogin } from './loginHistory.js';

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const SIGNING_SECRET = randomBytes(32);

function oauthError(e: OAuthError, log: LogDetail): SimResponse {
  const res = json(400, e, log);
  res.headers['cache-control'] = 'no-cache,must-revalidate,max-age=0,no-store,private';
  return res;
}

export function clientIpOf(state: OrgState, req: SimRequest): string {
  return state.scenario.server?.clientIp ?? req.remoteAddress.replace(/^::ffff:/, '');
}

export function successBody(
  state: OrgState,
  host: string,
  userId: string,
  scopes: string[],
  appId: string | null,
): Record<string, string> {
  const accessToken = state.issueToken(userId, scopes, appId);
  const id = `https://${host.toLowerCase()}/id/${state.orgId}/${userId}`;
  const issuedAt = String(state.now());
  return {
    access_token: accessToken,
    signature: createHmac('sha256', SIGNING_SECRET)
      .update(id + issuedAt)
      .digest('base64'),
    scope: scopes.join(' '),
    instance_url: state.myDomainUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

export function tokenEndpoint(state: OrgState, req: SimRequest): SimResponse {
  const contentType = (header(req, 'content-type') ?? '').toLowerCase();
  const form = contentType.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(req.body.toString('utf8'))
    : new URLSearchParams();
  const bodyShape = { contentType: contentType || null, params: [...new Set(form.keys())] };
  if (req.method !== 'POST')
    return oauthError(E.GRANT_TYPE, { bodyShape, token: { outcome: 'unsupported_grant_type', rule: 'method' } });
  if (!req.secure)
    return oauthError(E.HTTPS_REQUIRED, { bodyShape, token: { outcome: 'invalid_request', rule: 'https' } });
  const grantType = form.get('grant_type');
  if (grantType === 'authorization_code') return codeGrant(state, req, form, bodyShape);
  if (grantType !== JWT_GRANT)
    return oauthError(E.GRANT_TYPE, { bodyShape, token: { outcome: 'unsupported_grant_type', rule: 'grant-type' } });

  const jwt = parseJwt(form.get('assertion') ?? undefined);
  const claims = jwt?.claims ?? {};
  const subject = claims.prn ?? claims.sub; // "If both are specified, prn is used."
  const log: LogDetail = {
    bodyShape,
    token: { iss: claims.iss, sub: subject, aud: claims.aud, exp: claims.exp, outcome: 'pending' },
  };
  // What the org can attribute the attempt to, for its LoginHistory row (token/loginHistory.ts).
  let app: AppDetail | undefined;
  let user: Rec | undefined;
  const record = (rule: string): void =>
    recordTokenLogin(state, { rule, host: req.host, subject, app, user, sourceIp: clientIpOf(state, req) });
  try {
    if (!jwt) reject(E.INVALID_ASSERTION, 'malformed');
    const role = hostRole(state, req.host);
    app = lookupApp(state, role, claims.iss);
    checkAudience(state, role, req.host, claims.aud, req.authority);
    if (app.type === 'ExternalClientApp' && role !== 'org') reject(E.ECA_NOT_INSTALLED, 'eca-needs-my-domain');
    const orgActive = state.table('Organization')[0]?._active !== false;
    if (!orgActive && role !== 'foreign-realm') {
      if (state.behaviour.inactiveOrgResponse === 'html-420') {
        return {
          status: 420,
          headers: { 'content-type': 'text/html' },
          body: '<html><body>Org is inactive</body></html>',
          log: { ...log, token: { ...log.token, outcome: 'ERROR_HTTP_420', rule: 'org-inactive' } },
        };
      }
      reject(E.INACTIVE_ORG, 'org-inactive');
    }
    const badSig = app.type === 'ExternalClientApp' ? E.INVALID_CLIENT_CREDENTIALS : E.INVALID_ASSERTION;
    if (jwt.header.alg !== 'RS256') reject(badSig, 'alg');
    const certificatePem = app.certificatePem;
    if (!certificatePem) reject(badSig, 'no-certificate');
    if (state.behaviour.expiredCertificate === 'rejected' && !certificateValidAt(certificatePem, state.now()))
      reject(badSig, 'certificate-expired');
    if (!verifyRs256(jwt, certificatePem)) reject(badSig, 'signature');
    checkExp(state, claims.exp);
    user = resolveUser(state, role, req.host, subject);
    checkIp(state, user, app, clientIpOf(state, req));
    const highAssurance = checkSessionLevel(state, app);
    checkInstalled(state, user, app);
    const scopes = grantedScopes(state, user, app);
    const accessControl = checkApiAccessControl(state, app);
    checkLoginRate(state, user);
    const body = successBody(state, req.host, user.Id as string, scopes, app.id);
    const refusedByApi = highAssurance ?? accessControl;
    if (refusedByApi) Object.assign(state.tokens.get(body.access_token) ?? {}, { refusedByApi });
    state.countLogin(user.Id as string);
    record('success');
    return json(200, body, { ...log, token: { ...log.token, outcome: 'success' } });
  } catch (e) {
    if (!(e instanceof TokenRejection)) throw e;
    record(e.rule);
    return oauthError(e.oauth, {
      ...log,
      token: { ...log.token, outcome: `${e.oauth.error}: ${e.oauth.error_description}`, rule: e.rule },
    });
  }
}

/** exp is seconds since the epoch; sf sends milliseconds (Date.now() + 300), which reads as far future and passes. */
function checkExp(state: OrgState, exp: unknown): void {
  if (exp === undefined || exp === null) {
    if (state.behaviour.missingExp === 'rejected') reject(E.INVALID_ASSERTION, 'exp-missing');
    return;
  }
  const seconds = typeof exp === 'number' ? exp : Number(exp);
  if (!Number.isFinite(seconds)) reject(E.INVALID_ASSERTION, 'exp-not-numeric');
  if (seconds * 1000 + state.behaviour.clockSkewSeconds * 1000 < state.now()) reject(E.EXPIRED, 'exp-past');
}

function codeGrant(
  state: OrgState,
  req: SimRequest,
  form: URLSearchParams,
  bodyShape: Record<string, unknown>,
): SimResponse {
  const code = form.get('code') ?? '';
  const pending = state.codes.get(code);
  const log: LogDetail = { bodyShape, mutating: true, token: { outcome: 'pending' } };
  if (!pending || (form.get('redirect_uri') ?? pending.redirectUri) !== pending.redirectUri) {
    return oauthError(E.INVALID_CODE, { ...log, token: { outcome: 'invalid_grant', rule: 'code' } });
  }
  state.codes.delete(code);
  const app = state.apps.find((a) => a.id === pending.appId);
  if (!app) return oauthError(E.INVALID_CODE, log);
  // Exchanging the code is what creates the refresh token — hence the approval the JWT flow looks for.
  const body: Record<string, string> = successBody(state, req.host, pending.userId, pending.scopes, app.id);
  if (hasRefreshScope(pending.scopes)) {
    state.recordApproval(pending.userId, app, pending.scopes);
    body.refresh_token = `5Aep861${randomBytes(30).toString('base64url').replace(/[-_]/g, 'z')}`;
  }
  return json(200, body, { ...log, token: { outcome: 'success', rule: 'authorization_code' } });
}
