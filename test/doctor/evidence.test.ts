/*
 * The evidence rule of the diagnosis (DESIGN.md §2 "Evidence and confidence"), as a general rule over check outcomes:
 * confirmed only on observed evidence or on documented evidence no observation contradicts; an inferred reading is at
 * most likely, never outranks a confirmed finding of another cause, never fails a login that works, and never replaces
 * the values of a login Salesforce just accepted.
 */
import { expect } from 'chai';
import type { CauseProposal, Check, CheckOutcome } from '../../src/doctor/check.js';
import type { Adapters, DoctorInputs } from '../../src/doctor/context.js';
import type { CheckRun } from '../../src/doctor/engine.js';
import { diagnose } from '../../src/doctor/diagnosis.js';
import { runDoctor as runEngine } from '../../src/doctor/doctor.js';
import type { CauseCode, Evidence } from '../../src/doctor/types.js';

function runOf(id: string, evidence: Evidence, outcome: CheckOutcome): CheckRun {
  const check: Check = { id, group: 'app', needs: [], mode: 'local', evidence, run: () => outcome };
  return {
    check,
    result: { id, title: id, status: outcome.status, detail: outcome.detail, evidence: outcome.evidence ?? evidence },
    outcome,
  };
}

/** Salesforce's "user hasn't approved this consumer": a guess with alternatives (observed, likely). */
const hasntApproved = (): CheckOutcome => ({
  status: 'fail',
  detail: '',
  cause: {
    code: 'USER_NOT_APPROVED',
    confidence: 'likely',
    weight: 50,
    alternatives: ['USER_NOT_PREAUTHORIZED', 'USER_NOT_FOUND', 'MY_DOMAIN_REQUIRED'],
    summary: 'hasnt approved',
  },
});

const claim = (code: CauseCode, weight = 80, extra: Partial<CauseProposal> = {}): CheckOutcome => ({
  status: 'fail',
  detail: '',
  cause: { code, confidence: 'confirmed', weight, summary: code, ...extra },
});

describe('diagnosis: the evidence rule', () => {
  it('an inferred reading is never confirmed: likely, with what the token endpoint left open as alternatives', () => {
    const d = diagnose([
      runOf('probe.token', 'observed', hasntApproved()),
      runOf('org.my-domain', 'inferred', claim('MY_DOMAIN_REQUIRED')),
    ]);
    expect(d.verdict).to.equal('fail');
    expect(d.cause).to.include({ code: 'MY_DOMAIN_REQUIRED', confidence: 'likely', evidence: 'inferred' });
    expect(d.cause?.alternatives).to.include.members(['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED', 'USER_NOT_FOUND']);
    expect(d.cause?.alternatives).to.not.include('MY_DOMAIN_REQUIRED');
  });

  it("the evidence of an outcome wins over its check's: one branch of a documented check can be inferred", () => {
    const d = diagnose([
      runOf('approval.path', 'documented', { ...claim('USER_NOT_PREAUTHORIZED'), evidence: 'inferred' }),
    ]);
    expect(d.cause).to.include({ confidence: 'likely', evidence: 'inferred' });
  });

  it('a documented reading nothing contradicts stays confirmed (offline too, with nothing observed)', () => {
    expect(diagnose([runOf('input.username', 'documented', claim('USERNAME_MALFORMED', 90))]).cause).to.include({
      code: 'USERNAME_MALFORMED',
      confidence: 'confirmed',
      evidence: 'documented',
    });
    const withAnswer = diagnose([
      runOf('probe.token', 'observed', hasntApproved()),
      runOf('approval.path', 'documented', claim('USER_NOT_PREAUTHORIZED')),
    ]);
    expect(withAnswer.cause).to.include({
      code: 'USER_NOT_PREAUTHORIZED',
      confidence: 'confirmed',
      evidence: 'documented',
    });
  });

  it('a documented failure Salesforce rules out does not stand; an observed one is never overruled', () => {
    const knowsKey: CheckOutcome = {
      status: 'fail',
      detail: '',
      rulesOut: ['CLIENT_ID_INVALID'],
      cause: {
        code: 'CERT_MISMATCH',
        confidence: 'likely',
        weight: 50,
        alternatives: ['WRONG_APP'],
        summary: 'invalid assertion',
      },
    };
    const d = diagnose([
      runOf('probe.token', 'observed', knowsKey),
      runOf('app.found', 'documented', claim('CLIENT_ID_INVALID', 80, { alternatives: ['WRONG_APP'] })),
    ]);
    expect(d.cause?.code).to.not.equal('CLIENT_ID_INVALID');
    expect(d.cause?.confidence).to.equal('likely');
    expect(d.proposals.map((p) => p.code)).to.not.include('CLIENT_ID_INVALID');

    // The same rulesOut from a documented reading does not overrule what Salesforce said outright.
    const saidSo = diagnose([
      runOf('probe.token', 'observed', claim('USER_NOT_PREAUTHORIZED', 50)),
      runOf('approval.path', 'documented', { status: 'pass', detail: '', rulesOut: ['USER_NOT_PREAUTHORIZED'] }),
    ]);
    expect(saidSo.cause).to.include({ code: 'USER_NOT_PREAUTHORIZED', confidence: 'confirmed', evidence: 'observed' });
  });

  it('a reading Salesforce agrees with (the same cause) is confirmed by that answer, and keeps its own fix', () => {
    const installedAnswer = claim('APP_NOT_INSTALLED', 50);
    const d = diagnose([
      runOf('probe.token', 'observed', installedAnswer),
      runOf('app.installed', 'inferred', claim('APP_NOT_INSTALLED', 80, { fix: 'admin-app-not-installed' })),
    ]);
    expect(d.cause).to.include({ code: 'APP_NOT_INSTALLED', confidence: 'confirmed', evidence: 'observed' });
    expect(d.proposals[0].fix).to.equal('admin-app-not-installed');
  });

  it('an inferred reading never outranks a confirmed finding of another cause, and adds nothing beside it', () => {
    const d = diagnose([
      runOf('probe.token', 'observed', claim('USER_NOT_PREAUTHORIZED', 50)),
      runOf('org.my-domain', 'inferred', claim('MY_DOMAIN_REQUIRED', 80)),
    ]);
    expect(d.cause).to.include({ code: 'USER_NOT_PREAUTHORIZED', confidence: 'confirmed' });
    expect(d.proposals.map((p) => p.code)).to.deep.equal(['USER_NOT_PREAUTHORIZED']);
    // A documented confirmed finding outranks it too.
    const documented = diagnose([
      runOf('app.certificate', 'documented', claim('CERT_MISMATCH', 60)),
      runOf('app.installed', 'inferred', claim('APP_NOT_INSTALLED', 80)),
    ]);
    expect(documented.cause?.code).to.equal('CERT_MISMATCH');
  });

  it('a warning about what breaks next is not contradicted by a token issued today', () => {
    const token: CheckOutcome = { status: 'pass', detail: '', loginWorks: true, rulesOut: ['USER_NOT_APPROVED'] };
    const nextRefresh: CheckOutcome = {
      status: 'warn',
      detail: '',
      cause: {
        code: 'USER_NOT_APPROVED',
        confidence: 'confirmed',
        weight: 10,
        summary: 'the next refresh erases the approval',
      },
    };
    const d = diagnose([runOf('probe.token', 'observed', token), runOf('approval.path', 'documented', nextRefresh)]);
    expect(d.verdict).to.equal('warn');
    expect(d.cause).to.include({ code: 'USER_NOT_APPROVED', confidence: 'confirmed' });
  });

  it('no confirmed cause rests on inferred evidence, whatever the mix (every pairing of the outcomes above)', () => {
    const pool: Array<[string, Evidence, CheckOutcome]> = [
      ['probe.token', 'observed', hasntApproved()],
      ['probe.token', 'observed', claim('USER_NOT_PREAUTHORIZED', 50)],
      ['org.my-domain', 'inferred', claim('MY_DOMAIN_REQUIRED')],
      ['app.installed', 'inferred', claim('APP_NOT_INSTALLED')],
      ['approval.path', 'documented', claim('USER_NOT_PREAUTHORIZED')],
      ['app.found', 'inferred', claim('CLIENT_ID_INVALID', 80, { alternatives: ['WRONG_APP'] })],
      [
        'probe.token',
        'observed',
        { status: 'pass', detail: '', loginWorks: true, rulesOut: ['CLIENT_ID_INVALID', 'USER_NOT_APPROVED'] },
      ],
    ];
    let cases = 0;
    for (const a of pool) {
      for (const b of pool) {
        const d = diagnose([runOf(...a), runOf(...b)]);
        cases++;
        if (d.cause?.confidence === 'confirmed') expect(d.cause.evidence, `${a[0]} + ${b[0]}`).to.not.equal('inferred');
        if (d.works) expect(d.verdict).to.be.oneOf(['pass', 'warn']);
      }
    }
    expect(cases).to.equal(pool.length ** 2);
  });
});

describe('diagnosis: a login that works keeps its values', () => {
  const inputs: DoctorInputs = {
    username: { value: 'ci@acme.com', source: 'flag', origin: '--username' },
    clientId: { value: '3MVG9abcdefgh', source: 'flag', origin: '--client-id' },
    keyFile: { value: 'server.key', source: 'flag', origin: '--jwt-key-file' },
    instanceUrl: { value: 'https://login.salesforce.com', source: 'flag', origin: '--instance-url' },
    offline: false,
    timeoutMs: 1000,
  };
  const adapters = { now: () => 0 } as unknown as Adapters;
  const check = (id: string, evidence: Evidence, outcome: CheckOutcome): Check => ({
    id,
    group: 'org',
    needs: [],
    mode: 'local',
    evidence,
    run: () => outcome,
  });
  const works = check('probe.token', 'observed', {
    status: 'pass',
    detail: 'token issued',
    loginWorks: true,
    rulesOut: ['USER_NOT_FOUND'],
  });
  const useMyDomain = (evidence: Evidence): Check =>
    check('org.my-domain', evidence, {
      status: 'fail',
      detail: '',
      cause: {
        code: 'MY_DOMAIN_REQUIRED',
        confidence: 'confirmed',
        weight: 80,
        summary: 'policy',
        params: { suggestedUrl: 'https://acme.my.salesforce.com' },
      },
    });

  it('an inferred reading neither fails it nor changes the login line', async () => {
    const { result } = await runEngine({
      checks: [works, useMyDomain('inferred')],
      inputs,
      adapters,
      ignoredFlags: [],
    });
    expect(result.verdict).to.equal('warn');
    expect(result.cause).to.include({ code: 'MY_DOMAIN_REQUIRED', confidence: 'likely', evidence: 'inferred' });
    expect(result.loginCommand).to.match(/--instance-url https:\/\/login\.salesforce\.com$/);
    expect(result.checks.map((c) => c.evidence)).to.deep.equal(['observed', 'inferred']);
  });

  it('a documented one may still suggest a better value (the login works either way)', async () => {
    const { result } = await runEngine({
      checks: [works, useMyDomain('documented')],
      inputs,
      adapters,
      ignoredFlags: [],
    });
    expect(result.verdict).to.equal('warn');
    expect(result.loginCommand).to.match(/--instance-url https:\/\/acme\.my\.salesforce\.com$/);
  });
});
