/*
 * app.installed: since September 2025 an uninstalled Connected App (no AppMenuItem: "Install" in Connected Apps OAuth
 * Usage) works only for users who approved it before; a blocked one for nobody. External Client Apps are org-local.
 */
import type { Check } from '../check.js';
import { text } from '../text.js';
import { appParams, fail, inspection, skipFor, warn } from './adminSupport.js';

export const appInstalled: Check = {
  id: 'app.installed',
  group: 'app',
  needs: ['app.found'],
  mode: 'admin',
  // inferred: no source says an absent AppMenuItem means "not installed" (Object Reference: AppMenuItem is the app menu's default settings), and IsAccessible describes the running user.
  evidence: 'inferred',
  run(ctx) {
    const ins = inspection(ctx);
    const app = ins?.app;
    if (!ins || !app) return undefined;
    const params = { ...appParams(app), username: ins.user?.username ?? ctx.inputs.username?.value ?? '' };
    if (app.kind === 'ExternalClientApp') return { status: 'pass', detail: text('detail.ecaInstalled', params) };
    const skipped = skipFor(ins, ['appMenu']);
    if (skipped) return skipped;
    if (app.installed === undefined) return undefined;
    if (app.blocked) {
      return fail(ctx, text('detail.appBlocked', params), { code: 'APP_NOT_INSTALLED', fix: 'admin-app-blocked', params, summary: `${app.name} is blocked in this org (Connected Apps OAuth Usage).` });
    }
    if (!app.installed) {
      const approved = (ins.approvals?.length ?? 0) > 0;
      const detail = text(approved ? 'detail.appUninstalledApproved' : 'detail.appUninstalled', params);
      if (approved) return warn(detail, { code: 'APP_NOT_INSTALLED', fix: 'admin-app-not-installed', params, summary: `${app.name} is not installed; it works only for users who approved it before.` });
      return fail(ctx, detail, { code: 'APP_NOT_INSTALLED', fix: 'admin-app-not-installed', params, summary: `${app.name} is not installed in this org, and ${params.username} never approved it.` });
    }
    return { status: 'pass', detail: text('detail.appInstalled', params) };
  },
};
