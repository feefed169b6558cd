/*
 * Every error text a CI log of a JWT login can hold, explained (issue 15 point 3): a token-endpoint answer through the
 * cause catalogue (causes.ts); an error sf itself raises (the key, the network, the local auth store) through the
 * table below; a text that comes from another OAuth flow or from a later command (a refresh token, the one-time
 * approval URL's callback, a stored login) named as such with what to do. Anything else is `unknown` and shown
 * verbatim: never guessed. Sources: seeds/003, reference/field-reports-and-platform-2025-2026.md §1,
 * salesforce-oauth-jwt-facts.md §1.3, sf-cli-internals.md §1.1.
 */
import { classifyAnswer, type CatalogueEntry } from './causes.js';
import type { CauseCode, Confidence } from './types.js';

export type TextExplanation =
  | { kind: 'answer'; entry: CatalogueEntry }
  | { kind: 'sf'; id: string; code: CauseCode; confidence: Confidence; alternatives: CauseCode[] }
  /** From another flow or a later command: `logText.<id>.what` and `.todo` in the messages say which and what to do. */
  | { kind: 'elsewhere'; id: string; fix: string }
  | { kind: 'unknown' };

type SfText = { id: string; match: RegExp; code: CauseCode; confidence: Confidence; alternatives: CauseCode[] };

/** Errors sf (core, jsonwebtoken, Node) raises on the machine that ran it. */
export const SF_TEXTS: SfText[] = [
  {
    id: 'key-missing',
    match: /ENOENT: no such file or directory/,
    code: 'KEY_FILE_MISSING',
    confidence: 'confirmed',
    alternatives: [],
  },
  {
    id: 'key-unreadable',
    match: /PEM_read_bio|no start line|secretOrPrivateKey|"alg" parameter for "ec" key/,
    code: 'KEY_INVALID',
    confidence: 'confirmed',
    alternatives: [],
  },
  {
    id: 'lightning-url',
    match: /should NOT be a lightning domain/i,
    code: 'INSTANCE_URL_INVALID',
    confidence: 'confirmed',
    alternatives: [],
  },
  {
    id: 'tls-untrusted',
    match: /unable to get local issuer certificate|self[- ]signed certificate/i,
    code: 'ORG_UNREACHABLE',
    confidence: 'likely',
    alternatives: [],
  },
  { id: 'proxy-eproto', match: /write EPROTO/, code: 'ORG_UNREACHABLE', confidence: 'likely', alternatives: [] },
  {
    id: 'fetch-failed',
    match: /^fetch failed$/i,
    code: 'ORG_UNREACHABLE',
    confidence: 'likely',
    alternatives: ['INSTANCE_URL_INVALID'],
  },
  {
    id: 'api-disabled',
    match: /REST API is not enabled for this organization|API_DISABLED_FOR_ORG|API is not enabled/i,
    code: 'API_DISABLED',
    confidence: 'confirmed',
    alternatives: [],
  },
  {
    // Read in core 9.4.0 (lib/org/authInfo.js, authJwt): a grant that worked but whose answer lacks `id` or `instance_url`
    // fails ensureString with UnexpectedValueTypeError before sf stores the login.
    id: 'token-incomplete',
    match: /^Value is not a string$/,
    code: 'TOKEN_UNUSABLE',
    confidence: 'likely',
    alternatives: [],
  },
  { id: 'app-blocked', match: /OAUTH_APP_BLOCKED/, code: 'APP_BLOCKED', confidence: 'confirmed', alternatives: [] },
  {
    id: 'approval-generic',
    match: /OAUTH_APPROVAL_ERROR_GENERIC/,
    code: 'APP_NOT_INSTALLED',
    confidence: 'likely',
    alternatives: ['APP_BLOCKED'],
  },
];

/** Texts another flow or a later command produces, never `sf org login jwt`'s JWT grant itself. */
export const ELSEWHERE_TEXTS: Array<{ id: string; match: RegExp; fix: string }> = [
  { id: 'refresh-token-expired', match: /expired access\/refresh token/i, fix: 'log-text-refresh-token-expired' },
  {
    id: 'redirect-uri',
    match: /redirect[ _]uri (does not match|mismatch)|redirect_uri_mismatch/i,
    fix: 'log-text-redirect-uri',
  },
  { id: 'client-secret', match: /authentication failure - invalid client credentials/i, fix: 'log-text-client-secret' },
  {
    id: 'token-refresh-loop',
    match: /Access token has expired|Login Limit Reached/i,
    fix: 'log-text-token-refresh-loop',
  },
  { id: 'keychain-file', match: /reading 'setContentsFromObject'/, fix: 'log-text-keychain-file' },
  { id: 'auth-decipher', match: /Failed to decipher auth data|RefreshTokenAuthError/, fix: 'log-text-auth-decipher' },
  { id: 'stale-instance-url', match: /versions\.map is not a function/, fix: 'log-text-stale-instance-url' },
  { id: 'auth-overwrite', match: /overwrite existing auth data/, fix: 'log-text-auth-overwrite' },
  { id: 'scratch-signup', match: /C-1016|RemoteOrgSignupFailed/, fix: 'log-text-scratch-signup' },
];

export function explainText(description: string, error?: string): TextExplanation {
  const text = description.trim();
  const elsewhere = ELSEWHERE_TEXTS.find((t) => t.match.test(text));
  // Another flow's wording may contain an answer's words ("authentication failure - …"): it is checked first.
  if (elsewhere) return { kind: 'elsewhere', id: elsewhere.id, fix: elsewhere.fix };
  const entry = classifyAnswer({ error, errorDescription: text });
  if (entry.id !== 'unknown') return { kind: 'answer', entry };
  const sf = SF_TEXTS.find((t) => t.match.test(text));
  if (sf) return { kind: 'sf', ...sf };
  return { kind: 'unknown' };
}
