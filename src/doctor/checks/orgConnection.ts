/*
 * org.connection: the --admin-org connection and whose org it reaches. `start` begins the inspection before the graph
 * runs, so it overlaps the token probe. The loud part: an admin org that is not the org being diagnosed (a production
 * admin for a sandbox login, say) would make every org-side finding about the wrong org, so the other admin checks
 * skip and this one warns.
 */
import type { Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import { text } from '../text.js';
import type { OrgInspection } from '../../salesforce/inspection.js';
import { classifyAnswer } from '../causes.js';

/**
 * Token endpoint answers that name a state of the user (inactive, locked or frozen, outside its IP ranges, not
 * pre-authorized, …): Salesforce gave them about a user it found, so the user exists in the org the login reached.
 */
const NAMES_THE_USER = new Set(['user-inactive', 'user-locked', 'ip-restricted', 'not-admin-approved']);

function userKnownToLogin(ctx: DoctorContext): string | undefined {
  const d = ctx.facts.probe?.details.find(
    (x) => x.outcome === 'error' && !x.nonJson && !x.network && NAMES_THE_USER.has(classifyAnswer(x).id),
  );
  return d ? [d.error, d.errorDescription].filter(Boolean).join(': ') : undefined;
}

function myDomainKey(url: string | undefined, ctx: DoctorContext): string | undefined {
  if (!url) return undefined;
  const c = ctx.adapters.classifyUrl(url);
  return c.myDomainName ? `${c.myDomainName}${c.sandboxName ? `--${c.sandboxName}` : ''}`.toLowerCase() : undefined;
}

/** Why the admin org is another org than the one the login targets; undefined when it is (or may be) the same. */
export function otherOrgReason(ctx: DoctorContext, ins: OrgInspection): string | undefined {
  const orgId = ins.orgId?.slice(0, 15);
  const tokenOrg = ctx.facts.probe?.details
    .find((d) => d.outcome === 'success' && d.idUrl)
    ?.idUrl?.split('/')
    .slice(-2)[0]
    ?.slice(0, 15);
  if (orgId && tokenOrg) return tokenOrg === orgId ? undefined : text('phrase.otherOrg.tokenOrg', { tokenOrg, orgId });
  // Usernames are unique across all of Salesforce: the user's presence settles it, and so does its absence when the
  // login's own org answered about that user.
  if (ins.user) return undefined;
  const known = ins.errors.user ? undefined : userKnownToLogin(ctx);
  if (known)
    return text('phrase.otherOrg.userUnknown', {
      answer: known,
      username: ctx.inputs.username?.value ?? text('phrase.otherOrg.theUser'),
    });
  const url = ctx.adapters.classifyUrl(ctx.inputs.instanceUrl.value);
  const orgKind = ins.org?.kind;
  const given = myDomainKey(ctx.inputs.instanceUrl.value, ctx);
  const admins = myDomainKey(ins.myDomainUrl, ctx);
  if (given && admins && given !== admins)
    return text('phrase.otherOrg.otherMyDomain', {
      instanceUrl: ctx.inputs.instanceUrl.value,
      myDomainUrl: ins.myDomainUrl,
    });
  const sandboxRealm = orgKind === 'sandbox' || orgKind === 'scratch';
  if (url.kind === 'test' && orgKind && !sandboxRealm) return text('phrase.otherOrg.testVsProduction', { orgKind });
  if (url.kind === 'login' && sandboxRealm) return text('phrase.otherOrg.loginVsSandbox', { orgKind });
  return undefined;
}

/** One line per area the admin user could not read, with the permission it needs (the checks that need it skip). */
function unreadable(ins: OrgInspection): string[] {
  return Object.entries(ins.errors)
    .filter(([area]) => area !== 'connection')
    .map(([area, e]) =>
      text('detail.orgConnectionUnreadable', { area, code: e.code, permission: e.permission ?? e.message }),
    );
}

function describe(ins: OrgInspection): string {
  const org = ins.org;
  const what = org
    ? `${org.name} (${org.id}, ${org.organizationType ?? 'unknown edition'}, ${org.kind}${org.instanceName ? `, instance ${org.instanceName}` : ''})`
    : `org ${ins.orgId ?? 'unknown'}`;
  return text('detail.orgConnection', {
    org: what,
    adminUser: ins.adminUsername ?? ins.adminOrg,
    myDomainUrl: ins.myDomainUrl ?? 'unknown',
    requests: String(ins.requests),
    rounds: String(ins.rounds),
  });
}

/** The redirects the admin org answered, refused (safety rule 6): named, whatever else the reads say. */
function redirectLine(ins: OrgInspection): string | undefined {
  const list = ins.redirects ?? [];
  if (list.length === 0) return undefined;
  const each = [...new Set(list.map((r) => `HTTP ${r.status} ${r.method} ${r.path} → ${r.location}`))];
  return text('detail.orgConnectionRedirect', { count: String(list.length), redirects: each.join('; ') });
}

/** Codes of a read the admin org never answered (the run's deadline, a request or connect timeout). */
const NO_ANSWER = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function unusable(ins: OrgInspection): CheckOutcome | undefined {
  const e = ins.errors.connection;
  // Opening the connection outlasted the run's deadline: nothing was read, and that is no cause of the login's.
  if (e?.code === 'ETIMEDOUT') return { status: 'fail', detail: e.message, inconclusive: true };
  if (e) {
    const fix = e.code === 'NO_AUTH' ? 'admin-org-not-found' : 'admin-org-unusable';
    return {
      status: 'fail',
      detail: e.message,
      // Low weight, and inconclusive: an unusable --admin-org is a problem of this run, never the JWT login's root
      // cause, so it never turns a run that could not decide (an org out of reach) into a verdict of fail.
      inconclusive: true,
      cause: {
        code: 'STORED_AUTH_INVALID',
        confidence: 'confirmed',
        weight: 5,
        fix,
        params: { adminOrg: ins.adminOrg, error: e.message },
        summary: text('summary.orgConnection.adminOrgUnusable', { adminOrg: ins.adminOrg, error: e.message }),
      },
    };
  }
  const read = ins.errors.identity && ins.errors.organization;
  if (!read) return undefined;
  const err = ins.errors.organization!;
  if (NO_ANSWER.has(err.code) && NO_ANSWER.has(ins.errors.identity!.code)) {
    // A hung admin org (or the path to it): the run's verdict cannot rest on its setup, and says which host it was.
    return {
      status: 'fail',
      inconclusive: true,
      detail: text('detail.orgConnectionNoAnswer', {
        host: ins.adminHost ?? ins.adminOrg,
        adminUser: ins.adminUsername ?? ins.adminOrg,
        code: err.code,
        areas: Object.keys(ins.errors)
          .sort()
          .map((area) => text(`area.${area}`))
          .join('; '),
      }),
    };
  }
  const session = /INVALID_SESSION_ID|Bad_OAuth_Token|expired/i.test(`${err.code} ${err.message}`);
  return {
    status: 'fail',
    // As above: a stale admin session says nothing about the JWT login.
    inconclusive: session,
    detail: text('detail.orgConnectionFailed', {
      adminUser: ins.adminUsername ?? ins.adminOrg,
      code: err.code,
      message: err.message,
    }),
    cause: session
      ? {
          code: 'STORED_AUTH_INVALID',
          confidence: 'confirmed',
          weight: 5,
          fix: 'admin-org-unusable',
          params: { adminOrg: ins.adminOrg, error: err.message },
          summary: text('summary.orgConnection.STORED_AUTH_INVALID', { adminOrg: ins.adminOrg }),
        }
      : undefined,
  };
}

export const orgConnection: Check = {
  id: 'org.connection',
  group: 'org',
  needs: [],
  mode: 'admin',
  // observed: the admin org's API answers (userinfo, Organization, the errors of each read).
  evidence: 'observed',
  start(ctx) {
    const inspect = ctx.adapters.inspect;
    if (!inspect || !ctx.inputs.adminOrg) return;
    // LoginHistory is read after the token probe, so the probe's own attempts are in it (inspector.ts,
    // readLoginHistory). The graph runs the probe (network.token-endpoint) before this check's run(), so run() opens
    // the gate: by then every token request of this run has been answered.
    let endLoginAttempts = (): void => undefined;
    const loginAttemptsOver = new Promise<void>((resolve) => (endLoginAttempts = resolve));
    ctx.facts.endLoginAttempts = endLoginAttempts;
    ctx.facts.orgPending = inspect({
      loginAttemptsOver,
      adminOrg: ctx.inputs.adminOrg.value,
      username: ctx.inputs.username?.value ?? '',
      clientId: ctx.inputs.clientId?.value ?? '',
      instanceUrl: ctx.inputs.instanceUrl.value,
      deadline: ctx.deadline,
    });
    // Awaited in run(); a rejection before then must not surface as an unhandled one.
    ctx.facts.orgPending.catch(() => undefined);
  },
  async run(ctx) {
    if (!ctx.inputs.adminOrg) return undefined;
    ctx.facts.endLoginAttempts?.();
    let ins: OrgInspection;
    try {
      ins = await (ctx.facts.orgPending ?? Promise.reject(new Error('the inspection was not started')));
    } catch (error) {
      return {
        status: 'fail',
        detail: text('detail.orgConnection.inspectionFailed', { reason: (error as Error).message }),
      };
    }
    ctx.facts.org = ins;
    const redirected = redirectLine(ins);
    const bad = unusable(ins);
    if (bad) return redirected ? { ...bad, detail: `${redirected}\n${bad.detail}` } : bad;
    const other = otherOrgReason(ctx, ins);
    if (other) {
      ins.otherOrg = other;
      return {
        status: 'warn',
        detail: text('detail.orgConnectionOtherOrg', {
          reason: other,
          adminUser: ins.adminUsername ?? ins.adminOrg,
          org: ins.org?.name ?? ins.orgId ?? '',
        }),
      };
    }
    if (redirected) return { status: 'warn', detail: [redirected, describe(ins), ...unreadable(ins)].join('\n') };
    return { status: 'pass', detail: [describe(ins), ...unreadable(ins)].join('\n') };
  },
};
