/* Steps after the signature: the user at this host, its state, network and session policies. */
import type { IpRange } from '../scenario.js';
import { PRODUCTION_HOST, SANDBOX_HOST, type AppDetail, type OrgState, type Rec } from '../state.js';
import { E, reject } from './errors.js';
import type { HostRole } from './realm.js';

/** MyDomainSettings that keep login.salesforce.com / test.salesforce.com from issuing tokens for this org. */
export function loginHostBlocked(state: OrgState, host: string): boolean {
  const h = host.toLowerCase();
  if (h !== PRODUCTION_HOST && h !== SANDBOX_HOST) return false;
  const s = state.org.myDomainSettings ?? {};
  switch (state.behaviour.loginPolicyFlags) {
    case 'none':
      return false;
    case 'canOnlyLoginWithMyDomainUrl':
      return s.canOnlyLoginWithMyDomainUrl === true;
    case 'doesApiLoginRequireOrgDomain':
      return s.doesApiLoginRequireOrgDomain === true;
    default:
      return s.canOnlyLoginWithMyDomainUrl === true || s.doesApiLoginRequireOrgDomain === true;
  }
}

export function resolveUser(state: OrgState, role: HostRole, host: string, subject: unknown): Rec {
  // The user lives only in this org; in the other realm nobody by that name can have approved the app.
  if (role === 'foreign-realm' || typeof subject !== 'string') return reject(E.HASNT_APPROVED, 'user-not-in-realm');
  if (loginHostBlocked(state, host)) {
    return reject(
      state.behaviour.loginPolicyError === 'authentication_failure' ? E.AUTH_FAILURE : E.HASNT_APPROVED,
      'my-domain-login-policy',
    );
  }
  const user = state.userByUsername(subject);
  if (!user) return reject(E.HASNT_APPROVED, 'user-not-found');
  if (user.IsActive !== true) {
    return reject(
      state.behaviour.inactiveUserError === 'inactive_user' ? E.INACTIVE_USER_DOC : E.INACTIVE_USER_GRANT,
      'user-inactive',
    );
  }
  const login = state.userLogin(user.Id as string);
  if (login?.IsFrozen === true) return reject(E.USER_LOCKED, 'user-frozen');
  if (login?.IsPasswordLocked === true) return reject(E.USER_LOCKED, 'user-password-locked');
  return user;
}

function ipToNumber(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip.replace(/^::ffff:/, ''));
  if (!m) return undefined;
  return m.slice(1).reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function ipInRanges(ip: string, ranges: IpRange[]): boolean {
  const n = ipToNumber(ip);
  if (n === undefined) return false;
  return ranges.some((r) => {
    const [lo, hi] = [ipToNumber(r.start), ipToNumber(r.end)];
    return lo !== undefined && hi !== undefined && lo <= n && n <= hi;
  });
}

/** Profile Login IP Ranges, relaxed only by the app's "Relax IP restrictions" (BYPASS). */
export function checkIp(state: OrgState, user: Rec, app: AppDetail, clientIp: string): void {
  const profile = state.byId('Profile', user.ProfileId);
  const ranges = (profile?._loginIpRanges as IpRange[] | undefined) ?? [];
  if (ranges.length === 0 || app.ipRelaxation === 'BYPASS') return;
  // BYPASS_2FACTOR needs a second factor a JWT login cannot give; ENFORCE_RELAXREFRESH relaxes refresh tokens only.
  if (!ipInRanges(clientIp, ranges)) {
    reject(
      state.behaviour.ipRestrictedDescription === 'capitalised' ? E.IP_RESTRICTED_CAP : E.IP_RESTRICTED_LOWER,
      'ip-restricted',
    );
  }
}

/** Returns 'high-assurance' when the token is issued but every API call will refuse it (highAssuranceError 'api-401'). */
export function checkSessionLevel(state: OrgState, app: AppDetail): 'high-assurance' | undefined {
  if (app.sessionLevel !== 'HIGH_ASSURANCE') return undefined;
  if (state.behaviour.highAssuranceError === 'api-401') return 'high-assurance';
  return reject(
    state.behaviour.highAssuranceError === 'hasnt_approved' ? E.HASNT_APPROVED : E.AUTH_FAILURE,
    'high-assurance',
  );
}
