import { expect } from 'chai';
import type { Check } from '../../src/doctor/check.js';
import type { Adapters, DoctorInputs } from '../../src/doctor/context.js';
import { runChecks } from '../../src/doctor/engine.js';

const inputs: DoctorInputs = {
  instanceUrl: { value: 'https://login.salesforce.com', source: 'default', origin: 'sf default' },
  offline: false,
  timeoutMs: 1000,
};
const adapters = { now: () => 0, probe: async () => ({}) } as unknown as Adapters;

function check(
  id: string,
  status: 'pass' | 'warn' | 'fail' | undefined,
  needs: string[] = [],
  mode: Check['mode'] = 'local',
): Check {
  return {
    id,
    group: 'inputs',
    needs,
    mode,
    evidence: 'observed',
    run: () => (status ? { status, detail: `${id} ${status}` } : undefined),
  };
}

async function run(checks: Check[], overrides: Partial<DoctorInputs> = {}, a: Adapters = adapters) {
  const { runs } = await runChecks({
    checks,
    inputs: { ...inputs, ...overrides },
    adapters: a,
    title: (id) => `title of ${id}`,
    skipReason: (needed, title) => `needs ${needed} (${title})`,
  });
  return runs.map((r) => `${r.result.id}:${r.result.status}`);
}

describe('engine: the check graph', () => {
  it('traces check order, outcome and time through the debug adapter (--dev-debug)', async () => {
    const lines: string[] = [];
    let clock = 0;
    const traced = { now: () => (clock += 5), debug: (line: string) => lines.push(line) } as unknown as Adapters;
    await run([check('a', 'fail'), check('b', 'pass', ['a']), check('c', undefined)], {}, traced);
    expect(lines).to.deep.equal(['a: fail in 5 ms', 'b: skip (needs a)', 'c: not applicable in 5 ms']);
  });

  it('runs checks in order and keeps each result', async () => {
    expect(await run([check('a', 'pass'), check('b', 'warn', ['a'])])).to.deep.equal(['a:pass', 'b:warn']);
  });

  it('skips a check whose prerequisite failed, naming it', async () => {
    const { runs } = await runChecks({
      checks: [check('a', 'fail'), check('b', 'pass', ['a']), check('c', 'pass', ['b'])],
      inputs,
      adapters,
      title: (id) => `T(${id})`,
      skipReason: (needed, title) => `needs ${needed} = ${title}`,
    });
    expect(runs.map((r) => r.result.status)).to.deep.equal(['fail', 'skip', 'skip']);
    expect(runs[1].result.detail).to.equal('needs a = T(a)');
    expect(runs[2].result.detail).to.equal('needs b = T(b)');
  });

  it("gives every result an evidence value: the outcome's, else the check's (a skip too)", async () => {
    const labelled: Check = {
      id: 'a',
      group: 'app',
      needs: [],
      mode: 'local',
      evidence: 'documented',
      run: () => ({ status: 'fail', detail: '', evidence: 'inferred' }),
    };
    const plain: Check = { ...check('b', 'pass'), evidence: 'documented' };
    const { runs } = await runChecks({
      checks: [labelled, plain, { ...check('c', 'pass', ['a']), evidence: 'observed' }],
      inputs,
      adapters,
      title: (id) => id,
      skipReason: () => 'skip',
    });
    expect(runs.map((r) => `${r.result.id}:${r.result.status}:${r.result.evidence}`)).to.deep.equal([
      'a:fail:inferred',
      'b:pass:documented',
      'c:skip:observed',
    ]);
  });

  it('runs a check after a warning prerequisite', async () => {
    expect(await run([check('a', 'warn'), check('b', 'pass', ['a'])])).to.deep.equal(['a:warn', 'b:pass']);
  });

  it('runs the checks after a failure sf goes past (a URL with a page path: its fallback pairs may still work)', async () => {
    const goesOn: Check = {
      id: 'a',
      group: 'url',
      needs: [],
      mode: 'local',
      evidence: 'documented',
      run: () => ({ status: 'fail', detail: 'path', sfGoesOn: true }),
    };
    expect(await run([goesOn, check('b', 'pass', ['a'])])).to.deep.equal(['a:fail', 'b:pass']);
  });

  it('leaves out checks that do not apply, and checks that need them', async () => {
    expect(await run([check('a', undefined), check('b', 'pass', ['a']), check('c', 'pass')])).to.deep.equal(['c:pass']);
  });

  it('leaves network checks out offline and admin checks out without --admin-org', async () => {
    const checks = [check('l', 'pass'), check('n', 'pass', [], 'network'), check('x', 'pass', [], 'admin')];
    expect(await run(checks, { offline: true })).to.deep.equal(['l:pass']);
    expect(await run(checks)).to.deep.equal(['l:pass', 'n:pass']);
    const withInspect = { ...adapters, inspect: async () => ({}) } as unknown as Adapters;
    expect(
      await run(checks, { adminOrg: { value: 'admin', source: 'flag', origin: '--admin-org' } }, withInspect),
    ).to.deep.equal(['l:pass', 'n:pass', 'x:pass']);
  });

  it('gives later checks the facts earlier ones found', async () => {
    const writer: Check = {
      id: 'w',
      group: 'key',
      needs: [],
      mode: 'local',
      evidence: 'observed',
      run: (ctx) => {
        ctx.facts.storedAuth = { requested: 'x', found: true, isJwt: true };
        return { status: 'pass', detail: '' };
      },
    };
    const reader: Check = {
      id: 'r',
      group: 'key',
      needs: ['w'],
      mode: 'local',
      evidence: 'observed',
      run: (ctx) => ({ status: ctx.facts.storedAuth?.found ? 'pass' : 'fail', detail: '' }),
    };
    expect(await run([writer, reader])).to.deep.equal(['w:pass', 'r:pass']);
  });
});

describe('engine: no key given (inputs.keyless, the one switch)', () => {
  const keyChecks = (): Check[] => [
    check('input', 'pass'),
    { ...check('key.parse', 'pass'), probe: 'key' },
    { ...check('send', 'pass', ['key.parse'], 'network'), probe: 'key' },
    { ...check('answers', 'fail', ['send'], 'network'), probe: 'answers' },
    check('setup', 'fail', [], 'admin'),
  ];

  async function keyless(facts = {}) {
    const { runs } = await runChecks({
      checks: keyChecks(),
      inputs: { ...inputs, keyless: true, adminOrg: { value: 'admin', source: 'flag', origin: '--admin-org' } },
      adapters: { ...adapters, inspect: async () => ({}) } as unknown as Adapters,
      title: (id) => id,
      skipReason: (needed) => `needs ${needed}`,
      noKeyReason: 'no key given',
      initialFacts: facts,
    });
    return runs.map((r) => `${r.result.id}:${r.result.status}:${r.result.detail}`);
  }

  it('skips every check that needs the key or its answers with the reason, and runs the rest', async () => {
    expect(await keyless()).to.deep.equal([
      'input:pass:input pass',
      'key.parse:skip:no key given',
      'send:skip:no key given',
      'answers:skip:no key given',
      'setup:fail:setup fail',
    ]);
  });

  it('lets a check of the answers run when the answers came another way (facts.probe, as a log adapter gives them)', async () => {
    const lines = await keyless({ probe: { details: [] } });
    expect(lines).to.include('key.parse:skip:no key given');
    // It runs by its graph: here its prerequisite (the live request) did not, so it says that, not "no key given".
    expect(lines).to.include('answers:skip:needs send');
  });

  it('changes nothing without the switch', async () => {
    expect(
      await run(keyChecks(), { adminOrg: { value: 'a', source: 'flag', origin: '--admin-org' } }, {
        ...adapters,
        inspect: async () => ({}),
      } as unknown as Adapters),
    ).to.deep.equal(['input:pass', 'key.parse:pass', 'send:pass', 'answers:fail', 'setup:fail']);
  });
});
