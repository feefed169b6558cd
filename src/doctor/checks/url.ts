/*
 * Shared by the url.* checks after url.parse: they apply only to a URL it could read, and judge it by Salesforce's
 * published domain formats and sf's own code (documented).
 */
import type { Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import type { UrlClassification } from '../../knowledge/instanceUrl.js';
import { urlNotInLog } from '../inputs.js';
import { text } from '../text.js';

/** --from-log without a login URL: skipped, and sf's answers in the log go on without it (url.parse, url.*). */
export function skipUrlNotInLog(ctx: DoctorContext): CheckOutcome | undefined {
  return urlNotInLog(ctx.inputs)
    ? { status: 'skip', sfGoesOn: true, detail: text('detail.fromLog.urlNotInLog') }
    : undefined;
}

export function parsedUrlCheck(
  id: string,
  needs: string[],
  run: (ctx: DoctorContext, url: UrlClassification) => CheckOutcome | undefined,
): Check {
  return {
    id,
    group: 'url',
    needs,
    mode: 'local',
    evidence: 'documented',
    run(ctx) {
      const url = ctx.facts.url;
      return url?.valid ? run(ctx, url) : skipUrlNotInLog(ctx);
    },
  };
}
