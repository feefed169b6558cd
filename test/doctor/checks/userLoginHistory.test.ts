/*
 * user.login-history on crafted inspections: which LoginHistory statuses propose a cause (only the publicly documented
 * ones), rows of this run versus older ones, unknown statuses shown verbatim, and the Manage Users permission named.
 */
import { expect } from 'chai';
import type { DoctorInputs, Facts } from '../../../src/doctor/context.js';
import { runChecks, type CheckRun } from '../../../src/doctor/engine.js';
import { diagnose } from '../../../src/doctor/diagnosis.js';
import { adminChecks } from '../../../src/doctor/checks/admin.js';
import { STATUS_CAUSES } from '../../../src/doctor/checks/userLoginHistory.js';
import type { LoginRecord, OrgInspection } from '../../../src/salesforce/inspection.js';
import type { ProbeReport } from '../../../src/salesforce/probe.js';
import { analyzeKey } from '../../../src/salesforce/keyFile.js';
import { classifyUrl } from '../../../src/knowledge/instanceUrl.js';
import { certificateFacts } from '../../../src/salesforce/certificate.js';
import { certificatePem, rsaPem } from '../../helpers/keys.js';
import { orgInspection } from './orgFixture.js';

const KEY = rsaPem();
const KEY_FACTS = analyzeKey(KEY.pkcs8);
const NOW = Date.now();
const PROBE_START = NOW - 2000;

function inspection(loginHistory: LoginRecord[] | undefined, over: Partial<OrgInspection> = {}): OrgInspection {
  return orgInspection({
    adminUserId: '005000000000001AAA',
    // The app could not be read (a packaged app): only LoginHistory can speak for the app's policy.
    appsSearched: { connectedApps: 0, externalClientApps: 0 },
    approvals: undefined,
    approvalsComplete: undefined,
    errors: {
      apps: {
        code: 'INSUFFICIENT_ACCESS',
        message: 'no',
        permission: 'Modify Metadata Through Metadata API Functions (or Modify All Data)',
      },
    },
    loginHistory,
    requests: 12,
    ...over,
  });
}

const row = (ms: number, status: string, over: Partial<LoginRecord> = {}): LoginRecord => ({
  loginTime: new Date(ms).toISOString().replace('Z', '+0000'),
  status,
  application: 'CI Deploy App',
  loginType: 'Remote Access 2.0',
  loginUrl: 'acme.my.salesforce.com',
  sourceIp: '203.0.113.10',
  ...over,
});

function probe(outcome: 'success' | 'fail'): ProbeReport {
  const base = { loginUrl: 'https://acme.my.salesforce.com/', audience: 'https://acme.my.salesforce.com', ms: 5 };
  const detail =
    outcome === 'success'
      ? {
          ...base,
          outcome: 'success' as const,
          idUrl: 'https://acme.my.salesforce.com/id/00D000000000001AAA/005000000000002AAA',
        }
      : {
          ...base,
          outcome: 'error' as const,
          error: 'invalid_grant',
          errorDescription: "user hasn't approved this consumer",
          httpStatus: 400,
        };
  return {
    attempts: [detail],
    details: [detail],
    sfLoginUrl: base.loginUrl,
    audienceUrl: base.audience,
    timedOut: false,
    clockOffsetSeconds: 0,
  };
}

async function run(
  ins: OrgInspection,
  probed: 'success' | 'fail' | 'none' = 'fail',
): Promise<{ check: CheckRun | undefined; runs: CheckRun[]; facts: Facts }> {
  const inputs: DoctorInputs = {
    username: { value: 'ci@acme.com', source: 'flag', origin: '--username' },
    clientId: { value: '3MVG9KEY', source: 'flag', origin: '--client-id' },
    instanceUrl: { value: 'https://acme.my.salesforce.com', source: 'flag', origin: '--instance-url' },
    adminOrg: { value: 'admin', source: 'flag', origin: '--admin-org' },
    offline: false,
    timeoutMs: 10_000,
  };
  const initialFacts: Facts =
    probed === 'none' ? { key: KEY_FACTS } : { key: KEY_FACTS, probe: probe(probed), probeStartedAt: PROBE_START };
  const { runs, facts } = await runChecks({
    checks: adminChecks,
    inputs,
    adapters: {
      readKeyFile: () => Promise.reject(new Error('unused')),
      analyzeKey,
      classifyUrl,
      now: () => Date.now(),
      inspect: () => Promise.resolve(ins),
    },
    title: (id) => id,
    skipReason: (needed) => `needs ${needed}`,
    initialFacts,
  });
  return { check: runs.find((r) => r.check.id === 'user.login-history'), runs, facts };
}

describe('user.login-history', () => {
  it('"Failed: Not approved for access" from this run confirms USER_NOT_PREAUTHORIZED over the setup it could not read', async () => {
    const { check, runs, facts } = await run(
      inspection([row(NOW - 500, 'Failed: Not approved for access'), row(NOW - 86_400_000, 'Success')]),
    );
    expect(check?.result.status).to.equal('fail');
    expect(check?.outcome?.cause).to.include({ code: 'USER_NOT_PREAUTHORIZED', confidence: 'confirmed' });
    expect(check?.result.detail)
      .to.match(/1 of the 2 latest rows comes from this run/)
      .and.match(/Help article 000212208/);
    expect(diagnose(runs).cause?.code).to.equal('USER_NOT_PREAUTHORIZED');
    expect(facts.loginHistory?.map((e) => e.thisRun)).to.deep.equal([true, false]);
  });

  it('with the setup check failing on the same cause, weighs the same so the setup fix (naming the app) leads', async () => {
    const ins = inspection([row(NOW - 500, 'Failed: Not approved for access')], {
      errors: {},
      appsSearched: { connectedApps: 1, externalClientApps: 0 },
      app: {
        kind: 'ConnectedApp',
        name: 'CI_Deploy_App',
        label: 'CI Deploy App',
        id: '0H4000000000001AAA',
        consumerKey: '3MVG9KEY',
        certificate: certificateFacts(certificatePem(KEY.pkcs8), NOW),
        scopes: ['api', 'refresh_token'],
        adminApproved: true,
        grantedProfiles: ['System Administrator'],
        grantedPermissionSets: [],
        installed: true,
        blocked: false,
      },
    });
    const { check, runs } = await run(ins);
    expect(runs.find((r) => r.check.id === 'approval.path')?.result.status).to.equal('fail');
    expect(check?.outcome?.cause?.weight).to.equal(80);
    const d = diagnose(runs);
    expect(d.cause?.code).to.equal('USER_NOT_PREAUTHORIZED');
    expect(d.proposals[0].fix).to.equal('admin-preauth-grant');
  });

  it("marks no more rows as this run's than its token requests that reached the org, newest first", async () => {
    // One token request; a login of another tool fell in the same second as the probe's start.
    const { check, facts } = await run(
      inspection([row(NOW - 500, 'Failed: Not approved for access'), row(PROBE_START - 400, 'Success')]),
    );
    expect(facts.loginHistory?.map((e) => e.thisRun)).to.deep.equal([true, false]);
    expect(check?.result.detail).to.match(/1 of the 2 latest rows comes from this run/);
  });

  it("rows older than this run's probe: says so, and their cause is only likely and light", async () => {
    const { check } = await run(inspection([row(NOW - 3_600_000, 'User is Frozen'.replace('is', 'Is'))]));
    expect(check?.result.status).to.equal('warn');
    expect(check?.result.detail).to.match(/older than this run's token requests/);
    expect(check?.outcome?.cause).to.include({ code: 'USER_INACTIVE', confidence: 'likely', fix: 'user-locked' });
    expect(check?.outcome?.cause?.weight).to.be.below(50);
  });

  it('an older failure next to a login that works now is history, not a finding', async () => {
    const { check } = await run(inspection([row(NOW - 3_600_000, 'Password Lockout')]), 'success');
    expect(check?.result.status).to.equal('pass');
    expect(check?.outcome?.cause).to.equal(undefined);
  });

  it('an unknown status is shown verbatim (control characters removed) and proposes nothing', async () => {
    const { check, facts } = await run(inspection([row(NOW - 500, 'Failed: Restricted\u0007 domain')]));
    expect(check?.result.status).to.equal('warn');
    expect(check?.outcome?.cause).to.equal(undefined);
    expect(check?.result.detail).to.include('"Failed: Restricted  domain" is not a status whose meaning');
    expect(facts.loginHistory?.[0].status).to.equal('Failed: Restricted  domain');
  });

  it('documented statuses that say nothing about JWT propose nothing', async () => {
    for (const status of [
      'Invalid Password',
      'Failed: Computer activation required',
      'Failed: API security token required',
    ]) {
      const { check } = await run(inspection([row(NOW - 500, status)]));
      expect(check?.outcome?.cause, status).to.equal(undefined);
    }
    expect(Object.keys(STATUS_CAUSES)).to.have.members([
      'failed: not approved for access',
      'user is inactive',
      'user is frozen',
      'password lockout',
    ]);
  });

  it("this run's Success passes", async () => {
    const { check } = await run(
      inspection([row(NOW - 500, 'Success'), row(NOW - 3_600_000, 'User is Inactive')]),
      'success',
    );
    expect(check?.result.status).to.equal('pass');
  });

  it('no row of this run: says that Salesforce recorded none of its token requests', async () => {
    const { check } = await run(inspection([]));
    expect(check?.result.status).to.equal('pass');
    expect(check?.result.detail).to.match(/not even from this run's token requests/);
  });

  it('without a probe, every row is an earlier attempt', async () => {
    const { check } = await run(inspection([row(NOW - 500, 'User is Inactive')]), 'none');
    expect(check?.result.detail).to.match(/sent no token request/);
    expect(check?.outcome?.cause?.confidence).to.equal('likely');
  });

  it('refused (no Manage Users): skips naming the permission', async () => {
    const { check } = await run(
      inspection(undefined, {
        errors: {
          loginHistory: {
            code: 'INVALID_TYPE',
            message: "sObject type 'LoginHistory' is not supported.",
            permission: 'Manage Users',
          },
        },
      }),
    );
    expect(check?.result.status).to.equal('skip');
    expect(check?.result.detail)
      .to.match(/LoginHistory/)
      .and.match(/"Manage Users"/);
  });
});
