/*
 * org.sandbox-refresh: a sandbox created or refreshed recently, and what that did to JWT logins — usernames gained
 * the sandbox suffix, the My Domain became <mydomain>--<sandbox>.sandbox.my.salesforce.com, self-approvals (OauthToken)
 * were not copied, admin pre-authorization (profile and permission set grants) was. Tells a pipeline which steps it
 * must repeat after every refresh.
 */
import type { Check } from '../check.js';
import { sandboxRefresh } from './approvalPath.js';
import { text } from '../text.js';

const RECENT_DAYS = 30;

export const orgSandboxRefresh: Check = {
  id: 'org.sandbox-refresh',
  group: 'org',
  needs: ['org.connection'],
  mode: 'admin',
  // inferred: Organization.CreatedDate read as the sandbox's refresh date: no source says a refresh resets it.
  evidence: 'inferred',
  run(ctx) {
    const ins = ctx.facts.org;
    const refreshed = ins ? sandboxRefresh(ins) : undefined;
    if (!ins || !refreshed) return undefined;
    const app = ins.app;
    const what = text('detail.orgSandboxRefresh.refreshed', {
      name: ins.org?.name ?? '',
      date: refreshed.date,
      days: refreshed.days,
      myDomainUrl: ins.myDomainUrl ?? '<mydomain>--<sandbox>.sandbox.my.salesforce.com',
    });
    // The app, when it relies on self-approvals (which a refresh erases).
    const selfApproved = app?.adminApproved === false ? app : undefined;
    const advice = selfApproved
      ? ' ' + text('detail.orgSandboxRefresh.selfApproved', { appName: selfApproved.name })
      : app?.adminApproved
        ? ' ' + text('detail.orgSandboxRefresh.adminApproved', { appName: app.name })
        : '';
    if (refreshed.days > RECENT_DAYS) return { status: 'pass', detail: what + advice };
    return {
      status: selfApproved ? 'warn' : 'pass',
      detail: what + advice,
      ...(selfApproved
        ? {
            cause: {
              code: 'USER_NOT_APPROVED' as const,
              confidence: 'likely' as const,
              weight: 15,
              fix: 'sandbox-refresh-lasting',
              params: { appName: selfApproved.name, refreshDate: refreshed.date },
              summary: text('summary.orgSandboxRefresh.USER_NOT_APPROVED', {
                date: refreshed.date,
                name: selfApproved.name,
              }),
            },
          }
        : {}),
    };
  },
};
