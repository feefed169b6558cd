/*
 * fixFlow on its own (src/doctor/fix/flow.ts): the plan is shown before the question and before any change; a "no"
 * changes nothing; an applied fix returns the re-run diagnosis with the cause it set out from under fix.before, and a
 * failed one keeps it too.
 */
import { expect } from 'chai';
import { fixFlow, type FixFlowOptions } from '../../../src/doctor/fix/flow.js';
import type { DoctorRun } from '../../../src/doctor/doctor.js';
import type { FixReport, JwtDoctorResult } from '../../../src/doctor/types.js';

const cause = {
  code: 'USER_NOT_PREAUTHORIZED',
  confidence: 'confirmed',
  summary: 'CI_Deploy_App is granted to permission set CI_Deploy, which is not assigned to ci@acme.com.',
  alternatives: [],
} as unknown as JwtDoctorResult['cause'];

const failing: JwtDoctorResult = {
  verdict: 'fail',
  cause,
  checks: [],
  fixes: [],
  attempts: [],
  tokenRequests: 0,
  loginCommand: null,
  inputs: [
    { name: 'instance-url', value: 'https://acme.my.salesforce.com', source: 'flag', origin: '--instance-url' },
    { name: 'client-id', value: '3MVG9x', source: 'flag', origin: '--client-id' },
  ] as JwtDoctorResult['inputs'],
  ignoredFlags: [],
};
const passing: JwtDoctorResult = { ...failing, verdict: 'pass', cause: null };

const run = {
  result: failing,
  facts: {
    org: {
      user: { id: '005000000000001AAA', username: 'ci@acme.com' },
      app: { id: '0H4000000000001AAA', name: 'CI_Deploy_App', label: 'CI Deploy App', adminApproved: true },
      grants: [{ parentId: '0PS000000000001AAA', permissionSetName: 'CI_Deploy', isOwnedByProfile: false }],
      assignments: [],
    },
  },
} as unknown as DoctorRun;

function options(log: string[], overrides: Partial<FixFlowOptions> = {}): FixFlowOptions {
  return {
    adminOrg: 'admin',
    dryRun: false,
    noPrompt: false,
    show: (plan) => log.push(`show ${plan.mode} ${plan.steps.length}`),
    confirm: () => {
      log.push('confirm');
      return Promise.resolve(true);
    },
    apply: (plan): Promise<FixReport> => {
      log.push('apply');
      return Promise.resolve({
        mode: 'applied',
        steps: plan.steps.map((s) => ({ description: s.description, command: 'sf x', status: 'applied' as const })),
        undo: ['sf y'],
        notes: [],
      });
    },
    rediagnose: () => {
      log.push('rediagnose');
      return Promise.resolve(passing);
    },
    ...overrides,
  };
}

describe('fixFlow', () => {
  it('shows the plan, then asks, then applies, then diagnoses again; the result keeps the original cause', async () => {
    const log: string[] = [];
    const result = await fixFlow(run, options(log));
    expect(log).to.deep.equal(['show dry-run 1', 'confirm', 'apply', 'rediagnose']);
    expect(result.verdict).to.equal('pass');
    expect(result.fix?.verified).to.equal(true);
    expect(result.fix?.before).to.deep.equal({ verdict: 'fail', cause });
  });

  it('a "no" after the plan changes nothing', async () => {
    const log: string[] = [];
    const result = await fixFlow(run, options(log, { confirm: () => Promise.resolve(false) }));
    expect(log).to.deep.equal(['show dry-run 1']);
    expect(result.fix?.mode).to.equal('declined');
    expect(result.cause).to.equal(cause);
  });

  it('--no-prompt shows the plan and applies without asking; --dry-run neither shows it as a plan nor asks', async () => {
    const log: string[] = [];
    await fixFlow(run, options(log, { noPrompt: true }));
    expect(log).to.deep.equal(['show dry-run 1', 'apply', 'rediagnose']);
    const dry: string[] = [];
    const result = await fixFlow(run, options(dry, { dryRun: true }));
    expect(dry).to.deep.equal([]);
    expect(result.fix?.mode).to.equal('dry-run');
    expect(result.fix?.before).to.equal(undefined);
  });

  it('a failed apply keeps the original cause under fix.before too', async () => {
    const log: string[] = [];
    const result = await fixFlow(
      run,
      options(log, {
        noPrompt: true,
        apply: () => Promise.resolve({ mode: 'failed', steps: [], undo: [], notes: [] }),
      }),
    );
    expect(log).to.deep.equal(['show dry-run 1']);
    expect(result.fix?.mode).to.equal('failed');
    expect(result.fix?.before?.cause).to.equal(cause);
  });
});
