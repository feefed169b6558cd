/*
 * What the org's data says about the user and an app, from the inspection alone (pure): the user's OauthToken rows of
 * the app, and whether the user may use it — pre-authorized (a granted profile or permission set on an admin-approved
 * app) or approved (an OauthToken row of a self-authorize app). Used to pick the app behind an unreadable consumer
 * key and to say which key/app pairing works when the key file's certificate is on another app.
 */
import type { AppFacts, AppUse, ApprovalFacts, OrgInspection } from '../salesforce/inspection.js';

/** The user's OauthToken rows naming the app (by label, or by developer name as ECA rows sometimes do). */
export function approvalsOf(ins: OrgInspection, app: AppFacts): ApprovalFacts[] | undefined {
  if (!ins.userApprovals) return undefined;
  const names = new Set([app.label ?? app.name, app.name]);
  return ins.userApprovals.filter((a) => names.has(a.appName));
}

export function appUse(ins: OrgInspection, app: AppFacts): AppUse {
  if (app.adminApproved === true) {
    if (!app.id || !ins.userAppIds) return 'unknown';
    if (ins.userAppIds.includes(app.id)) return 'preauthorized';
    // Grants through permission set groups are not in the user's SetupEntityAccess read.
    return ins.assignments.some((a) => a.groupId) ? 'unknown' : 'no';
  }
  if (app.adminApproved === false) {
    const rows = approvalsOf(ins, app);
    if (!rows) return 'unknown';
    if (rows.length > 0) return 'approved';
    return ins.approvalsComplete === true ? 'no' : 'unknown';
  }
  return 'unknown';
}

export const usable = (use: AppUse): boolean => use === 'preauthorized' || use === 'approved';

/** The org links the user to the app: an OauthToken row of it, or a grant of it to the user's profile or permission sets. */
export function linkedToUser(ins: OrgInspection, app: AppFacts): boolean {
  return (approvalsOf(ins, app)?.length ?? 0) > 0 || Boolean(app.id && ins.userAppIds?.includes(app.id));
}
