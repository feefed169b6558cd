/*
 * The token endpoint's error catalogue (reference §1.3, E1–E18): exact `error` and `error_description` strings.
 * Every error is HTTP 400 with a JSON body — jsforce turns anything else into ERROR_HTTP_<status>.
 */
export type OAuthError = { error: string; error_description: string };

export const E = {
  HASNT_APPROVED: { error: 'invalid_grant', error_description: "user hasn't approved this consumer" }, // E1
  NOT_ADMIN_APPROVED: {
    error: 'invalid_app_access',
    error_description: 'user is not admin approved to access this app',
  }, // E2
  AUDIENCE_INVALID: { error: 'invalid_grant', error_description: 'audience is invalid' }, // E3
  INVALID_ASSERTION: { error: 'invalid_grant', error_description: 'invalid assertion' }, // E4
  INVALID_CLIENT_CREDENTIALS: { error: 'invalid_client', error_description: 'invalid client credentials' }, // E4b (ECA)
  EXPIRED: { error: 'invalid_grant', error_description: 'expired authorization code' }, // E5
  CLIENT_ID_INVALID: { error: 'invalid_client_id', error_description: 'client identifier invalid' }, // E6
  ECA_NOT_INSTALLED: { error: 'app_not_found', error_description: 'External client app is not installed in this org' }, // E7
  ECA_REFRESH_SCOPE: {
    error: 'invalid_request',
    error_description: 'refresh_token scope is required and the connected app should be installed and preauthorized.',
  }, // E8
  GRANT_TYPE: { error: 'unsupported_grant_type', error_description: 'grant type not supported' }, // E9
  IP_RESTRICTED_LOWER: { error: 'invalid_grant', error_description: 'ip restricted or invalid login hours' }, // E10
  IP_RESTRICTED_CAP: { error: 'invalid_grant', error_description: 'IP restricted or invalid login hours' }, // E10
  INACTIVE_USER_GRANT: { error: 'invalid_grant', error_description: 'inactive user' }, // E11 observed
  INACTIVE_USER_DOC: { error: 'inactive_user', error_description: 'User is inactive' }, // E11 documented
  INACTIVE_ORG: { error: 'inactive_org', error_description: 'Org is locked, closed, or suspended' }, // E12
  USER_LOCKED: { error: 'invalid_grant', error_description: 'user is locked' }, // E13
  AUTH_FAILURE: { error: 'invalid_grant', error_description: 'authentication failure' }, // E15
  APP_NOT_INSTALLED: { error: 'invalid_client', error_description: 'app must be installed into org' }, // E17
  HTTPS_REQUIRED: { error: 'invalid_request', error_description: 'HTTPS required' }, // E18
  // n8n#21589 (authorize redirect; the description is partly illegible there): the token endpoint's form is unverified.
  APP_BLOCKED: { error: 'OAUTH_APP_BLOCKED', error_description: 'this app is blocked by admin' },
  // restforce#412 ("Login Rate Exceeded"), PR#744 (LOGIN_RATE_EXCEEDED, help 000312767): the JSON shape is unverified.
  LOGIN_RATE_GRANT: { error: 'invalid_grant', error_description: 'Login Rate Exceeded' },
  LOGIN_RATE_CODE: { error: 'LOGIN_RATE_EXCEEDED', error_description: 'Login Rate Exceeded' },
  INVALID_SCOPE: { error: 'invalid_scope', error_description: 'the requested scope is not allowed' },
  INVALID_CODE: { error: 'invalid_grant', error_description: 'invalid authorization code' },
} satisfies Record<string, OAuthError>;

/** Thrown by a rule; the endpoint turns it into the 400 answer. */
export class TokenRejection extends Error {
  public constructor(
    public readonly oauth: OAuthError,
    public readonly rule: string,
  ) {
    super(oauth.error_description);
  }
}

export function reject(oauth: OAuthError, rule: string): never {
  throw new TokenRejection(oauth, rule);
}
