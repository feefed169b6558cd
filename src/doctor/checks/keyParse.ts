/*
 * key.parse: sf signs RS256 with jsonwebtoken 9.0.3, which needs an unencrypted RSA private key of at least 2048 bits
 * in PEM (PKCS#1 or PKCS#8). Each way a file misses that has its own fix; details quote the error sf would print and
 * never any key material (only kind, size, format and the public-key fingerprint).
 */
import type { Check, CheckOutcome } from '../check.js';
import type { KeyAnalysis, PemDamage } from '../../salesforce/keyFile.js';
import { text } from '../text.js';

const DAMAGE_TEXT: Record<Exclude<PemDamage, 'crlf'>, [fix: string, what: string]> = {
  'literal-newlines': [
    'key-literal-newlines',
    'its line breaks are stored as the two characters \\n (a CI secret or .env value)',
  ],
  'single-line': ['key-single-line', 'it was collapsed onto one line (line breaks replaced by spaces or removed)'],
  'missing-header': ['key-missing-header', 'the -----BEGIN … KEY----- and -----END … KEY----- lines are missing'],
  indented: ['key-indented', 'its lines are indented (pasted into YAML or a heredoc with leading spaces)'],
  quoted: ['key-quoted', 'it is wrapped in quote characters that became part of the file'],
  'base64-encoded': ['key-base64-encoded', 'the whole PEM file is base64-encoded (the secret was never decoded)'],
};

const KIND_FIX: Record<string, [fix: string, summary: string]> = {
  certificate: ['key-is-certificate', 'The key file holds a certificate, not the private key.'],
  'certificate-request': ['key-is-csr', 'The key file holds a certificate signing request, not the private key.'],
  'public-key': ['key-is-public', 'The key file holds a public key, not the private key.'],
  encrypted: ['key-encrypted', 'The private key is protected by a passphrase.'],
  'ec-private': ['key-not-rsa', 'The private key is an EC key; sf signs with RS256 and needs RSA.'],
  empty: ['key-file-empty', 'The key file is empty.'],
  'not-pem': ['key-not-pem', 'The key file is not a PEM private key.'],
  damaged: ['key-damaged', 'The key file has PEM markers but its contents are damaged or truncated.'],
  binary: ['key-binary', 'The key file is binary (DER or another format), not PEM text.'],
};

function describe(key: KeyAnalysis): string {
  const algo = key.algorithm === 'rsa' ? 'RSA' : (key.algorithm ?? 'unknown').toUpperCase();
  const size = key.bits ? ` ${key.bits}-bit` : key.curve ? ` ${key.curve}` : '';
  const format = key.format ? ` (${key.format.toUpperCase()})` : '';
  return `${algo}${size} private key${format}`;
}

function fail(fix: string, summary: string, detail: string, params: Record<string, string> = {}): CheckOutcome {
  return {
    status: 'fail',
    detail,
    cause: { code: 'KEY_INVALID', confidence: 'confirmed', weight: 90, summary, fix, params },
  };
}

function sfSays(key: KeyAnalysis): string {
  return key.jwtError ? ` sf would print "${key.jwtError}" once per login attempt.` : '';
}

function damaged(key: KeyAnalysis): CheckOutcome {
  const first = key.damage.find((d): d is Exclude<PemDamage, 'crlf'> => d !== 'crlf')!;
  const [fix, what] = DAMAGE_TEXT[first];
  const others = key.damage
    .filter((d) => d !== first && d !== 'crlf')
    .map((d) => DAMAGE_TEXT[d as Exclude<PemDamage, 'crlf'>][1]);
  const also = others.length ? ` Also: ${others.join('; ')}.` : '';
  const after = key.repairedParses
    ? `Repaired in memory it parses as an ${describe(key)}, public key ${key.fingerprint}.`
    : 'Even repaired in memory it does not parse.';
  // A repair that still does not parse means more is wrong than line breaks (truncated, edited): the generic fix.
  return fail(
    key.repairedParses ? fix : 'key-damaged',
    `The private key file is damaged: ${what}.`,
    `The key file cannot be parsed: ${what}.${also} ${after}${sfSays(key)}`,
    {
      damage: key.damage.join(', '),
      // The PEM label a rebuilt file needs (the fix texts print the header and footer lines).
      pemLabel: key.format === 'pkcs1' ? 'RSA PRIVATE KEY' : 'PRIVATE KEY',
    },
  );
}

function damageNote(key: KeyAnalysis): string {
  const found = key.damage.filter((d): d is Exclude<PemDamage, 'crlf'> => d !== 'crlf').map((d) => DAMAGE_TEXT[d][1]);
  return !key.parsesAsIs && found.length ? ` The text is also damaged: ${found.join('; ')}.` : '';
}

/** The problem that a line-break repair would not cure, if any. */
function kindProblem(key: KeyAnalysis): CheckOutcome | undefined {
  const note = damageNote(key) + sfSays(key);
  if (key.kind === 'other-private' && key.format === 'openssh') {
    return fail(
      'key-openssh-format',
      'The private key is in OpenSSH format.',
      `The file is an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----), which Node's crypto cannot read.${note}`,
    );
  }
  if (key.kind === 'other-private' || key.kind === 'ec-private') {
    return fail(
      'key-not-rsa',
      `The private key is ${key.algorithm ?? 'not RSA'}; sf signs with RS256 and needs RSA.`,
      `The file holds an ${describe(key)}; RS256 needs an RSA key.${note}`,
      { algorithm: key.algorithm ?? 'unknown' },
    );
  }
  if (key.kind === 'rsa-private' && (key.bits ?? 0) < 2048) {
    return fail(
      'key-too-small',
      `The RSA key has ${key.bits} bits; RS256 in sf needs at least 2048.`,
      `The file holds an ${describe(key)}; jsonwebtoken refuses RSA keys under 2048 bits.${note}`,
      { bits: String(key.bits) },
    );
  }
  if (['certificate', 'certificate-request', 'public-key', 'encrypted', 'binary', 'empty'].includes(key.kind)) {
    const [fix, summary] = KIND_FIX[key.kind];
    const cert =
      key.kind === 'certificate'
        ? ` Certificate public key ${key.fingerprint ?? '(unreadable)'}${key.certificateValidTo ? `, valid to ${key.certificateValidTo}` : ''}: the certificate goes on the app, the matching private key goes to sf.`
        : '';
    return fail(fix, summary, `${summary}${cert}${note}`);
  }
  return undefined;
}

export const keyParse: Check = {
  id: 'key.parse',
  group: 'key',
  needs: ['key.file'],
  mode: 'local',
  // observed: node:crypto and jsonwebtoken, the signer sf uses, accept or refuse this key.
  evidence: 'observed',
  run(ctx) {
    const pem = ctx.facts.keyFile?.text;
    if (pem === undefined) return undefined;
    const key = ctx.adapters.analyzeKey(pem);
    ctx.facts.key = key;
    const problem = kindProblem(key);
    if (problem) return problem;
    if (!key.parsesAsIs && key.damage.some((d) => d !== 'crlf')) return damaged(key);
    if (key.kind !== 'rsa-private') {
      const [fix, summary] = KIND_FIX[key.kind] ?? ['key-not-pem', 'The key file is not a PEM private key.'];
      return fail(fix, summary, `${summary}${sfSays(key)}`);
    }
    if (!key.usableAsIs) {
      return fail(
        'key-not-pem',
        'sf cannot sign with this key.',
        `The file parses as an ${describe(key)}, but jsonwebtoken refuses it.${sfSays(key)}`,
      );
    }
    const extras = key.extraBlocks.length ? ` The file also holds: ${key.extraBlocks.join(', ')} (ignored by sf).` : '';
    if (key.damage.includes('crlf')) {
      return {
        status: 'warn',
        detail: text('detail.keyParse', { value: describe(key), fingerprint: key.fingerprint, extras }),
      };
    }
    return {
      status: 'pass',
      detail: text('detail.keyParse.2', { value: describe(key), fingerprint: key.fingerprint, extras }),
    };
  },
};
