/*
 * The cause catalogue: every token-endpoint answer Salesforce is known to give for a JWT bearer request
 * (reference/salesforce-oauth-jwt-facts.md §1.3, seeds/003) mapped to a cause, and the rule that combines the answers
 * of all of sf's login/audience attempts into one.
 *
 * Why "specificity": sf tries up to 11 pairs and most of them are fallbacks. An `audience is invalid` from a pair sf
 * tries only as a fallback, or `External client app is not installed` from login.salesforce.com when the My Domain
 * answered, is noise; the answer that names the most specific condition is the one the org really has.
 */
import { CAUSE_CODES, type CauseCode, type Confidence } from './types.js';

export type TokenAnswer = { error?: string; errorDescription?: string };

export type CatalogueEntry = {
  /** Stable name of the answer, for tests and the report. */
  id: string;
  match: (error: string, description: string) => boolean;
  code: CauseCode;
  confidence: Confidence;
  alternatives: CauseCode[];
  /** Higher = names a more specific condition (checked later in Salesforce's order, or only reachable then). */
  specificity: number;
  fix?: string;
};

const is = (text: string) => (_e: string, d: string) => d === text;
const has = (re: RegExp) => (_e: string, d: string) => re.test(d);

export const CATALOGUE: CatalogueEntry[] = [
  // An HTTP 200 without a usable access_token, id or instance_url (probe.ts): sf stops there and cannot use it.
  {
    id: 'token-unusable',
    match: (e) => e === 'unusable_token_response',
    code: 'TOKEN_UNUSABLE',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 97,
  },
  // "Login Rate Exceeded" / LOGIN_RATE_EXCEEDED (restforce#412, PR#744): 3,600 logins per user per hour. Transient, but
  // it decides the run: nothing else is checked while it lasts.
  {
    id: 'login-rate-exceeded',
    match: (e, d) => /^login_rate_exceeded$/i.test(e) || d.includes('login rate exceeded'),
    code: 'LOGIN_RATE_EXCEEDED',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 96,
  },
  // OAUTH_APP_BLOCKED (n8n#21589, on the authorize redirect; the token endpoint's form is unverified).
  {
    id: 'app-blocked',
    match: (e, d) => /^oauth_app_blocked$/i.test(e) || d.includes('app is blocked'),
    code: 'APP_BLOCKED',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 92,
  },
  {
    id: 'org-inactive',
    match: (e, d) => e === 'inactive_org' || d.includes('org is locked, closed, or suspended'),
    code: 'ORG_INACTIVE',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 95,
  },
  {
    id: 'user-inactive',
    match: (e, d) => e === 'inactive_user' || /^(inactive user|user is inactive)$/.test(d),
    code: 'USER_INACTIVE',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 90,
    fix: 'user-inactive',
  },
  {
    id: 'user-locked',
    match: has(/^user is (locked|frozen)/),
    code: 'USER_INACTIVE',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 90,
    fix: 'user-locked',
  },
  {
    id: 'ip-restricted',
    match: has(/ip restricted|invalid login hours/),
    code: 'IP_RESTRICTED',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 90,
  },
  {
    id: 'high-assurance',
    match: has(/high assurance|session level|step.?up/),
    code: 'HIGH_ASSURANCE_REQUIRED',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 90,
  },
  // Also API Access Control's answer for an app off its allowlist (cli#3260): the org's setup tells the two apart
  // (approval.path shows the user pre-authorized), the answer alone does not.
  {
    id: 'not-admin-approved',
    match: (e, d) => e === 'invalid_app_access' || d.includes('not admin approved'),
    code: 'USER_NOT_PREAUTHORIZED',
    confidence: 'likely',
    alternatives: ['API_DISABLED'],
    specificity: 85,
  },
  {
    id: 'refresh-scope-required',
    match: has(/refresh_token scope is required/),
    code: 'REFRESH_SCOPE_MISSING',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 85,
    fix: 'REFRESH_SCOPE_MISSING-eca',
  },
  {
    id: 'no-valid-scopes',
    match: is('no valid scopes defined'),
    code: 'REFRESH_SCOPE_MISSING',
    confidence: 'likely',
    alternatives: ['UNKNOWN'],
    specificity: 80,
  },
  {
    id: 'app-must-be-installed',
    match: has(/app must be installed into org/),
    code: 'APP_NOT_INSTALLED',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 80,
  },
  {
    id: 'expired',
    match: has(/^expired authorization code$/),
    code: 'CLOCK_SKEW',
    confidence: 'likely',
    alternatives: ['UNKNOWN'],
    specificity: 75,
  },
  {
    id: 'invalid-assertion',
    match: is('invalid assertion'),
    code: 'CERT_MISMATCH',
    confidence: 'likely',
    alternatives: ['WRONG_APP', 'CERT_EXPIRED', 'KEY_INVALID'],
    specificity: 70,
  },
  {
    id: 'invalid-client-credentials',
    match: (e, d) => e === 'invalid_client' && d.includes('invalid client credentials'),
    code: 'CERT_MISMATCH',
    confidence: 'likely',
    alternatives: ['WRONG_APP', 'CERT_EXPIRED'],
    specificity: 70,
    fix: 'CERT_MISMATCH-eca',
  },
  {
    id: 'hasnt-approved',
    match: has(/hasn.t approved this consumer/),
    code: 'USER_NOT_APPROVED',
    confidence: 'likely',
    alternatives: [
      'USER_NOT_PREAUTHORIZED',
      'USER_NOT_FOUND',
      'REFRESH_SCOPE_MISSING',
      'WRONG_APP',
      'HIGH_ASSURANCE_REQUIRED',
      'APP_NOT_INSTALLED',
      'APP_BLOCKED',
    ],
    specificity: 60,
  },
  {
    id: 'client-id-invalid',
    match: (e, d) => e === 'invalid_client_id' || d === 'client identifier invalid',
    code: 'CLIENT_ID_INVALID',
    confidence: 'likely',
    alternatives: ['WRONG_APP', 'INSTANCE_URL_INVALID'],
    specificity: 50,
  },
  {
    id: 'eca-not-installed',
    match: (e, d) => e === 'app_not_found' || d.includes('external client app is not installed'),
    code: 'MY_DOMAIN_REQUIRED',
    confidence: 'likely',
    alternatives: ['APP_NOT_INSTALLED', 'CLIENT_ID_INVALID'],
    specificity: 40,
  },
  // Undocumented for JWT: Salesforce refuses the login for a policy reason it does not name (a high-assurance session
  // requirement, or — at login/test.salesforce.com — the My Domain login policy). probe.token refines by host.
  {
    id: 'authentication-failure',
    match: is('authentication failure'),
    code: 'HIGH_ASSURANCE_REQUIRED',
    confidence: 'likely',
    alternatives: ['MY_DOMAIN_REQUIRED', 'IP_RESTRICTED', 'UNKNOWN'],
    specificity: 65,
    fix: 'authentication-failure',
  },
  {
    id: 'https-required',
    match: (e, d) => e === 'invalid_request' && d.includes('https required'),
    code: 'INSTANCE_URL_INVALID',
    confidence: 'confirmed',
    alternatives: [],
    specificity: 90,
    fix: 'url-http',
  },
  {
    id: 'audience-invalid',
    match: has(/audience is invalid|audience validation failed/),
    code: 'AUDIENCE_INVALID',
    confidence: 'likely',
    alternatives: ['MY_DOMAIN_REQUIRED', 'INSTANCE_URL_INVALID'],
    specificity: 20,
  },
  {
    id: 'rate-limited',
    match: (e) => e === 'rate_limit_exceeded',
    code: 'ORG_UNREACHABLE',
    confidence: 'likely',
    alternatives: [],
    specificity: 10,
    fix: 'rate-limited',
  },
  {
    id: 'unsupported-grant',
    match: (e) => e === 'unsupported_grant_type',
    code: 'UNKNOWN',
    confidence: 'likely',
    alternatives: [],
    specificity: 5,
    fix: 'unsupported-grant',
  },
];

export const UNKNOWN_ENTRY: CatalogueEntry = {
  id: 'unknown',
  match: () => true,
  code: 'UNKNOWN',
  confidence: 'likely',
  alternatives: [],
  specificity: 0,
};

export function classifyAnswer(answer: TokenAnswer): CatalogueEntry {
  const error = (answer.error ?? '').trim();
  const description = (answer.errorDescription ?? '').trim().toLowerCase();
  return CATALOGUE.find((entry) => entry.match(error, description)) ?? UNKNOWN_ENTRY;
}

export type Classified<T extends TokenAnswer> = { answer: T; entry: CatalogueEntry };

/** The most specific answer among the attempts; ties go to the earlier attempt (sf's order). */
export function mostSpecific<T extends TokenAnswer>(answers: T[]): Classified<T> | undefined {
  let best: Classified<T> | undefined;
  for (const answer of answers) {
    const entry = classifyAnswer(answer);
    if (!best || entry.specificity > best.entry.specificity) best = { answer, entry };
  }
  return best;
}

/**
 * What can show a cause when no private key is given (`--admin-org` alone; issue 15): `inputs` — the values as given
 * (username, URL, client id's shape, a stored authorization); `setup` — the org's setup as the admin connection reads
 * it (the app by consumer key, its policy, certificate expiry, scopes, pre-authorization, approvals, the user, My
 * Domain, LoginHistory); `key` — the private key itself (the file, its parse, its pairing with the app's certificate);
 * `probe` — only the token endpoint's (or the API's) answer to a signed assertion. The keyless run names `inputs` and
 * `setup` causes; for `key` and `probe` causes it says that only a run with the key can decide.
 */
export type CauseSide = 'inputs' | 'setup' | 'key' | 'probe';

export const CAUSE_SIDE: Record<CauseCode, CauseSide> = {
  USERNAME_MALFORMED: 'inputs',
  KEY_FILE_MISSING: 'key',
  KEY_INVALID: 'key',
  CLIENT_ID_INVALID: 'setup',
  INSTANCE_URL_INVALID: 'inputs',
  ORG_UNREACHABLE: 'probe',
  AUDIENCE_INVALID: 'probe',
  MY_DOMAIN_REQUIRED: 'setup',
  // The certificate on the app against the key's public key: no key, no comparison.
  CERT_MISMATCH: 'key',
  CERT_EXPIRED: 'setup',
  CLOCK_SKEW: 'probe',
  USER_NOT_FOUND: 'setup',
  USER_INACTIVE: 'setup',
  USER_NOT_PREAUTHORIZED: 'setup',
  USER_NOT_APPROVED: 'setup',
  REFRESH_SCOPE_MISSING: 'setup',
  APP_NOT_INSTALLED: 'setup',
  // The key's certificate on another app than the client id's: found by the key's fingerprint.
  WRONG_APP: 'key',
  // The org shows its IP ranges and the app's IP relaxation, never the pipeline's address: the token endpoint says.
  IP_RESTRICTED: 'probe',
  HIGH_ASSURANCE_REQUIRED: 'setup',
  ORG_INACTIVE: 'probe',
  STORED_AUTH_INVALID: 'inputs',
  // sf's own store on this machine (keychain mode, decryption, a stale stored login): read without the key.
  LOCAL_AUTH_STORE: 'inputs',
  UNKNOWN: 'probe',
  TOKEN_UNUSABLE: 'probe',
  API_DISABLED: 'probe',
  LOGIN_RATE_EXCEEDED: 'probe',
  APP_BLOCKED: 'setup',
};

/**
 * The org-side checks and the `setup` causes each can show. A check that could not read its part of the setup (the
 * admin user lacks a permission) leaves its causes to a run with the key (doctor.ts keylessReport).
 */
export const SETUP_CHECK_CAUSES: Record<string, CauseCode[]> = {
  'org.my-domain': ['MY_DOMAIN_REQUIRED'],
  'app.found': ['CLIENT_ID_INVALID'],
  'app.certificate': ['CERT_EXPIRED'],
  'user.exists': ['USER_NOT_FOUND'],
  'user.active': ['USER_INACTIVE'],
  'app.policy': ['HIGH_ASSURANCE_REQUIRED'],
  'app.installed': ['APP_NOT_INSTALLED', 'APP_BLOCKED'],
  'app.scopes': ['REFRESH_SCOPE_MISSING'],
  'approval.path': ['USER_NOT_PREAUTHORIZED', 'USER_NOT_APPROVED'],
};

/** True when the org's setup or the inputs can show the cause without a key; false when only the probe can decide. */
export function shownWithoutKey(code: CauseCode): boolean {
  const side = CAUSE_SIDE[code];
  return side === 'inputs' || side === 'setup';
}

/**
 * The causes only a run with the key can decide, in CAUSE_CODES order: those the setup never shows, and those this
 * run's setup readings left open (`open`: a check that could not read its part, an approval whose scopes no record keeps).
 */
export function onlyProbeDecides(open: CauseCode[] = []): CauseCode[] {
  return CAUSE_CODES.filter((code) => !shownWithoutKey(code) || open.includes(code));
}

/**
 * The login budget (issue 13; restforce PR#744: 3,600 logins per user per hour, every token request counts): answers
 * from sf's first pair that no other pair can change, because they name the user, the app or the org — not the host
 * or the audience — so every fallback pair of the same org would answer the same (or the rate limit would only grow).
 * With these, --all and --wait send no fallback pairs. Host- and audience-bound answers (https required, audience,
 * the catch-alls) are not here: another pair may work where this one failed.
 */
const DECIDES_ALONE = new Set([
  'token-unusable',
  'login-rate-exceeded',
  'app-blocked',
  'org-inactive',
  'user-inactive',
  'user-locked',
  'ip-restricted',
  'high-assurance',
  'not-admin-approved',
  'refresh-scope-required',
  'app-must-be-installed',
]);

export function decidesAlone(answer: TokenAnswer): boolean {
  return DECIDES_ALONE.has(classifyAnswer(answer).id);
}
