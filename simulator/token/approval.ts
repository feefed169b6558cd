/*
 * The last step: prior approval. Admin-approved apps need the user's profile or an active permission set granted
 * the app; self-authorized apps need an earlier approval by this user whose scopes included refresh_token
 * ("looks at all the previous approvals for the user that include a refresh_token"). Returns the granted scopes.
 */
import { hasRefreshScope, normaliseScopes, type AppDetail, type OrgState, type Rec } from '../state.js';
import { E, reject } from './errors.js';

export function checkInstalled(state: OrgState, user: Rec, app: AppDetail): void {
  if (app.type !== 'ConnectedApp' || (app.installed && !app.blocked)) return;
  // Uninstalled apps stay usable for users who authorized them before (KB 005132365); blocked apps for nobody.
  const approvedBefore = !app.blocked && state.approvalsOf(user.Id as string, app).length > 0;
  if (approvedBefore) return;
  reject(state.behaviour.uninstalledAppError === 'hasnt_approved' ? E.HASNT_APPROVED : E.APP_NOT_INSTALLED, app.blocked ? 'app-blocked' : 'app-not-installed');
}

export function grantedScopes(state: OrgState, user: Rec, app: AppDetail): string[] {
  const appScopes = normaliseScopes(app.scopes);
  if (app.adminApproved) {
    if (!state.isPreAuthorized(user.Id as string, app)) {
      reject(state.behaviour.adminApprovedUnassignedError === 'hasnt_approved' ? E.HASNT_APPROVED : E.NOT_ADMIN_APPROVED, 'not-preauthorized');
    }
    if (!hasRefreshScope(appScopes)) {
      if (app.type === 'ExternalClientApp') reject(E.ECA_REFRESH_SCOPE, 'eca-refresh-scope-missing');
      if (state.behaviour.caAdminApprovedNeedsRefreshScope) reject(E.HASNT_APPROVED, 'ca-refresh-scope-missing');
    }
    return appScopes;
  }
  // Self-authorize: without refresh_token on the app no approval can qualify (and earlier ones stop counting).
  if (!hasRefreshScope(appScopes)) reject(E.HASNT_APPROVED, 'refresh-scope-missing');
  const approvals = state.approvalsOf(user.Id as string, app).filter((t) => hasRefreshScope((t._scopes as string[]) ?? []));
  if (approvals.length === 0) reject(E.HASNT_APPROVED, 'never-approved');
  const union = new Set<string>();
  for (const t of approvals) for (const s of t._scopes as string[]) union.add(s);
  return [...union].filter((s) => appScopes.includes(s));
}
