/*
 * app.found on crafted inspections: which route found the app, and how sure each not-found answer is — confirmed only
 * when the token endpoint at the org's own host said "client identifier invalid" (observed).
 */
import { expect } from 'chai';
import type { DoctorInputs, Facts } from '../../../src/doctor/context.js';
import { runChecks, type CheckRun } from '../../../src/doctor/engine.js';
import { adminChecks } from '../../../src/doctor/checks/admin.js';
import type { AppFacts, OrgInspection } from '../../../src/salesforce/inspection.js';
import type { ProbeReport } from '../../../src/salesforce/probe.js';
import { analyzeKey } from '../../../src/salesforce/keyFile.js';
import { classifyUrl } from '../../../src/knowledge/instanceUrl.js';
import { rsaPem } from '../../helpers/keys.js';
import { orgInspection } from './orgFixture.js';

const KEY_FACTS = analyzeKey(rsaPem().pkcs8);

function app(over: Partial<AppFacts> = {}): AppFacts {
  return {
    kind: 'ConnectedApp',
    name: 'Vendor_App',
    label: 'Vendor App',
    id: '0H4000000000009AAA',
    scopes: ['api', 'refresh_token'],
    adminApproved: true,
    grantedProfiles: [],
    grantedPermissionSets: [],
    installed: true,
    blocked: false,
    ...over,
  };
}

function inspection(over: Partial<OrgInspection> = {}): OrgInspection {
  return orgInspection(over);
}

function probe(host: string, error: string, errorDescription: string): ProbeReport {
  const d = {
    loginUrl: `https://${host}/`,
    audience: `https://${host}`,
    ms: 5,
    outcome: 'error' as const,
    error,
    errorDescription,
    httpStatus: 400,
  };
  return { attempts: [d], details: [d], sfLoginUrl: d.loginUrl, audienceUrl: d.audience, timedOut: false };
}

async function appFound(ins: OrgInspection, probeReport?: ProbeReport): Promise<CheckRun | undefined> {
  const inputs: DoctorInputs = {
    username: { value: 'ci@acme.com', source: 'flag', origin: '--username' },
    clientId: { value: '3MVG9UNKNOWN', source: 'flag', origin: '--client-id' },
    instanceUrl: { value: 'https://acme.my.salesforce.com', source: 'flag', origin: '--instance-url' },
    adminOrg: { value: 'admin', source: 'flag', origin: '--admin-org' },
    offline: false,
    timeoutMs: 10_000,
  };
  const initialFacts: Facts = { key: KEY_FACTS, probe: probeReport };
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
  return runs.find((r) => r.check.id === 'app.found');
}

describe('app.found: routes and evidence', () => {
  it('no app has the key: CLIENT_ID_INVALID confirmed only when the org\'s own host said "client identifier invalid"', async () => {
    const observed = await appFound(
      inspection(),
      probe('acme.my.salesforce.com', 'invalid_client_id', 'client identifier invalid'),
    );
    expect(observed?.outcome?.cause).to.deep.include({ code: 'CLIENT_ID_INVALID', confidence: 'confirmed' });
    const elsewhere = await appFound(
      inspection(),
      probe('login.salesforce.com', 'invalid_client_id', 'client identifier invalid'),
    );
    expect(elsewhere?.outcome?.cause).to.deep.include({ code: 'CLIENT_ID_INVALID', confidence: 'likely' });
    expect(elsewhere?.result.detail).to.match(/Not confirmed/);
    const none = await appFound(inspection());
    expect(none?.outcome?.cause?.confidence).to.equal('likely');
  });

  it('the org knows the key but no key read is it: a warning naming the unread apps, no CLIENT_ID_INVALID', async () => {
    const keyless = app({ keyUnreadable: 'packaged', namespacePrefix: 'vendor' });
    const other = app({ name: 'Other_App', label: 'Other App', keyUnreadable: 'not-returned' });
    const r = await appFound(
      inspection({ keylessApps: [keyless, other] }),
      probe('acme.my.salesforce.com', 'invalid_grant', "user hasn't approved this consumer"),
    );
    expect(r?.result.status).to.equal('warn');
    expect(r?.outcome?.cause).to.equal(undefined);
    expect(r?.result.detail)
      .to.match(/knows it/)
      .and.match(/Vendor_App \(it was installed from a package \(namespace vendor\)/);
  });

  it('an audience answer proves nothing about the key: the guessed app is named but warned', async () => {
    const guessed = app({ keyUnreadable: 'eca-setting', kind: 'ExternalClientApp', foundBy: ['record'] });
    const r = await appFound(
      inspection({ app: guessed, keylessApps: [guessed] }),
      probe('acme.my.salesforce.com', 'invalid_grant', 'audience is invalid'),
    );
    expect(r?.result.status).to.equal('warn');
    expect(r?.result.detail)
      .to.match(/most likely the app, not confirmed/)
      .and.match(/Allow Access to OAuth Consumer Secrets via Metadata API/);
    expect(r?.result.detail).to.not.match(/token endpoint at/);
  });

  it('found by its key: every route that agrees is named', async () => {
    const found = app({ consumerKey: '3MVG9UNKNOWN', foundBy: ['metadata', 'record', 'approval'] });
    const r = await appFound(
      inspection({ app: found }),
      probe('acme.my.salesforce.com', 'invalid_grant', "user hasn't approved this consumer"),
    );
    expect(r?.result.status).to.equal('pass');
    expect(r?.result.detail).to.match(
      /Found by: its consumer key in its metadata \(readMetadata\); its ConnectedApplication row \(id 0H4000000000009AAA, by query\); ci@acme\.com's approvals \(OauthToken rows naming it\); the token endpoint at acme\.my\.salesforce\.com/,
    );
  });
});
