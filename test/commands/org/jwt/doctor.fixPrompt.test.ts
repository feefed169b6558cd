/*
 * The interactive --fix, in the order a person decides in: the diagnosis, then the plan headed as a plan, then the
 * question, then the outcome with the cause the fix set out from. The answer to the prompt is a unit-level fault the
 * simulator cannot make: SfCommand.prototype.confirm is stubbed, and stdin is a terminal for the run.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { startSimulator, type Simulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome } from '../../../helpers/cli.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../../helpers/adminOrg.js';
import { schemaErrors } from '../../../helpers/schema.js';
import { loginArgs } from '../../../helpers/loginArgs.js';

const SCENARIO = 'permset-granted-not-assigned';

const writes = (sim: Simulator): number => sim.requests.filter((r) => r.mutating).length;

describe('sf org jwt doctor --fix at a terminal', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let home: string;
  let confirm: sinon.SinonStub;

  beforeEach(async () => {
    sim = await startSimulator({ scenario: SCENARIO });
    home = tempHome();
    await storeAdminAuth(sim, home, { alias: 'admin' });
    confirm = sinon.stub(SfCommand.prototype, 'confirm');
  });
  afterEach(async () => {
    confirm.restore();
    removeDir(home);
    await sim.stop();
  });

  /** What had been written to stdout when the question was asked. */

  it('yes: diagnosis, plan (not "dry run"), question, then the result naming the original cause', async () => {
    let before = '';
    confirm.callsFake(() => {
      before = sim.requests.filter((r) => r.mutating).length === 0 ? 'no change yet' : 'changed before asking';
      process.stdout.write('<<ASKED>>\n');
      return Promise.resolve(true);
    });
    sim.clearLog();
    const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix'], {
      home,
      env: { ...sim.env, ...KEYCHAIN_ENV },
      stdinTty: true,
    });
    expect(confirm.callCount, run.stderr).to.equal(1);
    expect(before).to.equal('no change yet');
    expect(writes(sim)).to.be.greaterThan(0);
    const out = run.stdout;
    const rootCause = out.indexOf('Root cause (');
    const plan = out.indexOf('Fix plan (nothing has been changed yet)');
    const asked = out.indexOf('<<ASKED>>');
    const applied = out.indexOf('Fix applied:');
    const wasCause = out.indexOf('Before the fix (');
    expect(rootCause, out).to.be.greaterThan(-1);
    expect(plan, 'the plan follows the diagnosis').to.be.greaterThan(rootCause);
    expect(asked, 'the question follows the plan').to.be.greaterThan(plan);
    expect(applied, 'the result follows the question').to.be.greaterThan(asked);
    expect(wasCause, 'the original cause is kept in the result').to.be.greaterThan(applied);
    expect(out).to.not.include('dry run');
    expect(run.code).to.equal(0);
    // The diagnosis is printed once: the re-run's passing checks are not printed again after the outcome.
    expect(out.split('\n').filter((l) => l.startsWith('Root cause (')).length).to.equal(1);
  });

  it('no: the question comes after the plan, nothing changes, and the plan is said to be declined', async () => {
    confirm.resolves(false);
    sim.clearLog();
    const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix'], {
      home,
      env: { ...sim.env, ...KEYCHAIN_ENV },
      stdinTty: true,
    });
    expect(confirm.callCount).to.equal(1);
    expect(writes(sim)).to.equal(0);
    expect(run.stdout).to.include('Fix plan (nothing has been changed yet)');
    expect(run.stdout).to.include('declined: nothing was changed');
    expect(run.stdout.indexOf('Root cause (')).to.be.lessThan(run.stdout.indexOf('Fix plan (nothing'));
    expect(run.code).to.equal(1);
  });

  it('--fix --no-prompt --json: the post-fix result keeps the original verdict and cause under fix.before', async () => {
    const first = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--json'], {
      home,
      env: { ...sim.env, ...KEYCHAIN_ENV },
    });
    const original = first.json!.result;
    expect(original.verdict).to.equal('fail');
    const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--no-prompt', '--json'], {
      home,
      env: { ...sim.env, ...KEYCHAIN_ENV },
    });
    const result = run.json!.result;
    expect(schemaErrors(result)).to.deep.equal([]);
    expect(confirm.callCount).to.equal(0);
    expect(result.fix?.mode).to.equal('applied');
    expect(result.verdict).to.be.oneOf(['pass', 'warn']);
    expect(result.fix?.before?.verdict).to.equal('fail');
    expect(result.fix?.before?.cause?.code).to.equal(original.cause?.code);
    expect(result.fix?.before?.cause?.summary).to.equal(original.cause?.summary);
  });
});
