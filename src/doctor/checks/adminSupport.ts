/*
 * What the admin checks share: the inspection they read, the skip when the admin user cannot read an area (naming
 * the permission), the token endpoint's answer for cross-evidence, and `confirmed` proposals that outweigh the
 * probe's guesses (80 > 50) but not local certainty (85–95).
 */
import type { CauseCode, Confidence } from '../types.js';
import type { CauseProposal, Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import { classifyAnswer, mostSpecific } from '../causes.js';
import { text } from '../text.js';
import type { AppFacts, InspectionArea, OrgInspection, UserFacts } from '../../salesforce/inspection.js';

export const ADMIN_WEIGHT = 80;

/** What an inspection area reads, in words (`area.<name>` in the messages). */
const areaName = (area: InspectionArea): string => text(`area.${area}`);

export function inspection(ctx: DoctorContext): OrgInspection | undefined {
  return ctx.facts.org;
}

type AdminCheckDef = Omit<Check, 'mode' | 'run'>;
type AdminRun<T> = (ctx: DoctorContext, ins: OrgInspection, subject: T) => CheckOutcome | undefined;

/** An --admin-org check about the app the inspection found: it applies only once there is one. */
export function appCheck(def: AdminCheckDef, run: AdminRun<AppFacts>): Check {
  return { ...def, mode: 'admin', run: (ctx) => withInspection(ctx, (ins) => ins.app, run) };
}

/** An --admin-org check about the user the inspection found: it applies only once there is one. */
export function userCheck(def: AdminCheckDef, run: AdminRun<UserFacts>): Check {
  return { ...def, mode: 'admin', run: (ctx) => withInspection(ctx, (ins) => ins.user, run) };
}

/**
 * An --admin-org check that finds what it then reads about: skipped, with the reason, when the admin org is another
 * org or `unread` says the inspection could not read what it needs.
 */
export function orgCheck(
  def: AdminCheckDef,
  unread: (ins: OrgInspection) => CheckOutcome | undefined,
  run: AdminRun<OrgInspection>,
): Check {
  return {
    ...def,
    mode: 'admin',
    run(ctx) {
      const ins = inspection(ctx);
      if (!ins) return undefined;
      return otherOrgSkip(ins) ?? unread(ins) ?? run(ctx, ins, ins);
    },
  };
}

function withInspection<T>(
  ctx: DoctorContext,
  subject: (ins: OrgInspection) => T | undefined,
  run: AdminRun<T>,
): CheckOutcome | undefined {
  const ins = inspection(ctx);
  const found = ins && subject(ins);
  return ins && found ? run(ctx, ins, found) : undefined;
}

/** A `skip` naming what could not be read and the permission that would allow it; undefined when all areas read. */
export function skipFor(ins: OrgInspection, areas: InspectionArea[]): CheckOutcome | undefined {
  const area = areas.find((a) => ins.errors[a]);
  if (!area) return undefined;
  const e = ins.errors[area]!;
  const params = {
    adminUser: ins.adminUsername ?? ins.adminOrg,
    what: areaName(area),
    code: e.code,
    message: e.message,
    permission: e.permission ?? '',
  };
  return { status: 'skip', detail: text(e.permission ? 'skip.adminPermission' : 'skip.adminError', params) };
}

/** The other org the admin connection reaches, when org.connection found it is not the org being diagnosed. */
export function otherOrgSkip(ins: OrgInspection): CheckOutcome | undefined {
  return ins.otherOrg ? { status: 'skip', detail: text('skip.adminOtherOrg', { reason: ins.otherOrg }) } : undefined;
}

/** The most specific token-endpoint answer (causes.ts catalogue id), when the probe got answers. */
export function probeAnswer(ctx: DoctorContext): string | undefined {
  const answered = ctx.facts.probe?.details.filter((d) => d.outcome === 'error' && !d.nonJson && !d.network) ?? [];
  return mostSpecific(answered)?.entry.id;
}

export function loginWorks(ctx: DoctorContext): boolean {
  return ctx.facts.probe?.details.some((d) => d.outcome === 'success') ?? false;
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The token endpoint's JSON answers (or tokens) at the given hosts: what Salesforce itself said there. */
export function answersAt(
  ctx: DoctorContext,
  hosts: Array<string | undefined>,
): NonNullable<DoctorContext['facts']['probe']>['details'] {
  const wanted = new Set(hosts.map(hostOf).filter(Boolean));
  return (
    ctx.facts.probe?.details.filter(
      (d) => wanted.has(hostOf(d.loginUrl)) && !d.nonJson && !d.network && !d.throttled,
    ) ?? []
  );
}

/**
 * What the token endpoint at the org's own host (its My Domain) said about the consumer key. Any answer Salesforce
 * gives after looking the key up proves the org knows it; "client identifier invalid" proves it does not. Answers that
 * may come before the lookup (audience, org state, grant type, throttling) or name no app prove nothing.
 */
export type KeyAtOrgHost = { knows: boolean; host: string; answer: string };

const PROVES_NOTHING = new Set([
  'eca-not-installed',
  'org-inactive',
  'https-required',
  'rate-limited',
  'unsupported-grant',
  'unknown',
]);
const saysUnknownKey = (d: { error?: string; errorDescription?: string }): boolean =>
  classifyAnswer(d).code === 'CLIENT_ID_INVALID';

export function keyAtOrgHost(ctx: DoctorContext, ins: OrgInspection): KeyAtOrgHost | undefined {
  const host = hostOf(ins.myDomainUrl);
  if (!host) return undefined;
  const at = (ctx.facts.probe?.details ?? []).filter((d) => hostOf(d.loginUrl) === host);
  if (at.some((d) => d.outcome === 'success')) return { knows: true, host, answer: text('answer.token') };
  const answered = at.filter((d) => d.outcome === 'error' && !d.nonJson && !d.network && !d.throttled);
  const said = (d: (typeof answered)[number]): string => [d.error, d.errorDescription].filter(Boolean).join(': ');
  const unknown = answered.find(saysUnknownKey);
  if (unknown) return { knows: false, host, answer: said(unknown) };
  const proof = answered.find(
    (d) =>
      !saysUnknownKey(d) && classifyAnswer(d).code !== 'AUDIENCE_INVALID' && !PROVES_NOTHING.has(classifyAnswer(d).id),
  );
  return proof ? { knows: true, host, answer: said(proof) } : undefined;
}

/** The app was not identified by its consumer key (its key could not be read): findings about it are `likely`. */
export function appGuessed(ins: OrgInspection | undefined): boolean {
  return Boolean(ins?.app && !(ins.app.foundBy ?? ['metadata']).includes('metadata'));
}

export type AdminCause = {
  code: CauseCode;
  fix: string;
  summary: string;
  params?: Record<string, string>;
  alternatives?: CauseCode[];
  /** Below the default when another confirmed finding must be fixed first for this fix to show. */
  weight?: number;
  /** `likely` for a reading whose meaning no source confirms (its outcome's evidence is `inferred`). */
  confidence?: Confidence;
};

/**
 * A confirmed finding. When the token probe got a token all the same, the setup evidence cannot be the reason the
 * login fails: it becomes a low-weight warning (what may break next) instead of a root cause.
 */
export function fail(ctx: DoctorContext, detail: string, c: AdminCause): CheckOutcome {
  const works = loginWorks(ctx);
  // A finding about the app found only as the likely owner of an unreadable key is as sure as that guess.
  const aboutGuessedApp = appGuessed(ctx.facts.org) && c.params?.appName === ctx.facts.org?.app?.name;
  const cause: CauseProposal = {
    code: c.code,
    confidence: c.confidence ?? (aboutGuessedApp ? 'likely' : 'confirmed'),
    weight: works ? 10 : (c.weight ?? ADMIN_WEIGHT),
    alternatives: c.alternatives,
    fix: c.fix,
    params: c.params,
    summary: c.summary,
  };
  return { status: works ? 'warn' : 'fail', detail, cause };
}

/** A warning about what will break next (weight low, so a real cause always wins). */
export function warn(detail: string, c: AdminCause, weight = 10): CheckOutcome {
  return {
    status: 'warn',
    detail,
    cause: {
      code: c.code,
      confidence: 'confirmed',
      weight,
      fix: c.fix,
      params: c.params,
      summary: c.summary,
      alternatives: c.alternatives,
    },
  };
}

export function kindName(app: AppFacts): string {
  return app.kind === 'ConnectedApp' ? 'Connected App' : 'External Client App';
}

/** Params every app fix text may use: names, and the Setup pages of this app (`# page.<kind>.<page>`). */
export function appParams(app: AppFacts): Record<string, string> {
  const base = { appName: app.name, appLabel: app.label ?? app.name, appKind: kindName(app) };
  const page = (name: string): string => text(`page.${app.kind}.${name}`, base);
  return {
    ...base,
    policyPage: page('policy'),
    accessPage: page('access'),
    certPage: page('certificate'),
    scopesPage: page('scopes'),
  };
}

export function list(items: string[], none = '(none)'): string {
  return items.length ? items.join(', ') : none;
}
