/*
 * Username hygiene for the JWT `sub` claim. Salesforce matches `sub` against a username exactly, so a trailing
 * space, a zero-width character pasted from a wiki, `%40` from a URL or a Cyrillic `а` all end in a failed login
 * whose message (usually "user hasn't approved this consumer") names none of them. Pure helpers.
 */

/** What likelyIntended reads of a URL's classification (instanceUrl.ts classifyUrl; not imported: it imports this). */
type UrlFacts = { valid: boolean; kind: string; orgKind: string; myDomainName?: string; sandboxName?: string };

export type CharFinding = {
  /** 0-based index into the username. */
  index: number;
  /** `U+200B`. */
  codePoint: string;
  name: string;
  /** The ASCII character it imitates, for look-alikes. */
  looksLike?: string;
};

export type UsernameFindings = {
  empty: boolean;
  leadingOrTrailingWhitespace: boolean;
  /** Wrapped in quotes that a shell or YAML left in. */
  quoted: boolean;
  invisible: CharFinding[];
  lookalikes: CharFinding[];
  /** Other non-ASCII characters (allowed in e-mail, unusual in usernames). */
  otherNonAscii: CharFinding[];
  /** Contains %XX escapes that decode to something else (`user%40acme.com`). */
  urlEscaped: boolean;
  /** Shaped like local@domain.tld. */
  wellShaped: boolean;
  /** No `@` at all: an alias or org name, not a username. */
  looksLikeAlias: boolean;
  /** The username with every finding above undone, when that differs from the input. */
  cleaned?: string;
};

const INVISIBLE: Record<string, string> = {
  '\u00A0': 'NO-BREAK SPACE',
  '\u00AD': 'SOFT HYPHEN',
  '\u034F': 'COMBINING GRAPHEME JOINER',
  '\u180E': 'MONGOLIAN VOWEL SEPARATOR',
  '\u200B': 'ZERO WIDTH SPACE',
  '\u200C': 'ZERO WIDTH NON-JOINER',
  '\u200D': 'ZERO WIDTH JOINER',
  '\u200E': 'LEFT-TO-RIGHT MARK',
  '\u200F': 'RIGHT-TO-LEFT MARK',
  '\u2007': 'FIGURE SPACE',
  '\u202F': 'NARROW NO-BREAK SPACE',
  '\u2060': 'WORD JOINER',
  '\u2028': 'LINE SEPARATOR',
  '\u2029': 'PARAGRAPH SEPARATOR',
  '\uFEFF': 'ZERO WIDTH NO-BREAK SPACE (BOM)',
};

/** Characters that render like the ASCII one in most fonts (Cyrillic, Greek, full-width forms, typographic). */
const LOOKALIKES: Record<string, [string, string]> = {
  '\u0430': ['a', 'CYRILLIC SMALL LETTER A'],
  '\u0435': ['e', 'CYRILLIC SMALL LETTER IE'],
  '\u043E': ['o', 'CYRILLIC SMALL LETTER O'],
  '\u0440': ['p', 'CYRILLIC SMALL LETTER ER'],
  '\u0441': ['c', 'CYRILLIC SMALL LETTER ES'],
  '\u0443': ['y', 'CYRILLIC SMALL LETTER U'],
  '\u0445': ['x', 'CYRILLIC SMALL LETTER HA'],
  '\u0455': ['s', 'CYRILLIC SMALL LETTER DZE'],
  '\u0456': ['i', 'CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I'],
  '\u0458': ['j', 'CYRILLIC SMALL LETTER JE'],
  '\u04BB': ['h', 'CYRILLIC SMALL LETTER SHHA'],
  '\u0501': ['d', 'CYRILLIC SMALL LETTER KOMI DE'],
  '\u0410': ['A', 'CYRILLIC CAPITAL LETTER A'],
  '\u0415': ['E', 'CYRILLIC CAPITAL LETTER IE'],
  '\u041E': ['O', 'CYRILLIC CAPITAL LETTER O'],
  '\u0420': ['P', 'CYRILLIC CAPITAL LETTER ER'],
  '\u0421': ['C', 'CYRILLIC CAPITAL LETTER ES'],
  '\u0405': ['S', 'CYRILLIC CAPITAL LETTER DZE'],
  '\u0406': ['I', 'CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I'],
  '\u0408': ['J', 'CYRILLIC CAPITAL LETTER JE'],
  '\u0412': ['B', 'CYRILLIC CAPITAL LETTER VE'],
  '\u041A': ['K', 'CYRILLIC CAPITAL LETTER KA'],
  '\u041C': ['M', 'CYRILLIC CAPITAL LETTER EM'],
  '\u041D': ['H', 'CYRILLIC CAPITAL LETTER EN'],
  '\u0422': ['T', 'CYRILLIC CAPITAL LETTER TE'],
  '\u0425': ['X', 'CYRILLIC CAPITAL LETTER HA'],
  '\u0392': ['B', 'GREEK CAPITAL LETTER BETA'],
  '\u0395': ['E', 'GREEK CAPITAL LETTER EPSILON'],
  '\u0396': ['Z', 'GREEK CAPITAL LETTER ZETA'],
  '\u0397': ['H', 'GREEK CAPITAL LETTER ETA'],
  '\u0399': ['I', 'GREEK CAPITAL LETTER IOTA'],
  '\u039A': ['K', 'GREEK CAPITAL LETTER KAPPA'],
  '\u039C': ['M', 'GREEK CAPITAL LETTER MU'],
  '\u039D': ['N', 'GREEK CAPITAL LETTER NU'],
  '\u03A1': ['P', 'GREEK CAPITAL LETTER RHO'],
  '\u03A4': ['T', 'GREEK CAPITAL LETTER TAU'],
  '\u03A5': ['Y', 'GREEK CAPITAL LETTER UPSILON'],
  '\u03A7': ['X', 'GREEK CAPITAL LETTER CHI'],
  '\u03BF': ['o', 'GREEK SMALL LETTER OMICRON'],
  '\u03B1': ['a', 'GREEK SMALL LETTER ALPHA'],
  '\u0391': ['A', 'GREEK CAPITAL LETTER ALPHA'],
  '\u039F': ['O', 'GREEK CAPITAL LETTER OMICRON'],
  '\u0131': ['i', 'LATIN SMALL LETTER DOTLESS I'],
  '\uFF20': ['@', 'FULLWIDTH COMMERCIAL AT'],
  '\uFE6B': ['@', 'SMALL COMMERCIAL AT'],
  '\uFF0E': ['.', 'FULLWIDTH FULL STOP'],
  '\u3002': ['.', 'IDEOGRAPHIC FULL STOP'],
  '\u2024': ['.', 'ONE DOT LEADER'],
  '\u2010': ['-', 'HYPHEN'],
  '\u2011': ['-', 'NON-BREAKING HYPHEN'],
  '\u2012': ['-', 'FIGURE DASH'],
  '\u2013': ['-', 'EN DASH'],
  '\u2212': ['-', 'MINUS SIGN'],
  '\uFF3F': ['_', 'FULLWIDTH LOW LINE'],
};

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function fullWidthAscii(ch: string): string | undefined {
  const cp = ch.codePointAt(0)!;
  // U+FF01..U+FF5E mirror ASCII 0x21..0x7E.
  return cp >= 0xff01 && cp <= 0xff5e ? String.fromCodePoint(cp - 0xfee0) : undefined;
}

/**
 * local@domain.tld with an optional sandbox suffix label after the TLD: one @, no spaces or quotes, no empty domain
 * labels. Non-ASCII letters pass the shape test (they get their own warning).
 */
const USERNAME_SHAPE = /^[^\s@"'<>(),;:\\]+@[^\s@"'<>(),;:\\.]+(\.[^\s@"'<>(),;:\\.]+)+$/u;

function tryDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export type UnusualCharacters = {
  invisible: CharFinding[];
  lookalikes: CharFinding[];
  /** Other characters outside printable ASCII (U+0021..U+007E and space). */
  otherNonAscii: CharFinding[];
  /** The text with invisible characters dropped and look-alikes replaced by the ASCII they imitate. */
  ascii: string;
};

/**
 * The characters of a text a reader cannot tell apart from ASCII or cannot see at all: invisible ones (zero-width,
 * no-break and format characters), look-alikes (Cyrillic, Greek, full-width, typographic dashes) and any other
 * non-ASCII character. Used for usernames, client ids and URL hosts.
 */
export function unusualCharacters(text: string): UnusualCharacters {
  const out: UnusualCharacters = { invisible: [], lookalikes: [], otherNonAscii: [], ascii: '' };
  let index = 0;
  for (const ch of text) {
    if (INVISIBLE[ch]) {
      out.invisible.push({ index, codePoint: codePoint(ch), name: INVISIBLE[ch] });
    } else if (LOOKALIKES[ch] || fullWidthAscii(ch)) {
      const [ascii, name] = LOOKALIKES[ch] ?? [fullWidthAscii(ch)!, `FULLWIDTH FORM OF ${fullWidthAscii(ch)!}`];
      out.lookalikes.push({ index, codePoint: codePoint(ch), name, looksLike: ascii });
      out.ascii += ascii;
    } else {
      if (ch.codePointAt(0)! > 0x7e)
        out.otherNonAscii.push({ index, codePoint: codePoint(ch), name: 'NON-ASCII CHARACTER' });
      out.ascii += ch;
    }
    index += ch.length;
  }
  return out;
}

/** `U+0430 CYRILLIC SMALL LETTER A at position 2 (looks like "a"); …` — positions are 1-based. */
export function listCharacters(chars: CharFinding[]): string {
  return chars
    .map(
      (c) =>
        `${c.codePoint} ${c.name} at position ${c.index + 1}${c.looksLike ? ` (looks like "${c.looksLike}")` : ''}`,
    )
    .join('; ');
}

export function inspectUsername(username: string | undefined): UsernameFindings {
  const raw = username ?? '';
  const findings: UsernameFindings = {
    empty: raw.trim() === '',
    leadingOrTrailingWhitespace: raw !== raw.trim(),
    quoted: /^\s*(["'`]).+\1\s*$/.test(raw),
    invisible: [],
    lookalikes: [],
    otherNonAscii: [],
    urlEscaped: false,
    wellShaped: false,
    looksLikeAlias: false,
  };
  const chars = unusualCharacters(raw);
  findings.invisible = chars.invisible;
  findings.lookalikes = chars.lookalikes;
  findings.otherNonAscii = chars.otherNonAscii;
  let cleaned = chars.ascii.trim();
  if (findings.quoted) cleaned = cleaned.slice(1, -1).trim();
  const decoded = /%[0-9A-Fa-f]{2}/.test(cleaned) ? tryDecode(cleaned) : undefined;
  if (decoded !== undefined && decoded !== cleaned) {
    findings.urlEscaped = true;
    cleaned = decoded.trim();
  }
  findings.wellShaped = USERNAME_SHAPE.test(raw);
  findings.looksLikeAlias = !findings.empty && !cleaned.includes('@');
  if (cleaned !== raw && cleaned !== '') findings.cleaned = cleaned;
  return findings;
}

/** TLDs common enough to tell `user@acme.com.uat` (sandbox suffix `uat`) from `user@mail.acme.com` (none). */
const COMMON_TLDS = new Set(
  (
    'com org net edu gov mil int io co ai app dev biz info me us uk de fr nl be ch at es it pt se no dk fi pl cz ie ' +
    'ca au nz jp cn in br mx ar cl za sg hk tw kr ru tr il ae sa eu asia cloud tech online site xyz'
  ).split(' '),
);
/** Second-level labels of country-code domains: `acme.co.uk`, `acme.com.au` carry no sandbox suffix. */
const CC_SECOND_LEVEL = new Set(['com', 'co', 'org', 'net', 'gov', 'edu', 'ac', 'or', 'ne', 'go']);
/**
 * Two-letter sandbox names common enough to win over the country-code reading: `qa` is among the most used sandbox
 * names, while usernames at `.com.qa` domains are rare. Other two-letter endings stay ambiguous (ambiguousSuffix).
 */
const TWO_LETTER_SANDBOX_NAMES = new Set(['qa']);

/** The labels of the domain after the username's last @, lower-cased. */
function domainLabels(username: string, at: number): string[] {
  return username
    .slice(at + 1)
    .toLowerCase()
    .split('.');
}

/**
 * The sandbox suffix of a username (`user@acme.com.uat` → `uat`), or undefined. With `expected` (the sandbox name from
 * the URL) the suffix is that name when the username ends with it. Otherwise the final label counts as a suffix when
 * the label before it is a TLD, unless the pair reads as a country-code domain (`co.uk`, `com.au`); a two-letter
 * sandbox name after such a label (other than `qa`) is then missed here, and the org inspection tries both readings.
 */
export function sandboxSuffix(username: string, expected?: string): string | undefined {
  const at = username.lastIndexOf('@');
  if (at < 0) return undefined;
  const labels = domainLabels(username, at);
  if (labels.length < 3) return undefined;
  const last = labels[labels.length - 1];
  const secondLast = labels[labels.length - 2];
  if (last === expected?.toLowerCase()) return last;
  if (!COMMON_TLDS.has(secondLast)) return undefined;
  if (/^[a-z]{2}$/.test(last) && CC_SECOND_LEVEL.has(secondLast) && !TWO_LETTER_SANDBOX_NAMES.has(last))
    return undefined;
  return last;
}

/**
 * A final two-letter label that reads as a country code (`acme.com.br`) but may be a two-letter sandbox name: the
 * org inspection looks for both readings, since only the org knows.
 */
export function ambiguousSuffix(username: string): string | undefined {
  const at = username.lastIndexOf('@');
  if (at < 0 || sandboxSuffix(username)) return undefined;
  const labels = domainLabels(username, at);
  if (labels.length < 3) return undefined;
  const last = labels[labels.length - 1];
  return /^[a-z]{2}$/.test(last) && CC_SECOND_LEVEL.has(labels[labels.length - 2]) ? last : undefined;
}

export type IntendedLogin = {
  /** sandbox-url-unsuffixed-username | production-url-suffixed-username | sandbox-suffix-mismatch */
  reason: 'sandbox-url-unsuffixed-username' | 'production-url-suffixed-username' | 'sandbox-suffix-mismatch';
  suggestedUsername?: string;
  /** When the URL is the more likely mistake (a sandbox username against a production URL). */
  suggestedUrl?: string;
};

/**
 * What the user probably meant when the username and the URL disagree about sandbox-ness. Sandbox usernames get the
 * sandbox name appended (reference/salesforce-oauth-jwt-facts.md §5.2); test.salesforce.com is also the scratch-org
 * login host, whose usernames carry no suffix, so it never triggers a suggestion.
 */
export function likelyIntended(username: string, url: UrlFacts): IntendedLogin | undefined {
  if (!url.valid || !username.includes('@')) return undefined;
  if (url.orgKind === 'sandbox' && url.sandboxName) {
    const sandbox = url.sandboxName.toLowerCase();
    if (sandboxSuffix(username, sandbox) === sandbox) return undefined;
    const other = sandboxSuffix(username);
    if (other) {
      return {
        reason: 'sandbox-suffix-mismatch',
        suggestedUsername: `${username.slice(0, -other.length)}${sandbox}`,
      };
    }
    return { reason: 'sandbox-url-unsuffixed-username', suggestedUsername: `${username}.${sandbox}` };
  }
  if (url.orgKind === 'production' || url.orgKind === 'developer-edition') {
    const suffix = sandboxSuffix(username);
    if (!suffix) return undefined;
    const suggestedUrl =
      url.kind === 'login'
        ? 'https://test.salesforce.com'
        : url.myDomainName && url.kind === 'production-my-domain'
          ? `https://${url.myDomainName}--${suffix}.sandbox.my.salesforce.com`
          : undefined;
    return {
      reason: 'production-url-suffixed-username',
      suggestedUsername: username.slice(0, -(suffix.length + 1)),
      suggestedUrl,
    };
  }
  return undefined;
}

/** The username quoted, with every invisible or non-ASCII character written as \u{XXXX} so a reader can see it. */
export function visibleUsername(username: string): string {
  return visibleText(username);
}

/** Any text quoted, with every invisible or non-ASCII character written as \u{XXXX} so a reader can see it. */
export function visibleText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += cp < 0x20 || cp > 0x7e ? `\\u{${cp.toString(16).toUpperCase()}}` : ch === '"' ? '\\"' : ch;
  }
  return `"${out}"`;
}
