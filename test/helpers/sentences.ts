/*
 * The rules every rendered sentence keeps (test/doctor/sentences.test.ts, the --from-log output test): no placeholder
 * left unfilled (`{name}`), no value that never arrived (`undefined`, `[object Object]`, `NaN`), no printf token (`%s`),
 * no count hedged with "(s)". `texts` lists every text of a result a person reads, with both renderings.
 */
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { renderHuman } from '../../src/render/human.js';
import { renderMarkdown } from '../../src/render/markdown.js';

export const LEFTOVER = /\{[a-zA-Z]\w*(?::[^{}]*)?\}|\bundefined\b|\[object Object\]|\bNaN\b|%[sd]\b/;
export const HEDGED_COUNT = /\w\(s\)/;

/** Every text of a result a person reads: cause, checks, fixes, and both renderings. */
export function texts(result: JwtDoctorResult): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (result.cause) out.push(['cause.summary', result.cause.summary]);
  for (const c of result.checks) out.push([`check ${c.id} title`, c.title], [`check ${c.id} detail`, c.detail]);
  result.fixes.forEach((f, i) =>
    out.push(
      [`fix ${i} title`, f.title],
      ...[...f.steps, ...f.commands, ...f.links].map((line): [string, string] => [`fix ${i} (${f.title})`, line]),
    ),
  );
  renderHuman(result, { offline: false, verbose: true }).forEach((line) => out.push(['human', line]));
  renderMarkdown(result, { offline: false, version: '0.0.0', now: new Date(0) })
    .split('\n')
    .forEach((line) => out.push(['markdown', line]));
  return out;
}

/** The texts of a result that break a rule, as `label / where: line`. */
export function badTexts(label: string, result: JwtDoctorResult, rule: RegExp): string[] {
  return texts(result)
    .filter(([, line]) => rule.test(line))
    .map(([where, line]) => `${label} / ${where}: ${line}`);
}
