/*
 * The first screen answers (issue 12): for every scenario of the simulated org, in-process, with and without
 * --admin-org where the scenario names an admin, the human output's first 24 lines hold the verdict line — for a
 * failing login also the root cause line and fix step 1, for a working one the "works" verdict. What the run found is
 * read from its exit code, not from the scenario (a scenario describes an org, never the answer).
 */
import { expect } from 'chai';
import { everyScenario } from '../helpers/everyScenario.js';

const SCREEN = 24;
const FAILS = /^✗ The JWT login fails: [A-Z_]+ — \S/;
const WORKS = /^[✓!] The JWT login works/;
const INCONCLUSIVE = /^\? Inconclusive/;
const ROOT_CAUSE = /^Root cause \((confirmed|likely, not confirmed)\): \S/;
const STEP_ONE = /^ {2}1\. \S/;

type Screen = { label: string; code: number; lines: string[]; all: number };

describe('human output: the first screen answers, every scenario', function () {
  this.timeout(600_000);
  const screens: Screen[] = [];

  before(async () => {
    for (const { label, run } of await everyScenario()) {
      const lines = run.stdout.split('\n');
      screens.push({ label, code: run.code ?? -1, lines: lines.slice(0, SCREEN), all: lines.length });
    }
  });

  it('ran every scenario with a login, each admin scenario twice, failing and working ones', () => {
    expect(screens.length).to.be.greaterThan(60);
    expect(screens.filter((s) => s.code === 0).length).to.be.greaterThan(3);
    expect(screens.filter((s) => s.code === 1).length).to.be.greaterThan(40);
    const longest = Math.max(...screens.map((s) => s.all));
    console.log(
      `      ${screens.length} runs: ${screens.filter((s) => s.code === 1).length} failing, ${screens.filter((s) => s.code === 0).length} working, ${screens.filter((s) => s.code === 3).length} inconclusive; longest output ${longest} lines`,
    );
  });

  it('a failing login: the verdict, the root cause and fix step 1 within the first 24 lines, in that order', () => {
    const bad = screens
      .filter((s) => s.code === 1)
      .flatMap(({ label, lines }) => {
        const verdict = lines.findIndex((l) => FAILS.test(l));
        const cause = lines.findIndex((l) => ROOT_CAUSE.test(l));
        const step = lines.findIndex((l) => STEP_ONE.test(l));
        if (verdict < 0 || cause < 0 || step < 0)
          return [`${label}: verdict ${verdict}, root cause ${cause}, step 1 ${step}\n${lines.join('\n')}`];
        return verdict < cause && cause < step ? [] : [`${label}: out of order ${verdict}, ${cause}, ${step}`];
      });
    expect(bad).to.deep.equal([]);
    const last = Math.max(
      ...screens.filter((s) => s.code === 1).map((s) => s.lines.findIndex((l) => STEP_ONE.test(l)) + 1),
    );
    // On a 100-column terminal that soft-wraps the long lines, step 1 still starts within the first 24 rows.
    const rows = (lines: string[]): number =>
      lines.reduce((n, l) => n + Math.max(1, Math.ceil([...l].length / 100)), 0);
    const stepRow = screens
      .filter((s) => s.code === 1)
      .map((s) => ({
        label: s.label,
        row:
          rows(
            s.lines.slice(
              0,
              s.lines.findIndex((l) => STEP_ONE.test(l)),
            ),
          ) + 1,
      }));
    expect(stepRow.filter((s) => s.row > SCREEN).map((s) => `${s.label}: step 1 at row ${s.row}`)).to.deep.equal([]);
    console.log(
      `      fix step 1 at line ${last} at the latest; at row ${Math.max(...stepRow.map((s) => s.row))} of a 100-column terminal`,
    );
  });

  it('a working login: the "works" verdict within the first 24 lines', () => {
    const bad = screens
      .filter((s) => s.code === 0)
      .filter((s) => !s.lines.some((l) => WORKS.test(l)))
      .map((s) => `${s.label}\n${s.lines.join('\n')}`);
    expect(bad).to.deep.equal([]);
  });

  it('an inconclusive run: the verdict within the first 24 lines', () => {
    const bad = screens
      .filter((s) => s.code === 3)
      .filter((s) => !s.lines.some((l) => INCONCLUSIVE.test(l)))
      .map((s) => `${s.label}\n${s.lines.join('\n')}`);
    expect(bad).to.deep.equal([]);
    expect(screens.filter((s) => ![0, 1, 3].includes(s.code)).map((s) => `${s.label}: exit ${s.code}`)).to.deep.equal(
      [],
    );
  });
});
