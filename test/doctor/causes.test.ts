import { expect } from 'chai';
import {
  CAUSE_SIDE,
  classifyAnswer,
  mostSpecific,
  onlyProbeDecides,
  SETUP_CHECK_CAUSES,
  shownWithoutKey,
} from '../../src/doctor/causes.js';
import { adminChecks } from '../../src/doctor/checks/admin.js';
import { CAUSE_CODES } from '../../src/doctor/types.js';

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

describe('cause catalogue: what the org side shows without a key (CAUSE_SIDE)', () => {
  it('gives every cause code a side, and the setup checks show exactly the setup causes', () => {
    expect(Object.keys(CAUSE_SIDE).sort()).to.deep.equal([...CAUSE_CODES].sort());
    const shownBySetupChecks = new Set(Object.values(SETUP_CHECK_CAUSES).flat());
    const setup = CAUSE_CODES.filter((c) => CAUSE_SIDE[c] === 'setup');
    expect([...shownBySetupChecks].sort()).to.deep.equal([...setup].sort());
  });

  it('names each setup check by an org-side check of the graph', () => {
    const admin = new Set(adminChecks.map((c) => c.id));
    expect(Object.keys(SETUP_CHECK_CAUSES).filter((id) => !admin.has(id))).to.deep.equal([]);
  });

  it('leaves the key, the token endpoint and the API to the probe', () => {
    for (const code of ['CERT_MISMATCH', 'WRONG_APP', 'KEY_INVALID'] as const) expect(CAUSE_SIDE[code]).to.equal('key');
    for (const code of ['AUDIENCE_INVALID', 'CLOCK_SKEW', 'IP_RESTRICTED', 'API_DISABLED', 'UNKNOWN'] as const)
      expect(shownWithoutKey(code), code).to.equal(false);
    for (const code of ['USER_NOT_PREAUTHORIZED', 'CERT_EXPIRED', 'USERNAME_MALFORMED'] as const)
      expect(shownWithoutKey(code), code).to.equal(true);
  });

  it('lists the causes only the probe decides, plus the setup causes a run left open, in CAUSE_CODES order', () => {
    const base = onlyProbeDecides();
    expect(base).to.not.include('USER_NOT_APPROVED');
    expect(base.every((c) => !shownWithoutKey(c))).to.equal(true);
    const open = onlyProbeDecides(['USER_NOT_APPROVED']);
    expect(open).to.include('USER_NOT_APPROVED');
    expect(open).to.deep.equal(CAUSE_CODES.filter((c) => open.includes(c)));
  });
});
