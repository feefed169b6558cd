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
export const PEM_PRIVATE =
  /-----BEGIN (?:RSA |EC |ENCRYPTED |OPENSSH )?PRIVATE KEY-----(?:\s|\\[nr])*(?:[A-Za-z0-9+/]{16}|Proc-Type:)/;

export type Known = { secrets?: Record<string, string>; issuedTokens?: string[]; keyBodies?: string[] };

/** Short labels for what leaked into `text` (never the secret itself). */
export function leaks(text: string, known: Known = {}): string[] {
  const found: string[] = [];
  if (JWT.test(text)) found.push('a JWT (assertion)');
  if (ACCESS_TOKEN.test(text)) found.push('an access token');
  if (PEM_PRIVATE.test(text)) found.push('a PEM private key');
  for (const [name, value] of Object.entries(known.secrets ?? {}))
    if (text.includes(value)) found.push(`planted ${name}`);
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

/**
 * The shapes a private key arrives in when it is pasted where a value was expected (issue 11): the PEM as is, with its
 * line breaks removed, made spaces or written as escapes, URL-encoded; its base64 body in lines or joined; base64 of
 * the whole file, plain, wrapped at 76 columns (`base64`) or base64url.
 */
export function keyEncodings(pem: string): Record<string, string> {
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const file = Buffer.from(pem).toString('base64');
  return {
    PEM: pem,
    'PEM, CRLF': pem.replace(/\n/g, '\r\n'),
    'PEM, joined': pem.replace(/\n/g, ''),
    'PEM, spaces': pem.replace(/\n/g, ' ').trim(),
    'PEM, \\n': pem.replace(/\n/g, '\\n'),
    'PEM, \\\\n': pem.replace(/\n/g, '\\\\n'),
    'PEM, \\u{A}': pem.replace(/\n/g, '\\u{A}'),
    'PEM, \\u000a': pem.replace(/\n/g, '\\u000a'),
    'PEM, URL-encoded': encodeURIComponent(pem),
    'body, lines': body.join('\n'),
    'body, joined': body.join(''),
    'base64 of the file': file,
    'base64 of the file, wrapped': file.replace(/(.{76})/g, '$1\n'),
    'base64url of the file': Buffer.from(pem).toString('base64url'),
  };
}

/** A text as a reader would decode it: escapes of line breaks resolved, URL escapes of base64 decoded, no whitespace. */
function decoded(text: string): string {
  return text
    .replace(/\\+(?:u\{0*[aAdD]\}|u000[aAdD]|x0[aAdD]|[nr])|%0[aAdD]|&#1[03];/g, '')
    .replace(/%2[Bb]/g, '+')
    .replace(/%2[Ff]/g, '/')
    .replace(/%3[Dd]/g, '=')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/**
 * Which encodings of `pem` left a trace in `text`: any 24 characters of its body, of base64 of the file or of its
 * base64url form, in any case, escaped or not (the first characters, alike in every RSA key, are not counted).
 */
export function keyLeaks(text: string, pem: string): string[] {
  const flat = decoded(text);
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const forms: Array<[string, string, number]> = [
    ['key body', body, 64],
    ['base64 of the key file', Buffer.from(pem).toString('base64'), 96],
    ['base64url of the key file', Buffer.from(pem).toString('base64url'), 96],
  ];
  const found: string[] = [];
  for (const [label, s, from] of forms) {
    for (let i = from; i + 24 <= s.length; i += 24) {
      if (flat.includes(s.slice(i, i + 24).toLowerCase())) {
        found.push(label);
        break;
      }
    }
  }
  return found;
}
