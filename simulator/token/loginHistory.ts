/*
 * The LoginHistory row a JWT token request leaves. Salesforce publishes no list of LoginHistory.Status texts; the
 * texts below are the ones seen in public (reference: field reports §3). Which text Salesforce writes for which token
 * endpoint outcome is documented only for "Failed: Not approved for access" (Help 000212208: an admin-approved
 * connected app whose user is not authorized); every other pairing here is marked GUESS, and outcomes without a
 * publicly seen text leave no row (also a guess: Salesforce likely records them with a text no source shows).
 * A row needs a user of this org: requests the org cannot attribute to one (unknown consumer key, bad audience or
 * signature, another realm, a username nobody has) leave none.
 */
import { OAUTH2_LOGIN_TYPE, type AppDetail, type OrgState, type Rec } from '../state.js';

/** The token rule (endpoint.ts `rule`, or 'success') → the LoginHistory.Status it records. */
export const LOGIN_STATUS_BY_RULE: Record<string, { status: string; source: string }> = {
  success: { status: 'Success', source: 'documented: the status of a successful login' },
  'not-preauthorized': { status: 'Failed: Not approved for access', source: 'documented: Help 000212208' },
  // GUESS: the texts are seen in public (SFSE 146422) for UI logins; that a JWT token request records them is a guess.
  'user-inactive': { status: 'User is Inactive', source: 'GUESS (text from SFSE 146422)' },
  'user-frozen': { status: 'User Is Frozen', source: 'GUESS (text from SFSE 146422)' },
  'user-password-locked': { status: 'Password Lockout', source: 'GUESS (text from SFSE 146422)' },
};

/** Records the attempt when the rule has a status text and the request names a user of this org. */
export function recordTokenLogin(
  state: OrgState,
  o: {
    rule: string;
    host: string;
    subject: unknown;
    app: AppDetail | undefined;
    user: Rec | undefined;
    sourceIp: string;
  },
): void {
  if (state.behaviour.loginHistory === 'not-recorded') return;
  const entry = LOGIN_STATUS_BY_RULE[o.rule];
  if (!entry || !o.app) return;
  const user = o.user ?? (typeof o.subject === 'string' ? state.userByUsername(o.subject) : undefined);
  if (!user) return;
  state.recordLogin({
    userId: user.Id as string,
    time: state.now(),
    status: entry.status,
    application: o.app.label,
    loginType: OAUTH2_LOGIN_TYPE,
    loginUrl: o.host.toLowerCase(),
    sourceIp: o.sourceIp,
  });
}
