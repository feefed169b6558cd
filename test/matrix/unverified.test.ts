/*
 * Robust under every plausible Salesforce (issue 10, point 4): every scenario under every value of every unverified
 * option of the simulator, one option at a time, wherever the option changes what the org answers; in every cell the
 * doctor's verdict agrees with @salesforce/core's own JWT login against that org and its cause is the org's (or
 * `likely` with the org's among the alternatives), with and without --admin-org. How cells are chosen and judged:
 * unverifiedMatrix.ts. Cells known to fail: knownOpen.ts (may only shrink).
 */
import { expect } from 'chai';
import { BEHAVIOUR_VARIANTS, DEFAULT_BEHAVIOUR, listScenarios, loadScenario } from '../../simulator/index.js';
import { KNOWN_OPEN } from './knownOpen.js';
import { describeCell, OPTIONS, scenarioMatrix, variantsOf, type ScenarioMatrix } from './unverifiedMatrix.js';

const SCENARIOS = listScenarios()
  .map(({ name }) => loadScenario(name))
  .filter((s) => s.login && s.expect);
const MODES = ['no admin', '--admin-org'];

describe('unverified-behaviour matrix: every scenario under every value of every unverified option', function () {
  this.timeout(120_000);
  const done: ScenarioMatrix[] = [];
  const started = Date.now();

  it('BEHAVIOUR_VARIANTS lists every option of the simulator, each with its default and another value', () => {
    expect(Object.keys(BEHAVIOUR_VARIANTS).sort()).to.deep.equal(Object.keys(DEFAULT_BEHAVIOUR).sort());
    for (const option of OPTIONS) {
      const values = BEHAVIOUR_VARIANTS[option] as readonly unknown[];
      expect(values, option).to.include(DEFAULT_BEHAVIOUR[option]);
      expect(new Set(values).size, option).to.be.greaterThan(1);
    }
  });

  it('KNOWN_OPEN names only cells this matrix has, once each', () => {
    const names = new Set(SCENARIOS.map((s) => s.name));
    for (const key of KNOWN_OPEN) {
      const [pair, scenario, mode] = key.split(' | ');
      const [option, value] = pair.split('=');
      expect(names.has(scenario), key).to.equal(true);
      expect(MODES, key).to.include(mode);
      if (pair !== 'base')
        expect(
          variantsOf(loadScenario(scenario)).map((v) => `${v.option}=${String(v.value)}`),
          key,
        ).to.include(`${option}=${value}`);
    }
    expect(new Set(KNOWN_OPEN).size).to.equal(KNOWN_OPEN.length);
  });

  for (const scenario of SCENARIOS) {
    const name = scenario.name!;
    it(`${name}: ${scenario.expect!.cause ?? 'healthy'} under every Salesforce`, async () => {
      const matrix = await scenarioMatrix(name);
      done.push(matrix);
      const failing = [...matrix.baseline, ...matrix.cells].filter((c) => c.problems.length > 0);
      const open = KNOWN_OPEN.filter((k) => k.split(' | ')[1] === name);
      expect(failing.filter((c) => !open.includes(c.key)).map(describeCell), 'failing cells').to.deep.equal([]);
      expect(
        open.filter((k) => !failing.some((c) => c.key === k)),
        'KNOWN_OPEN cells that now hold or no longer run (remove them from knownOpen.ts)',
      ).to.deep.equal([]);
    });
  }

  after(() => {
    if (done.length === 0) return;
    const values = OPTIONS.reduce((n, o) => n + BEHAVIOUR_VARIANTS[o].length, 0);
    const pairs = done.reduce((n, m) => n + m.unchanged.length + m.cells.length / MODES.length, 0);
    const unchanged = done.reduce((n, m) => n + m.unchanged.length, 0);
    const cells = done.reduce((n, m) => n + m.cells.length, 0);
    const baseline = done.reduce((n, m) => n + m.baseline.length, 0);
    const failing = done.reduce(
      (n, m) => n + [...m.baseline, ...m.cells].filter((c) => c.problems.length > 0).length,
      0,
    );
    console.log(
      `      unverified matrix: ${OPTIONS.length} options with ${values} values; ${done.length} scenarios × the values other than ` +
        `their own = ${pairs} (option=value, scenario) pairs: ${pairs - unchanged} change an answer (${cells} cells run, ` +
        `with and without --admin-org), ${unchanged} unchanged (not run); plus ${baseline} baseline cells; ` +
        `${failing} failing (${KNOWN_OPEN.length} known open); ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
