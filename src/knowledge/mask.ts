/*
 * Masking for text that leaves the machine (a report pasted into a ticket): usernames, consumer keys, org and user
 * ids are shortened to a recognisable stub, key file paths to the file name, and anything shaped like a secret (PEM
 * block, JWT, access token, long base64 run) is removed. Pure and idempotent: masking masked text changes nothing.
 */

/** Values the caller knows are sensitive (the run's own inputs), masked even where they do not look like it. */
export type KnownValues = {
  usernames?: Array<string | undefined>;
  clientIds?: Array<string | undefined>;
  keyPaths?: Array<string | undefined>;
};

function stars(part: string): string {
  const chars = [...part];
  return chars.length <= 1 ? part : chars[0] + '*'.repeat(chars.length - 1);
}

/** `ci@acme.com` → `c*@a***.com`: first character of each part, last domain label kept (`.com`, a sandbox suffix). */
export function maskUsername(username: string): string {
  const at = username.lastIndexOf('@');
  if (at < 0) return stars(username);
  const labels = username.slice(at + 1).split('.');
  const domain = labels.map((label, i) => (i === labels.length - 1 && labels.length > 1 ? label : stars(label)));
  return `${stars(username.slice(0, at))}@${domain.join('.')}`;
}

/** A consumer key keeps its first 6 and last 4 characters; anything else given as a client id (maybe a pasted
 * consumer secret) keeps only 2. */
export function maskClientId(clientId: string): string {
  if (/^3MVG/.test(clientId) && clientId.length > 12) return `${clientId.slice(0, 6)}…${clientId.slice(-4)}`;
  return clientId.length <= 2 ? clientId : `${clientId.slice(0, 2)}…`;
}

/** `00D5g000004XyZ1AAA` → `00D…AAA`: the key prefix says what it is, the last 3 help tell two apart. */
export function maskRecordId(id: string): string {
  return `${id.slice(0, 3)}…${id.slice(-3)}`;
}

/** `/home/ci/keys/server.key` → `server.key`. */
export function fileName(path: string): string {
  return path.trim().split(/[\\/]/).filter(Boolean).pop() ?? path;
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // A PEM block with its base64 body (a header mentioned in prose is not a secret and stays).
  [/-----BEGIN ([A-Z0-9 ]+)-----[\sA-Za-z0-9+/=]{40,}(?:-----END \1-----)?/g, '[PEM block removed]'],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[JWT removed]'],
  // Salesforce access token / session id: <org id>!<token>.
  [/00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g, '[access token removed]'],
];

const LABEL = "[^\\s@\"'<>()[\\]{},;:\\\\/|`?#&=%.]+";
const EMAIL = new RegExp(`([^\\s@"'<>()[\\]{},;:\\\\/|\`?#&=%]+)(@|%40)(${LABEL}(?:\\.${LABEL})+)`, 'g');
const CONSUMER_KEY = /(?<![A-Za-z0-9])3MVG[A-Za-z0-9._]{19,}[A-Za-z0-9_]/g;
const RECORD_ID = /(?<![A-Za-z0-9])(?:00D|005)[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?(?![A-Za-z0-9])/g;
// An absolute, home or dot-relative path to a key or certificate file: keep the name only.
const KEY_PATH = /(?<=^|[\s'"(=])(?:[A-Za-z]:\\|~?\/|\.\.?\/)(?:[^\s'"`/\\]+[/\\])*([^\s'"`/\\]+\.(?:key|pem|p8|der|crt|cer|p12|pfx))(?![\w.])/g;
// A long base64(url)/hex run (key body line, refresh token, consumer secret). Paths start with / and stay; a secret
// mixes digits and letters.
const BASE64_RUN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/=_-])/g;

function looksSecret(run: string): boolean {
  return !run.startsWith('/') && /\d/.test(run) && /[A-Za-z]/.test(run);
}

// `"access_token":"…"`, `refresh_token=…`: the value of a token field, whatever its shape.
const TOKEN_FIELD = /((?:access|refresh|id)_token|assertion|client_secret|signature)(["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi;

// A private key pasted where a value was expected, whole or mangled (newlines or spaces removed, escaped, cut short):
// a BEGIN line followed by a key body (a base64 run, or the headers of an encrypted PEM). A BEGIN line followed by
// prose, as in the doctor's own fix texts ("it starts with -----BEGIN PRIVATE KEY----- or …"), is no key.
const PRIVATE_KEY_TEXT =
  /-----\s*BEGIN[A-Z\s]*PRIVATE\s*KEY\s*-----(?=(?:\s|\\[nr])*(?:[A-Za-z0-9+/]{16}|Proc-Type:|DEK-Info:))[\s\S]*?(?:-----\s*END[A-Z\s]*PRIVATE\s*KEY\s*-----|$)/g;

/** Removes key material, JWTs, access tokens and token fields; consumer keys and usernames stay (they may be shown). */
export function removeKeyMaterial(text: string): string {
  let out = text.replace(PRIVATE_KEY_TEXT, '[private key removed]').replace(TOKEN_FIELD, '$1$2[removed]');
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Removes anything shaped like a secret from text that came from elsewhere (an org's answer): safe to print. */
export function removeSecrets(text: string): string {
  return removeKeyMaterial(text).replace(BASE64_RUN, (run) => (looksSecret(run) ? '[removed]' : run));
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Replacement = { find: string; replace: string };

/** The spellings of a value that texts may contain — as given, trimmed, JSON-escaped, URL-encoded — each with its
 * masked form spelled the same way (an encoded username stays encoded: `c*%40a***.com`). */
function spellings(value: string, masked: string): Replacement[] {
  const trimmed = value.trim();
  return [
    { find: value, replace: masked },
    { find: trimmed, replace: masked },
    { find: JSON.stringify(value).slice(1, -1), replace: masked },
    { find: encodeURIComponent(trimmed), replace: masked.replace(/@/g, '%40') },
  ];
}

function knownReplacements(known: KnownValues): Replacement[] {
  const out: Replacement[] = [];
  const add = (values: Array<string | undefined> | undefined, mask: (v: string) => string): void => {
    for (const value of values ?? []) {
      if (!value || value.trim().length < 3) continue;
      out.push(...spellings(value, mask(value.trim())));
    }
  };
  add(known.keyPaths, fileName);
  add(known.clientIds, maskClientId);
  add(known.usernames, maskUsername);
  // Longest first, so a value is never half-replaced by a shorter one it contains.
  return out.filter((r) => r.find !== r.replace).sort((a, b) => b.find.length - a.find.length);
}

export type Masker = (text: string) => string;

export function createMasker(known: KnownValues = {}): Masker {
  const replacements = knownReplacements(known).map((r) => ({
    pattern: new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(r.find)}(?![A-Za-z0-9])`, 'g'),
    replace: r.replace,
  }));
  return (text: string): string => {
    let out = text;
    for (const [pattern, replace] of SECRET_PATTERNS) out = out.replace(pattern, replace);
    for (const r of replacements) out = out.replace(r.pattern, () => r.replace);
    out = out
      .replace(KEY_PATH, (_whole, name: string) => name)
      .replace(CONSUMER_KEY, (key) => maskClientId(key))
      .replace(EMAIL, (_whole, local: string, at: string, domain: string) => maskUsername(`${local}@${domain}`).replace('@', at))
      .replace(RECORD_ID, (id) => maskRecordId(id))
      .replace(BASE64_RUN, (run) => (looksSecret(run) ? '[redacted]' : run));
    return out;
  };
}

/** Masks every string inside a JSON-like value (objects, arrays), leaving its shape alone. */
export function maskDeep<T>(value: T, mask: Masker): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => maskDeep(v, mask)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)])) as T;
  }
  return value;
}
