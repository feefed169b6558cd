/*
 * The human report as Markdown, safe to paste into a ticket (--report-file): every string of the result is masked
 * first (mask.ts), then laid out as the human renderer does — inputs, checks grouped by area, token requests, root
 * cause, numbered fix steps with commands in code blocks — and a footer naming the plugin version and date.
 * Decides nothing: it prints the result the engine built.
 */
import type { CheckResult, CheckStatus, JwtDoctorResult } from '../doctor/types.js';
import { has, list, text } from '../doctor/text.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../packageInfo.js';
import { counts, groupOf, isFromLog, keylessLine, whyAndActions } from './human.js';
import { createMasker, maskDeep } from '../knowledge/mask.js';

export type MarkdownOptions = {
  offline: boolean;
  /** Defaults to this package's version. */
  version?: string;
  /** Defaults to now. */
  now?: Date;
};

const GLYPH: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };

/**
 * Prose: the punctuation Markdown would act on is escaped, so `c*@a***.com` or `<callback URL>` print as written.
 * Underscores inside words (USER_NOT_APPROVED) are left alone: GFM never reads them as emphasis.
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*<[]/g, '\\$&').replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

/** Inline code, with a fence longer than any backtick run inside. */
export function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

function codeBlock(lines: string[], language = 'sh'): string[] {
  const longest = Math.max(2, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}

/** A table cell: one line, pipes escaped (also inside code spans, as GFM tables require). */
function cell(value: string): string {
  return value.replace(/\r?\n/g, '<br>').replace(/\|/g, '\\|');
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(escapeMarkdown).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

function groupTitle(group: string): string {
  return has(`render.group.${group}`) ? text(`render.group.${group}`) : group;
}

/** Links as autolinks when they are plain URLs, else as code (never as clickable masked text). */
function link(value: string): string {
  return /^https?:\/\/[^\s<>]+$/.test(value) ? `<${value}>` : code(value);
}

function inputsSection(result: JwtDoctorResult): string[] {
  const rows = result.inputs.map((i) => [
    code(i.name),
    i.value === null || i.value === '' ? escapeMarkdown(text('report.empty')) : code(i.value),
    `${i.source} (${code(i.origin)})`,
  ]);
  return [`## ${escapeMarkdown(text('report.inputs'))}`, '', ...table(list('report.columns.inputs'), rows), ''];
}

function checksSection(checks: CheckResult[]): string[] {
  const groups = new Map<string, CheckResult[]>();
  for (const c of checks) groups.set(groupOf(c.id), [...(groups.get(groupOf(c.id)) ?? []), c]);
  const out = [`## ${escapeMarkdown(text('report.checks'))}`, ''];
  for (const [group, members] of groups) {
    const rows = members.map((c) => [
      `${GLYPH[c.status]} ${c.status}`,
      escapeMarkdown(c.title),
      escapeMarkdown(c.detail),
    ]);
    out.push(`### ${escapeMarkdown(groupTitle(group))}`, '', ...table(list('report.columns.checks'), rows), '');
  }
  return out;
}

function attemptsSection(result: JwtDoctorResult): string[] {
  if (result.attempts.length === 0) return [];
  // sf's attempts read from a CI log: headed as such, with no timing column (the log has none).
  const fromLog = isFromLog(result);
  const rows = result.attempts.map((a, i) => {
    const answer =
      a.outcome === 'success'
        ? `HTTP ${a.httpStatus ?? 200}`
        : [a.error, a.errorDescription].filter(Boolean).join(': ');
    const status = a.httpStatus && a.outcome !== 'success' ? ` (HTTP ${a.httpStatus})` : '';
    return [
      String(i + 1),
      code(a.loginUrl),
      code(a.audience),
      `${GLYPH[a.outcome === 'success' ? 'pass' : 'fail']} ${escapeMarkdown(answer)}${status}`,
      ...(fromLog ? [] : [String(a.ms)]),
    ];
  });
  const title = text(fromLog ? 'render.attemptsFromLog' : 'render.attempts', { count: String(result.attempts.length) });
  const columns = list(fromLog ? 'report.columns.logAttempts' : 'report.columns.attempts');
  return [`## ${escapeMarkdown(title)}`, '', ...table(columns, rows), ''];
}

function causeSection(result: JwtDoctorResult): string[] {
  if (!result.cause) return [];
  const { code: causeCode, confidence, summary, alternatives } = result.cause;
  const out = [
    `## ${escapeMarkdown(text('report.rootCause'))}`,
    '',
    text('report.cause', {
      code: `**${causeCode}**`,
      confidence: escapeMarkdown(confidence),
      summary: escapeMarkdown(summary),
    }),
  ];
  if (alternatives.length > 0)
    out.push('', escapeMarkdown(text('render.alternatives', { codes: alternatives.join(', ') })));
  return [...out, ''];
}

function fixesSection(result: JwtDoctorResult): string[] {
  if (result.fixes.length === 0) return [];
  const out = [`## ${escapeMarkdown(text('report.fixes'))}`, ''];
  result.fixes.forEach((fix, index) => {
    out.push(`### ${index + 1}. ${escapeMarkdown(fix.title)}`, '');
    const { why, actions } = whyAndActions(fix);
    if (why) out.push(escapeMarkdown(why), '');
    actions.forEach((step, i) => out.push(`${i + 1}. ${escapeMarkdown(step)}`));
    if (actions.length > 0) out.push('');
    if (fix.commands.length > 0) out.push(escapeMarkdown(text('report.commands')), '', ...codeBlock(fix.commands), '');
    for (const l of fix.links) out.push(`- ${link(l)}`);
    if (fix.links.length > 0) out.push('');
  });
  return out;
}

export function renderMarkdown(unmasked: JwtDoctorResult, options: MarkdownOptions): string {
  const input = (name: string): string | undefined => unmasked.inputs.find((i) => i.name === name)?.value ?? undefined;
  const mask = createMasker({
    usernames: [input('username')],
    clientIds: [input('client-id')],
    keyPaths: [input('jwt-key-file')],
  });
  const result = maskDeep(unmasked, mask);
  // A value a CI log does not show (--from-log) is said so; sf's default URL is no value the log showed.
  const fromLog = isFromLog(result);
  const shown = (name: string): string => {
    const value = result.inputs.find((i) => i.name === name);
    if (value?.value && !(fromLog && value.source === 'default')) return code(value.value);
    return fromLog ? escapeMarkdown(text('render.notInLog')) : code('?');
  };

  const verdictKey = result.verdict === 'pass' && options.offline ? 'passOffline' : result.verdict;
  const verdict = text(`render.verdict.${verdictKey}`, {
    counts: counts(result.checks),
    code: result.cause?.code ?? '',
  });
  const out: string[] = [
    `# ${escapeMarkdown(text('report.title'))}`,
    '',
    text('report.subject', { username: shown('username'), instanceUrl: shown('instance-url') }),
    '',
    `**${escapeMarkdown(verdict)}**`,
    '',
    ...inputsSection(result),
    ...checksSection(result.checks),
    ...attemptsSection(result),
    ...causeSection(result),
    ...(result.keyless ? [escapeMarkdown(keylessLine(result.keyless)), ''] : []),
    ...fixesSection(result),
  ];
  if (result.loginCommand && result.verdict !== 'inconclusive' && result.verdict !== 'pass') {
    out.push(escapeMarkdown(text('render.loginCommand')), '', ...codeBlock([result.loginCommand]), '');
  }
  if (result.ignoredFlags.length > 0)
    out.push(escapeMarkdown(text('render.ignoredFlags', { flags: result.ignoredFlags.join(', ') })), '');

  const date = (options.now ?? new Date()).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const footer = text('report.footer', { plugin: PACKAGE_NAME, version: options.version ?? PACKAGE_VERSION, date });
  out.push('---', '', `_${escapeMarkdown(footer)}_`, '');
  return out.join('\n');
}
