/*
 * The inspector with a sinon-stubbed @salesforce/core: what the simulated org cannot stage — a 401 refresh that would
 * save the auth file, a hung request, unusual permission errors — and the round structure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { AuthInfo, Connection } from '@salesforce/core';
import { inspectOrg } from '../../src/salesforce/inspector.js';
import { INSPECTOR_API_VERSION } from '../../src/salesforce/adminConnection.js';
import { userQuery } from '../../src/salesforce/userCandidates.js';
import { removeDir, tempHome } from '../helpers/cli.js';

type Query = (soql: string) => Promise<{ records: Array<Record<string, unknown>> }>;

const CA_XML = {
  fullName: 'CI_Deploy_App',
  label: 'CI Deploy App',
  oauthConfig: {
    consumerKey: '3MVG9KEY',
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    isAdminApproved: 'true',
    scopes: ['Api', 'RefreshToken'],
  },
  oauthPolicy: { ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'infinite' },
  profileName: 'Integration User',
};

function sfError(errorCode: string, message: string): Error {
  return Object.assign(new Error(message), { errorCode, name: errorCode });
}

function fakeConnection(query: Query, over: Record<string, unknown> = {}) {
  return {
    instanceUrl: 'https://acme.my.salesforce.com',
    request: sinon.stub().resolves({
      organization_id: '00D000000000001AAA',
      user_id: '005000000000001AAA',
      urls: { custom_domain: 'https://acme.my.salesforce.com' },
    }),
    query: sinon.spy(query),
    metadata: {
      list: sinon
        .stub()
        .callsFake((queries: Array<{ type: string }>) =>
          Promise.resolve(
            queries[0].type === 'ConnectedApp'
              ? [{ fullName: 'CI_Deploy_App', id: '0H4000000000001AAA', type: 'ConnectedApp' }]
              : [],
          ),
        ),
      read: sinon
        .stub()
        .callsFake((type: string) =>
          Promise.resolve(
            type === 'ConnectedApp' ? [CA_XML] : [{ fullName: 'MyDomain', canOnlyLoginWithMyDomainUrl: 'false' }],
          ),
        ),
    },
    ...over,
  };
}

function rowsFor(soql: string): Array<Record<string, unknown>> {
  if (/FROM Organization/.test(soql))
    return [{ Id: '00D000000000001AAA', Name: 'Acme', IsSandbox: false, OrganizationType: 'Enterprise Edition' }];
  if (/FROM User /.test(soql))
    return [
      { Id: '005000000000002AAA', Username: 'ci@acme.com', IsActive: true, Profile: { Name: 'Integration User' } },
    ];
  if (/FROM SetupEntityAccess/.test(soql))
    return [
      { ParentId: '0PS1', Parent: { Name: 'X00e', IsOwnedByProfile: true, Profile: { Name: 'Integration User' } } },
    ];
  if (/FROM AppMenuItem/.test(soql)) return /0H4000000000001AAA/.test(soql) ? [{ Id: '0DS1', IsAccessible: true }] : [];
  if (/FROM ConnectedApplication/.test(soql)) return [{ Id: '0H4000000000001AAA', Name: 'CI Deploy App' }];
  return [];
}

const REQUEST = {
  adminOrg: 'admin',
  username: 'ci@acme.com',
  clientId: '3MVG9KEY',
  instanceUrl: 'https://acme.my.salesforce.com',
  deadline: Date.now() + 60_000,
};

describe('inspectOrg (stubbed @salesforce/core)', () => {
  const sandbox = sinon.createSandbox();
  let saved: sinon.SinonSpy;
  let authInfo: Record<string, unknown>;

  let home: string;
  const savedHome = process.env.HOME;

  beforeEach(() => {
    saved = sandbox.spy();
    authInfo = {
      save: saved,
      getFields: () => ({ instanceUrl: 'https://acme.my.salesforce.com/' }),
      getUsername: () => 'admin@acme.com',
    };
    // The alias and the stored authorization are read from ~/.sfdx before core is asked (core's reads are stubbed).
    home = tempHome();
    mkdirSync(join(home, '.sfdx'));
    writeFileSync(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: { admin: 'admin@acme.com' } }));
    writeFileSync(
      join(home, '.sfdx', 'admin@acme.com.json'),
      JSON.stringify({
        username: 'admin@acme.com',
        instanceUrl: 'https://acme.my.salesforce.com/',
        loginUrl: 'https://acme.my.salesforce.com/',
      }),
    );
    process.env.HOME = home;
    sandbox.stub(AuthInfo, 'create').resolves(authInfo as unknown as AuthInfo);
  });
  afterEach(() => {
    sandbox.restore();
    process.env.HOME = savedHome;
    removeDir(home);
  });

  it('resolves the alias, never persists (save is an in-memory no-op) and skips the API-version round trip', async () => {
    const create = sandbox
      .stub(Connection, 'create')
      .resolves(fakeConnection(async (q) => ({ records: rowsFor(q) })) as unknown as Connection);
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 60_000 });
    expect((AuthInfo.create as sinon.SinonStub).firstCall.args[0]).to.deep.equal({ username: 'admin@acme.com' });
    await (authInfo.save as () => Promise<unknown>)();
    expect(saved.called, 'the original save').to.equal(false);
    expect(create.firstCall.args[0].connectionOptions?.version).to.equal(INSPECTOR_API_VERSION);
    expect(ins.adminUsername).to.equal('admin@acme.com');
    expect(ins.app?.name).to.equal('CI_Deploy_App');
    expect(ins.app?.installed).to.equal(true);
    expect(ins.rounds).to.equal(3);
  });

  it('records each unreadable area with the permission it needs, and carries on', async () => {
    const conn = fakeConnection(async (q) => {
      if (/FROM SetupEntityAccess/.test(q))
        throw sfError('INVALID_TYPE', "sObject type 'SetupEntityAccess' is not supported.");
      return { records: rowsFor(q) };
    });
    sandbox.stub(Connection, 'create').resolves(conn as unknown as Connection);
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 60_000 });
    expect(ins.errors.appAccess).to.deep.include({ code: 'INVALID_TYPE', permission: 'View Setup and Configuration' });
    expect(ins.user?.username).to.equal('ci@acme.com');
    expect(ins.app?.grantedProfiles).to.deep.equal(['Integration User']);
  });

  it('a Metadata API refusal names Modify Metadata; the app search stops at two rounds', async () => {
    const conn = fakeConnection(async (q) => ({ records: rowsFor(q) }));
    conn.metadata.list = sinon
      .stub()
      .rejects(
        sfError(
          'sf:INSUFFICIENT_ACCESS',
          'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
        ),
      );
    sandbox.stub(Connection, 'create').resolves(conn as unknown as Connection);
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 60_000 });
    expect(ins.errors.apps?.code).to.equal('INSUFFICIENT_ACCESS');
    expect(ins.errors.apps?.permission).to.match(/Modify Metadata/);
    expect(ins.rounds).to.equal(2);
  });

  it('a hung org: every read gives up at the deadline', async () => {
    const conn = fakeConnection(() => new Promise(() => undefined));
    conn.request = sinon.stub().returns(new Promise(() => undefined));
    sandbox.stub(Connection, 'create').resolves(conn as unknown as Connection);
    const started = Date.now();
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 300 });
    expect(Date.now() - started).to.be.below(3000);
    expect(ins.errors.identity?.code).to.equal('ETIMEDOUT');
    expect(ins.errors.organization?.code).to.equal('ETIMEDOUT');
  });

  it('an unknown admin org: a connection error, no request', async () => {
    (AuthInfo.create as sinon.SinonStub).rejects(
      Object.assign(new Error('No authorization information found for nobody.'), { name: 'NamedOrgNotFoundError' }),
    );
    const create = sandbox.stub(Connection, 'create');
    const ins = await inspectOrg({ ...REQUEST, adminOrg: 'nobody' });
    expect(ins.errors.connection?.code).to.equal('NO_AUTH');
    expect(create.called).to.equal(false);
  });

  it("resolves the app's id by query, never from listMetadata's id (here an 06P application id)", async () => {
    const conn = fakeConnection(async (q) => ({ records: rowsFor(q) }));
    conn.metadata.list = sinon.stub().callsFake((queries: Array<{ type: string }>) =>
      Promise.resolve(
        queries[0].type === 'ConnectedApp'
          ? [
              {
                fullName: 'CI_Deploy_App',
                id: '06P000000000001AAA',
                type: 'ConnectedApp',
                manageableState: 'unmanaged',
              },
            ]
          : [],
      ),
    );
    sandbox.stub(Connection, 'create').resolves(conn as unknown as Connection);
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 60_000 });
    expect(ins.app?.id).to.equal('0H4000000000001AAA');
    expect(ins.app?.foundBy).to.deep.equal(['metadata', 'record']);
    const soql = conn.query.getCalls().map((c) => String(c.args[0]));
    expect(soql.filter((x) => /06P/.test(x))).to.deep.equal([]);
    expect(soql.some((x) => /FROM SetupEntityAccess WHERE SetupEntityId = '0H4000000000001AAA'/.test(x))).to.equal(
      true,
    );
    expect(soql.some((x) => /FROM AppMenuItem WHERE ApplicationId = '0H4000000000001AAA'/.test(x))).to.equal(true);
    expect(ins.app?.installed).to.equal(true);
    expect(ins.rounds).to.equal(3);
  });

  it('without the ConnectedApplication rows the app has no id: no setup read by a guessed id, View Setup named', async () => {
    const conn = fakeConnection(async (q) => {
      if (/FROM (ConnectedApplication|ExternalClientApplication)/.test(q))
        throw sfError('INVALID_TYPE', "sObject type 'ConnectedApplication' is not supported.");
      return { records: rowsFor(q) };
    });
    sandbox.stub(Connection, 'create').resolves(conn as unknown as Connection);
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 60_000 });
    expect(ins.app?.name).to.equal('CI_Deploy_App');
    expect(ins.app?.id).to.equal(undefined);
    expect(ins.errors.appRecords).to.deep.include({ code: 'INVALID_TYPE', permission: 'View Setup and Configuration' });
    expect(ins.errors.appAccess, 'the grants need the id').to.deep.include({
      code: 'INVALID_TYPE',
      permission: 'View Setup and Configuration',
    });
    expect(conn.query.getCalls().some((c) => /WHERE (SetupEntityId|ApplicationId) =/.test(String(c.args[0])))).to.equal(
      false,
    );
  });

  it('a packaged Connected App (no consumer key in its metadata) is the likely app, by its row, with the reason', async () => {
    const conn = fakeConnection(async (q) => ({ records: rowsFor(q) }));
    conn.metadata.list = sinon.stub().callsFake((queries: Array<{ type: string }>) =>
      Promise.resolve(
        queries[0].type === 'ConnectedApp'
          ? [
              {
                fullName: 'CI_Deploy_App',
                type: 'ConnectedApp',
                manageableState: 'installed',
                namespacePrefix: 'vendor',
              },
            ]
          : [],
      ),
    );
    conn.metadata.read = sinon
      .stub()
      .callsFake((type: string) =>
        Promise.resolve(
          type === 'ConnectedApp'
            ? [{ ...CA_XML, oauthConfig: { ...CA_XML.oauthConfig, consumerKey: undefined } }]
            : [{ fullName: 'MyDomain' }],
        ),
      );
    sandbox.stub(Connection, 'create').resolves(conn as unknown as Connection);
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 60_000 });
    expect(ins.app).to.deep.include({
      name: 'CI_Deploy_App',
      id: '0H4000000000001AAA',
      keyUnreadable: 'packaged',
      namespacePrefix: 'vendor',
    });
    expect(ins.app?.foundBy).to.deep.equal(['record']);
    expect(ins.keylessApps?.map((a) => a.name)).to.deep.equal(['CI_Deploy_App']);
    expect(ins.appKeys).to.deep.equal([]);
  });

  it('an ECA whose global OAuth settings read no key (the org setting is off); of two keyless apps, the one the user approved', async () => {
    const conn = fakeConnection(async (q) => {
      if (/FROM OauthToken/.test(q))
        return { records: [{ AppName: 'CI Deploy ECA', CreatedDate: '2025-01-01T00:00:00.000+0000', UseCount: 3 }] };
      if (/FROM ExternalClientApplication/.test(q))
        return {
          records: [{ Id: '0xI000000000001AAA', DeveloperName: 'CI_Deploy_ECA', MasterLabel: 'CI Deploy ECA' }],
        };
      return { records: rowsFor(q) };
    });
    conn.metadata.list = sinon.stub().callsFake((queries: Array<{ type: string }>) =>
      Promise.resolve(
        queries[0].type === 'ConnectedApp'
          ? [{ fullName: 'Vendor_App', type: 'ConnectedApp', manageableState: 'installed', namespacePrefix: 'vendor' }]
          : queries.length > 1
            ? [
                { fullName: 'CI_Deploy_ECA', type: 'ExternalClientApplication' },
                { fullName: 'CI_Deploy_ECA_glbloauth', type: 'ExtlClntAppGlobalOauthSettings' },
              ]
            : [],
      ),
    );
    conn.metadata.read = sinon.stub().callsFake((type: string) => {
      if (type === 'ConnectedApp')
        return Promise.resolve([
          { fullName: 'Vendor_App', label: 'Vendor App', oauthConfig: { callbackUrl: 'https://x' } },
        ]);
      if (type === 'ExtlClntAppGlobalOauthSettings')
        return Promise.resolve([
          {
            fullName: 'CI_Deploy_ECA_glbloauth',
            externalClientApplication: 'CI_Deploy_ECA',
            callbackUrl: 'http://localhost:1717/OauthRedirect',
          },
        ]);
      if (type === 'ExternalClientApplication')
        return Promise.resolve([{ fullName: 'CI_Deploy_ECA', label: 'CI Deploy ECA', distributionState: 'Local' }]);
      return Promise.resolve([]);
    });
    sandbox.stub(Connection, 'create').resolves(conn as unknown as Connection);
    const ins = await inspectOrg({ ...REQUEST, deadline: Date.now() + 60_000 });
    expect(ins.keylessApps?.map((a) => [a.name, a.keyUnreadable])).to.deep.equal([
      ['Vendor_App', 'packaged'],
      ['CI_Deploy_ECA', 'eca-setting'],
    ]);
    expect(ins.app).to.deep.include({ name: 'CI_Deploy_ECA', id: '0xI000000000001AAA', kind: 'ExternalClientApp' });
    expect(ins.app?.foundBy).to.deep.equal(['record', 'approval']);
    expect(ins.approvals).to.have.length(1);
  });

  it('asks for the user and its likely variants in one selective query', () => {
    const soql = userQuery('ci@acme.com ', 'https://acme--uat.sandbox.my.salesforce.com');
    expect(soql).to.match(/Username IN \('ci@acme\.com ', 'ci@acme\.com', 'ci@acme\.com\.uat'\)/);
    expect(soql).to.match(/OR Username LIKE 'ci%@acme\.com%'/);
    expect(soql).to.match(/LIMIT 20$/);
    expect(userQuery("o'brien@acme.com", 'https://acme.my.salesforce.com')).to.contain("'o\\'brien@acme.com'");
  });

  it("tries both readings of a two-letter ending on a sandbox: a country code, or another sandbox's name", () => {
    const soql = userQuery('ci@acme.com.br', 'https://acme--uat.sandbox.my.salesforce.com');
    expect(soql).to.contain("'ci@acme.com.br.uat'").and.contain("'ci@acme.com.uat'");
    expect(userQuery('ci@acme.com.qa', 'https://acme--uat.sandbox.my.salesforce.com'))
      .to.contain("'ci@acme.com.uat'")
      .and.contain("LIKE 'ci%@acme.com%'");
  });
});
