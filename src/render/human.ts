/*
 * Human output, in the order a person reads it: the verdict and the root cause (how sure, in words; the other possible
 * causes as short phrases), the numbered fix steps with each command under the step that refers to it, the login
 * command, then the checks — a passing group collapses to one line (--verbose shows every check), a failed or warning
 * check keeps its detail — the token attempts and LoginHistory. Colour (sf's StandardColors) only when asked for: a
 * TTY without NO_COLOR, never in a pipe or with --json. Decides nothing: it prints the result the engine built.
 */
import { StandardColors } from '@salesforce/sf-plugins-core';
import type { CheckResult, CheckStatus, Fix, FixReport, JwtDoctorResult, KeylessReport } from '../doctor/types.js';
import { has, text } from '../doctor/text.js';

const GLYPH: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };
/** The alternatives the human output names; the rest are counted (--json lists them all). */
const MAX_ALTERNATIVES = 3;

export type HumanOptions = {
  offline: boolean;
  verbose?: boolean;
  /** Colour and bold glyphs (sf's StandardColors): the command sets it for a TTY without NO_COLOR only. */
  color?: boolean;
  /** Wrap prose (root cause, alternatives, fix steps, check details) at this width; commands and URLs never wrap. */
  width?: number;
};

/**
 * Wraps `first + body` at spaces to `width`, the continuation lines under the body's start (a hanging indent). A word
 * longer than the line (a URL, a path) keeps its line whole; without a width the line is returned as it is.
 */
export function wrap(first: string, body: string, width: number | undefined): string[] {
  if (!width || first.length + body.length <= width) return [first + body];
  const hang = ' '.repeat(first.length);
  const out: string[] = [];
  let line = '';
  for (const word of body.split(' ')) {
    const lead = out.length === 0 ? first : hang;
    if (line && lead.length + line.length + 1 + word.length > width) {
      out.push(lead + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push((out.length === 0 ? first : hang) + line);
  return out;
}

type Paint = (status: CheckStatus | 'inconclusive', s: string) => string;

function painter(color: boolean | undefined): Paint {
  if (!color) return (_status, s) => s;
  return (status, s) =>
    status === 'fail'
      ? StandardColors.error(s)
      : status === 'warn' || status === 'inconclusive'
        ? StandardColors.warning(s)
        : status === 'pass'
          ? StandardColors.success(s)
          : StandardColors.info(s);
}

/** The group of a check is its id's first segment (`key.parse` → key). */
export function groupOf(id: string): string {
  const head = id.split('.')[0];
  return head === 'input' ? 'inputs' : head === 'probe' ? 'token' : head;
}

function groupTitle(group: string): string {
  return has(`render.group.${group}`) ? text(`render.group.${group}`) : group;
}

export function counts(checks: CheckResult[]): string {
  const n = (s: CheckStatus): string => String(checks.filter((c) => c.status === s).length);
  return text('render.counts', { fail: n('fail'), warn: n('warn'), pass: n('pass'), skip: n('skip') });
}

/** A cause as a short phrase a person recognises (`cause.<CODE>.phrase`), the code itself when none is written. */
export function phraseOf(code: string): string {
  return has(`cause.${code}.phrase`) ? text(`cause.${code}.phrase`) : code;
}

/** A --from-log run: its attempts are sf's, read from the log, not requests the doctor sent. */
export function isFromLog(result: JwtDoctorResult): boolean {
  return result.inputs.some((i) => i.name === 'from-log');
}

/** The username and login URL the header names; a value a log does not show is said so (sf's default is no value). */
export function headerValues(result: JwtDoctorResult): { username: string; instanceUrl: string } {
  const fromLog = isFromLog(result);
  const missing = fromLog ? text('render.notInLog') : '?';
  const username = result.inputs.find((i) => i.name === 'username')?.value;
  const url = result.inputs.find((i) => i.name === 'instance-url');
  return {
    username: username === undefined || username === null ? missing : JSON.stringify(username).slice(1, -1),
    instanceUrl: !url?.value || (fromLog && url.source === 'default') ? missing : url.value,
  };
}

export function renderHuman(result: JwtDoctorResult, options: HumanOptions): string[] {
  const paint = painter(options.color);
  const out: string[] = [];
  const username = result.inputs.find((i) => i.name === 'username')?.value ?? '?';
  out.push(text('render.header', headerValues(result)), '');

  out.push(...renderAnswer(result, options, paint), '');
  // Without a key: what a run with it would add — the next step when nothing was found, a note after the fixes otherwise.
  const keyless = result.keyless ? [...keylessLines(result.keyless, options), ''] : [];
  if (!result.cause) out.push(...keyless);

  result.fixes.forEach((fix, index) => out.push(...renderFix(fix, index, options.width, result.cause?.summary), ''));
  if (result.cause) out.push(...keyless);
  if (result.loginCommand && result.verdict !== 'inconclusive' && result.verdict !== 'pass') {
    out.push(text('render.loginCommand'), `  ${result.loginCommand}`, '');
  }

  if (result.fix) out.push(...renderFixPlan(result.fix), '');

  out.push(...renderChecks(result.checks, options, paint));

  if (result.attempts.length > 0) {
    const fromLog = isFromLog(result);
    out.push(text(fromLog ? 'render.attemptsFromLog' : 'render.attempts', { count: String(result.attempts.length) }));
    for (const a of result.attempts) {
      const glyph = a.outcome === 'success' ? paint('pass', GLYPH.pass) : paint('fail', GLYPH.fail);
      const what =
        a.outcome === 'success'
          ? `HTTP ${a.httpStatus ?? 200}`
          : [a.error, a.errorDescription].filter(Boolean).join(': ');
      const loginUrl = a.loginUrl || text('phrase.fromLog.unknownLoginUrl');
      const audience = a.audience || text('phrase.fromLog.unknownAudience');
      // sf's attempts in a log carry no timing (ms is 0 in the JSON): none is shown.
      out.push(`  ${glyph} ${loginUrl} (aud ${audience})  ${what}${fromLog ? '' : `  ${a.ms} ms`}`);
    }
    out.push('');
  }
  if (result.tokenRequests > 0)
    out.push(
      text('render.tokenRequests', {
        count: String(result.tokenRequests),
        username: JSON.stringify(username).slice(1, -1),
      }),
      '',
    );

  out.push(...renderLoginHistory(result, username, paint));

  if (result.ignoredFlags.length > 0)
    out.push(text('render.ignoredFlags', { flags: result.ignoredFlags.join(', ') }), '');

  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** A run without the key: what a run with it would add (the causes only the token endpoint can decide). */
export function keylessLine(report: KeylessReport): string {
  return text('render.keyless', { phrases: report.onlyProbeDecides.map((c) => phraseOf(c)).join('; ') });
}

/** The keyless note, and with --verbose the causes only a run with the key can decide. */
function keylessLines(report: KeylessReport, options: HumanOptions): string[] {
  const causes = text('render.keylessCauses', { phrases: report.onlyProbeDecides.map((c) => phraseOf(c)).join('; ') });
  return [...wrap('', keylessLine(report), options.width), ...(options.verbose ? wrap('', causes, options.width) : [])];
}

/** The first lines: the verdict (with the cause as a phrase), the root cause with how sure it is, the alternatives. */
function renderAnswer(result: JwtDoctorResult, options: HumanOptions, paint: Paint): string[] {
  const cause = result.cause;
  const key = result.verdict === 'pass' && options.offline ? 'passOffline' : result.verdict;
  const lead =
    cause && (result.verdict === 'fail' || result.verdict === 'inconclusive')
      ? text(`render.lead.${result.verdict}`, { code: cause.code, phrase: phraseOf(cause.code) })
      : text(`render.lead.${key}${result.verdict === 'fail' || result.verdict === 'inconclusive' ? '.noCause' : ''}`);
  const status = result.verdict === 'inconclusive' ? 'inconclusive' : result.verdict;
  const out = wrap('', lead, options.width).map((line) => paint(status, line));
  if (cause) {
    // A login that works has no root cause: what it found is a warning.
    const label = result.verdict === 'pass' || result.verdict === 'warn' ? 'warningCause' : 'rootCause';
    out.push(...wrap('', text(`render.${label}.${cause.confidence}`, { summary: cause.summary }), options.width));
    if (cause.alternatives.length > 0) {
      // The most likely few (the list is in the diagnosis's order); --json keeps them all.
      const shown = cause.alternatives.slice(0, MAX_ALTERNATIVES).map((c) => phraseOf(c));
      const more = cause.alternatives.length - shown.length;
      if (more > 0) shown.push(text('render.alternatives.more', { count: String(more) }));
      out.push(...wrap('  ', text('render.alternatives.phrases', { phrases: shown.join('; ') }), options.width));
    }
  }
  return out;
}

/**
 * A fix: its title, then numbered steps, each command directly under the step that refers to it ("… below") — in
 * order, the last such step taking any extra — or, when no step refers to one, under the last step.
 */
/** A fix's reason (unnumbered) and its actions (numbered from 1): the reason is steps[0] when the fix has one. */
export function whyAndActions(fix: Fix): { why?: string; actions: string[] } {
  return fix.why !== undefined && fix.steps[0] === fix.why
    ? { why: fix.why, actions: fix.steps.slice(1) }
    : { actions: fix.steps };
}

/** Lower case words, without punctuation. */
function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Do two sentences say the same: one contains the other, or they share at least 80% of the shorter one's words. */
export function restates(a: string, b: string): boolean {
  const [wa, wb] = [words(a), words(b)];
  if (wa.length === 0 || wb.length === 0) return false;
  const [ja, jb] = [wa.join(' '), wb.join(' ')];
  if (ja.includes(jb) || jb.includes(ja)) return true;
  const [short, long] = wa.length <= wb.length ? [wa, new Set(wb)] : [wb, new Set(wa)];
  return short.filter((w) => long.has(w)).length >= 0.8 * short.length;
}

function renderFix(fix: Fix, index: number, width: number | undefined, rootCause?: string): string[] {
  const out = [index === 0 ? `${text('render.tryThis')} ${fix.title}` : `${text('render.alsoFix')} ${fix.title}`];
  const { why, actions } = whyAndActions(fix);
  // The first fix's reason is left out when it only says the root cause again (printed just above).
  if (why && !(index === 0 && rootCause !== undefined && restates(why, rootCause))) out.push(...wrap('  ', why, width));
  const referring = actions.map((s, i) => (/\bbelow\b/i.test(s) ? i : -1)).filter((i) => i >= 0);
  const commandsAt = new Map<number, string[]>();
  fix.commands.forEach((cmd, k) => {
    const at = referring.length > 0 ? referring[Math.min(k, referring.length - 1)] : actions.length - 1;
    commandsAt.set(at, [...(commandsAt.get(at) ?? []), cmd]);
  });
  // A URL a step sends the reader to ("open the URL below") stands under that step; other links close the fix.
  const urlStep = actions.findIndex((s) => /\bURL below\b/i.test(s));
  const linksHere = (i: number): string[] => (i === urlStep ? fix.links.filter((l) => /^https?:/.test(l)) : []);
  actions.forEach((step, i) => {
    out.push(...wrap(`  ${i + 1}. `, step, width));
    for (const cmd of commandsAt.get(i) ?? []) out.push(`     $ ${cmd}`);
    for (const link of linksHere(i)) out.push(`     ${link}`);
  });
  if (actions.length === 0) for (const cmd of fix.commands) out.push(`     $ ${cmd}`);
  const placed = urlStep >= 0 ? linksHere(urlStep) : [];
  for (const link of fix.links.filter((l) => !placed.includes(l))) out.push(`     ${link}`);
  return out;
}

function worst(checks: CheckResult[]): CheckStatus {
  for (const s of ['fail', 'warn', 'pass'] as const) if (checks.some((c) => c.status === s)) return s;
  return 'skip';
}

function tally(checks: CheckResult[]): string {
  return (['fail', 'warn', 'pass', 'skip'] as const)
    .map((s) => [s, checks.filter((c) => c.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => text(`render.tally.${s}`, { count: String(n) }))
    .join(', ');
}

/** The checks by area: a group without a failure or warning is one line; --verbose shows every check and detail. */
function renderChecks(checks: CheckResult[], options: HumanOptions, paint: Paint): string[] {
  if (checks.length === 0) return [];
  const groups = new Map<string, CheckResult[]>();
  for (const c of checks) {
    const g = groupOf(c.id);
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  const out = [text('render.checks', { counts: counts(checks) })];
  for (const [group, members] of groups) {
    const status = worst(members);
    out.push(
      `  ${paint(status, GLYPH[status])} ${text('render.group.line', { group: groupTitle(group), tally: tally(members) })}`,
    );
    if (!options.verbose && status !== 'fail' && status !== 'warn') continue;
    for (const c of members) {
      if (!options.verbose && c.status !== 'fail' && c.status !== 'warn') continue;
      out.push(`      ${paint(c.status, GLYPH[c.status])} ${c.title}`);
      for (const line of c.detail.split('\n')) {
        const [, lead, body] = /^(\s*)(.*)$/.exec(line)!;
        out.push(...(line ? wrap(`          ${lead}`, body, options.width) : ['']));
      }
    }
  }
  out.push('');
  return out;
}

const STEP_GLYPH = {
  planned: '•',
  applied: '✓',
  'already-there': '=',
  failed: '✗',
  'may-have-been-made': '?',
  skipped: '–',
} as const;

/** "What Salesforce recorded": the user's LoginHistory rows (with --admin-org), or why they could not be read. */
function renderLoginHistory(result: JwtDoctorResult, username: string, paint: Paint): string[] {
  const rows = result.loginHistory;
  if (!rows) {
    const check = result.checks.find((c) => c.id === 'user.login-history');
    return check?.status === 'skip' ? [text('render.loginHistoryPermission', { reason: check.detail }), ''] : [];
  }
  if (rows.length === 0) return [];
  const out = [text('render.loginHistory', { username: JSON.stringify(username).slice(1, -1) })];
  for (const r of rows) {
    const glyph = r.status.trim().toLowerCase() === 'success' ? paint('pass', GLYPH.pass) : paint('fail', GLYPH.fail);
    const where = [r.application, r.loginType, r.loginUrl, r.sourceIp].filter(Boolean).join(', ');
    out.push(`  ${r.thisRun ? '▸' : ' '} ${glyph} ${r.loginTime}  "${r.status}"${where ? `  ${where}` : ''}`);
  }
  out.push('');
  return out;
}

/**
 * The --fix plan (and, once applied, what happened and how to undo it). `asPlan`: the plan about to be confirmed or
 * applied, headed as a plan (its mode is still the dry run's until something happens).
 */
export function renderFixPlan(fix: FixReport, options: { asPlan?: boolean } = {}): string[] {
  const out = [text(options.asPlan ? 'render.fix.plan' : `render.fix.${fix.mode}`)];
  fix.steps.forEach((s) =>
    out.push(
      `  ${STEP_GLYPH[s.status]} ${s.description}${s.recordId ? ` (${s.recordId})` : ''}${s.error ? `: ${s.error}` : ''}`,
      `      $ ${s.command}`,
    ),
  );
  for (const note of fix.notes) out.push(`  ${note}`);
  if (fix.approvalUrl) out.push(`  ${fix.approvalUrl}`);
  if (fix.verified !== undefined)
    out.push(`  ${text(fix.verified ? 'render.fix.verified' : 'render.fix.notVerified')}`);
  if (fix.undo.length > 0) out.push(`  ${text('render.fix.undo')}`, ...fix.undo.map((u) => `      $ ${u}`));
  if (fix.mode === 'failed' || fix.mode === 'interrupted') out.push(`  ${text('fix.rerun')}`);
  return out;
}

/**
 * What a --fix that showed its diagnosis and plan first prints last: what happened, the cause it set out from
 * (fix.before), the cause that remains if any, and the verdict of the run after it.
 */
export function renderFixOutcome(result: JwtDoctorResult, options: { offline: boolean }): string[] {
  const fix = result.fix;
  if (!fix) return [];
  const out = fix.mode === 'declined' ? [text('render.fix.declined')] : renderFixPlan(fix);
  const before = fix.before;
  if (before?.cause)
    out.push(
      '',
      text('render.fix.before', {
        confidence: before.cause.confidence,
        summary: before.cause.summary,
        code: before.cause.code,
      }),
    );
  if (fix.mode === 'applied' && result.cause && result.verdict !== 'pass' && result.verdict !== 'warn')
    out.push(text('render.fix.causeNow', { confidence: result.cause.confidence, summary: result.cause.summary }));
  if (fix.mode === 'applied' && result.loginCommand && (result.verdict === 'pass' || result.verdict === 'warn'))
    out.push('', text('render.fix.loginNow'), `  ${result.loginCommand}`);
  const key = result.verdict === 'pass' && options.offline ? 'passOffline' : result.verdict;
  out.push('', text(`render.verdict.${key}`, { counts: counts(result.checks), code: result.cause?.code ?? '' }));
  return out;
}
