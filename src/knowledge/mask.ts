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
  if (clientId.startsWith('3MVG') && clientId.length > 12) return `${clientId.slice(0, 6)}…${clientId.slice(-4)}`;
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

const LABEL = '[^\\s@"\'<>()[\\]{},;:\\\\/|`?#&=%.]+';
const EMAIL = new RegExp(`([^\\s@"'<>()[\\]{},;:\\\\/|\`?#&=%]+)(@|%40)(${LABEL}(?:\\.${LABEL})+)`, 'g');
const CONSUMER_KEY = /(?<![A-Za-z0-9])3MVG[A-Za-z0-9._]{19,}[A-Za-z0-9_]/g;
const RECORD_ID = /(?<![A-Za-z0-9])(?:00D|005)[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?(?![A-Za-z0-9])/g;
// An absolute, home or dot-relative path to a key or certificate file: keep the name only.
const KEY_PATH =
  /(?<=^|[\s'"(=])(?:[A-Za-z]:\\|~?\/|\.\.?\/)(?:[^\s'"`/\\]+[/\\])*([^\s'"`/\\]+\.(?:key|pem|p8|der|crt|cer|p12|pfx))(?![\w.])/g;
// A long base64(url)/hex run (key body line, refresh token, consumer secret). Paths start with / and stay; a secret
// mixes digits and letters.
const BASE64_RUN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/=_-])/g;

function looksSecret(run: string): boolean {
  return !run.startsWith('/') && /\d/.test(run) && /[A-Za-z]/.test(run);
}

// `"access_token":"…"`, `refresh_token=…`: the value of a token field, whatever its shape — but not the next word of a
// sentence ("could not verify the assertion: most likely …"): an unquoted value of letters alone after ": " is prose
// (a token, an assertion or a secret mixes digits, dots or symbols in, or is far longer).
const TOKEN_FIELD =
  /((?:access|refresh|id)_token|assertion|client_secret|signature)(["']?\s*[:=]\s*["']?)([^"'&\s,}]+)/gi;

function maskTokenField(whole: string, name: string, separator: string, value: string): string {
  const prose = /^:\s+$/.test(separator) && /^[A-Za-z]{1,24}$/.test(value);
  return prose ? whole : `${name}${separator}[removed]`;
}

// A private key pasted where a value was expected arrives whole or mangled: its line breaks kept, removed, replaced by
// spaces or written as escapes (`\n`, `\u{A}`, `\u000a`, `\x0a`, `%0A`, `&#10;`), URL-encoded, cut short, or as base64
// of the whole file. Each shape below is recognised by its content, wherever the text came from.
const SEP = String.raw`(?:\s|\+|\\+[nrt]|\\+u\{0*[aAdD9]\}|\\+u00[0]?[aAdD9]|\\+x0?[aAdD9]|%(?:0[aAdD9]|20|5[cC][nrt])|&#(?:1[03]|9|32);|&#x0*[aAdD9];)`;
// One base64(url) character, as is or URL-encoded.
const B64 = String.raw`(?:[A-Za-z0-9+/_-]|%2[BbFf]|%3[Dd])`;
const PAD = String.raw`(?:=|%3[Dd])`;
// Lines after the first: long ones, or a short last line that ends in padding or is followed by the END line.
const MORE_LINES = String.raw`(?:${SEP}+(?:${B64}{16,}${PAD}{0,2}|${B64}{1,15}${PAD}{1,2}|${B64}{1,15}(?=${SEP}*-----)))*`;
// A BEGIN … PRIVATE KEY line followed by a key body (a base64 run, or the headers of an encrypted PEM), then the body
// and an END line if there is one. A BEGIN line followed by prose, as in the doctor's own fix texts ("it starts with
// -----BEGIN PRIVATE KEY----- or …"), is no key.
const PEM_PRIVATE = new RegExp(
  String.raw`-----(?:${SEP}|[A-Z])*?PRIVATE${SEP}*KEY${SEP}*-----` +
    String.raw`(?=${SEP}*(?:${B64}{16}|Proc-Type:|DEK-Info:))` +
    String.raw`(?:${SEP}|(?:Proc-Type|DEK-Info):[^\n\\%&]*|${B64}|${PAD})*` +
    String.raw`(?:-----(?:${SEP}|[A-Z])*?PRIVATE${SEP}*KEY${SEP}*-----)?`,
  'g',
);
// A key's DER body without its PEM lines: base64 of an ASN.1 SEQUENCE (`MII…`, `MIG…`, `MH…`) long enough to be a key.
const DER_BODY = new RegExp(
  String.raw`(?<![A-Za-z0-9_%-])M(?:I[IGH]|H[A-Za-z0-9])${B64}{56,}${PAD}{0,2}${MORE_LINES}`,
  'g',
);
// The same, glued to what came before it (`ci@acme.comMIIEv…`): only for the values a user gave, which are short.
const DER_ANYWHERE = new RegExp(DER_BODY.source.replace('(?<![A-Za-z0-9_%-])', ''), 'g');
// base64 of a whole PEM file (`-----BEGIN` is `LS0tLS1CRUdJTi`), wrapped or not.
const B64_PEM = new RegExp(String.raw`(?<![A-Za-z0-9_%-])LS0tLS1CRUdJTi${B64}{40,}${PAD}{0,2}${MORE_LINES}`, 'g');

export const KEY_REMOVED = '[private key removed]';

/**
 * Whether a DER_BODY run is a private key (PKCS#1, PKCS#8, SEC1: the outer SEQUENCE starts with a version INTEGER;
 * encrypted PKCS#8: with an AlgorithmIdentifier) rather than a certificate, which a trace keeps for its replay.
 */
function isPrivateKeyDer(run: string): boolean {
  const der = Buffer.from(
    decodeURIComponent(run.slice(0, 80).replace(/%(?![0-9A-Fa-f]{2})/g, ''))
      .replace(/[^A-Za-z0-9+/]/g, '')
      .slice(0, 40),
    'base64',
  );
  const skipHeader = (at: number): number => (der[at + 1] & 0x80 ? at + 2 + (der[at + 1] & 0x7f) : at + 2);
  const inner = skipHeader(0);
  if (der[inner] === 0x02) return true;
  return der[inner] === 0x30 && der[skipHeader(inner)] === 0x06;
}

function replaceKeyMaterial(text: string, replacement: string): string {
  return text
    .replace(PEM_PRIVATE, replacement)
    .replace(B64_PEM, replacement)
    .replace(DER_BODY, (run) => (isPrivateKeyDer(run) ? replacement : run));
}

/** True when the text holds private key material in any of the shapes above. */
export function hasKeyMaterial(text: string): boolean {
  return replaceKeyMaterial(text, '\u0000') !== text;
}

/** Removes key material, JWTs, access tokens and token fields; consumer keys and usernames stay (they may be shown). */
export function removeKeyMaterial(text: string): string {
  let out = replaceKeyMaterial(text, KEY_REMOVED).replace(TOKEN_FIELD, maskTokenField);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A value the user gave (a flag, an environment variable, a stored auth field) as the engine may use it: one that holds
 * key material becomes `[private key removed]` as a whole, so no check, request, result or file can carry any part of
 * it; other secret shapes (a JWT, an access token) are removed where they stand.
 */
export function withoutKeyMaterial(value: string): string {
  const glued = value.replace(DER_ANYWHERE, (run) => (isPrivateKeyDer(run) ? KEY_REMOVED : run)) !== value;
  return glued || hasKeyMaterial(value) ? KEY_REMOVED : removeKeyMaterial(value);
}

const FRAGMENT = 12;

/** Pieces of a pasted key that later text may hold in another spelling (lower-cased by a URL parser, say). */
function keyFragments(values: Array<string | undefined>): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (!value || !hasKeyMaterial(value)) continue;
    for (const run of value
      .replace(/%2[Bb]/g, '+')
      .replace(/%2[Ff]/g, '/')
      .match(/[A-Za-z0-9+/_-]{16,}/g) ?? []) {
      if (/^[A-Za-z]+$/.test(run)) continue; // PRIVATEKEY, ENCRYPTED…: words, not key material
      for (let i = 0; i + FRAGMENT <= run.length; i += FRAGMENT) out.add(run.slice(i, i + FRAGMENT));
    }
  }
  return [...out];
}

export type Scrubber = (text: string) => string;

/**
 * The one scrubber every output of a run goes through (result, stdout, stderr, --json, the error envelope, the report
 * and trace files): key material in any shape, JWTs and access tokens, and any base64 run holding a piece of a key found
 * in the run's own inputs (`values`: every argument and environment variable it read), in whatever case it comes back.
 */
export function createScrubber(values: Array<string | undefined> = []): Scrubber {
  const fragments = keyFragments(values);
  const pieces =
    fragments.length > 0
      ? new RegExp(`[A-Za-z0-9+/_-]*(?:${fragments.map(escapeRegExp).join('|')})[A-Za-z0-9+/_-]*`, 'gi')
      : undefined;
  return (text: string): string => {
    const out = removeKeyMaterial(text);
    return pieces ? out.replace(pieces, KEY_REMOVED) : out;
  };
}

/** Applies a scrubber to every string inside a JSON-like value. */
export function scrubDeep<T>(value: T, scrub: Scrubber): T {
  return maskDeep(value, scrub);
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
      .replace(EMAIL, (_whole, local: string, at: string, domain: string) =>
        maskUsername(`${local}@${domain}`).replace('@', at),
      )
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
