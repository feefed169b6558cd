/*
 * The JWT key file: what is on disk (readKeyFile) and what the text is (analyzeKey).
 *
 * analyzeKey is pure (node:crypto only). It parses the text exactly as sf does (the file read as UTF-8 and handed to
 * jsonwebtoken, which calls crypto.createPrivateKey), predicts jsonwebtoken 9.0.3's own error, and, when the PEM was
 * damaged by CI secret storage, rebuilds it in memory to say whether the repair would parse. Key material never leaves
 * this module except as a KeyObject that JSON.stringify cannot see.
 */
import { createHash, createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { HUGE_KEY_FILE_BYTES } from '../knowledge/privateKey.js';

/** Files larger than this are not read: a PEM RSA key is ~1.7 KiB, even with a certificate chain it stays far below. */
export { HUGE_KEY_FILE_BYTES };

/**
 * How long a pipe or device may take to give its data. `--jwt-key-file <(echo "$KEY")` is a pipe whose data is there at
 * once; a FIFO nobody writes to would block a plain read forever (and sf with it), so non-regular files are read
 * non-blocking, polled, and given up on after this long.
 */
export const SPECIAL_FILE_WAIT_MS = 5000;
const POLL_MS = 50;

/** What the path is once symbolic links are followed. */
export type KeyFileType = 'file' | 'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket' | 'other';

export type KeyFileFacts = {
  path: string;
  exists: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  /** False when opening for reading fails (EACCES, EPERM …). */
  readable: boolean;
  size?: number;
  /** Permission bits, e.g. 0o600. */
  mode?: number;
  /** Group or others may read the file (POSIX only). */
  groupOrWorldReadable: boolean;
  huge: boolean;
  /** Absent when the path does not exist. */
  fileType?: KeyFileType;
  /** A pipe or device that gave no (complete) data within `waitedMs`: sf would wait for it forever. */
  noData?: boolean;
  waitedMs?: number;
  /** A pipe or device that kept giving data past HUGE_KEY_FILE_BYTES (/dev/zero, /dev/urandom): reading stopped there. */
  endless?: boolean;
  /** The file as sf reads it (UTF-8); absent when missing, unreadable, a directory or huge. */
  text?: string;
  /** errno code of the failure, when any (ENOENT, EACCES, EISDIR …). */
  errorCode?: string;
};

export type KeyKind =
  | 'rsa-private'
  | 'ec-private'
  | 'other-private'
  | 'certificate'
  | 'certificate-request'
  | 'public-key'
  | 'encrypted'
  | 'empty'
  | 'not-pem'
  | 'damaged'
  | 'binary';

/** pkcs1 `BEGIN RSA PRIVATE KEY`, pkcs8 `BEGIN PRIVATE KEY`, sec1 `BEGIN EC PRIVATE KEY`, openssh `BEGIN OPENSSH PRIVATE KEY`. */
export type KeyFormat = 'pkcs1' | 'pkcs8' | 'sec1' | 'openssh';

/**
 * How the PEM text differs from a clean one. `crlf` alone still parses (node:crypto and jsonwebtoken accept it);
 * the others make sf fail.
 */
export type PemDamage =
  'literal-newlines' | 'single-line' | 'crlf' | 'missing-header' | 'indented' | 'quoted' | 'base64-encoded';

export type KeyAnalysis = {
  kind: KeyKind;
  format?: KeyFormat;
  /** Key algorithm as node names it: rsa, ec, ed25519, rsa-pss, dsa … */
  algorithm?: string;
  bits?: number;
  /** EC curve, when the key is EC. */
  curve?: string;
  /** The text parses as a private key exactly as sf would read it. */
  parsesAsIs: boolean;
  /** sf can sign RS256 with the file as it is (jsonwebtoken would not throw). */
  usableAsIs: boolean;
  damage: PemDamage[];
  /** Whether the in-memory repair (see repairPem) parses as a private key; undefined when nothing was repaired. */
  repairedParses?: boolean;
  /** The file also holds these PEM blocks next to the private key (a certificate chain, say). */
  extraBlocks: string[];
  /**
   * sha256 of the DER SubjectPublicKeyInfo of the public key, as `sha256:` + lower-case hex pairs joined by colons —
   * the same digits as `openssl pkey -pubout -outform DER | openssl dgst -sha256 -c`. Computed for a private key
   * (also from a repaired one), a public key or a certificate.
   */
  fingerprint?: string;
  /** The error jsonwebtoken 9.0.3 throws for this text with RS256 (what sf prints once per login attempt). */
  jwtError?: string;
  /** Not-after date of a certificate given instead of a key (ISO). */
  certificateValidTo?: string;
  /**
   * The RS256-capable private key (from the file, or from the repair when only that parses). Non-enumerable: it never
   * reaches JSON.stringify, util.inspect's default view or a log line.
   */
  readonly privateKey?: KeyObject;
};

function fileType(info: Stats): KeyFileType {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'directory';
  if (info.isFIFO()) return 'fifo';
  if (info.isCharacterDevice()) return 'character-device';
  if (info.isBlockDevice()) return 'block-device';
  if (info.isSocket()) return 'socket';
  return 'other';
}

type BoundedRead = { data: Buffer; timedOut: boolean; endless: boolean };

/**
 * Reads a pipe or device without ever blocking: opened O_NONBLOCK (so opening a FIFO without a writer returns at once),
 * then polled. It ends at end of file after some data, after `cap` bytes, or after `waitMs`. A FIFO reads as end of
 * file while no writer has opened it yet, so end of file before any data counts as "nothing yet"; a device's end of file
 * (/dev/null) is final.
 */
async function readBounded(path: string, type: KeyFileType, waitMs: number, cap: number): Promise<BoundedRead> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const chunks: Buffer[] = [];
  let total = 0;
  const started = Date.now();
  try {
    for (;;) {
      let bytesRead = 0;
      let wouldBlock = false;
      try {
        const buffer = Buffer.alloc(16 * 1024);
        // eslint-disable-next-line no-await-in-loop -- a stream is read in order
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
        if (bytesRead > 0) chunks.push(buffer.subarray(0, bytesRead));
      } catch (error) {
        if (errorCode(error) !== 'EAGAIN' && errorCode(error) !== 'EWOULDBLOCK') throw error;
        wouldBlock = true;
      }
      total += bytesRead;
      if (total > cap) return { data: Buffer.concat(chunks), timedOut: false, endless: true };
      if (bytesRead > 0) continue;
      if (!wouldBlock && (total > 0 || type !== 'fifo'))
        return { data: Buffer.concat(chunks), timedOut: false, endless: false };
      if (Date.now() - started >= waitMs) return { data: Buffer.concat(chunks), timedOut: true, endless: false };
      // eslint-disable-next-line no-await-in-loop -- polling a FIFO
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await handle.close();
  }
}

export async function readKeyFile(path: string, options: { waitMs?: number } = {}): Promise<KeyFileFacts> {
  const facts: KeyFileFacts = {
    path,
    exists: false,
    isDirectory: false,
    isSymlink: false,
    readable: false,
    groupOrWorldReadable: false,
    huge: false,
  };
  try {
    facts.isSymlink = (await lstat(path)).isSymbolicLink();
    const info = await stat(path);
    facts.exists = true;
    facts.fileType = fileType(info);
    facts.isDirectory = info.isDirectory();
    facts.size = info.size;
    facts.mode = info.mode & 0o777;
    facts.groupOrWorldReadable = process.platform !== 'win32' && (info.mode & 0o044) !== 0;
    facts.huge = info.size > HUGE_KEY_FILE_BYTES;
  } catch (error) {
    facts.errorCode = errorCode(error);
    // A dangling symlink exists as a link but not as a file: report it as missing.
    return facts;
  }
  if (facts.isDirectory) {
    facts.errorCode = 'EISDIR';
    return facts;
  }
  if (facts.fileType !== 'file') {
    // A pipe, device or socket: its size says nothing, and a plain read could block forever or never end.
    const waitMs = options.waitMs ?? SPECIAL_FILE_WAIT_MS;
    try {
      const read = await readBounded(path, facts.fileType, waitMs, HUGE_KEY_FILE_BYTES);
      facts.readable = true;
      facts.size = read.data.length;
      facts.huge = read.endless;
      facts.endless = read.endless;
      if (read.timedOut) {
        facts.noData = true;
        facts.waitedMs = waitMs;
      } else if (!read.endless) {
        facts.text = read.data.toString('utf8');
      }
    } catch (error) {
      facts.errorCode = errorCode(error);
    }
    return facts;
  }
  try {
    const handle = await open(path, constants.O_RDONLY);
    try {
      facts.readable = true;
      if (!facts.huge) facts.text = await handle.readFile({ encoding: 'utf8' });
    } finally {
      await handle.close();
    }
  } catch (error) {
    facts.errorCode = errorCode(error);
  }
  return facts;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? 'UNKNOWN';
}

// ---------------------------------------------------------------------------------------------------------------------

type PemBlock = { label: string; body: string; headers: string; raw: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const PRIVATE_LABELS = [
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
];

/** Mirrors jsonwebtoken 9.0.3 sign() with RS256 for a string key: the first error it would throw, or undefined. */
export function jsonwebtokenError(text: string): string | undefined {
  if (!text) return 'secretOrPrivateKey must have a value';
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    // jsonwebtoken falls back to createSecretKey, which accepts any string; a secret is not asymmetric.
    return 'secretOrPrivateKey must be an asymmetric key when using RS256';
  }
  const modulus = key.asymmetricKeyDetails?.modulusLength;
  if (modulus !== undefined && modulus < 2048)
    return 'secretOrPrivateKey has a minimum key size of 2048 bits for RS256';
  const type = key.asymmetricKeyType ?? '';
  const allowed: Record<string, string[]> = {
    ec: ['ES256', 'ES384', 'ES512'],
    rsa: ['RS256', 'PS256', 'RS384', 'PS384', 'RS512', 'PS512'],
    'rsa-pss': ['PS256', 'PS384', 'PS512'],
  };
  if (!allowed[type]) return `Unknown key type "${type}".`;
  if (!allowed[type].includes('RS256'))
    return `"alg" parameter for "${type}" key type must be one of: ${allowed[type].join(', ')}.`;
  return undefined;
}

function tryPrivateKey(text: string): KeyObject | undefined {
  try {
    return createPrivateKey(text);
  } catch {
    return undefined;
  }
}

function spkiFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex');
  return `sha256:${hex.match(/../g)!.join(':')}`;
}

function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const inner = m[2];
    // RFC 1421 headers (Proc-Type, DEK-Info) end at the first blank line; only legacy encrypted PKCS#1 has them.
    const headerMatch = /^\s*((?:[A-Za-z-]+:[^\n]*\n)+)\s*\n/.exec(inner.replace(/\r\n/g, '\n'));
    const headers = headerMatch ? headerMatch[1] : '';
    const body = (headerMatch ? inner.replace(/\r\n/g, '\n').slice(headerMatch[0].length) : inner).replace(/\s+/g, '');
    blocks.push({ label: m[1], body, headers, raw: m[0] });
  }
  return blocks;
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}

function wrap(label: string, body: string, headers = ''): string {
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${headers}${headers ? '\n' : ''}${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Undoes what CI secret stores and YAML do to a PEM: quotes, literal `\n`, CRLF, lost newlines, indentation. */
export function normalizePemText(text: string): { text: string; damage: PemDamage[] } {
  const damage: PemDamage[] = [];
  let t = text.replace(/^\uFEFF/, '');
  const trimmed = t.trim();
  if (/^(["']).*\1$/s.test(trimmed) && trimmed.length > 2) {
    damage.push('quoted');
    t = trimmed.slice(1, -1);
  }
  if (/\\r\\n|\\n/.test(t)) {
    damage.push('literal-newlines');
    t = t.replace(/\\r\\n|\\n/g, '\n').replace(/\\r/g, '');
  }
  if (t.includes('\r\n')) {
    damage.push('crlf');
    t = t.replace(/\r\n/g, '\n');
  }
  const blocks = pemBlocks(t);
  const block = blocks.find((b) => PRIVATE_LABELS.includes(b.label)) ?? blocks[0];
  if (block) {
    const innerLines = block.raw
      .split('\n')
      .slice(1, -1)
      .filter((l) => l.trim() !== '');
    const base64Lines = innerLines.filter((l) => !/^[A-Za-z-]+:/.test(l.trim()));
    if (block.body.length > 80 && base64Lines.length <= 1) damage.push('single-line');
    if (/^[ \t]+-----BEGIN/m.test(t) || innerLines.some((l) => /^[ \t]/.test(l))) damage.push('indented');
    return {
      text: blocks.map((b) => (b === block ? wrap(b.label, b.body, b.headers) : b.raw + '\n')).join(''),
      damage,
    };
  }
  const bare = t.replace(/\s+/g, '');
  const decoded = isBase64(bare) ? Buffer.from(bare, 'base64').toString('utf8') : '';
  if (decoded.includes('-----BEGIN ')) {
    // The whole PEM file was base64-encoded for the secret store and never decoded.
    const inner = normalizePemText(decoded);
    return { text: inner.text, damage: ['base64-encoded', ...inner.damage] };
  }
  if (bare.length >= 100 && isBase64(bare)) {
    damage.push('missing-header');
    return { text: wrap(derLabel(bare), bare), damage };
  }
  return { text: t, damage };
}

/** The PEM label a bare base64 DER body needs: tries PKCS#8, then PKCS#1, then certificate and public key. */
function derLabel(base64: string): string {
  const der = Buffer.from(base64, 'base64');
  const attempts: Array<[string, () => unknown]> = [
    ['PRIVATE KEY', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })],
    ['RSA PRIVATE KEY', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })],
    ['CERTIFICATE', () => new X509Certificate(der)],
    ['PUBLIC KEY', () => createPublicKey({ key: der, format: 'der', type: 'spki' })],
  ];
  for (const [label, parse] of attempts) {
    try {
      parse();
      return label;
    } catch {
      // next format
    }
  }
  return 'PRIVATE KEY';
}

function formatOf(label: string): KeyFormat | undefined {
  const formats: Record<string, KeyFormat> = {
    'RSA PRIVATE KEY': 'pkcs1',
    'PRIVATE KEY': 'pkcs8',
    'ENCRYPTED PRIVATE KEY': 'pkcs8',
    'EC PRIVATE KEY': 'sec1',
    'OPENSSH PRIVATE KEY': 'openssh',
  };
  return formats[label];
}

function isBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const odd = text.match(/[\uFFFD\u0001-\u0008\u000E-\u001F]/g)?.length ?? 0;
  return odd > 0 && odd / text.length > 0.02;
}

function describePrivate(analysis: KeyAnalysis, key: KeyObject): void {
  analysis.algorithm = key.asymmetricKeyType;
  analysis.bits = key.asymmetricKeyDetails?.modulusLength;
  analysis.curve = key.asymmetricKeyDetails?.namedCurve;
  analysis.kind =
    key.asymmetricKeyType === 'rsa' ? 'rsa-private' : key.asymmetricKeyType === 'ec' ? 'ec-private' : 'other-private';
  analysis.fingerprint = spkiFingerprint(createPublicKey(key));
}

function describeBlock(analysis: KeyAnalysis, block: PemBlock): void {
  analysis.format = formatOf(block.label);
  if (block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/i.test(block.headers)) {
    analysis.kind = 'encrypted';
  } else if (
    block.label === 'CERTIFICATE' ||
    block.label === 'TRUSTED CERTIFICATE' ||
    block.label === 'X509 CERTIFICATE'
  ) {
    analysis.kind = 'certificate';
    try {
      const cert = new X509Certificate(wrap('CERTIFICATE', block.body));
      analysis.fingerprint = spkiFingerprint(cert.publicKey);
      analysis.algorithm = cert.publicKey.asymmetricKeyType;
      analysis.certificateValidTo = new Date(cert.validTo).toISOString();
    } catch {
      analysis.kind = 'damaged';
    }
  } else if (block.label === 'CERTIFICATE REQUEST' || block.label === 'NEW CERTIFICATE REQUEST') {
    analysis.kind = 'certificate-request';
  } else if (block.label === 'PUBLIC KEY' || block.label === 'RSA PUBLIC KEY') {
    analysis.kind = 'public-key';
    try {
      const pub = createPublicKey(wrap(block.label, block.body));
      analysis.fingerprint = spkiFingerprint(pub);
      analysis.algorithm = pub.asymmetricKeyType;
      analysis.bits = pub.asymmetricKeyDetails?.modulusLength;
    } catch {
      analysis.kind = 'damaged';
    }
  } else if (block.label === 'OPENSSH PRIVATE KEY' || block.label === 'DSA PRIVATE KEY') {
    analysis.kind = 'other-private';
  } else if (PRIVATE_LABELS.includes(block.label)) {
    analysis.kind = 'damaged';
  } else {
    analysis.kind = 'not-pem';
  }
}

function setPrivateKey(analysis: KeyAnalysis, key: KeyObject | undefined): void {
  if (key) Object.defineProperty(analysis, 'privateKey', { value: key, enumerable: false, writable: false });
}

export function analyzeKey(text: string): KeyAnalysis {
  const analysis: KeyAnalysis = {
    kind: 'not-pem',
    parsesAsIs: false,
    usableAsIs: false,
    damage: [],
    extraBlocks: [],
    jwtError: jsonwebtokenError(text),
  };
  analysis.usableAsIs = analysis.jwtError === undefined;
  if (text.trim() === '') {
    analysis.kind = 'empty';
    return analysis;
  }
  if (isBinary(text)) {
    analysis.kind = 'binary';
    return analysis;
  }

  const normalized = normalizePemText(text);
  analysis.damage = normalized.damage;
  const blocks = pemBlocks(normalized.text);
  const main = blocks.find((b) => PRIVATE_LABELS.includes(b.label)) ?? blocks[0];
  analysis.extraBlocks = blocks.filter((b) => b !== main).map((b) => b.label);
  if (main) analysis.format = formatOf(main.label);

  const asIs = tryPrivateKey(text);
  if (asIs) {
    analysis.parsesAsIs = true;
    describePrivate(analysis, asIs);
    setPrivateKey(analysis, asIs);
    // Whatever else looked odd did not stop the parse; only CRLF inside the key itself is worth a warning (other
    // tools may choke on it). A certificate block with CRLF next to the key is harmless.
    const keyBlock = pemBlocks(text).find((b) => PRIVATE_LABELS.includes(b.label));
    analysis.damage = keyBlock?.raw.includes('\r\n') ? ['crlf'] : [];
    return analysis;
  }

  const repaired = analysis.damage.some((d) => d !== 'crlf') ? tryPrivateKey(normalized.text) : undefined;
  if (analysis.damage.some((d) => d !== 'crlf')) analysis.repairedParses = repaired !== undefined;
  if (repaired) {
    describePrivate(analysis, repaired);
    setPrivateKey(analysis, repaired);
    return analysis;
  }
  if (main) describeBlock(analysis, main);
  return analysis;
}
