/*
 * Shared by the log.* checks (--from-log): they apply only when a log was read, and what they report is sf's own
 * output as the log kept it (observed).
 */
import type { Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import type { LoginLog } from '../../knowledge/loginLog.js';

export function loginLogCheck(id: string, run: (ctx: DoctorContext, log: LoginLog) => CheckOutcome | undefined): Check {
  return {
    id,
    group: 'inputs',
    needs: [],
    mode: 'local',
    evidence: 'observed',
    run(ctx) {
      const log = ctx.facts.loginLog;
      return log ? run(ctx, log) : undefined;
    },
  };
}
