/*
 * The admin checks on crafted inspections: situations the simulated org does not stage (a certificate about to
 * expire, permission set groups, another org by host, partial visibility, a login that works despite the setup).
 */
import { expect } from 'chai';
import type { DoctorInputs, Facts } from '../../../src/doctor/context.js';
import { runChecks, type CheckRun } from '../../../src/doctor/engine.js';
import { adminChecks } from '../../../src/doctor/checks/admin.js';
import { nearlySame } from '../../../src/doctor/checks/appFound.js';
import type { AppFacts, OrgInspection } from '../../../src/salesforce/inspection.js';
import type { ProbeReport } from '../../../src/salesforce/probe.js';
import { analyzeKey } from '../../../src/salesforce/keyFile.js';
import { classifyUrl } from '../../../src/knowledge/instanceUrl.js';
import { certificateFacts } from '../../../src/salesforce/certificate.js';
import { certificatePem, rsaPem } from '../../helpers/keys.js';
import { planFix } from '../../../src/doctor/fix/plan.js';
import { diagnose } from '../../../src/doctor/diagnosis.js';
import { orgInspection } from './orgFixture.js';

const KEY = rsaPem();
const KEY_FACTS = analyzeKey(KEY.pkcs8);
const DAY = 86_400_000;

function app(over: Partial<AppFacts> = {}): AppFacts {
  return {
    kind: 'ConnectedApp',
    name: 'CI_Deploy_App',
    label: 'CI Deploy App',
    id: '0H4000000000001AAA',
    consumerKey: '3MVG9KEY',
    certificate: certificateFacts(certificatePem(KEY.pkcs8), Date.now()),
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    scopes: ['api', 'refresh_token'],
    adminApproved: true,
    grantedProfiles: ['Integration User'],
    grantedPermissionSets: [],
    ipRelaxation: 'ENFORCE',
    refreshTokenPolicy: 'infinite',
    installed: true,
    blocked: false,
    ...over,
  };
}

function inspection(over: Partial<OrgInspection> = {}): OrgInspection {
  return orgInspection({
    adminUserId: '005000000000001AAA',
    myDomainPolicy: { canOnlyLoginWithMyDomainUrl: false, doesApiLoginRequireOrgDomain: false },
    adminPermissions: {
      viewSetup: true,
      modifyAllData: true,
      customizeApplication: true,
      modifyMetadata: true,
      manageUsers: true,
    },
    app: app(),
    ...over,
  });
}

function probe(
  outcome: 'success' | { error: string; errorDescription: string },
  loginUrl = 'https://acme.my.salesforce.com/',
): ProbeReport {
  const base = { loginUrl, audience: loginUrl.replace(/\/$/, ''), ms: 5 };
  const detail =
    outcome === 'success'
      ? {
          ...base,
          outcome: 'success' as const,
          idUrl: 'https://acme.my.salesforce.com/id/00D000000000001AAA/005000000000002AAA',
        }
      : { ...base, outcome: 'error' as const, ...outcome, httpStatus: 400 };
  return {
    attempts: [detail],
    details: [detail],
    sfLoginUrl: base.loginUrl,
    audienceUrl: base.audience,
    timedOut: false,
  };
}

type Run = { byId(id: string): CheckRun | undefined; runs: CheckRun[] };

async function run(
  ins: OrgInspection,
  options: { instanceUrl?: string; username?: string; probe?: ProbeReport } = {},
): Promise<Run> {
  const inputs: DoctorInputs = {
    username: { value: options.username ?? 'ci@acme.com', source: 'flag', origin: '--username' },
    clientId: { value: '3MVG9KEY', source: 'flag', origin: '--client-id' },
    instanceUrl: {
      value: options.instanceUrl ?? 'https://acme.my.salesforce.com',
      source: 'flag',
      origin: '--instance-url',
    },
    adminOrg: { value: 'admin', source: 'flag', origin: '--admin-org' },
    offline: false,
    timeoutMs: 10_000,
  };
  const initialFacts: Facts = { key: KEY_FACTS, probe: options.probe };
  const { runs } = await runChecks({
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
  return { runs, byId: (id) => runs.find((r) => r.check.id === id) };
}

describe('admin checks on crafted inspections', () => {
  it('a healthy org: every admin check passes', async () => {
    const r = await run(inspection());
    expect(r.runs.map((x) => `${x.check.id}:${x.result.status}`)).to.deep.equal([
      'org.connection:pass',
      'org.my-domain:pass',
      'app.found:pass',
      'app.certificate:pass',
      'user.exists:pass',
      'user.active:pass',
      'app.policy:pass',
      'app.installed:pass',
      'app.scopes:pass',
      'approval.path:pass',
    ]);
  });

  it('warns about a certificate that expires within 30 days, naming the date', async () => {
    const cert = certificateFacts(certificatePem(KEY.pkcs8, { notAfter: new Date(Date.now() + 10 * DAY) }), Date.now());
    const r = await run(inspection({ app: app({ certificate: cert }) }), { probe: probe('success') });
    const c = r.byId('app.certificate')!;
    expect(c.result.status).to.equal('warn');
    expect(c.outcome?.cause?.code).to.equal('CERT_EXPIRED');
    expect(c.result.detail).to.match(/expires in (9|10) day/);
  });

  it('the certificate fingerprint uses the key file format, so they compare', () => {
    const cert = certificateFacts(certificatePem(KEY.pkcs8), Date.now());
    expect(cert.fingerprint).to.equal(KEY_FACTS.fingerprint);
  });

  it('pre-authorization through a permission set inside an assigned group', async () => {
    const ins = inspection({
      app: app({ grantedProfiles: [], grantedPermissionSets: ['CI_Deploy'] }),
      assignments: [
        {
          permissionSetId: '0PS1',
          name: 'CI_Group_PS',
          isOwnedByProfile: false,
          groupId: '0PG1',
          groupName: 'CI_Group',
          isActive: true,
          expirationDate: null,
          effective: true,
        },
      ],
      groupComponents: [{ groupId: '0PG1', permissionSetId: '0PS2', name: 'CI_Deploy' }],
    });
    const r = await run(ins);
    expect(r.byId('approval.path')!.result.status).to.equal('pass');
    expect(r.byId('approval.path')!.result.detail).to.match(/CI_Deploy \(group CI_Group\)/);
  });

  it('an expired group assignment names the group, whose assignment Setup lists, and the set inside it', async () => {
    const ins = inspection({
      app: app({ grantedProfiles: [], grantedPermissionSets: ['CI_Deploy'] }),
      assignments: [
        {
          permissionSetId: '0PS1',
          name: 'CI_Group_PS',
          isOwnedByProfile: false,
          groupId: '0PG1',
          groupName: 'CI_Group',
          isActive: true,
          expirationDate: '2026-01-31T00:00:00.000Z',
          effective: false,
        },
      ],
      groupComponents: [{ groupId: '0PG1', permissionSetId: '0PS2', name: 'CI_Deploy' }],
    });
    const r = await run(ins);
    const cause = r.byId('approval.path')!.outcome!.cause!;
    expect(cause).to.include({ code: 'USER_NOT_PREAUTHORIZED', fix: 'admin-preauth-lapsed' });
    expect(cause.summary).to.match(/permission set group CI_Group \(which contains CI_Deploy\).*expired on 2026-01-31/);
    expect(cause.params).to.include({
      assignedName: 'CI_Group',
      assignmentList: 'Permission Set Group Assignments',
      grantedSet: 'CI_Deploy',
    });
  });

  it('a production admin org for a test.salesforce.com login: loud warning, the rest skipped', async () => {
    const r = await run(inspection({ user: undefined }), {
      instanceUrl: 'https://test.salesforce.com',
      username: 'ci@acme.com.uat',
    });
    expect(r.byId('org.connection')!.result.status).to.equal('warn');
    expect(r.byId('org.connection')!.result.detail).to.match(/NOT the org/);
    expect(r.byId('user.exists')!.result.status).to.equal('skip');
    expect(r.byId('app.found')!.result.status).to.equal('skip');
  });

  it('--fix never plans a change in an admin org that is another org, whatever that org holds', async () => {
    const ins = inspection({ user: undefined });
    await run(ins, { instanceUrl: 'https://test.salesforce.com', username: 'ci@acme.com.uat' });
    expect(ins.otherOrg).to.be.a('string');
    // Even with a user and an admin-approved app read there, nothing is planned in the other org.
    const plan = planFix('USER_NOT_PREAUTHORIZED', { ...ins, user: inspection().user }, 'https://x');
    expect(plan.fixable).to.equal(false);
    expect(plan.steps).to.deep.equal([]);
    expect(plan.notes.join(' ')).to.match(/not the org being diagnosed/);
  });

  it('a user the login\'s org answered about ("inactive user") but the admin org does not have: another org', async () => {
    const answer = probe(
      { error: 'invalid_grant', errorDescription: 'inactive user' },
      'https://login.salesforce.com/',
    );
    const r = await run(inspection({ user: undefined }), {
      instanceUrl: 'https://login.salesforce.com',
      probe: answer,
    });
    expect(r.byId('org.connection')!.result.detail).to.match(/NOT the org.*inactive user/s);
    expect(r.byId('user.exists')!.result.status).to.equal('skip');
    // The same answer while the admin user cannot read users: nothing to conclude from the user's absence.
    const blind = await run(
      inspection({ user: undefined, errors: { user: { code: 'INVALID_TYPE', message: 'no access' } } }),
      { instanceUrl: 'https://login.salesforce.com', probe: answer },
    );
    expect(blind.byId('org.connection')!.result.status).to.not.equal('warn');
  });

  it("another My Domain than the admin org's is another org when the user is not there", async () => {
    const r = await run(inspection({ user: undefined }), { instanceUrl: 'https://globex.my.salesforce.com' });
    expect(r.byId('org.connection')!.result.detail).to.match(/another My Domain/);
  });

  it('a self-approval in a sandbox works now, and warns that the next refresh erases it', async () => {
    const ins = inspection({
      org: { id: '00D000000000001AAA', name: 'Acme UAT', isSandbox: true, kind: 'sandbox' },
      myDomainUrl: 'https://acme--uat.sandbox.my.salesforce.com',
      app: app({ adminApproved: false, grantedProfiles: [] }),
      approvals: [{ appName: 'CI Deploy App', useCount: 4, lastUsedDate: '2026-10-01T00:00:00.000+0000' }],
    });
    const r = await run(ins, { instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com', probe: probe('success') });
    const c = r.byId('approval.path')!;
    expect(c.result.status).to.equal('warn');
    expect(c.outcome?.cause?.fix).to.equal('admin-preauthorize-instead');
    expect(c.result.detail).to.match(/refresh/);
  });

  it("cannot see other users' approvals: skips naming Customize Application", async () => {
    const ins = inspection({ app: app({ adminApproved: false }), approvalsComplete: false });
    const r = await run(ins);
    expect(r.byId('approval.path')!.result.status).to.equal('skip');
    expect(r.byId('approval.path')!.result.detail).to.match(/Customize Application/);
  });

  it('setup evidence against a login that works becomes a low-weight warning, not a root cause', async () => {
    const ins = inspection({ user: { ...inspection().user!, isActive: false } });
    const r = await run(ins, { probe: probe('success') });
    const c = r.byId('user.active')!;
    expect(c.result.status).to.equal('warn');
    expect(c.outcome?.cause?.weight).to.be.below(50);
  });

  it("confirmed admin evidence outweighs the token probe's guess", async () => {
    const ins = inspection({ user: { ...inspection().user!, isPasswordLocked: true } });
    const r = await run(ins, {
      probe: probe({ error: 'invalid_grant', errorDescription: "user hasn't approved this consumer" }),
    });
    const c = r.byId('user.active')!;
    expect(c.result.status).to.equal('fail');
    expect(c.outcome?.cause).to.include({ code: 'USER_INACTIVE', confidence: 'confirmed', weight: 80 });
  });

  it('a refresh-token policy that expires tokens warns for a self-authorize app', async () => {
    const r = await run(
      inspection({
        app: app({ adminApproved: false, refreshTokenPolicy: 'specific_lifetime:30:DAYS' }),
        approvals: [{ appName: 'CI Deploy App' }],
      }),
    );
    expect(r.byId('app.policy')!.result.status).to.equal('warn');
    expect(r.byId('app.policy')!.result.detail).to.match(/specific_lifetime:30:DAYS/);
  });

  it('an app without the api scope warns', async () => {
    const r = await run(inspection({ app: app({ scopes: ['refresh_token', 'web'] }) }));
    expect(r.byId('app.scopes')!.result.status).to.equal('warn');
    expect(r.byId('app.scopes')!.result.detail).to.match(/api/);
  });

  it('a username that differs only by whitespace is USERNAME_MALFORMED with the exact user', async () => {
    const ins = inspection({
      user: undefined,
      similarUsers: [{ id: '005x', username: 'ci@acme.com', isActive: true }],
    });
    const r = await run(ins, { username: 'ci@acme.com ' });
    const c = r.byId('user.exists')!;
    expect(c.outcome?.cause?.code).to.equal('USERNAME_MALFORMED');
    expect(c.outcome?.cause?.params?.suggestedUsername).to.equal('ci@acme.com');
  });

  it('the app cannot be read: app checks skip naming the permission', async () => {
    const ins = inspection({
      app: undefined,
      errors: {
        apps: {
          code: 'INSUFFICIENT_ACCESS',
          message: 'no',
          permission: 'Modify Metadata Through Metadata API Functions (or Modify All Data)',
        },
      },
    });
    const r = await run(ins);
    expect(r.byId('app.found')!.result.status).to.equal('skip');
    expect(r.byId('app.found')!.result.detail).to.match(/Modify Metadata/);
    expect(r.byId('app.certificate')!.result.status).to.equal('skip');
  });

  it("tells a mistyped consumer key from another app's key", () => {
    const key = '3MVG9h2F28epHuRFzHPEliyhWngce3f8APNSxnGPbASqPADDtSeGePbStPnDbenJkJnAnkYPDDPDe';
    expect(nearlySame(key, `${key.slice(0, -8)}Xq9T2zAB`)).to.equal(true);
    expect(nearlySame(key, key.slice(0, -3))).to.equal(true);
    expect(nearlySame(key, '3MVG9DDJRZI2yKcj25Fulf6F4uMbBYMMbr8EVqteGhhJSPAVbVMDAYPPeeqMMSYMkhtDMSSVtnDbS')).to.equal(
      false,
    );
  });
});

describe('admin checks: readings whose meaning no source confirms are never confirmed (issue 10)', () => {
  const INVALID_ASSERTION = { error: 'invalid_grant', errorDescription: 'invalid assertion' };
  const NOT_ADMIN_APPROVED = {
    error: 'invalid_app_access',
    errorDescription: 'user is not admin approved to access this app',
  };
  const HASNT_APPROVED = { error: 'invalid_grant', errorDescription: "user hasn't approved this consumer" };

  it("AppMenuItem.IsAccessible false describes the admin who reads it: a likely note, never the CI user's cause", async () => {
    const ins = inspection({ app: app({ blocked: true }) });
    const failing = await run(ins, { probe: probe(NOT_ADMIN_APPROVED) });
    const c = failing.byId('app.installed')!;
    expect(c.result).to.include({ status: 'warn', evidence: 'inferred' });
    expect(c.result.detail).to.match(/admin@acme\.com/);
    // A blocked app (APP_BLOCKED), or one not installed: likely either way.
    expect(c.outcome?.cause).to.include({ code: 'APP_BLOCKED', confidence: 'likely', weight: 10 });
    expect(c.outcome?.cause?.alternatives).to.deep.equal(['APP_NOT_INSTALLED']);
    // Alone it fails nothing: a warning, likely.
    const d = diagnose(failing.runs);
    expect(d.verdict).to.equal('warn');
    expect(d.cause).to.include({ code: 'APP_BLOCKED', confidence: 'likely', evidence: 'inferred' });
    // A token issued to the CI user shows the app is not blocked for it.
    const works = await run(ins, { probe: probe('success') });
    expect(works.byId('app.installed')!.result).to.include({ status: 'pass', evidence: 'observed' });
    expect(works.byId('app.installed')!.outcome?.cause).to.equal(undefined);
  });

  it('no AppMenuItem reads as "not installed" only likely; Salesforce saying so confirms it', async () => {
    const r = await run(inspection({ app: app({ installed: false }) }), { probe: probe(HASNT_APPROVED) });
    expect(r.byId('app.installed')!.result).to.include({ status: 'fail', evidence: 'inferred' });
    expect(r.byId('app.installed')!.outcome?.cause?.confidence).to.equal('likely');
    expect(diagnose(r.runs).cause).to.include({ code: 'APP_NOT_INSTALLED', confidence: 'likely' });
    // The token endpoint's own "app must be installed into org" (probe.token, observed) confirms it; the fix stays the org's.
    const answer: CheckRun = {
      check: {
        id: 'probe.token',
        group: 'token',
        needs: [],
        mode: 'network',
        evidence: 'observed',
        run: () => undefined,
      },
      result: { id: 'probe.token', title: 'probe.token', status: 'fail', detail: '', evidence: 'observed' },
      outcome: {
        status: 'fail',
        detail: '',
        cause: {
          code: 'APP_NOT_INSTALLED',
          confidence: 'confirmed',
          weight: 50,
          summary: 'app must be installed into org',
        },
      },
    };
    const d = diagnose([answer, ...r.runs]);
    expect(d.cause).to.include({ code: 'APP_NOT_INSTALLED', confidence: 'confirmed', evidence: 'observed' });
    expect(d.proposals[0].fix).to.equal('admin-app-not-installed');
  });

  it('PermissionSetAssignment.IsActive false is inferred (likely); a past ExpirationDate is documented (confirmed)', async () => {
    const row = {
      permissionSetId: '0PS1',
      name: 'CI_Deploy',
      isOwnedByProfile: false,
      isActive: false,
      expirationDate: null,
      effective: false,
    };
    const granted = app({ grantedProfiles: [], grantedPermissionSets: ['CI_Deploy'] });
    const inactive = await run(inspection({ app: granted, assignments: [row] }), { probe: probe(HASNT_APPROVED) });
    const c = inactive.byId('approval.path')!;
    expect(c.result).to.include({ status: 'fail', evidence: 'inferred' });
    expect(c.outcome?.cause).to.include({ code: 'USER_NOT_PREAUTHORIZED', confidence: 'likely' });
    expect(diagnose(inactive.runs).cause?.confidence).to.equal('likely');
    const expired = await run(
      inspection({
        app: granted,
        assignments: [{ ...row, isActive: true, expirationDate: '2025-06-30T00:00:00.000Z' }],
      }),
      { probe: probe(HASNT_APPROVED) },
    );
    expect(expired.byId('approval.path')!.result).to.include({ status: 'fail', evidence: 'documented' });
    expect(diagnose(expired.runs).cause).to.include({
      code: 'USER_NOT_PREAUTHORIZED',
      confidence: 'confirmed',
      evidence: 'documented',
    });
  });

  it('MyDomainSettings login-policy flags give MY_DOMAIN_REQUIRED at most likely; a token at login.salesforce.com contradicts them', async () => {
    const ins = inspection({
      myDomainPolicy: { canOnlyLoginWithMyDomainUrl: true, doesApiLoginRequireOrgDomain: true },
    });
    const refused = await run(ins, {
      instanceUrl: 'https://login.salesforce.com',
      probe: probe(HASNT_APPROVED, 'https://login.salesforce.com'),
    });
    const c = refused.byId('org.my-domain')!;
    expect(c.result).to.include({ status: 'fail', evidence: 'inferred' });
    expect(diagnose(refused.runs).cause).to.include({
      code: 'MY_DOMAIN_REQUIRED',
      confidence: 'likely',
      evidence: 'inferred',
    });
    const issued = await run(ins, {
      instanceUrl: 'https://login.salesforce.com',
      probe: probe('success', 'https://login.salesforce.com'),
    });
    expect(issued.byId('org.my-domain')!.result).to.include({ status: 'pass', evidence: 'observed' });
    expect(issued.byId('org.my-domain')!.result.detail).to.match(/issued a token/);
    const d = diagnose(issued.runs);
    expect(d.verdict).to.equal('pass');
  });

  it('no app\'s metadata has the key: confirmed CLIENT_ID_INVALID only when the org\'s own endpoint said "client identifier invalid"', async () => {
    const ins = inspection({ app: undefined, appsSearched: { connectedApps: 3, externalClientApps: 1 } });
    // Any other answer at the org's My Domain proves the org knows the key (a packaged app, a gated ECA).
    const known = await run(ins, { probe: probe(INVALID_ASSERTION) });
    const found = known.byId('app.found')!;
    expect(found.result).to.include({ status: 'warn', evidence: 'observed' });
    expect(found.result.detail).to.match(/knows it \(it answered "invalid_grant: invalid assertion"/);
    expect(found.outcome?.cause).to.equal(undefined);
    expect(found.outcome?.rulesOut).to.deep.equal(['CLIENT_ID_INVALID']);
    expect(diagnose(known.runs).cause?.code ?? null).to.not.equal('CLIENT_ID_INVALID');

    const unknown = await run(ins, {
      probe: probe({ error: 'invalid_client_id', errorDescription: 'client identifier invalid' }),
    });
    expect(unknown.byId('app.found')!.result).to.include({ status: 'fail', evidence: 'observed' });
    expect(diagnose(unknown.runs).cause).to.include({ code: 'CLIENT_ID_INVALID', confidence: 'confirmed' });

    // No answer from the org's own host (login.salesforce.com only): metadata alone is inferred.
    const unasked = await run(ins, {
      probe: probe(
        { error: 'invalid_client_id', errorDescription: 'client identifier invalid' },
        'https://login.salesforce.com',
      ),
    });
    expect(unasked.byId('app.found')!.result).to.include({ status: 'fail', evidence: 'inferred' });
    expect(diagnose(unasked.runs).cause).to.include({ code: 'CLIENT_ID_INVALID', confidence: 'likely' });
  });
});
