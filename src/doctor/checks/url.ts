/*
 * Shared by the url.* checks after url.parse: they apply only to a URL it could read, and judge it by Salesforce's
 * published domain formats and sf's own code (documented).
 */
import type { Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import type { UrlClassification } from '../../knowledge/instanceUrl.js';

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
      return url?.valid ? run(ctx, url) : undefined;
    },
  };
}
