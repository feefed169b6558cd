/*
 * app.scopes: `api` for the CLI's requests, and refresh_token/offline_access where the path needs it: a self-authorize
 * approval only counts if it included refresh_token, and an admin-approved External Client App refuses JWT without it.
 * For an admin-approved Connected App Salesforce's need for it is unverified: the token answer decides.
 */
import { text } from '../text.js';
import { appCheck, appParams, fail, probeAnswer, skipFor } from './adminSupport.js';
import { isPreauthorized, preauthorization } from './preauthorization.js';

export const appScopes = appCheck(
  // documented: the app's scopes (Metadata API: ConnectedAppOauthConfig.scopes); self-authorized JWT needs an approval with refresh_token (Help: OAuth 2.0 JWT Bearer Flow).
  { id: 'app.scopes', group: 'app', needs: ['app.found'], evidence: 'documented' },
  (ctx, ins, app) => {
    if (app.scopes.length === 0) {
      const skipped = skipFor(ins, ['apps']);
      if (skipped) return skipped;
    }
    const params = { ...appParams(app), scopes: app.scopes.join(', ') || '(none)' };
    const hasApi = app.scopes.includes('api') || app.scopes.includes('full');
    const hasRefresh = app.scopes.includes('refresh_token');
    const noApi = hasApi ? '' : `\n${text('detail.scopesNoApi', params)}`;
    if (!hasRefresh) {
      const summary = text('phrase.appScopes.lackRefresh', { name: app.name, scopes: params.scopes });
      if (app.kind === 'ExternalClientApp' && app.adminApproved) {
        return fail(ctx, text('detail.scopesEca', params) + noApi, {
          code: 'REFRESH_SCOPE_MISSING',
          fix: 'admin-refresh-scope',
          params,
          summary: text('summary.appScopes.ecaNeedsRefresh', { summary }),
        });
      }
      if (!app.adminApproved) {
        return fail(ctx, text('detail.scopesSelf', params) + noApi, {
          code: 'REFRESH_SCOPE_MISSING',
          fix: 'admin-refresh-scope',
          params,
          summary: text('summary.appScopes.selfApprovalNeedsRefresh', { summary }),
        });
      }
      // Admin-approved Connected App: needed or not is unsettled; "hasn't approved" for a pre-authorized user says it is.
      if (ins.user && probeAnswer(ctx) === 'hasnt-approved' && isPreauthorized(preauthorization(ins, app))) {
        // inferred: no source says an admin-approved Connected App needs refresh_token; it is what the answer leaves.
        const outcome = fail(ctx, text('detail.scopesCaAnswer', params) + noApi, {
          code: 'REFRESH_SCOPE_MISSING',
          confidence: 'likely',
          fix: 'admin-refresh-scope',
          params,
          summary: text('summary.appScopes.preauthorizedYetRefused', { summary }),
        });
        return { ...outcome, evidence: 'inferred' };
      }
      return { status: hasApi ? 'pass' : 'warn', detail: text('detail.scopesCaOk', params) + noApi };
    }
    // The app's scopes include refresh_token: "the app's scopes lack refresh_token" is disproved, whatever else fails.
    return {
      status: hasApi ? 'pass' : 'warn',
      detail: text('detail.scopesOk', params) + noApi,
      rulesOut: ['REFRESH_SCOPE_MISSING'],
    };
  },
);
