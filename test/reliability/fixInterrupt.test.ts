/*
 * An interrupt during --fix (issue 11, item 7): what the signal handler prints from the fix's live report — the steps
 * done so far with their undo commands on stderr, and with --json the partial result (schema-valid) on stdout. A
 * write still on its way is reported as "may have been made", with its undo; steps not reached as skipped. The
 * process side (exit 130/143, no stack) is test/nuts/cli.nut.ts.
 */
import { expect } from 'chai';
import { interruptOutput, interruptedFix } from '../../src/render/interrupt.js';
import { text } from '../../src/doctor/text.js';
import type { FixReport, JwtDoctorResult } from '../../src/doctor/types.js';
import { schemaErrors } from '../helpers/schema.js';

const PS = 'sf data delete record --sobject PermissionSet --record-id 0PS000000000001AAA --target-org admin';
const SEA =
  'sf data delete record --sobject SetupEntityAccess --where "ParentId=0PS000000000001AAA SetupEntityId=0H4000000000001AAA" --target-org admin';

function diagnosis(): JwtDoctorResult {
  return {
    verdict: 'fail',
    cause: { code: 'USER_NOT_PREAUTHORIZED', summary: 'not pre-authorized', confidence: 'confirmed', alternatives: [] },
    checks: [],
    fixes: [],
    attempts: [],
    loginCommand: null,
    inputs: [],
    ignoredFlags: [],
    tokenRequests: 1,
  } as unknown as JwtDoctorResult;
}

/** The live report as fixApply.ts leaves it while step 2's write is on its way. */
function midFix(): FixReport {
  return {
    mode: 'applied',
    steps: [
      {
        description: 'Create permission set JWT_Login_CI',
        command: 'sf data create record …',
        status: 'applied',
        recordId: '0PS000000000001AAA',
      },
      {
        description: 'Grant CI to permission set JWT_Login_CI',
        command: 'sf data create record …',
        status: 'may-have-been-made',
        error: text('fix.inFlight'),
      },
      {
        description: 'Assign permission set JWT_Login_CI to ci@acme.com',
        command: 'sf data create record …',
        status: 'planned',
      },
    ],
    undo: [SEA, PS],
    notes: [],
  };
}

describe('reliability: an interrupt during --fix reports what it changed', () => {
  it('before --fix began: one line, nothing on stdout', () => {
    const out = interruptOutput('SIGINT', 130, undefined, true);
    expect(out.stdout).to.equal(undefined);
    expect(out.stderr).to.deep.equal([text('interrupted', { signal: 'SIGINT' })]);
    console.log('      no fix under way: 1 stderr line, no stdout');
  });

  it('mid-step: applied, may have been made (with its undo), skipped; the live report is not changed', () => {
    const live = midFix();
    const fix = interruptedFix(live);
    expect(fix.mode).to.equal('interrupted');
    expect(fix.steps.map((s) => s.status)).to.deep.equal(['applied', 'may-have-been-made', 'skipped']);
    expect(fix.undo).to.deep.equal([SEA, PS]);
    expect(live.steps[2].status, 'the live report stays as it was').to.equal('planned');

    const human = interruptOutput('SIGTERM', 143, { result: diagnosis(), fix: live }, false);
    const stderr = human.stderr.join('\n');
    expect(human.stdout).to.equal(undefined);
    expect(stderr).to.include('Interrupted by SIGTERM during --fix');
    expect(stderr).to.include('✓ Create permission set JWT_Login_CI (0PS000000000001AAA)');
    expect(stderr).to.match(/\? Grant CI to permission set JWT_Login_CI: interrupted before the org answered/);
    expect(stderr).to.include(`$ ${PS}`);
    expect(stderr).to.include(`$ ${SEA}`);
    expect(stderr).to.match(/– Assign permission set/);

    const json = interruptOutput('SIGINT', 130, { result: diagnosis(), fix: live }, true);
    const envelope = JSON.parse(json.stdout!) as { status: number; result: JwtDoctorResult; warnings: string[] };
    expect(envelope.status).to.equal(130);
    expect(schemaErrors(envelope.result)).to.deep.equal([]);
    expect(envelope.result.verdict).to.equal('fail');
    expect(envelope.result.fix?.mode).to.equal('interrupted');
    expect(envelope.result.fix?.undo).to.deep.equal([SEA, PS]);
    expect(json.stderr.join('\n')).to.include(`$ ${PS}`);
    console.log(
      `      mid-step: stderr ${human.stderr.length} lines with ${fix.undo.length} undo commands; --json partial result schema-valid, fix ${envelope.result.fix?.mode}`,
    );
  });

  it('after the last step (while diagnosing again): the fix as it ended, with its undo', () => {
    const done: FixReport = {
      ...midFix(),
      steps: midFix().steps.map((s) => ({ ...s, status: 'applied', error: undefined })),
    };
    const fix = interruptedFix(done);
    expect(fix.mode).to.equal('applied');
    const out = interruptOutput('SIGINT', 130, { result: diagnosis(), fix: done }, false);
    expect(out.stderr.join('\n')).to.include(`$ ${PS}`);
    console.log('      interrupted after the last step: fix reported as applied, undo listed');
  });

  it('before the first step (opening the admin connection): every step skipped, nothing to undo', () => {
    const fresh: FixReport = {
      ...midFix(),
      steps: midFix().steps.map((s) => ({ description: s.description, command: s.command, status: 'planned' })),
      undo: [],
    };
    const fix = interruptedFix(fresh);
    expect(fix.mode).to.equal('interrupted');
    expect(fix.steps.every((s) => s.status === 'skipped')).to.equal(true);
    expect(fix.undo).to.deep.equal([]);
    console.log('      interrupted before the first write: all skipped, no undo');
  });
});
