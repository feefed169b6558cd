/*
 * input.client-id: the consumer key becomes the JWT `iss`. Salesforce consumer keys start with 3MVG and use letters,
 * digits, `.` and `_`; Metadata API allows custom keys of 8–256 characters (reference §4.2), so an unusual shape is
 * only a warning. Whitespace, invisible characters, quotes and look-alike letters (a Cyrillic М for M) are never part of
 * a key: Salesforce compares `iss` with the consumer key exactly and answers "client identifier invalid".
 */
import { proposing, type Check, type CheckOutcome, type ProposalRest } from '../check.js';
import { listCharacters, unusualCharacters } from '../../knowledge/username.js';
import { text } from '../text.js';

const KEY_CHARS = /^[A-Za-z0-9._]+$/;
/** A ConnectedApplication record Id (prefix 0H4, 15 or 18 characters), copied from a Setup URL. */
const RECORD_ID = /^0H4[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;
/** Consumer secrets: 19-digit numbers (older apps) or 64 hexadecimal characters. */
const SECRET = /^(\d{16,20}|[0-9A-F]{64})$/;
/** Whitespace, control and format characters, and the invisible ones outside those classes (combining grapheme joiner, Hangul fillers). */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\u034F\u115F\u1160\u3164\uFFA0]/gu;

/** A client id of an odd kind: `summary.inputClientId.<kind>` and `detail.inputClientId.<kind>` say which. */
function warn(fix: string, kind: string, clientId: string): CheckOutcome {
  const params = { clientId, length: clientId.length };
  const summary = text(`summary.inputClientId.${kind}`, params);
  const detail = text(`detail.inputClientId.${kind}`, params);
  return proposing('warn', detail, 'CLIENT_ID_INVALID', 'likely', 30, { summary, fix, params: { clientId } });
}

/** A key Salesforce cannot match as given: it compares `iss` with the consumer key exactly. */
function invalid(detail: string, rest: ProposalRest): CheckOutcome {
  return proposing('fail', detail, 'CLIENT_ID_INVALID', 'confirmed', 85, rest);
}

export const inputClientId: Check = {
  id: 'input.client-id',
  group: 'inputs',
  needs: [],
  mode: 'local',
  // documented: `iss` must be the app's consumer key (Help: OAuth 2.0 JWT Bearer Flow; Metadata API ConnectedAppOauthConfig.consumerKey).
  evidence: 'documented',
  run(ctx) {
    const raw = ctx.inputs.clientId?.value ?? '';
    if (!ctx.inputs.clientId && ctx.inputs.fromLog)
      return { status: 'skip', sfGoesOn: true, detail: text('detail.fromLog.notInLog', { input: '--client-id' }) };
    if (raw.trim() === '') {
      const given = ctx.inputs.clientId
        ? ' ' + text(raw === '' ? 'phrase.inputClientId.givenEmpty' : 'phrase.inputClientId.givenWhitespace')
        : '';
      return invalid(text('detail.inputClientId.missing', { given }), {
        summary: text('summary.inputClientId.missing'),
        fix: 'client-id-missing',
      });
    }
    const cleaned = raw.replace(INVISIBLE, '').replace(/^(["'])(.*)\1$/, '$2');
    const lookalikes = unusualCharacters(cleaned);
    if (lookalikes.lookalikes.length > 0) {
      const chars = listCharacters(lookalikes.lookalikes);
      const also = cleaned !== raw ? ' ' + text('detail.inputClientId.alsoWhitespace') : '';
      return invalid(text('detail.inputClientId.lookalike', { chars, also }), {
        summary: text('summary.inputClientId.lookalike'),
        fix: 'client-id-lookalike',
        params: { cleanedClientId: lookalikes.ascii, characters: chars },
      });
    }
    if (cleaned !== raw) {
      const lengths = { rawLength: raw.length, cleanedLength: cleaned.length };
      return invalid(text('detail.inputClientId.whitespace', lengths), {
        summary: text('summary.inputClientId.whitespace'),
        fix: 'client-id-whitespace',
        params: { cleanedClientId: cleaned },
      });
    }
    if (SECRET.test(raw)) {
      return warn('client-id-is-secret', 'secret', raw);
    }
    if (RECORD_ID.test(raw)) {
      return warn('client-id-is-record-id', 'recordId', raw);
    }
    if (!KEY_CHARS.test(raw) || raw.length < 8 || raw.length > 256) {
      return warn('client-id-shape', 'shape', raw);
    }
    if (!raw.startsWith('3MVG')) {
      return warn('client-id-shape', 'prefix', raw);
    }
    return { status: 'pass', detail: text('detail.inputClientId.wellShaped', { rawLength: raw.length }) };
  },
};
