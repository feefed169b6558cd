/*
 * log.read (--from-log): what the CI log held — which output of sf, how many attempts, which inputs its command line
 * showed — and what a log cannot tell (the key, why "fetch failed", the org's setup), with the runs that would.
 */
import { text } from '../text.js';
import { loginLogCheck } from './log.js';
import { shellQuote } from '../inputs.js';

export const logRead = loginLogCheck('log.read', (ctx, log) => {
  const file = ctx.inputs.fromLog?.value ?? '-';
  if (log.format === 'none') {
    return {
      status: 'fail',
      inconclusive: true,
      detail: text(log.empty ? 'detail.fromLog.empty' : 'detail.fromLog.nothingFound'),
      cause: {
        code: 'UNKNOWN',
        confidence: 'likely',
        alternatives: [],
        fix: 'from-log-nothing',
        summary: text(log.empty ? 'summary.fromLog.empty' : 'summary.fromLog.nothingFound'),
      },
    };
  }
  if (log.format === 'success') {
    return { status: 'pass', loginWorks: true, detail: text('detail.fromLog.success') };
  }
  const shown = (['username', 'client-id', 'instance-url'] as const).filter((name) => {
    const input = {
      username: ctx.inputs.username,
      'client-id': ctx.inputs.clientId,
      'instance-url': ctx.inputs.instanceUrl,
    }[name];
    return input?.source === 'log';
  });
  const lines = [
    text('detail.fromLog.read', {
      format: log.format,
      attempts: String(log.attempts.length),
      inputs: shown.length > 0 ? shown.map((s) => `--${s}`).join(', ') : text('phrase.fromLog.noInputs'),
    }),
  ];
  if (log.impliedCustomUrl) lines.push(text('detail.fromLog.customUrl', { attempts: String(log.attempts.length) }));
  if (log.command?.hidden.length)
    lines.push(text('detail.fromLog.hidden', { flags: [...new Set(log.command.hidden)].join(', ') }));
  lines.push(text('detail.fromLog.cannotTell'));
  const login = [
    `--username ${shellQuote(ctx.inputs.username?.value ?? '<username>')}`,
    `--client-id ${shellQuote(ctx.inputs.clientId?.value ?? '<consumer key>')}`,
    `--instance-url ${log.impliedCustomUrl ? text('phrase.fromLog.customUrl') : shellQuote(ctx.inputs.instanceUrl.value)}`,
  ].join(' ');
  lines.push(
    `  sf org jwt doctor --from-log ${shellQuote(file)} --admin-org <admin alias>`,
    `  sf org jwt doctor ${login} --jwt-key-file <private key file>`,
  );
  return { status: 'warn', detail: lines.join('\n') };
});
