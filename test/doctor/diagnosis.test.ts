import { expect } from 'chai';
import type { CheckOutcome } from '../../src/doctor/check.js';
import type { CheckRun } from '../../src/doctor/engine.js';
import { diagnose, exitCodeFor } from '../../src/doctor/diagnosis.js';
import type { Evidence } from '../../src/doctor/types.js';

/** A check run as the engine leaves it; `observed` unless told (the rules below predate the evidence model). */
function runOf(id: string, outcome: CheckOutcome, evidence: Evidence = 'observed'): CheckRun {
  const result = {
    id,
    title: id,
    status: outcome.status,
    detail: outcome.detail,
    evidence: outcome.evidence ?? evidence,
  };
  return { check: { id, group: 'inputs', needs: [], mode: 'local', evidence, run: () => outcome }, result, outcome };
}
const fail = (code: 'KEY_INVALID' | 'USER_NOT_APPROVED' | 'USERNAME_MALFORMED', weight?: number): CheckOutcome => ({
  status: 'fail',
  detail: '',
  cause: { code, confidence: 'likely', weight, summary: code },
});

describe('diagnosis: one root cause', () => {
  it('passes with no cause when every check passes', () => {
    const d = diagnose([runOf('a', { status: 'pass', detail: '' })]);
    expect(d.verdict).to.equal('pass');
    expect(d.cause).to.equal(null);
    expect(exitCodeFor(d.verdict)).to.equal(0);
  });

  it('picks the heaviest failing proposal, ties to the earliest check', () => {
    const d = diagnose([
      runOf('a', fail('USER_NOT_APPROVED')),
      runOf('b', fail('KEY_INVALID', 90)),
      runOf('c', fail('USERNAME_MALFORMED', 90)),
    ]);
    expect(d.verdict).to.equal('fail');
    expect(d.cause?.code).to.equal('KEY_INVALID');
    expect(d.proposals.map((p) => p.code)).to.deep.equal(['KEY_INVALID', 'USERNAME_MALFORMED', 'USER_NOT_APPROVED']);
    expect(exitCodeFor(d.verdict)).to.equal(1);
  });

  it("a guess the token endpoint disproves is no cause; the check's finding stays", () => {
    const guess: CheckOutcome = {
      status: 'warn',
      detail: 'looks like a sandbox username',
      cause: { code: 'USER_NOT_FOUND', confidence: 'likely', weight: 35, summary: '' },
    };
    const token: CheckOutcome = {
      status: 'pass',
      detail: 'token issued',
      rulesOut: ['USER_NOT_FOUND'],
      loginWorks: true,
    };
    const d = diagnose([runOf('u', guess), runOf('t', token)]);
    expect(d.verdict).to.equal('pass');
    expect(d.cause).to.equal(null);
    expect(diagnose([runOf('u', guess)]).cause?.code).to.equal('USER_NOT_FOUND');
  });

  it("a token-only guess the org's setup disproves gives way to a confirmed cause, or to its next alternative", () => {
    const tokenGuess: CheckOutcome = {
      status: 'fail',
      detail: '',
      cause: {
        code: 'USER_NOT_APPROVED',
        confidence: 'likely',
        weight: 50,
        alternatives: ['USER_NOT_PREAUTHORIZED', 'USER_NOT_FOUND', 'HIGH_ASSURANCE_REQUIRED'],
        summary: 'hasnt approved',
      },
    };
    const preauthorized: CheckOutcome = {
      status: 'pass',
      detail: '',
      rulesOut: ['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED'],
    };
    const userFound: CheckOutcome = { status: 'pass', detail: '', rulesOut: ['USER_NOT_FOUND'] };
    const highAssurance: CheckOutcome = {
      status: 'fail',
      detail: '',
      cause: { code: 'HIGH_ASSURANCE_REQUIRED', confidence: 'confirmed', weight: 80, summary: 'session level' },
    };

    const withConfirmed = diagnose([runOf('t', tokenGuess), runOf('a', preauthorized), runOf('h', highAssurance)]);
    expect(withConfirmed.proposals.map((p) => p.code)).to.deep.equal(['HIGH_ASSURANCE_REQUIRED']);

    const alone = diagnose([runOf('t', tokenGuess), runOf('a', preauthorized), runOf('u', userFound)]);
    expect(alone.verdict).to.equal('fail');
    expect(alone.cause).to.include({ code: 'HIGH_ASSURANCE_REQUIRED', confidence: 'likely' });
    expect(alone.cause?.alternatives).to.deep.equal([]);

    const nothingLeft = diagnose([
      runOf('t', { ...tokenGuess, cause: { ...tokenGuess.cause!, alternatives: ['USER_NOT_FOUND'] } }),
      runOf('a', preauthorized),
      runOf('u', userFound),
    ]);
    expect(nothingLeft.cause?.code).to.equal('UNKNOWN');
  });

  it('a guess adds nothing once confirmed evidence names one of its alternatives; a confirmed token answer is never disproved', () => {
    const tokenGuess: CheckOutcome = {
      status: 'fail',
      detail: '',
      cause: {
        code: 'USER_NOT_APPROVED',
        confidence: 'likely',
        weight: 50,
        alternatives: ['USER_NOT_FOUND'],
        summary: 'hasnt approved',
      },
    };
    const renamed: CheckOutcome = {
      status: 'fail',
      detail: '',
      cause: { code: 'USER_NOT_FOUND', confidence: 'confirmed', weight: 80, summary: 'renamed' },
    };
    expect(diagnose([runOf('t', tokenGuess), runOf('u', renamed)]).proposals.map((p) => p.code)).to.deep.equal([
      'USER_NOT_FOUND',
    ]);

    const saidSo: CheckOutcome = {
      status: 'fail',
      detail: '',
      cause: { code: 'USER_NOT_PREAUTHORIZED', confidence: 'confirmed', weight: 50, summary: 'not admin approved' },
    };
    const setupSaysFine: CheckOutcome = {
      status: 'pass',
      detail: '',
      rulesOut: ['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED'],
    };
    expect(diagnose([runOf('t', saidSo), runOf('a', setupSaysFine)]).cause).to.include({
      code: 'USER_NOT_PREAUTHORIZED',
      confidence: 'confirmed',
    });
  });

  it('a login that works is never a failure: findings become warnings, heaviest first', () => {
    const path: CheckOutcome = {
      status: 'fail',
      detail: 'path',
      sfGoesOn: true,
      cause: { code: 'INSTANCE_URL_INVALID', confidence: 'confirmed', weight: 80, summary: 'path' },
    };
    const fallback: CheckOutcome = {
      status: 'warn',
      detail: 'fallback',
      loginWorks: true,
      cause: {
        code: 'INSTANCE_URL_INVALID',
        confidence: 'confirmed',
        weight: 10,
        summary: 'fallback',
        fix: 'fallback-only',
      },
    };
    const d = diagnose([runOf('p', path), runOf('t', fallback), runOf('k', fail('KEY_INVALID', 20))]);
    expect(d.verdict).to.equal('warn');
    expect(d.cause?.summary).to.equal('path');
    // One proposal per cause: the fallback's INSTANCE_URL_INVALID adds nothing to the path's.
    expect(d.proposals.map((p) => p.summary)).to.deep.equal(['path', 'KEY_INVALID']);
    expect(exitCodeFor(d.verdict)).to.equal(0);
  });

  it('is inconclusive when only the network failed', () => {
    const d = diagnose([
      runOf('n', {
        status: 'fail',
        detail: '',
        inconclusive: true,
        cause: { code: 'ORG_UNREACHABLE', confidence: 'likely', summary: 'down' },
      }),
    ]);
    expect(d.verdict).to.equal('inconclusive');
    expect(d.cause?.code).to.equal('ORG_UNREACHABLE');
    expect(exitCodeFor(d.verdict)).to.equal(3);
  });

  it('a real cause beats an unreachable host', () => {
    const d = diagnose([
      runOf('k', fail('KEY_INVALID')),
      runOf('n', {
        status: 'fail',
        detail: '',
        inconclusive: true,
        cause: { code: 'ORG_UNREACHABLE', confidence: 'likely', summary: '' },
      }),
    ]);
    expect(d.verdict).to.equal('fail');
    expect(d.cause?.code).to.equal('KEY_INVALID');
  });

  it('warns, with the warning as the likely cause, and exits 0', () => {
    const d = diagnose([
      runOf('w', { status: 'warn', detail: '', cause: { code: 'CLOCK_SKEW', confidence: 'likely', summary: 'clock' } }),
    ]);
    expect(d.verdict).to.equal('warn');
    expect(d.cause?.code).to.equal('CLOCK_SKEW');
    expect(exitCodeFor(d.verdict)).to.equal(0);
  });

  it('drops the chosen code from its own alternatives', () => {
    const d = diagnose([
      runOf('a', {
        status: 'fail',
        detail: '',
        cause: {
          code: 'USER_NOT_APPROVED',
          confidence: 'likely',
          alternatives: ['USER_NOT_APPROVED', 'USER_NOT_FOUND'],
          summary: '',
        },
      }),
    ]);
    expect(d.cause?.alternatives).to.deep.equal(['USER_NOT_FOUND']);
  });
});

describe('diagnosis: fixes', () => {
  it('drops the token-only guess once the org confirms the same cause', () => {
    const d = diagnose([
      runOf('probe', {
        status: 'fail',
        detail: '',
        cause: { code: 'USER_NOT_APPROVED', confidence: 'likely', summary: 'guess' },
      }),
      runOf('admin', {
        status: 'fail',
        detail: '',
        cause: { code: 'USER_NOT_APPROVED', confidence: 'confirmed', weight: 80, fix: 'exact', summary: 'sure' },
      }),
    ]);
    expect(d.cause?.confidence).to.equal('confirmed');
    expect(d.proposals.map((p) => p.fix ?? p.code)).to.deep.equal(['exact']);
  });
});

describe('diagnosis: no key given (keyless)', () => {
  const pass: CheckOutcome = { status: 'pass', detail: '' };
  const warning: CheckOutcome = {
    status: 'warn',
    detail: '',
    cause: { code: 'USER_NOT_APPROVED', confidence: 'likely', summary: 'older row' },
  };

  it('is inconclusive (exit 3), never pass, when the setup shows nothing: only a token shows that a login works', () => {
    const d = diagnose([runOf('a', pass, 'documented')], { keyless: true });
    expect(d).to.include({ verdict: 'inconclusive', cause: null });
    expect(exitCodeFor(d.verdict)).to.equal(3);
    expect(diagnose([runOf('a', pass, 'documented')]).verdict).to.equal('pass');
  });

  it('is inconclusive with a warning leading, never warn (which says the login works)', () => {
    const d = diagnose([runOf('a', warning, 'documented')], { keyless: true });
    expect(d.verdict).to.equal('inconclusive');
    expect(d.cause).to.include({ code: 'USER_NOT_APPROVED', confidence: 'likely' });
  });

  it('fails on a setup finding, confirmed by the same evidence rule as a keyed run', () => {
    const setup: CheckOutcome = {
      status: 'fail',
      detail: '',
      cause: { code: 'USER_INACTIVE', confidence: 'confirmed', summary: 'inactive' },
    };
    const inferred: CheckOutcome = { ...setup, cause: { ...setup.cause!, code: 'APP_NOT_INSTALLED' } };
    expect(diagnose([runOf('a', setup, 'documented')], { keyless: true }).cause).to.include({
      code: 'USER_INACTIVE',
      confidence: 'confirmed',
      evidence: 'documented',
    });
    const d = diagnose([runOf('b', inferred, 'inferred')], { keyless: true });
    expect(d.verdict).to.equal('fail');
    expect(d.cause).to.include({ code: 'APP_NOT_INSTALLED', confidence: 'likely', evidence: 'inferred' });
  });
});
