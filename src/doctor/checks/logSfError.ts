/*
 * log.sf-error (--from-log): the errors in the log that are not token-endpoint answers — sf's own (the key file it
 * could not read, a key jsonwebtoken refused, a Lightning URL), texts of another flow or a later command — explained
 * through logTexts.ts; a text nothing explains is shown verbatim as unknown.
 */
import { proposing } from '../check.js';
import { loginLogCheck } from './log.js';
import { text } from '../text.js';
import { explainText } from '../logTexts.js';
import { fileName } from '../../knowledge/mask.js';

export const logSfError = loginLogCheck('log.sf-error', (_ctx, log) => {
  // A log without sf's output has no errors of sf's to explain (log.read says what it lacks).
  if (log.format === 'none') return undefined;
  if (log.keyMissing !== undefined) {
    const file = fileName(log.keyMissing);
    return proposing('fail', text('detail.fromLog.keyMissing', { file }), 'KEY_FILE_MISSING', 'confirmed', 90, {
      alternatives: [],
      fix: 'from-log-key-missing',
      params: { file },
      summary: text('summary.fromLog.keyMissing', { file }),
    });
  }
  const keyError = log.attempts.find((a) => a.kind === 'key');
  if (keyError) {
    const error = keyError.description;
    return proposing('fail', text('detail.fromLog.keyRefused', { error }), 'KEY_INVALID', 'confirmed', 90, {
      alternatives: [],
      fix: 'from-log-key-invalid',
      summary: text('summary.fromLog.keyRefused', { error }),
    });
  }
  // Texts that are no answer of the JWT grant: the error when no attempt list came with it, and attempt lines the
  // catalogue does not know but another flow explains.
  const texts = [
    ...(log.otherError ? [log.otherError] : []),
    ...log.attempts.filter((a) => a.kind === 'answer').map((a) => a.description),
  ];
  for (const raw of new Set(texts)) {
    const explained = explainText(raw);
    if (explained.kind === 'elsewhere') {
      const params = { text: raw };
      return {
        status: 'fail',
        detail: text('detail.fromLog.elsewhere', params),
        cause: {
          code: 'UNKNOWN',
          confidence: 'likely',
          alternatives: [],
          weight: 55,
          fix: explained.fix,
          params,
          summary: text(`summary.logText.${explained.id}`, params),
        },
      };
    }
    if (raw !== log.otherError) continue;
    if (explained.kind === 'sf' || explained.kind === 'answer') {
      const c = explained.kind === 'sf' ? explained : explained.entry;
      // sf's "Value is not a string": the grant's answer lacked id or instance_url (the fix's {errorDescription}).
      const params =
        explained.kind === 'sf' && explained.id === 'token-incomplete'
          ? { errorDescription: text('phrase.fromLog.tokenFields') }
          : undefined;
      return {
        status: 'fail',
        detail: text('detail.fromLog.sfError', { text: raw }),
        cause: {
          code: c.code,
          confidence: c.confidence,
          alternatives: c.alternatives,
          weight: 55,
          ...(params ? { params } : {}),
          summary: text('summary.fromLog.sfError', { text: raw }),
        },
      };
    }
    return {
      status: 'fail',
      detail: text('detail.fromLog.unknown', { text: raw }),
      cause: {
        code: 'UNKNOWN',
        confidence: 'likely',
        alternatives: [],
        weight: 55,
        fix: 'from-log-unknown',
        params: { text: raw },
        summary: text('summary.fromLog.unknown', { text: raw }),
      },
    };
  }
  return { status: 'pass', detail: text('detail.fromLog.noSfError') };
});
