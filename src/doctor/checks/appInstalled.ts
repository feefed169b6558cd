/*
 * app.installed: since September 2025 an uninstalled Connected App (no AppMenuItem: "Install" in Connected Apps OAuth
 * Usage) works only for users who approved it before; a blocked one for nobody. External Client Apps are org-local.
 */
import { text } from '../text.js';
import { isPreauthorized, preauthorization } from './preauthorization.js';
import { appCheck, appParams, fail, loginWorks, skipFor, warn } from './adminSupport.js';

export const appInstalled = appCheck(
  // inferred: no source says an absent AppMenuItem means "not installed" (Object Reference: AppMenuItem is the app menu's default settings), and IsAccessible describes the running user.
  { id: 'app.installed', group: 'app', needs: ['app.found'], evidence: 'inferred' },
  (ctx, ins, app) => {
    const params = { ...appParams(app), username: ins.user?.username ?? ctx.inputs.username?.value ?? '' };
    // documented: an External Client App is local to the org it is created or installed in (Help: External Client Apps).
    if (app.kind === 'ExternalClientApp')
      return {
        status: 'pass',
        evidence: 'documented',
        detail: text('detail.ecaInstalled', params),
        rulesOut: ['APP_NOT_INSTALLED'],
      };
    const skipped = skipFor(ins, ['appMenu']);
    if (skipped) return skipped;
    if (app.installed === undefined) return undefined;
    if (app.blocked) {
      // AppMenuItem.IsAccessible says whether the *running* user (the admin) may use the app (Object Reference:
      // AppMenuItem), not the CI user: a note at most, never "blocked for the CI user". A token issued says it is not.
      const bp = { ...params, adminUser: ins.adminUsername ?? ins.adminOrg };
      if (loginWorks(ctx))
        return {
          status: 'pass',
          evidence: 'observed',
          detail: `${text('detail.appInstalled', params)}\n${text('detail.appNotAccessibleToAdmin', bp)}`,
        };
      return {
        status: 'warn',
        detail: text('detail.appBlocked', bp),
        cause: {
          code: 'APP_BLOCKED',
          confidence: 'likely',
          alternatives: ['APP_NOT_INSTALLED'],
          weight: 10,
          fix: 'admin-app-blocked',
          params: bp,
          summary: text('summary.appInstalled.APP_BLOCKED', { name: app.name, adminUser: bp.adminUser }),
        },
      };
    }
    if (!app.installed) {
      const approved = (ins.approvals?.length ?? 0) > 0;
      // The pre-authorization step only where it is missing (an admin-approved app granted to the user's profile or sets).
      const preauthorized = app.adminApproved === true && isPreauthorized(preauthorization(ins, app));
      const { fix } = preauthorized ? { fix: 'admin-app-not-installed' } : { fix: 'admin-app-not-installed-preauth' };
      const detail = text(approved ? 'detail.appUninstalledApproved' : 'detail.appUninstalled', params);
      if (approved)
        return warn(detail, {
          code: 'APP_NOT_INSTALLED',
          fix,
          params,
          summary: text('summary.appInstalled.APP_NOT_INSTALLED', { name: app.name }),
        });
      // Likely, not confirmed: "no AppMenuItem" as "not installed" is the doctor's reading (see `evidence` above).
      return fail(ctx, detail, {
        code: 'APP_NOT_INSTALLED',
        confidence: 'likely',
        fix,
        params,
        summary: text('summary.appInstalled.notInstalledNeverApproved', { name: app.name, username: params.username }),
      });
    }
    return { status: 'pass', detail: text('detail.appInstalled', params) };
  },
);
