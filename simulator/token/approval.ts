/*
 * The last step: prior approval. Admin-approved apps need the user's profile or an active permission set granted
 * the app; self-authorized apps need an earlier approval by this user whose scopes included refresh_token
 * ("looks at all the previous approvals for the user that include a refresh_token"). Returns the granted scopes.
 */
import {
  DEFAULT_LOGIN_RATE_LIMIT,
  hasRefreshScope,
  normaliseScopes,
  type AppDetail,
  type OrgState,
  type Rec,
} from '../state.js';
import { E, reject } from './errors.js';

export function checkInstalled(state: OrgState, user: Rec, app: AppDetail): void {
  // An admin blocked the app (Connected Apps OAuth Usage "Block"): nobody may use it. The answer is unverified
  // (behaviour blockedAppError): OAUTH_APP_BLOCKED as n8n#21589 shows it, or the catch-all E1.
  if (app.blocked)
    reject(state.behaviour.blockedAppError === 'oauth_app_blocked' ? E.APP_BLOCKED : E.HASNT_APPROVED, 'app-blocked');
  if (app.type !== 'ConnectedApp' || app.installed) return;
  // Uninstalled apps stay usable for users who authorized them before (KB 005132365).
  if (state.approvalsOf(user.Id as string, app).length > 0) return;
  // ... and for holders of "Approve Uninstalled Connected Apps" (help 005132365; for JWT unverified: a behaviour option).
  if (
    state.behaviour.approveUninstalledPermission === 'honoured' &&
    state.userHasPermission(user.Id as string, 'ApproveUninstalledConnectedApps')
  )
    return;
  reject(
    state.behaviour.uninstalledAppError === 'hasnt_approved' ? E.HASNT_APPROVED : E.APP_NOT_INSTALLED,
    'app-not-installed',
  );
}

export function grantedScopes(state: OrgState, user: Rec, app: AppDetail): string[] {
  const appScopes = normaliseScopes(app.scopes);
  // API Access Control "makes every app admin-approved" (Help "API Access Control").
  if (app.adminApproved || state.org.apiAccessControl === true) {
    if (!state.isPreAuthorized(user.Id as string, app)) {
      reject(
        state.behaviour.adminApprovedUnassignedError === 'hasnt_approved' ? E.HASNT_APPROVED : E.NOT_ADMIN_APPROVED,
        'not-preauthorized',
      );
    }
    if (!hasRefreshScope(appScopes)) {
      if (app.type === 'ExternalClientApp') reject(E.ECA_REFRESH_SCOPE, 'eca-refresh-scope-missing');
      if (state.behaviour.caAdminApprovedNeedsRefreshScope) reject(E.HASNT_APPROVED, 'ca-refresh-scope-missing');
    }
    return appScopes;
  }
  // Self-authorize: without refresh_token on the app no approval can qualify (and earlier ones stop counting).
  if (!hasRefreshScope(appScopes)) reject(E.HASNT_APPROVED, 'refresh-scope-missing');
  const approvals = state
    .approvalsOf(user.Id as string, app)
    .filter((t) => hasRefreshScope((t._scopes as string[]) ?? []));
  if (approvals.length === 0) reject(E.HASNT_APPROVED, 'never-approved');
  const union = new Set<string>();
  for (const t of approvals) for (const s of t._scopes as string[]) union.add(s);
  return [...union].filter((s) => appScopes.includes(s));
}

/**
 * API Access Control: only allowlisted apps may use the API. An app off the list is refused at the token endpoint
 * (cli#3260) or gets a token every API call refuses (cli#3428): unverified, so a behaviour option. Returns the latter.
 */
export function checkApiAccessControl(state: OrgState, app: AppDetail): 'api-access-control' | undefined {
  if (state.org.apiAccessControl !== true || app.apiAccessAllowlisted) return undefined;
  if (state.behaviour.apiAccessControlAnswer === 'api-401') return 'api-access-control';
  return reject(E.NOT_ADMIN_APPROVED, 'api-access-control');
}

/**
 * The login rate limit: a user's logins (issued tokens) in the last hour, at most server.loginRateLimit (3,600 by
 * default: help 000312767 via restforce PR#744). Which attempts count (only issued tokens here) is unverified.
 */
export function checkLoginRate(state: OrgState, user: Rec): void {
  const limit = state.scenario.server?.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT;
  if (state.loginsInWindow(user.Id as string) < limit) return;
  reject(
    state.behaviour.loginRateError === 'login_rate_exceeded' ? E.LOGIN_RATE_CODE : E.LOGIN_RATE_GRANT,
    'login-rate-exceeded',
  );
}
