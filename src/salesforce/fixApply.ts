/*
 * Applies a fix plan through the admin connection (@salesforce/core's Connection), one step after another — later
 * steps refer to records earlier ones created — and stops at the first failure. Every record it creates is listed
 * with the command that undoes it.
 */
import type { FieldValue, FixPlan } from '../doctor/fix/plan.js';
import { describeStep, undoCommand } from '../doctor/fix/plan.js';
import type { FixReport } from '../doctor/types.js';
import { openAdminConnection } from './adminConnection.js';

type SaveResult = { id?: string; success?: boolean; errors?: Array<{ message?: string }> };

function soqlValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export async function applyFixPlan(plan: FixPlan, adminOrg: string): Promise<FixReport> {
  const report: FixReport = {
    mode: 'applied',
    steps: plan.steps.map((s) => ({ description: s.description, command: describeStep(s, adminOrg), status: 'planned' })),
    undo: [],
    notes: plan.notes,
  };
  const { connection } = await openAdminConnection(adminOrg);
  const created = new Map<string, string>();
  const resolve = (v: FieldValue): string => (typeof v === 'string' ? v : created.get(v.ref) ?? '');

  for (const [index, step] of plan.steps.entries()) {
    const entry = report.steps[index];
    try {
      if (step.action === 'create') {
        const fields = Object.fromEntries(Object.entries(step.fields ?? {}).map(([k, v]) => [k, resolve(v)]));
        // eslint-disable-next-line no-await-in-loop -- each step may need the id the previous one created.
        const saved = (await connection.sobject(step.sobject).create(fields)) as SaveResult;
        if (!saved.success || !saved.id) throw new Error(saved.errors?.map((e) => e.message).join('; ') || 'not created');
        created.set(step.id, saved.id);
        entry.recordId = saved.id;
        report.undo.unshift(undoCommand(step.sobject, saved.id, adminOrg));
      } else {
        const where = Object.entries(step.match ?? {}).map(([k, v]) => `${k} = ${soqlValue(v)}`).join(' AND ');
        // eslint-disable-next-line no-await-in-loop
        const found = await connection.query<{ Id: string }>(`SELECT Id FROM ${step.sobject} WHERE ${where} LIMIT 1`);
        const id = found.records[0]?.Id;
        if (id) {
          // eslint-disable-next-line no-await-in-loop
          await connection.sobject(step.sobject).destroy(id);
          entry.recordId = id;
        }
      }
      entry.status = 'applied';
    } catch (error) {
      entry.status = 'failed';
      entry.error = (error as Error).message;
      report.mode = 'failed';
      for (const rest of report.steps.slice(index + 1)) rest.status = 'skipped';
      break;
    }
  }
  return report;
}
