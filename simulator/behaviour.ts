/*
 * Defaults for behaviour Salesforce has not settled (reference marks them unverified). Each default is the variant
 * the reference leans to; a scenario can pick the other one under server.behaviour.
 */
import type { Behaviour } from './scenario.js';

export const DEFAULT_BEHAVIOUR: Required<Behaviour> = {
  // My Domain as aud: "seems to work for current orgs" (sfdx-core tries it first; sim PR #6508), contested for older orgs.
  myDomainAudience: 'accepted',
  // sfdx-core's first attempt sends `URL.href` ("https://acme.my.salesforce.com/"); an audience is compared as an
  // authorization-server URL, so an empty path and "/" are the same URL. A real path (…/services/oauth2/token) is not.
  audienceTrailingSlash: 'ignored',
  // Reference §1.4: wrong case is "no exact match; treat as E1" (unverified).
  usernameMatch: 'exact',
  // E2 reported for JWT by public sources; one guide says E1 — both variants exist as scenarios.
  adminApprovedUnassignedError: 'invalid_app_access',
  // Observed `invalid_grant: inactive user` (restforce#303) rather than the legacy documented inactive_user.
  inactiveUserError: 'invalid_grant',
  // Which MyDomainSettings flag keeps login/test.salesforce.com from issuing tokens (docs cover UI and SOAP only).
  loginPolicyFlags: 'any',
  // What login/test answer when the org refuses logins there: the catch-all for "user not usable at this host".
  loginPolicyError: 'hasnt_approved',
  // High assurance: docs say JWT "can't" be used; the closest documented token error is `authentication failure`.
  // 'api-401': the token is issued and every API call answers 401 (jsforce#1291, a field report).
  highAssuranceError: 'authentication_failure',
  // Uninstalled CA: seen on the authorize redirect as invalid_client/app must be installed into org.
  uninstalledAppError: 'app_must_be_installed',
  // Old CLI hint "the cert associated with the connected app has not expired" → expired certificates fail (E4/E4b).
  expiredCertificate: 'rejected',
  // A vendor claims a 3-minute buffer; unverified, so none by default.
  clockSkewSeconds: 0,
  missingExp: 'rejected',
  // Salesforce-derived clients match the lowercase text.
  ipRestrictedDescription: 'lowercase',
  inactiveOrgResponse: 'inactive_org',
  caAdminApprovedNeedsRefreshScope: false,
  // Whether a token request's LoginHistory row is visible to a query made right after it. Salesforce documents no
  // delay and no guarantee either way (a guess): 'not-recorded' is the org where the doctor finds no row of its own.
  loginHistory: 'recorded',
  // No source says which id listMetadata gives a ConnectedApp; Setup URLs carry both 0H4 and 06P (unverified).
  listMetadataAppId: '0H4',
  // Blocked app: n8n#21589 shows `OAUTH_APP_BLOCKED` ("this app is blocked by admin", partly legible) on the authorize
  // redirect; what the JWT token endpoint answers is unverified. The other value is the catch-all E1.
  blockedAppError: 'oauth_app_blocked',
  // "Login Rate Exceeded" / LOGIN_RATE_EXCEEDED (restforce#412, PR#744, help 000312767); the OAuth JSON shape is a guess.
  loginRateError: 'invalid_grant',
  // API Access Control and an app not on the allowlist: cli#3260 reports `invalid_app_access` with API Access Control
  // among the causes; cli#3428/#3297 report a login that works and then an endless "Access token has expired" (401).
  apiAccessControlAnswer: 'invalid_app_access',
  // An ECA without its OAuth settings (known issue a02Ka00000mn8S6, sfdx-hardis#1994): the org holds no such key, and an
  // unknown key is E6 (reference §1.3). cli#3482's "External client app is not installed" after refreshes is the other.
  ecaOauthSettingsLostError: 'client_id_invalid',
  // Help 005132365: the permission lets users use uninstalled connected apps; that a JWT login counts is unverified.
  approveUninstalledPermission: 'honoured',
  // core's determineIfDevHub reads ScratchOrgInfo with the user's own token; which users may read it is unverified.
  scratchOrgInfoAccess: 'api-users',
};

/**
 * Every value each unverified option can take, the default among them. The unverified-behaviour matrix
 * (test/matrix/) runs every scenario under each value, one option at a time; numeric options list representative
 * values. The type makes a line required for every option of Behaviour: a new option is covered by adding its line.
 */
export const BEHAVIOUR_VARIANTS: { readonly [K in keyof Behaviour]-?: ReadonlyArray<NonNullable<Behaviour[K]>> } = {
  myDomainAudience: ['accepted', 'rejected'],
  audienceTrailingSlash: ['ignored', 'rejected'],
  usernameMatch: ['exact', 'case-insensitive'],
  adminApprovedUnassignedError: ['invalid_app_access', 'hasnt_approved'],
  inactiveUserError: ['invalid_grant', 'inactive_user'],
  loginPolicyFlags: ['any', 'canOnlyLoginWithMyDomainUrl', 'doesApiLoginRequireOrgDomain', 'none'],
  loginPolicyError: ['hasnt_approved', 'authentication_failure'],
  highAssuranceError: ['authentication_failure', 'hasnt_approved', 'api-401'],
  uninstalledAppError: ['app_must_be_installed', 'hasnt_approved'],
  expiredCertificate: ['rejected', 'accepted'],
  // None, the vendor's 3 minutes, and a generous 10.
  clockSkewSeconds: [0, 180, 600],
  missingExp: ['rejected', 'accepted'],
  ipRestrictedDescription: ['lowercase', 'capitalised'],
  inactiveOrgResponse: ['inactive_org', 'html-420'],
  caAdminApprovedNeedsRefreshScope: [false, true],
  loginHistory: ['recorded', 'not-recorded'],
  listMetadataAppId: ['0H4', '06P'],
  blockedAppError: ['oauth_app_blocked', 'hasnt_approved'],
  loginRateError: ['invalid_grant', 'login_rate_exceeded'],
  apiAccessControlAnswer: ['invalid_app_access', 'api-401'],
  ecaOauthSettingsLostError: ['client_id_invalid', 'app_not_found'],
  approveUninstalledPermission: ['honoured', 'ignored'],
  scratchOrgInfoAccess: ['api-users', 'admins'],
};

export function behaviourOf(b: Behaviour | undefined): Required<Behaviour> {
  return { ...DEFAULT_BEHAVIOUR, ...(b ?? {}) };
}
