/*
 * network.clock: the local clock against the server's Date header. sf signs exp in milliseconds (far in the future),
 * so drift alone rarely breaks sf's own login — but it breaks other JWT clients and assertions signed in seconds, and
 * an "expired authorization code" answer with drift present is drift's doing.
 */
import type { Check } from '../check.js';
import { text } from '../text.js';

const WARN_AFTER_SECONDS = 60;

export const networkClockCheck: Check = {
  id: 'network.clock',
  group: 'network',
  needs: ['network.token-endpoint'],
  mode: 'network',
  // observed: the server's Date header and the token endpoint's answer.
  evidence: 'observed',
  probe: 'answers',
  run(ctx) {
    const offset = ctx.facts.probe?.clockOffsetSeconds;
    if (offset === undefined) return { status: 'pass', detail: text('detail.networkClock') };
    const abs = Math.abs(offset);
    const direction = text(offset > 0 ? 'detail.networkClock.behind' : 'detail.networkClock.ahead');
    const expired = ctx.facts.probe?.details.some((d) => /expired authorization code/i.test(d.errorDescription ?? ''));
    if (abs < WARN_AFTER_SECONDS)
      return { status: 'pass', detail: text('detail.networkClock.withinTolerance', { abs }) };
    const detail = text('detail.networkClock.offset', { abs, direction });
    return {
      status: expired ? 'fail' : 'warn',
      detail: expired
        ? `${detail} ${text('detail.networkClock.expiredCode')}`
        : `${detail} ${text('detail.networkClock.sfTolerates')}`,
      cause: {
        code: 'CLOCK_SKEW',
        confidence: expired ? 'confirmed' : 'likely',
        weight: expired ? 80 : 20,
        params: { offset: String(abs), direction },
        summary: text('summary.networkClock.CLOCK_SKEW', { abs, direction }),
      },
    };
  },
};
