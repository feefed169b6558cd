/*
 * Text an org (or anything answering in its place) sends is printed to a terminal and kept in the result: the token
 * endpoint's error and error_description, API error messages, SOAP faults, LoginHistory statuses, record names and
 * labels. A server could put terminal controls in them — erase a line, move the cursor, rewrite the line with CR, a
 * hidden OSC 8 link, a bell — and print a fake "✓ The JWT login works". Safety rule 7: every remote string goes
 * through terminalSafe where it enters (the probe and the inspector's transport), before any check sees it.
 */

// ESC- and 8-bit-introduced sequences, whole: CSI (ESC [ or U+009B) … final byte; OSC (ESC ] or U+009D), DCS, SOS, PM,
// APC (ESC P/X/^/_ or U+0090/0098/009E/009F) … up to BEL or ST (ESC \ or U+009C); any other two-byte ESC sequence.
const SEQUENCE =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[\u0020-\u007e]?/g;
// What is left: C0 controls (CR and LF included: a remote string is one line), DEL, C1 controls, and the bidi controls
// that reorder what a terminal shows (U+202A–U+202E, U+2066–U+2069).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

// A PEM block (an app's certificate in its metadata) keeps its line breaks: it holds nothing but base64 and them.
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]{1,40}-----[ \t\r\nA-Za-z0-9+/=]*-----END [A-Z0-9 ]{1,40}-----/g;

function oneLine(text: string): string {
  return text.replace(SEQUENCE, '').replace(CONTROL, ' ');
}

/** One line of printable text: escape sequences removed whole, other control characters made spaces (PEM blocks aside). */
export function terminalSafe(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    out += oneLine(text.slice(last, m.index)) + m[0].replace(/\r\n?/g, '\n');
    last = m.index + m[0].length;
  }
  return out + oneLine(text.slice(last));
}

/** terminalSafe on every string inside a parsed answer (JSON, or a SOAP message read as a tree). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terminalSafeDeep(v)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terminalSafeDeep(v)])) as T;
  return value;
}

// XML character references to the same characters (`&#27;`, `&#x9B;`, `&#13;`).
const XML_CONTROL_REF =
  /&#(?:0*(?:\d|[12]\d|3[01]|12[7-9]|1[3-5]\d)|x0*(?:[0-9a-fA-F]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]));/g;

/**
 * An answer body as the inspector hands it on: JSON with every string made terminal-safe; anything else (a SOAP
 * message or fault, an HTML page) with escape sequences removed and control characters, line breaks included (XML
 * reads them as whitespace), and character references to them made spaces.
 */
export function terminalSafeBody(body: string): string {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(terminalSafeDeep(JSON.parse(body) as unknown));
    } catch {
      // not JSON after all: cleaned as text below
    }
  }
  return terminalSafe(body).replace(XML_CONTROL_REF, ' ');
}
