/*
 * Applies a fix plan through the admin connection (@salesforce/core's Connection), one step after another — later
 * steps refer to records earlier ones created — and stops at the first failure. Idempotent: before a create, the
 * record the step would make is looked up by its `reuse` fields; one already there (an earlier, partial run made it)
 * is reused, never created twice. Every record it creates is listed with the command that undoes it. Requests go
 * through the inspector's transport (each has its own timeout, a cut answer is an error, never a crash); a write whose
 * answer never arrived whole (5xx, cut connection, timeout) may still have been committed: that step says so, with
 * the command that undoes it if it was.
 *
 * The report is live: `onStart` hands it over before the first request, and while a write is on its way its step
 * already reads `may-have-been-made` (with its undo), so an interrupt can report exactly what may have changed.
 */
import type { FieldValue, FixPlan, FixStep } from '../doctor/fix/plan.js';
import { describeStep, undoCommand, undoWhere } from '../doctor/fix/plan.js';
import type { FixReport, FixStepReport } from '../doctor/types.js';
import { text } from '../doctor/text.js';
import { openAdminConnection } from './adminConnection.js';
import {
  InspectorRequestError,
  makeInspectorTransport,
  useInspectorTransport,
  type InspectorTransport,
} from './inspectorTransport.js';

type SaveResult = { id?: string; success?: boolean; errors?: Array<{ message?: string }> };

function soqlValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export type ApplyOptions = {
  /** Per request, as --timeout. */
  timeoutMs: number;
  /** Receives the live report before the first request (for an interrupt's report). */
  onStart?: (report: FixReport) => void;
};

/** An answer that did not arrive whole: the org may have acted on the request. */
const UNCERTAIN = new Set([
  'TRUNCATED',
  'ETIMEDOUT',
  'ECONNRESET',
  'UND_ERR_SOCKET',
  'NOT_JSON',
  'EPIPE',
  'CONNECTION_FAILED',
]);

/** Whether a failed write may still have been committed: its answer was a 5xx or never arrived whole. */
export function mayHaveCommitted(error: unknown, lastStatus: number | undefined): boolean {
  if (error instanceof InspectorRequestError) return UNCERTAIN.has(error.errorCode);
  return lastStatus !== undefined && lastStatus >= 500;
}

/** Remembers the status of the last answer, which jsforce's error for it does not carry. */
function watchStatus(transport: InspectorTransport): { transport: InspectorTransport; last: () => number | undefined } {
  let status: number | undefined;
  return {
    last: () => status,
    transport: {
      httpRequest(req) {
        status = undefined;
        const promise = transport.httpRequest(req);
        promise.then((res) => (status = res.statusCode)).catch(() => undefined);
        return promise;
      },
      close: () => transport.close(),
      redirects: transport.redirects,
    },
  };
}

function firstLine(error: unknown, lastStatus: number | undefined): string {
  // jsforce's text for an HTML answer spans lines and a page of advice: the status says it.
  const message = (error as Error).message ?? String(error);
  if (lastStatus !== undefined && lastStatus >= 500 && !(error instanceof InspectorRequestError)) {
    return text('fix.httpStatus', {
      status: String(lastStatus),
      code: String((error as { errorCode?: string }).errorCode ?? ''),
    });
  }
  return message.split('\n')[0];
}

export async function applyFixPlan(plan: FixPlan, adminOrg: string, options: ApplyOptions): Promise<FixReport> {
  const report: FixReport = {
    mode: 'applied',
    steps: plan.steps.map((s) => ({
      description: s.description,
      command: describeStep(s, adminOrg),
      status: 'planned',
    })),
    undo: [],
    notes: plan.notes,
  };
  options.onStart?.(report);
  const { connection, origin } = await openAdminConnection(adminOrg);
  // Each request gets the full --timeout; the whole plan at most two per step (the lookup and the write) plus one.
  const watched = watchStatus(
    makeInspectorTransport({
      deadline: Date.now() + options.timeoutMs * (plan.steps.length * 2 + 1),
      perRequestMs: options.timeoutMs,
      origin,
    }),
  );
  useInspectorTransport(connection, watched.transport);
  const ids = new Map<string, string>();
  const resolve = (v: FieldValue): string => (typeof v === 'string' ? v : (ids.get(v.ref) ?? ''));
  const resolved = (values: Record<string, FieldValue> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, resolve(v)]));
  const find = async (step: FixStep, values: Record<string, string>): Promise<string | undefined> => {
    const where = Object.entries(values)
      .map(([k, v]) => `${k} = ${soqlValue(v)}`)
      .join(' AND ');
    const found = await connection.query<{ Id: string }>(`SELECT Id FROM ${step.sobject} WHERE ${where} LIMIT 1`);
    return found.records[0]?.Id;
  };

  try {
    for (const [index, step] of plan.steps.entries()) {
      const entry = report.steps[index];
      // The command with the ids earlier steps made or found: what a person would run, not a template.
      entry.command = describeStep(step, adminOrg, ids);
      let writing = false;
      try {
        if (step.action === 'create') {
          const fields = resolved(step.fields);
          // eslint-disable-next-line no-await-in-loop -- each step may need the id the previous one created.
          const existing = step.reuse ? await find(step, resolved(step.reuse)) : undefined;
          if (existing) {
            ids.set(step.id, existing);
            entry.recordId = existing;
            entry.status = 'already-there';
            continue;
          }
          // While the write is on its way, it may have been made: an interrupt reports it so, with its undo.
          writing = true;
          markInFlight(entry, report, undoWhere(step.sobject, step.reuse ? resolved(step.reuse) : fields, adminOrg));
          // eslint-disable-next-line no-await-in-loop -- each step may need the id the previous one created.
          const saved = (await connection.sobject(step.sobject).create(fields)) as SaveResult;
          if (!saved.success || !saved.id)
            // An empty list of errors says no more than none.
            throw new Error(saved.errors?.length ? saved.errors.map((e) => e.message).join('; ') : 'not created');
          ids.set(step.id, saved.id);
          entry.recordId = saved.id;
          report.undo[0] = undoCommand(step.sobject, saved.id, adminOrg);
        } else {
          // eslint-disable-next-line no-await-in-loop -- the lookup the delete needs
          const id = await find(step, step.match ?? {});
          if (id) {
            entry.recordId = id;
            writing = true;
            markInFlight(entry, report);
            // eslint-disable-next-line no-await-in-loop -- the delete of what the lookup found
            await connection.sobject(step.sobject).destroy(id);
          }
        }
        entry.status = 'applied';
        delete entry.error;
      } catch (error) {
        const uncertain = writing && mayHaveCommitted(error, watched.last());
        entry.status = uncertain ? 'may-have-been-made' : 'failed';
        entry.error = uncertain
          ? text('fix.mayHaveBeenMade', { error: firstLine(error, watched.last()) })
          : firstLine(error, watched.last());
        // A create that certainly failed made nothing to undo.
        if (writing && !uncertain && step.action === 'create') report.undo.shift();
        report.mode = 'failed';
        for (const rest of report.steps.slice(index + 1)) rest.status = 'skipped';
        break;
      }
    }
  } finally {
    watched.transport.close();
  }
  return report;
}

function markInFlight(entry: FixStepReport, report: FixReport, undo?: string): void {
  entry.status = 'may-have-been-made';
  entry.error = text('fix.inFlight');
  if (undo) report.undo.unshift(undo);
}
