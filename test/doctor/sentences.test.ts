/*
 * Every sentence a user reads comes from messages/*.md with its placeholders filled. Over every scenario of the
 * simulated org, in-process: the command's --json result without --admin-org, and with it where the scenario names an
 * admin; then each result rendered as the human output (verbose) and the Markdown report. No rendered text may hold a
 * placeholder left unfilled (`{name}`), a value that never arrived (`undefined`, `[object Object]`, `NaN`) or a printf
 * token (`%s`).
 */
import { expect } from 'chai';
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { everyScenario } from '../helpers/everyScenario.js';
import { contradictions } from '../helpers/scenarioFacts.js';
import { HEDGED_COUNT, LEFTOVER, texts } from '../helpers/sentences.js';
import type { Scenario } from '../../simulator/index.js';

type Run = { label: string; result: JwtDoctorResult; scenario: Scenario };

describe('rendered sentences: every scenario, with and without --admin-org', function () {
  this.timeout(600_000);
  const runs: Run[] = [];

  before(async () => {
    for (const { label, run, scenario } of await everyScenario(['--json'])) {
      expect(run.json?.result, `${label}: ${run.stdout}${run.stderr}`).to.be.an('object');
      runs.push({ label, result: run.json!.result, scenario });
    }
  });

  it('ran every scenario with a login, and each admin scenario twice', () => {
    const causes = new Set(runs.map((r) => r.result.cause?.code).filter(Boolean));
    expect(runs.length).to.be.greaterThan(60);
    expect(causes.size).to.be.greaterThan(20);
    console.log(
      `      ${runs.length} results, ${causes.size} root causes, ${runs.reduce((n, r) => n + r.result.fixes.length, 0)} fixes rendered`,
    );
  });

  it('no rendered text holds an unfilled placeholder, undefined, [object Object], NaN or %s', () => {
    const bad = runs.flatMap(({ label, result }) =>
      texts(result)
        .filter(([, line]) => LEFTOVER.test(line))
        .map(([where, line]) => `${label} / ${where}: ${line}`),
    );
    expect(bad).to.deep.equal([]);
  });

  it('no rendered text hedges a count with "(s)": a count chooses its noun ({count:one|other})', () => {
    const bad = runs.flatMap(({ label, result }) =>
      texts(result)
        .filter(([, line]) => HEDGED_COUNT.test(line))
        .map(([where, line]) => `${label} / ${where}: ${line}`),
    );
    expect(bad).to.deep.equal([]);
  });

  it('every cause has a summary and every fix a title and steps', () => {
    const bad = runs.flatMap(({ label, result }) => [
      ...(result.cause && !result.cause.summary.trim() ? [`${label}: empty summary`] : []),
      ...result.fixes
        .filter((f) => !f.title.trim() || f.steps.length === 0)
        .map((f) => `${label}: fix "${f.title}" without steps`),
    ]);
    expect(bad).to.deep.equal([]);
  });

  it("no rendered sentence negates a fact of the scenario's org (grants, policy, user state, approvals)", () => {
    const bad = runs.flatMap(({ label, result, scenario }) =>
      texts(result).flatMap(([where, line]) =>
        contradictions(scenario, line).map(
          (v) => `${label} / ${where}: says "${v.claim}", the org does not: ${v.sentence}`,
        ),
      ),
    );
    expect(bad).to.deep.equal([]);
  });
});
