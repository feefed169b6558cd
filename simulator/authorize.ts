/*
 * GET /services/oauth2/authorize — the one-time interactive approval, without a browser. The logged-in user is
 * simulated by the query parameter `sim_user=<username>` (the simulator has no login page).
 *  - response_type=token (user-agent flow): approves at once; when the granted scopes include refresh_token an
 *    approval (OauthToken row) is recorded — the fix seed 000's accepted answer used.
 *  - response_type=code (web-server flow): only issues a code; the approval exists once the code is exchanged at the
 *    token endpoint (grant_type=authorization_code). Opening the URL and never exchanging the code leaves no approval,
 *    which is what the asker in seed 000 did.
 * No `scope` parameter requests all scopes configured on the app.
 */
import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from './http.js';
import { hasRefreshScope, normaliseScopes, type AppDetail, type OrgState } from './state.js';
import { successBody } from './token/endpoint.js';
import { hostRole } from './token/realm.js';

function page(status: number, text: string, mutating = false): SimResponse {
  return {
    status,
    headers: { 'content-type': 'text/html;charset=UTF-8' },
    body: `<html><body><p>${text}</p></body></html>`,
    log: { mutating },
  };
}

function redirect(location: string, mutating: boolean): SimResponse {
  return { status: 302, headers: { location, 'content-type': 'text/html;charset=UTF-8' }, body: '', log: { mutating } };
}

export type ApprovalResult = { approved: boolean; scopes: string[]; fragment: Record<string, string> };

/** The user-agent flow's effect on the org (also `Simulator.approve`). */
export function approveUserAgent(
  state: OrgState,
  host: string,
  username: string,
  app: AppDetail,
  requested: string[] | undefined,
): ApprovalResult {
  const user = state.userByUsername(username);
  if (!user) throw new Error(`no user ${username}`);
  const scopes = requested ? normaliseScopes(requested) : normaliseScopes(app.scopes);
  const fragment = successBody(state, host, user.Id as string, scopes, app.id);
  const approved = hasRefreshScope(scopes);
  if (approved) {
    state.recordApproval(user.Id as string, app, scopes);
    fragment.refresh_token = `5Aep861${randomBytes(30).toString('base64url').replace(/[-_]/g, 'z')}`;
  }
  return { approved, scopes, fragment };
}

export function authorizeEndpoint(state: OrgState, req: SimRequest): SimResponse {
  const q = req.query;
  const app = state.appByKey(q.get('client_id') ?? '');
  const role = hostRole(state, req.host);
  if (!app || role === 'foreign-realm')
    return page(400, 'error=invalid_client_id&error_description=client identifier invalid');
  if (app.type === 'ExternalClientApp' && role !== 'org') return page(400, 'OAUTH_EC_APP_NOT_FOUND');
  if (app.type === 'ConnectedApp' && !app.installed) {
    return page(400, 'error=invalid_client&error_description=app+must+be+installed+into+org');
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (redirectUri !== app.callbackUrl)
    return page(400, 'error=redirect_uri_mismatch&error_description=redirect_uri must match configuration');
  const state_ = q.get('state');
  const withState = (params: URLSearchParams): string => {
    if (state_ !== null) params.set('state', state_);
    return params.toString();
  };
  const requested = q.get('scope') ? (q.get('scope') as string).split(/[\s+]+/).filter(Boolean) : undefined;
  if (requested && !normaliseScopes(requested).every((s) => normaliseScopes(app.scopes).includes(s))) {
    return redirect(
      `${redirectUri}?${withState(new URLSearchParams({ error: 'invalid_scope', error_description: 'the requested scope is not allowed' }))}`,
      false,
    );
  }
  const username = q.get('sim_user');
  if (!username)
    return page(
      200,
      'Simulated login page: add sim_user=&lt;username&gt; to the authorize URL to log in as that user.',
    );
  const user = state.userByUsername(username);
  if (!user || user.IsActive !== true)
    return page(400, 'error=invalid_grant&error_description=unknown or inactive user');
  const responseType = q.get('response_type');
  if (responseType === 'token') {
    const result = approveUserAgent(state, req.host, username, app, requested);
    return redirect(`${redirectUri}#${withState(new URLSearchParams(result.fragment))}`, result.approved);
  }
  if (responseType === 'code') {
    const code = `aPrx${randomBytes(24).toString('base64url').replace(/[-_]/g, 'q')}`;
    const scopes = requested ? normaliseScopes(requested) : normaliseScopes(app.scopes);
    state.codes.set(code, { userId: user.Id as string, appId: app.id, scopes, redirectUri });
    return redirect(`${redirectUri}?${withState(new URLSearchParams({ code }))}`, false);
  }
  return redirect(
    `${redirectUri}?${withState(new URLSearchParams({ error: 'unsupported_response_type', error_description: 'response type not supported' }))}`,
    false,
  );
}
