/*
 * approval.path: the prior approval JWT bearer needs, stated as a sentence a person can check in Setup.
 * Admin-approved: which of the user's profile and permission sets grant the app — or none does (USER_NOT_PREAUTHORIZED,
 * naming the profile, the user's sets, and a granted set that is unassigned or lapsed). Self-authorize: the user's
 * approvals of the app (OauthToken) — or none (USER_NOT_APPROVED, with the exact one-time approval URL).
 */
import type { CheckOutcome } from '../check.js';
import type { CauseCode } from '../types.js';
import type { DoctorContext } from '../context.js';
import { text } from '../text.js';
import type { AppFacts, OrgInspection, UserFacts } from '../../salesforce/inspection.js';
import { appParams, fail, list, probeAnswer, skipFor, userCheck, warn } from './adminSupport.js';
import { isPreauthorized, preauthorization } from './preauthorization.js';
import { EXTERNAL_USER_TYPES } from './userActive.js';

/** "neither …'s profile P nor permission sets A, B", or just the profile when the user has no permission sets. */
/** What the user could be pre-authorized through, for "not granted to …" (a negated list, so "or"). */
function userGrants(username: string, params: Record<string, string>): string {
  return params.userSets === text('phrase.approvalPath.noPermissionSets')
    ? text('phrase.approvalPath.profileOnly', { username, profileName: params.profileName })
    : text('phrase.approvalPath.profileOrSets', {
        username,
        profileName: params.profileName,
        userSets: params.userSets,
      });
}

function userParams(ctx: DoctorContext, ins: OrgInspection, user: UserFacts): Record<string, string> {
  const sets = ins.assignments
    .filter((a) => !a.isOwnedByProfile && a.effective)
    .map((a) => (a.groupName ? text('phrase.approvalPath.group', { name: a.groupName }) : a.name));
  return {
    username: user.username,
    profileName: user.profileName ?? '?',
    userSets: sets.length
      ? text('phrase.approvalPath.permissionSets', { names: sets.join(', ') })
      : text('phrase.approvalPath.noPermissionSets'),
    adminOrg: ctx.inputs.adminOrg?.value ?? '<admin alias>',
  };
}

/** The app could not be read (permissions): Salesforce's own "not admin approved" still names the gap exactly. */
function withoutApp(ctx: DoctorContext, ins: OrgInspection, user: UserFacts): CheckOutcome | undefined {
  const skipped = skipFor(ins, ['apps']);
  if (!skipped) return undefined;
  if (probeAnswer(ctx) !== 'not-admin-approved') return skipped;
  const params = userParams(ctx, ins, user);
  const outcome = fail(ctx, `${text('detail.preauthUnknownApp', params)}\n${skipped.detail}`, {
    code: 'USER_NOT_PREAUTHORIZED',
    fix: 'admin-preauth-unknown-app',
    params,
    summary: text('summary.approvalPath.unknownApp', {
      username: user.username,
      userGrants: userGrants(user.username, params),
    }),
  });
  // observed: the token endpoint's own "user is not admin approved" carries this finding.
  return { ...outcome, evidence: 'observed' };
}

function adminApproved(ctx: DoctorContext, ins: OrgInspection, app: AppFacts, user: UserFacts): CheckOutcome {
  const noGrants = app.grantedProfiles.length === 0 && app.grantedPermissionSets.length === 0;
  const skipped = noGrants ? skipFor(ins, ['appAccess']) : undefined;
  if (skipped) return skipped;
  const p = preauthorization(ins, app);
  const params: Record<string, string> = {
    ...appParams(app),
    ...userParams(ctx, ins, user),
    grantedTo: list([
      ...app.grantedProfiles.map((n) => text('phrase.approvalPath.profile', { name: n })),
      ...app.grantedPermissionSets.map((n) => text('phrase.approvalPath.permissionSet', { name: n })),
    ]),
  };
  if (isPreauthorized(p)) {
    const via = [
      p.viaProfile ? text('phrase.approvalPath.profile', { name: p.profileName }) : '',
      ...p.viaSets.map((s) => text('phrase.approvalPath.permissionSet', { name: s })),
    ]
      .filter(Boolean)
      .join(', ');
    // The org's setup pre-authorizes the user: "not approved" guesses from the token endpoint's answer are out.
    return {
      status: 'pass',
      detail: text('detail.preauthOk', { ...params, via }),
      rulesOut: ['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED'],
    };
  }
  const detail = text('detail.preauthNone', params);
  const summary = text('summary.approvalPath.notGranted', {
    name: app.name,
    userGrants: userGrants(user.username, params),
    grantedTo: params.grantedTo,
  });
  const lapsed = p.lapsed[0];
  if (lapsed) {
    const state = lapsed.isActive
      ? text('phrase.approvalPath.expiredOn', { date: (lapsed.expirationDate ?? '').slice(0, 10) })
      : text('phrase.approvalPath.isInactive');
    // Through a group, the group's assignment is the one that lapsed (and the one Setup lists).
    const assigned = lapsed.group
      ? text('phrase.approvalPath.groupContaining', { group: lapsed.group, name: lapsed.name })
      : text('phrase.approvalPath.permissionSet', { name: lapsed.name });
    const lp = {
      ...params,
      grantedSet: lapsed.name,
      state,
      assigned,
      assignedName: lapsed.group ?? lapsed.name,
      assignmentList: lapsed.group ? 'Permission Set Group Assignments' : 'Permission Set Assignments',
    };
    const outcome = fail(ctx, `${detail}\n${text('detail.preauthLapsed', lp)}`, {
      code: 'USER_NOT_PREAUTHORIZED',
      fix: 'admin-preauth-lapsed',
      params: lp,
      summary: text('summary.approvalPath.lapsed', {
        username: user.username,
        assigned,
        name: app.name,
        state,
      }),
      // A past ExpirationDate ends an assignment (Object Reference: PermissionSetAssignment); what IsActive = false
      // means is not documented beyond its default, so a reading that rests on it is inferred and at most likely.
      ...(lapsed.isActive ? {} : { confidence: 'likely' as const }),
    });
    return lapsed.isActive ? outcome : { ...outcome, evidence: 'inferred' };
  }
  if (p.unassigned[0]) {
    const up = { ...params, grantedSet: p.unassigned[0] };
    return fail(ctx, `${detail}\n${text('detail.preauthUnassigned', up)}`, {
      code: 'USER_NOT_PREAUTHORIZED',
      fix: 'admin-preauth-assign',
      params: up,
      summary: text('summary.approvalPath.unassigned', {
        name: app.name,
        grantedSet: up.grantedSet,
        username: user.username,
      }),
    });
  }
  return fail(ctx, detail, { code: 'USER_NOT_PREAUTHORIZED', fix: 'admin-preauth-grant', params, summary });
}

/** A sandbox's creation or last refresh, from its Organization row (a refresh re-creates the org). */
export function sandboxRefresh(ins: OrgInspection): { date: string; days: number } | undefined {
  const created = ins.org?.kind === 'sandbox' ? ins.org.createdDate : undefined;
  const when = created ? Date.parse(created) : NaN;
  if (Number.isNaN(when)) return undefined;
  return {
    date: new Date(when).toISOString().slice(0, 10),
    days: Math.max(0, Math.floor((Date.now() - when) / 86_400_000)),
  };
}

function selfAuthorize(ctx: DoctorContext, ins: OrgInspection, app: AppFacts, user: UserFacts): CheckOutcome {
  const params = { ...appParams(app), ...userParams(ctx, ins, user) };
  if (!app.scopes.includes('refresh_token'))
    return { status: 'fail', detail: text('detail.selfNoRefreshScope', params) };
  const skipped = skipFor(ins, ['approvals']);
  if (skipped) return skipped;
  const approvals = ins.approvals ?? [];
  const community =
    user.userType && EXTERNAL_USER_TYPES.has(user.userType)
      ? `\n${text('detail.selfCommunity', { userType: user.userType })}`
      : '';
  if (approvals.length === 0) {
    const ownRows = ins.adminUserId === user.id;
    if (ins.approvalsComplete === false && !ownRows) {
      return {
        status: 'skip',
        detail: text('skip.adminPermission', {
          adminUser: ins.adminUsername ?? ins.adminOrg,
          what: text('phrase.approvalPath.otherUsersApprovals'),
          permission: 'Customize Application',
          code: 'OauthToken',
          message: '',
        }),
      };
    }
    const p = preauthorization(ins, app);
    const granted = isPreauthorized(p);
    const np = {
      ...params,
      via: [p.viaProfile ? text('phrase.approvalPath.profile', { name: p.profileName }) : '', ...p.viaSets]
        .filter(Boolean)
        .join(', '),
    };
    const detail = text('detail.selfNone', np) + community;
    const refreshed = sandboxRefresh(ins);
    const summary = refreshed
      ? text('summary.approvalPath.noApprovalAfterRefresh', {
          name: app.name,
          username: user.username,
          date: refreshed.date,
          days: refreshed.days,
        })
      : text('summary.approvalPath.neverApproved', { name: app.name, username: user.username });
    // Already granted to the user (a refreshed sandbox keeps grants, not approvals): switching the policy is enough.
    if (granted)
      return fail(ctx, detail, { code: 'USER_NOT_APPROVED', fix: 'admin-not-approved-granted', params: np, summary });
    return fail(ctx, detail, { code: 'USER_NOT_APPROVED', fix: 'admin-not-approved', params: np, summary });
  }
  const last =
    approvals
      .map((a) => a.lastUsedDate ?? a.createdDate ?? '')
      .sort()
      .pop() ?? '';
  const ap = {
    ...params,
    count: String(approvals.length),
    uses: String(approvals.reduce((n, a) => n + (a.useCount ?? 0), 0)),
    lastUsed: last.slice(0, 10) || text('phrase.approvalPath.never'),
  };
  if (probeAnswer(ctx) === 'hasnt-approved') {
    return fail(ctx, text('detail.selfNoQualifying', ap), {
      code: 'USER_NOT_APPROVED',
      fix: 'admin-approval-without-refresh',
      params: ap,
      summary: text('summary.approvalPath.noQualifyingApproval', {
        username: user.username,
        name: app.name,
        count: ap.count,
      }),
    });
  }
  // No token request (no key given): whether an approval included refresh_token no record says (OauthToken keeps no
  // scopes); only the token endpoint's answer can.
  const scopesUnknown = ctx.inputs.keyless && !ctx.facts.probe;
  const detail =
    text('detail.selfOk', ap) + community + (scopesUnknown ? `\n${text('detail.selfScopesUnknown', ap)}` : '');
  const undecided: CauseCode[] | undefined = scopesUnknown ? ['USER_NOT_APPROVED'] : undefined;
  if (ins.org?.kind === 'sandbox') {
    const outcome = warn(`${detail}\n${text('detail.selfSandbox', ap)}`, {
      code: 'USER_NOT_APPROVED',
      fix: 'admin-preauthorize-instead',
      params: ap,
      summary: text('summary.approvalPath.sandboxSelfApproval', { username: user.username, name: app.name }),
    });
    return { ...outcome, undecided };
  }
  return { status: 'pass', detail, undecided };
}

export const approvalPath = userCheck(
  // documented: grants from SetupEntityAccess (Object Reference: "To assign permission sets for connected apps, use SetupEntityAccess"), approvals from OauthToken, assignment ExpirationDate (Object Reference: PermissionSetAssignment).
  { id: 'approval.path', group: 'approval', needs: ['user.exists'], evidence: 'documented' },
  (ctx, ins, user) => {
    const app = ins.app;
    if (!app) return withoutApp(ctx, ins, user);
    if (app.adminApproved === undefined) return skipFor(ins, ['appPolicy', 'apps']);
    return app.adminApproved ? adminApproved(ctx, ins, app, user) : selfAuthorize(ctx, ins, app, user);
  },
);
