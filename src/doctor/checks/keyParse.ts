/*
 * key.parse: sf signs RS256 with jsonwebtoken 9.0.3, which needs an unencrypted RSA private key of at least 2048 bits
 * in PEM (PKCS#1 or PKCS#8). Each way a file misses that has its own fix; details quote the error sf would print and
 * never any key material (only kind, size, format and the public-key fingerprint).
 */
import type { Check, CheckOutcome } from '../check.js';
import type { KeyAnalysis, PemDamage } from '../../salesforce/keyFile.js';
import { text } from '../text.js';

/** The fix for each damage, and the phrase (messages/checks.md) that names it. */
const DAMAGE_TEXT: Record<Exclude<PemDamage, 'crlf'>, [fix: string, what: string]> = {
  'literal-newlines': ['key-literal-newlines', 'phrase.keyParse.damage.literalNewlines'],
  'single-line': ['key-single-line', 'phrase.keyParse.damage.singleLine'],
  'missing-header': ['key-missing-header', 'phrase.keyParse.damage.missingHeader'],
  indented: ['key-indented', 'phrase.keyParse.damage.indented'],
  quoted: ['key-quoted', 'phrase.keyParse.damage.quoted'],
  'base64-encoded': ['key-base64-encoded', 'phrase.keyParse.damage.base64Encoded'],
};

/** The fix for each kind of file that is not a usable key, and its summary (messages/fixes.md). */
const KIND_FIX: Record<string, [fix: string, summary: string]> = {
  certificate: ['key-is-certificate', 'summary.keyParse.isCertificate'],
  'certificate-request': ['key-is-csr', 'summary.keyParse.isCsr'],
  'public-key': ['key-is-public', 'summary.keyParse.isPublicKey'],
  encrypted: ['key-encrypted', 'summary.keyParse.encrypted'],
  'ec-private': ['key-not-rsa', 'summary.keyParse.ecKey'],
  empty: ['key-file-empty', 'summary.keyParse.empty'],
  'not-pem': ['key-not-pem', 'summary.keyParse.notPem'],
  damaged: ['key-damaged', 'summary.keyParse.damaged'],
  binary: ['key-binary', 'summary.keyParse.binary'],
};

const damageText = (d: Exclude<PemDamage, 'crlf'>): string => text(DAMAGE_TEXT[d][1]);

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
  return key.jwtError ? ' ' + text('detail.keyParse.sfWouldPrint', { jwtError: key.jwtError }) : '';
}

function damaged(key: KeyAnalysis): CheckOutcome {
  const first = key.damage.find((d): d is Exclude<PemDamage, 'crlf'> => d !== 'crlf')!;
  const [fix] = DAMAGE_TEXT[first];
  const what = damageText(first);
  const others = key.damage
    .filter((d) => d !== first && d !== 'crlf')
    .map((d) => damageText(d as Exclude<PemDamage, 'crlf'>));
  const also = others.length ? ' ' + text('detail.keyParse.alsoDamaged', { damages: others.join('; ') }) : '';
  const after = key.repairedParses
    ? text('detail.keyParse.repairedParses', { keyDescription: describe(key), fingerprint: key.fingerprint })
    : text('detail.keyParse.repairedDoesNotParse');
  // A repair that still does not parse means more is wrong than line breaks (truncated, edited): the generic fix.
  return fail(
    key.repairedParses ? fix : 'key-damaged',
    text('summary.keyParse.damagedText', { damage: what }),
    text('detail.keyParse.damagedText', { damage: what, also, after, sfSays: sfSays(key) }),
    {
      damage: key.damage.join(', '),
      // The PEM label a rebuilt file needs (the fix texts print the header and footer lines).
      pemLabel: key.format === 'pkcs1' ? 'RSA PRIVATE KEY' : 'PRIVATE KEY',
    },
  );
}

function damageNote(key: KeyAnalysis): string {
  const found = key.damage.filter((d): d is Exclude<PemDamage, 'crlf'> => d !== 'crlf').map(damageText);
  return !key.parsesAsIs && found.length
    ? ' ' + text('detail.keyParse.alsoDamagedText', { damages: found.join('; ') })
    : '';
}

/** The problem that a line-break repair would not cure, if any. */
function kindProblem(key: KeyAnalysis): CheckOutcome | undefined {
  const note = damageNote(key) + sfSays(key);
  if (key.kind === 'other-private' && key.format === 'openssh') {
    return fail('key-openssh-format', text('summary.keyParse.openssh'), text('detail.keyParse.openssh', { note }));
  }
  if (key.kind === 'other-private' || key.kind === 'ec-private') {
    return fail(
      'key-not-rsa',
      text('summary.keyParse.notRsa', { algorithm: key.algorithm ?? 'not RSA' }),
      text('detail.keyParse.notRsa', { keyDescription: describe(key), note }),
      { algorithm: key.algorithm ?? 'unknown' },
    );
  }
  if (key.kind === 'rsa-private' && (key.bits ?? 0) < 2048) {
    return fail(
      'key-too-small',
      text('summary.keyParse.tooSmall', { bits: key.bits }),
      text('detail.keyParse.tooSmall', { keyDescription: describe(key), note }),
      { bits: String(key.bits) },
    );
  }
  if (['certificate', 'certificate-request', 'public-key', 'encrypted', 'binary', 'empty'].includes(key.kind)) {
    const [fix, summaryKey] = KIND_FIX[key.kind];
    const summary = text(summaryKey);
    const validTo = key.certificateValidTo ? text('phrase.keyParse.validTo', { date: key.certificateValidTo }) : '';
    const cert =
      key.kind === 'certificate'
        ? ' ' +
          text('detail.keyParse.certificate', {
            fingerprint: key.fingerprint ?? text('phrase.keyParse.unreadable'),
            validTo,
          })
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
  probe: 'key',
  run(ctx) {
    const pem = ctx.facts.keyFile?.text;
    if (pem === undefined)
      return ctx.inputs.fromLog && !ctx.facts.keyFile
        ? { status: 'skip', sfGoesOn: true, detail: text('detail.fromLog.keyNotRead') }
        : undefined;
    const key = ctx.adapters.analyzeKey(pem);
    ctx.facts.key = key;
    const problem = kindProblem(key);
    if (problem) return problem;
    if (!key.parsesAsIs && key.damage.some((d) => d !== 'crlf')) return damaged(key);
    if (key.kind !== 'rsa-private') {
      const [fix, summaryKey] = KIND_FIX[key.kind] ?? KIND_FIX['not-pem'];
      const summary = text(summaryKey);
      return fail(fix, summary, `${summary}${sfSays(key)}`);
    }
    if (!key.usableAsIs) {
      return fail(
        'key-not-pem',
        text('summary.keyParse.unusable'),
        text('detail.keyParse.unusable', { keyDescription: describe(key), sfSays: sfSays(key) }),
      );
    }
    const extras = key.extraBlocks.length
      ? ' ' + text('detail.keyParse.extraBlocks', { blocks: key.extraBlocks.join(', ') })
      : '';
    if (key.damage.includes('crlf')) {
      return {
        status: 'warn',
        detail: text('detail.keyParse.crlf', { keyDescription: describe(key), fingerprint: key.fingerprint, extras }),
      };
    }
    return {
      status: 'pass',
      detail: text('detail.keyParse.usable', { keyDescription: describe(key), fingerprint: key.fingerprint, extras }),
    };
  },
};
