/*
 * Applies a fix plan through the admin connection (@salesforce/core's Connection), one step after another — later
 * steps refer to records earlier ones created — and stops at the first failure. Every record it creates is listed
 * with the command that undoes it. Requests go through the inspector's transport (each has its own timeout, a cut
 * answer is an error, never a crash); a write whose answer never arrived whole may still have been committed, so its
 * failure says so instead of guessing either way.
 */
import type { FieldValue, FixPlan } from '../doctor/fix/plan.js';
import { describeStep, undoCommand } from '../doctor/fix/plan.js';
import type { FixReport } from '../doctor/types.js';
import { openAdminConnection } from './adminConnection.js';
import { InspectorRequestError, makeInspectorTransport, useInspectorTransport } from './inspectorTransport.js';

type SaveResult = { id?: string; success?: boolean; errors?: Array<{ message?: string }> };

function soqlValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export type ApplyOptions = { /** Per request, as --timeout. */ timeoutMs: number };

/** An answer that did not arrive whole: the org may have acted on the request. */
const UNCERTAIN = new Set(['TRUNCATED', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_SOCKET', 'NOT_JSON']);

function failureText(error: unknown, write: boolean): string {
  const message = (error as Error).message;
  if (write && error instanceof InspectorRequestError && UNCERTAIN.has(error.errorCode)) {
    return `${message}; the change may have been made: check the org before running --fix again`;
  }
  return message;
}

export async function applyFixPlan(plan: FixPlan, adminOrg: string, options: ApplyOptions): Promise<FixReport> {
  const report: FixReport = {
    mode: 'applied',
    steps: plan.steps.map((s) => ({ description: s.description, command: describeStep(s, adminOrg), status: 'planned' })),
    undo: [],
    notes: plan.notes,
  };
  const { connection, origin } = await openAdminConnection(adminOrg);
  // Each request gets the full --timeout; the whole plan at most one per step (plus the lookups of a delete).
  const transport = makeInspectorTransport({ deadline: Date.now() + options.timeoutMs * (plan.steps.length * 2 + 1), perRequestMs: options.timeoutMs, origin });
  useInspectorTransport(connection, transport);
  const created = new Map<string, string>();
  const resolve = (v: FieldValue): string => (typeof v === 'string' ? v : created.get(v.ref) ?? '');

  try {
    for (const [index, step] of plan.steps.entries()) {
      const entry = report.steps[index];
      let writing = false;
      try {
        if (step.action === 'create') {
          const fields = Object.fromEntries(Object.entries(step.fields ?? {}).map(([k, v]) => [k, resolve(v)]));
          writing = true;
          // eslint-disable-next-line no-await-in-loop -- each step may need the id the previous one created.
          const saved = (await connection.sobject(step.sobject).create(fields)) as SaveResult;
          if (!saved.success || !saved.id) throw new Error(saved.errors?.map((e) => e.message).join('; ') || 'not created');
          created.set(step.id, saved.id);
          entry.recordId = saved.id;
          report.undo.unshift(undoCommand(step.sobject, saved.id, adminOrg));
        } else {
          const where = Object.entries(step.match ?? {}).map(([k, v]) => `${k} = ${soqlValue(v)}`).join(' AND ');
          // eslint-disable-next-line no-await-in-loop -- the lookup the delete needs
          const found = await connection.query<{ Id: string }>(`SELECT Id FROM ${step.sobject} WHERE ${where} LIMIT 1`);
          const id = found.records[0]?.Id;
          if (id) {
            entry.recordId = id;
            writing = true;
            // eslint-disable-next-line no-await-in-loop -- the delete of what the lookup found
            await connection.sobject(step.sobject).destroy(id);
          }
        }
        entry.status = 'applied';
      } catch (error) {
        entry.status = 'failed';
        entry.error = failureText(error, writing);
        report.mode = 'failed';
        for (const rest of report.steps.slice(index + 1)) rest.status = 'skipped';
        break;
      }
    }
  } finally {
    transport.close();
  }
  return report;
}
