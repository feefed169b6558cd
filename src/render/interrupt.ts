/*
 * What an interrupt (SIGINT/SIGTERM) prints. Before --fix touched the org: one line. During or after it: the fix's
 * steps as they stand — applied, already there, may have been made (a write still on its way) — with their undo
 * commands, on stderr, and with --json the partial result (the diagnosis and that fix) on stdout.
 */
import type { FixReport, JwtDoctorResult } from '../doctor/types.js';
import { text } from '../doctor/text.js';
import { renderFixPlan } from './human.js';

/** The fix run so far (the live report of fixApply.ts) and the diagnosis it started from. */
export type FixProgress = { result: JwtDoctorResult; fix: FixReport };

/** The live report frozen as interrupted: steps not reached are skipped. A finished fix stays as it ended. */
export function interruptedFix(fix: FixReport): FixReport {
  const inFlight = text('fix.inFlight');
  const running = fix.steps.some(
    (s) => s.status === 'planned' || (s.status === 'may-have-been-made' && s.error === inFlight),
  );
  if (!running) return structuredClone(fix);
  return {
    ...structuredClone(fix),
    mode: 'interrupted',
    steps: fix.steps.map((s) => (s.status === 'planned' ? { ...s, status: 'skipped' } : { ...s })),
  };
}

export function interruptOutput(
  signal: string,
  exitCode: number,
  progress: FixProgress | undefined,
  json: boolean,
): { stderr: string[]; stdout?: string } {
  if (!progress) return { stderr: [text('interrupted', { signal })] };
  const fix = interruptedFix(progress.fix);
  const stderr = [text('interruptedFix', { signal }), ...renderFixPlan(fix)];
  if (!json) return { stderr };
  const envelope = {
    status: exitCode,
    result: { ...progress.result, fix },
    warnings: [text('interruptedFix', { signal })],
  };
  return { stderr, stdout: `${JSON.stringify(envelope, null, 2)}\n` };
}
