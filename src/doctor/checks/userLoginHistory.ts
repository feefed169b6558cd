/*
 * user.login-history: the user's latest login attempts as Salesforce recorded them (LoginHistory, read through
 * --admin-org; needs Manage Users). LoginHistory rows are observed evidence: Salesforce's own statement of what
 * happened to an attempt, not a reading of the setup.
 *
 * Status is free text and Salesforce publishes no list of its values. Only texts seen in public with a stated meaning
 * propose a cause (STATUS_CAUSES, with the source of each); any other status is shown verbatim and proposes nothing.
 * A row the doctor's own probe caused (recorded after the probe began) says what happens to a login now: a cause it
 * names is `confirmed`. Rows older than this run's probe describe earlier attempts, perhaps against another setup:
 * the detail says so, and a cause they name is only `likely` and weighs less than the token endpoint's own answer.
 */
import type { Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import type { CauseCode, LoginHistoryEntry } from '../types.js';
import { text } from '../text.js';
import type { LoginRecord } from '../../salesforce/inspection.js';
import { removeSecrets } from '../../knowledge/mask.js';
import { ADMIN_WEIGHT, fail, inspection, loginWorks, otherOrgSkip, skipFor } from './adminSupport.js';

/** Above the setup readings (80): what Salesforce recorded for this run's attempt outweighs an inference from setup. */
const OBSERVED_WEIGHT = 85;
/** Below the token endpoint's answer (50): an earlier attempt may have met another setup. */
const OLDER_WEIGHT = 20;

/** `meaning` names the messages/checks.md phrase that says what the status means. */
type StatusCause = { code: CauseCode; fix: string; meaning: string; source: string };

/**
 * The setup check that reads the same cause in detail (which profile, which permission set, frozen or locked). When
 * it failed too, it most likely proposes this cause with a fix naming the exact Setup objects: this check then weighs
 * the same (the graph's order lets that fix lead) instead of outweighing it with the generic one.
 */
const DETAILED_BY: Partial<Record<CauseCode, string>> = {
  USER_NOT_PREAUTHORIZED: 'approval.path',
  USER_INACTIVE: 'user.active',
};

/**
 * Status texts (compared trimmed and case-insensitively: the public sources spell them with varying case) and what
 * they mean. Sources: reference "field reports" §3 — Help 000212208, SFSE 146422.
 */
export const STATUS_CAUSES: Record<string, StatusCause> = {
  'failed: not approved for access': {
    code: 'USER_NOT_PREAUTHORIZED',
    fix: 'USER_NOT_PREAUTHORIZED',
    meaning: 'phrase.loginHistory.notPreauthorized',
    source: 'Salesforce Help article 000212208',
  },
  'user is inactive': {
    code: 'USER_INACTIVE',
    fix: 'user-inactive',
    meaning: 'phrase.loginHistory.inactive',
    source: 'salesforce.stackexchange.com question 146422',
  },
  'user is frozen': {
    code: 'USER_INACTIVE',
    fix: 'user-locked',
    meaning: 'phrase.loginHistory.frozen',
    source: 'salesforce.stackexchange.com question 146422',
  },
  'password lockout': {
    code: 'USER_INACTIVE',
    fix: 'user-locked',
    meaning: 'phrase.loginHistory.lockedOut',
    source: 'salesforce.stackexchange.com question 146422',
  },
};

const SUCCESS = 'success';

function statusKey(status: string): string {
  return status.trim().toLowerCase();
}

/** Remote text reaches a terminal: no control characters, no secret-shaped strings (safety rules 3 and 7). */
function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return removeSecrets(value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')).slice(0, 200);
}

/** When this run's token requests began, on the org's clock (the probe measured the offset); undefined without a probe. */
function probeStartOnOrgClock(ctx: DoctorContext): number | undefined {
  const started = ctx.facts.probeStartedAt;
  if (started === undefined || !ctx.facts.probe) return undefined;
  const offset = (ctx.facts.probe.clockOffsetSeconds ?? 0) * 1000;
  // LoginTime has whole seconds; a second's slack keeps the probe's first row in.
  return Math.floor((started + offset) / 1000) * 1000 - 1000;
}

/** This run's token requests that reached the org (an answer came back): each may leave one LoginHistory row. */
function answeredRequests(ctx: DoctorContext): number {
  return (ctx.facts.probe?.details ?? []).filter((d) => d.outcome !== 'network-error').length;
}

const loginMs = (r: LoginRecord): number => Date.parse(r.loginTime.replace(/\+0000$/, 'Z'));

/**
 * Rows of this run: at most as many as the run's answered token requests, newest first, and none before the run
 * began (with a second's slack) — an older login a second before the probe is never counted as this run's.
 */
export function loginHistoryEntries(
  rows: LoginRecord[],
  since: number | undefined,
  requests = Number.POSITIVE_INFINITY,
): LoginHistoryEntry[] {
  const ours = new Set(
    since === undefined
      ? []
      : rows
          .filter((r) => loginMs(r) >= since)
          .sort((a, b) => loginMs(b) - loginMs(a))
          .slice(0, requests),
  );
  return rows.map((r) => ({
    loginTime: r.loginTime,
    status: clean(r.status) ?? '',
    application: clean(r.application),
    loginType: clean(r.loginType),
    loginUrl: clean(r.loginUrl),
    sourceIp: clean(r.sourceIp),
    thisRun: ours.has(r),
  }));
}

function line(e: LoginHistoryEntry): string {
  const where = [e.application, e.loginType, e.loginUrl, e.sourceIp].filter(Boolean).join(', ');
  return `  ${e.loginTime}  "${e.status}"${where ? `  (${where})` : ''}`;
}

export const userLoginHistory: Check = {
  id: 'user.login-history',
  group: 'user',
  needs: ['user.exists'],
  mode: 'admin',
  // observed: LoginHistory rows are Salesforce's own record of each attempt (Object Reference: LoginHistory).
  evidence: 'observed',
  run(ctx) {
    const ins = inspection(ctx);
    if (!ins?.user) return undefined;
    const other = otherOrgSkip(ins);
    if (other) return other;
    const skip = skipFor(ins, ['loginHistory']);
    if (skip) return skip;
    // Not read (no user found, or an inspector that does not read it): nothing to report.
    if (!ins.loginHistory) return undefined;
    const rows = ins.loginHistory;
    const since = probeStartOnOrgClock(ctx);
    const entries = loginHistoryEntries(rows, since, answeredRequests(ctx));
    ctx.facts.loginHistory = entries;
    const username = ins.user.username;
    const probed = since !== undefined;
    if (entries.length === 0) {
      return {
        status: 'pass',
        detail: text(probed ? 'detail.loginHistoryNoneThisRun' : 'detail.loginHistoryNone', { username }),
      };
    }
    const current = entries.filter((e) => e.thisRun);
    // Salesforce's record of this run's attempts, else the older ones (saying so).
    const considered = current.length > 0 ? current : entries;
    const header = text(
      current.length > 0
        ? 'detail.loginHistoryThisRun'
        : probed
          ? 'detail.loginHistoryOlder'
          : 'detail.loginHistoryNoProbe',
      {
        username,
        count: String(entries.length),
        thisRun: String(current.length),
      },
    );
    // The rows themselves are listed once, under "What Salesforce recorded" (render/human.ts); here the deciding one.
    const detail = [header];
    if (considered.some((e) => statusKey(e.status) === SUCCESS) && current.length > 0) {
      return {
        status: 'pass',
        detail: [...detail, line(current.find((e) => statusKey(e.status) === SUCCESS)!)].join('\n'),
      };
    }
    const mapped = considered.find((e) => STATUS_CAUSES[statusKey(e.status)]);
    if (!mapped) {
      const failed = considered.find((e) => statusKey(e.status) !== SUCCESS);
      if (failed) detail.push(line(failed), text('detail.loginHistoryUnknownStatus', { status: failed.status }));
      // An unknown failure of this run is shown, never guessed at; an older one next to a working login is history.
      return { status: failed && !loginWorks(ctx) ? 'warn' : 'pass', detail: detail.join('\n') };
    }
    const meaning = STATUS_CAUSES[statusKey(mapped.status)];
    const params = { username };
    const summary = text('summary.userLoginHistory.recorded', {
      status: mapped.status,
      username,
      loginTime: mapped.loginTime,
      application: mapped.application ? ` (${mapped.application})` : '',
      meaning: text(meaning.meaning),
    });
    detail.push(
      line(mapped),
      text('detail.loginHistoryMeaning', {
        status: mapped.status,
        meaning: text(meaning.meaning),
        source: meaning.source,
      }),
    );
    // Sf's attempts got a token this run: an older failure is history, not a finding.
    if (!mapped.thisRun && loginWorks(ctx)) return { status: 'pass', detail: detail.join('\n') };
    if (mapped.thisRun) {
      const detailed = DETAILED_BY[meaning.code];
      const weight = detailed && ctx.results.get(detailed)?.status === 'fail' ? ADMIN_WEIGHT : OBSERVED_WEIGHT;
      return fail(ctx, detail.join('\n'), { code: meaning.code, fix: meaning.fix, params, summary, weight });
    }
    const outcome: CheckOutcome = {
      status: 'warn',
      detail: detail.join('\n'),
      cause: {
        code: meaning.code,
        confidence: 'likely',
        weight: OLDER_WEIGHT,
        fix: meaning.fix,
        params,
        summary: text('summary.userLoginHistory', { summary }),
      },
    };
    return outcome;
  },
};
