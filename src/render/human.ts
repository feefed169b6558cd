/*
 * Human output: checks grouped by area with ✓ ! ✗ – glyphs, the token attempts, then the root cause and numbered fix
 * steps last, and a one-line verdict. Decides nothing: it prints the result the engine built.
 */
import type { CheckResult, CheckStatus, FixReport, JwtDoctorResult } from '../doctor/types.js';
import { has, text } from '../doctor/text.js';

const GLYPH: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };

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

function indent(lines: string[], by = '  '): string[] {
  return lines.map((l) => (l ? by + l : l));
}

export function renderHuman(result: JwtDoctorResult, options: { offline: boolean; verbose?: boolean }): string[] {
  const out: string[] = [];
  const username = result.inputs.find((i) => i.name === 'username')?.value ?? '?';
  const url = result.inputs.find((i) => i.name === 'instance-url')?.value ?? '?';
  out.push(text('render.header', { username: JSON.stringify(username).slice(1, -1), instanceUrl: url }), '');

  const groups = new Map<string, CheckResult[]>();
  for (const c of result.checks) {
    const g = groupOf(c.id);
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  for (const [group, checks] of groups) {
    out.push(groupTitle(group));
    for (const c of checks) {
      out.push(`  ${GLYPH[c.status]} ${c.title}`);
      // Quiet on success: what passed or was skipped shows its detail only with --verbose.
      if (options.verbose || c.status === 'fail' || c.status === 'warn')
        out.push(...indent(c.detail.split('\n'), '      '));
    }
    out.push('');
  }

  if (result.attempts.length > 0) {
    out.push(text('render.attempts', { count: String(result.attempts.length) }));
    for (const a of result.attempts) {
      const glyph = a.outcome === 'success' ? GLYPH.pass : GLYPH.fail;
      const what =
        a.outcome === 'success'
          ? `HTTP ${a.httpStatus ?? 200}`
          : [a.error, a.errorDescription].filter(Boolean).join(': ');
      out.push(`  ${glyph} ${a.loginUrl} (aud ${a.audience})  ${what}  ${a.ms} ms`);
    }
    out.push('');
  }

  out.push(...renderLoginHistory(result, username));

  if (result.ignoredFlags.length > 0)
    out.push(text('render.ignoredFlags', { flags: result.ignoredFlags.join(', ') }), '');

  if (result.cause) {
    out.push(text('render.rootCause', { confidence: result.cause.confidence, summary: result.cause.summary }));
    if (result.cause.alternatives.length > 0) {
      out.push(`  ${text('render.alternatives', { codes: result.cause.alternatives.join(', ') })}`);
    }
    out.push('');
  }
  result.fixes.forEach((fix, index) => {
    out.push(index === 0 ? `${text('render.tryThis')} ${fix.title}` : `${text('render.alsoFix')} ${fix.title}`);
    fix.steps.forEach((step, i) => out.push(`  ${i + 1}. ${step}`));
    for (const cmd of fix.commands) out.push(`     $ ${cmd}`);
    for (const link of fix.links) out.push(`     ${link}`);
    out.push('');
  });
  if (result.loginCommand && result.verdict !== 'inconclusive' && result.verdict !== 'pass') {
    out.push(text('render.loginCommand'), `  ${result.loginCommand}`, '');
  }

  if (result.fix) out.push(...renderFixPlan(result.fix), '');

  const c = counts(result.checks);
  const code = result.cause?.code ?? '';
  const key = result.verdict === 'pass' && options.offline ? 'passOffline' : result.verdict;
  out.push(text(`render.verdict.${key}`, { counts: c, code }));
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
function renderLoginHistory(result: JwtDoctorResult, username: string): string[] {
  const rows = result.loginHistory;
  if (!rows) {
    const check = result.checks.find((c) => c.id === 'user.login-history');
    return check?.status === 'skip' ? [text('render.loginHistoryPermission', { reason: check.detail }), ''] : [];
  }
  if (rows.length === 0) return [];
  const out = [text('render.loginHistory', { username: JSON.stringify(username).slice(1, -1) })];
  for (const r of rows) {
    const glyph = r.status.trim().toLowerCase() === 'success' ? GLYPH.pass : GLYPH.fail;
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
