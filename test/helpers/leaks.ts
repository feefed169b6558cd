/*
 * What a secret looks like in an output (DESIGN.md §2, rule 3): an assertion, an access token, a private key's BEGIN
 * line followed by a key body, or a slice of a key the tests generated or the simulated org issued.
 */
import { leakedKeyMaterial } from './keys.js';

/** The shapes of a secret that no output, log or trace file of a run may hold. */
export const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
export const ACCESS_TOKEN = /00D\w{12,15}![\w.]{20,}/;
// A private key's BEGIN line with a key body after it. A BEGIN line alone, as the fix texts show it ("it starts with
// -----BEGIN PRIVATE KEY-----"), is no secret.
export const PEM_PRIVATE = /-----BEGIN (?:RSA |EC |ENCRYPTED |OPENSSH )?PRIVATE KEY-----(?:\s|\\[nr])*(?:[A-Za-z0-9+/]{16}|Proc-Type:)/;

export type Known = { secrets?: Record<string, string>; issuedTokens?: string[]; keyBodies?: string[] };

/** Short labels for what leaked into `text` (never the secret itself). */
export function leaks(text: string, known: Known = {}): string[] {
  const found: string[] = [];
  if (JWT.test(text)) found.push('a JWT (assertion)');
  if (ACCESS_TOKEN.test(text)) found.push('an access token');
  if (PEM_PRIVATE.test(text)) found.push('a PEM private key');
  for (const [name, value] of Object.entries(known.secrets ?? {})) if (text.includes(value)) found.push(`planted ${name}`);
  for (const token of known.issuedTokens ?? []) if (text.includes(token)) found.push('a token the org issued');
  const flat = text.replace(/\s+/g, '');
  for (const body of known.keyBodies ?? []) {
    for (let i = 64; i + 40 <= body.length; i += 200) {
      if (flat.includes(body.slice(i, i + 40))) {
        found.push('private key material');
        break;
      }
    }
  }
  if (leakedKeyMaterial([text]).length > 0) found.push('a test key');
  return found;
}
