/*
 * Runs the check graph: each check after the ones it needs, in declaration order; a check whose prerequisite did not
 * pass (or warn) is `skip` with the reason, unless that failure is one sf goes past (`sfGoesOn`). Pure: all I/O comes through ctx.adapters.
 */
import type { Check, CheckOutcome } from './check.js';
import type { Adapters, DoctorContext, DoctorInputs, Facts } from './context.js';
import type { CheckResult } from './types.js';

export type CheckRun = { check: Check; result: CheckResult; outcome?: CheckOutcome };

export type EngineOptions = {
  checks: Check[];
  inputs: DoctorInputs;
  adapters: Adapters;
  /** Resolves a check's title (`# check.<id>` in the messages). */
  title: (id: string) => string;
  /** Resolves the skip reason for a check whose prerequisite did not pass. */
  skipReason: (needed: string, neededTitle: string) => string;
  /** Facts known before any check runs (the stored authorization read for --from-org). */
  initialFacts?: Facts;
  /** The skip reason of a check that needs the key when none was given (inputs.keyless). */
  noKeyReason?: string;
};

export type EngineRun = { runs: CheckRun[]; facts: Facts };

function modeSkipped(check: Check, inputs: DoctorInputs, adapters: Adapters): boolean {
  if (check.mode === 'network') return inputs.offline || !adapters.probe;
  if (check.mode === 'admin') return inputs.offline || !inputs.adminOrg || !adapters.inspect;
  return false;
}

/** No key given (inputs.keyless): the checks that need it, and those that read its answers when none were given. */
export function keyWithheld(check: Check, inputs: DoctorInputs, facts: Facts): boolean {
  if (!inputs.keyless || !check.probe) return false;
  return check.probe === 'key' || !facts.probe;
}

export async function runChecks(options: EngineOptions): Promise<EngineRun> {
  const { checks, inputs, adapters } = options;
  const results = new Map<string, CheckResult>();
  const facts: Facts = { ...options.initialFacts };
  const ctx: DoctorContext = { inputs, adapters, facts, results, deadline: adapters.now() + inputs.timeoutMs };
  const runs: CheckRun[] = [];
  const goesOn = new Set<string>();

  for (const check of checks)
    if (!modeSkipped(check, inputs, adapters) && !keyWithheld(check, inputs, facts)) check.start?.(ctx);

  for (const check of checks) {
    const title = options.title(check.id);
    // Network and admin checks are not part of this run at all (offline, or no --admin-org): leave them out.
    if (modeSkipped(check, inputs, adapters)) continue;
    if (keyWithheld(check, inputs, facts)) {
      const result: CheckResult = {
        id: check.id,
        title,
        status: 'skip',
        detail: options.noKeyReason ?? options.skipReason('key.file', options.title('key.file')),
        evidence: check.evidence,
      };
      results.set(check.id, result);
      runs.push({ check, result });
      adapters.debug?.(`${check.id}: skip (no key given)`);
      continue;
    }
    const blocker = check.needs.find((id) => {
      const r = results.get(id);
      return !r || (r.status !== 'pass' && r.status !== 'warn' && !goesOn.has(id));
    });
    if (blocker !== undefined) {
      const neededTitle = results.get(blocker)?.title ?? options.title(blocker);
      const result: CheckResult = {
        id: check.id,
        title,
        status: 'skip',
        detail: options.skipReason(blocker, neededTitle),
        evidence: check.evidence,
      };
      // A prerequisite that never ran (not applicable) leaves nothing to report.
      if (results.has(blocker)) {
        results.set(check.id, result);
        runs.push({ check, result });
        adapters.debug?.(`${check.id}: skip (needs ${blocker})`);
      }
      continue;
    }
    const started = adapters.now();
    // Sequential on purpose: the graph is ordered, later checks read facts earlier ones left.
    // eslint-disable-next-line no-await-in-loop -- see above
    const outcome = await check.run(ctx);
    adapters.debug?.(`${check.id}: ${outcome?.status ?? 'not applicable'} in ${adapters.now() - started} ms`);
    if (!outcome) continue;
    const result: CheckResult = {
      id: check.id,
      title,
      status: outcome.status,
      detail: outcome.detail,
      evidence: outcome.evidence ?? check.evidence,
    };
    results.set(check.id, result);
    if ((outcome.status === 'fail' || outcome.status === 'skip') && outcome.sfGoesOn) goesOn.add(check.id);
    runs.push({ check, result, outcome });
  }
  return { runs, facts };
}
