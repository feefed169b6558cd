/*
 * user.active: inactive, frozen or password-locked users cannot log in (USER_INACTIVE). Community / Experience Cloud
 * user types can use the JWT flow only with admin pre-authorization (seed 000), which approval.path checks.
 */
import { text } from '../text.js';
import { fail, userCheck } from './adminSupport.js';

/** SOQL UserType values of Experience Cloud (community, portal) users. */
export const EXTERNAL_USER_TYPES = new Set([
  'PowerPartner',
  'CspLitePortal',
  'CustomerSuccess',
  'PowerCustomerSuccess',
  'CsnOnly',
  'Partner',
]);

export const userActive = userCheck(
  // documented: User.IsActive and UserLogin.IsFrozen / IsPasswordLocked (Object Reference: User, UserLogin).
  { id: 'user.active', group: 'user', needs: ['user.exists'], evidence: 'documented' },
  (ctx, ins, user) => {
    const params = { username: user.username, profileName: user.profileName ?? '?' };
    if (!user.isActive) {
      return fail(ctx, text('detail.userInactive', params), {
        code: 'USER_INACTIVE',
        fix: 'user-inactive',
        params,
        summary: text('summary.userActive.USER_INACTIVE', { username: user.username }),
      });
    }
    if (user.isFrozen || user.isPasswordLocked) {
      const state = text(user.isFrozen ? 'phrase.userActive.frozen' : 'phrase.userActive.lockedOut');
      return fail(ctx, text('detail.userLocked', { ...params, state }), {
        code: 'USER_INACTIVE',
        fix: 'user-locked',
        params,
        summary: text('summary.userActive.locked', { username: user.username, state }),
      });
    }
    const unknown = ins.errors.userLogin
      ? `\n${text('detail.userLoginUnknown', { code: ins.errors.userLogin.code })}`
      : '';
    const external =
      user.userType && EXTERNAL_USER_TYPES.has(user.userType)
        ? `\n${text('detail.userExternal', { userType: user.userType })}`
        : '';
    // Active, and (when UserLogin was readable) neither frozen nor locked: the token endpoint's "inactive" guesses are out.
    return {
      status: 'pass',
      detail: `${text('detail.userActive', params)}${unknown}${external}`,
      rulesOut: ins.errors.userLogin ? [] : ['USER_INACTIVE'],
    };
  },
);
