import { expect } from 'chai';
import type { CheckOutcome } from '../../src/doctor/check.js';
import type { CheckRun } from '../../src/doctor/engine.js';
import { diagnose, exitCodeFor } from '../../src/doctor/diagnosis.js';

function runOf(id: string, outcome: CheckOutcome): CheckRun {
  return { check: { id, group: 'inputs', needs: [], mode: 'local', run: () => outcome }, result: { id, title: id, status: outcome.status, detail: outcome.detail }, outcome };
}
const fail = (code: 'KEY_INVALID' | 'USER_NOT_APPROVED' | 'USERNAME_MALFORMED', weight?: number): CheckOutcome => ({ status: 'fail', detail: '', cause: { code, confidence: 'likely', weight, summary: code } });

describe('diagnosis: one root cause', () => {
  it('passes with no cause when every check passes', () => {
    const d = diagnose([runOf('a', { status: 'pass', detail: '' })]);
    expect(d.verdict).to.equal('pass');
    expect(d.cause).to.equal(null);
    expect(exitCodeFor(d.verdict)).to.equal(0);
  });

  it('picks the heaviest failing proposal, ties to the earliest check', () => {
    const d = diagnose([runOf('a', fail('USER_NOT_APPROVED')), runOf('b', fail('KEY_INVALID', 90)), runOf('c', fail('USERNAME_MALFORMED', 90))]);
    expect(d.verdict).to.equal('fail');
    expect(d.cause?.code).to.equal('KEY_INVALID');
    expect(d.proposals.map((p) => p.code)).to.deep.equal(['KEY_INVALID', 'USERNAME_MALFORMED', 'USER_NOT_APPROVED']);
    expect(exitCodeFor(d.verdict)).to.equal(1);
  });

  it('is inconclusive when only the network failed', () => {
    const d = diagnose([runOf('n', { status: 'fail', detail: '', inconclusive: true, cause: { code: 'ORG_UNREACHABLE', confidence: 'likely', summary: 'down' } })]);
    expect(d.verdict).to.equal('inconclusive');
    expect(d.cause?.code).to.equal('ORG_UNREACHABLE');
    expect(exitCodeFor(d.verdict)).to.equal(3);
  });

  it('a real cause beats an unreachable host', () => {
    const d = diagnose([runOf('k', fail('KEY_INVALID')), runOf('n', { status: 'fail', detail: '', inconclusive: true, cause: { code: 'ORG_UNREACHABLE', confidence: 'likely', summary: '' } })]);
    expect(d.verdict).to.equal('fail');
    expect(d.cause?.code).to.equal('KEY_INVALID');
  });

  it('warns, with the warning as the likely cause, and exits 0', () => {
    const d = diagnose([runOf('w', { status: 'warn', detail: '', cause: { code: 'CLOCK_SKEW', confidence: 'likely', summary: 'clock' } })]);
    expect(d.verdict).to.equal('warn');
    expect(d.cause?.code).to.equal('CLOCK_SKEW');
    expect(exitCodeFor(d.verdict)).to.equal(0);
  });

  it('drops the chosen code from its own alternatives', () => {
    const d = diagnose([runOf('a', { status: 'fail', detail: '', cause: { code: 'USER_NOT_APPROVED', confidence: 'likely', alternatives: ['USER_NOT_APPROVED', 'USER_NOT_FOUND'], summary: '' } })]);
    expect(d.cause?.alternatives).to.deep.equal(['USER_NOT_FOUND']);
  });
});

describe('diagnosis: fixes', () => {
  it('drops the token-only guess once the org confirms the same cause', () => {
    const d = diagnose([
      runOf('probe', { status: 'fail', detail: '', cause: { code: 'USER_NOT_APPROVED', confidence: 'likely', summary: 'guess' } }),
      runOf('admin', { status: 'fail', detail: '', cause: { code: 'USER_NOT_APPROVED', confidence: 'confirmed', weight: 80, fix: 'exact', summary: 'sure' } }),
    ]);
    expect(d.cause?.confidence).to.equal('confirmed');
    expect(d.proposals.map((p) => p.fix ?? p.code)).to.deep.equal(['exact']);
  });
});
