/*
 * app.policy: the app's OAuth policies as Setup shows them — permitted users, IP relaxation, refresh-token policy,
 * session level. High assurance blocks JWT outright; an IP-restricted answer with IP relaxation "enforce" names the
 * exact switch; a refresh-token policy that expires tokens also expires the self-approvals JWT relies on.
 */
import { text } from '../text.js';
import { appCheck, appParams, fail, probeAnswer, skipFor, warn } from './adminSupport.js';

const RELAXATION: Record<string, string> = {
  ENFORCE: 'Enforce IP restrictions',
  ENFORCE_RELAXREFRESH: 'Enforce IP restrictions, but relax for refresh tokens',
  BYPASS: 'Relax IP restrictions',
  BYPASS_2FACTOR: 'Relax IP restrictions with second factor',
};

/** A refresh-token policy other than "valid until revoked" ends approvals after a while (or at once, for zero). */
export function refreshTokensExpire(policy: string | undefined): boolean {
  return Boolean(policy && policy !== 'infinite');
}

export const appPolicy = appCheck(
  // documented: the app's OAuth policies (Object Reference: ConnectedApplication Options*, RefreshTokenValidityPeriod; Metadata API: ConnectedAppOauthPolicy).
  { id: 'app.policy', group: 'app', needs: ['app.found'], evidence: 'documented' },
  (ctx, ins, app) => {
    const params = {
      ...appParams(app),
      permittedUsers:
        app.adminApproved === undefined
          ? 'unknown'
          : app.adminApproved
            ? 'Admin approved users are pre-authorized'
            : 'All users may self-authorize',
      ipRelaxation: RELAXATION[app.ipRelaxation ?? ''] ?? app.ipRelaxation ?? 'unknown',
      refreshTokenPolicy: app.refreshTokenPolicy ?? 'unknown',
      sessionLevel: app.sessionLevel ?? 'STANDARD',
      profileName: ins.user?.profileName ?? '?',
      username: ins.user?.username ?? ctx.inputs.username?.value ?? '',
    };
    const detail = text('detail.appPolicy', params);
    if (app.adminApproved === undefined) {
      const skipped = skipFor(ins, ['appPolicy', 'apps']);
      if (skipped) return skipped;
    }
    if (app.sessionLevel === 'HIGH_ASSURANCE') {
      return fail(ctx, detail, {
        code: 'HIGH_ASSURANCE_REQUIRED',
        fix: 'admin-high-assurance',
        params,
        summary: text('summary.appPolicy.highAssurance', { name: app.name }),
      });
    }
    if (probeAnswer(ctx) === 'ip-restricted' && app.ipRelaxation !== 'BYPASS') {
      return fail(ctx, detail, {
        code: 'IP_RESTRICTED',
        fix: 'admin-ip-restricted',
        params,
        summary: text('summary.appPolicy.ipRestricted', {
          name: app.name,
          ipRelaxation: params.ipRelaxation,
          profileName: params.profileName,
        }),
      });
    }
    if (!app.adminApproved && refreshTokensExpire(app.refreshTokenPolicy)) {
      return warn(`${detail}\n${text('detail.refreshPolicyExpires', params)}`, {
        code: 'USER_NOT_APPROVED',
        fix: 'admin-refresh-policy',
        params,
        summary: text('summary.appPolicy.USER_NOT_APPROVED', {
          name: app.name,
          refreshTokenPolicy: params.refreshTokenPolicy,
        }),
      });
    }
    return { status: 'pass', detail };
  },
);
