import { expect } from 'chai';
import { classifyAnswer, mostSpecific } from '../../src/doctor/causes.js';

// Every token-endpoint answer in reference/salesforce-oauth-jwt-facts.md §1.3 (E1–E18) and seeds/003.
const KNOWN: Array<[string, string, string]> = [
  ['invalid_grant', "user hasn't approved this consumer", 'USER_NOT_APPROVED'],
  ['invalid_app_access', 'user is not admin approved to access this app', 'USER_NOT_PREAUTHORIZED'],
  ['invalid_grant', 'audience is invalid', 'AUDIENCE_INVALID'],
  ['invalid_grant', 'Audience validation failed', 'AUDIENCE_INVALID'],
  ['invalid_grant', 'invalid assertion', 'CERT_MISMATCH'],
  ['invalid_client', 'invalid client credentials', 'CERT_MISMATCH'],
  ['invalid_grant', 'expired authorization code', 'CLOCK_SKEW'],
  ['invalid_client_id', 'client identifier invalid', 'CLIENT_ID_INVALID'],
  ['app_not_found', 'External client app is not installed in this org', 'MY_DOMAIN_REQUIRED'],
  [
    'invalid_request',
    'refresh_token scope is required and the connected app should be installed and preauthorized.',
    'REFRESH_SCOPE_MISSING',
  ],
  ['unsupported_grant_type', 'grant type not supported', 'UNKNOWN'],
  ['invalid_grant', 'IP restricted or invalid login hours', 'IP_RESTRICTED'],
  ['invalid_grant', 'ip restricted or invalid login hours', 'IP_RESTRICTED'],
  ['inactive_user', 'User is inactive', 'USER_INACTIVE'],
  ['invalid_grant', 'inactive user', 'USER_INACTIVE'],
  ['inactive_org', 'Org is locked, closed, or suspended', 'ORG_INACTIVE'],
  ['invalid_grant', 'user is locked', 'USER_INACTIVE'],
  ['rate_limit_exceeded', 'Number of logins exceeded', 'ORG_UNREACHABLE'],
  ['invalid_grant', 'no valid scopes defined', 'REFRESH_SCOPE_MISSING'],
  ['invalid_client', 'app must be installed into org', 'APP_NOT_INSTALLED'],
  ['invalid_grant', 'expired access/refresh token', 'UNKNOWN'],
  ['invalid_grant', 'authentication failure', 'HIGH_ASSURANCE_REQUIRED'],
  ['invalid_request', 'HTTPS required', 'INSTANCE_URL_INVALID'],
];

describe('cause catalogue', () => {
  for (const [error, description, code] of KNOWN) {
    it(`maps ${error}: ${description} → ${code}`, () => {
      expect(classifyAnswer({ error, errorDescription: description }).code).to.equal(code);
    });
  }

  it('keeps an unknown answer as UNKNOWN', () => {
    const entry = classifyAnswer({ error: 'weird', errorDescription: 'never seen' });
    expect(entry.id).to.equal('unknown');
  });

  it('prefers the specific answer over fallback-pair noise', () => {
    const best = mostSpecific([
      { error: 'invalid_grant', errorDescription: 'audience is invalid' },
      { error: 'invalid_grant', errorDescription: "user hasn't approved this consumer" },
      { error: 'invalid_grant', errorDescription: 'audience is invalid' },
    ]);
    expect(best?.entry.code).to.equal('USER_NOT_APPROVED');
    expect(best?.answer.errorDescription).to.equal("user hasn't approved this consumer");
  });

  it('ties go to the earlier attempt', () => {
    const best = mostSpecific([
      { error: 'invalid_grant', errorDescription: 'invalid assertion', n: 1 },
      { error: 'invalid_grant', errorDescription: 'invalid assertion', n: 2 },
    ]);
    expect(best?.answer.n).to.equal(1);
  });
});
