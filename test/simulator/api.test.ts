/*
 * Identity/userinfo, Metadata API through jsforce (conn.metadata.list/read), sobject create/delete changing the live
 * state (a fix makes the JWT login work), the authorize endpoint (seed 000's fix) and the request log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { fetch } from 'undici';
import { loadScenario, type Simulator } from '../../simulator/index.js';
import { installConnectTo } from '../../src/salesforce/connectTo.js';
import { jwtLogin, routedSimulator } from './helpers.js';

describe('simulator APIs', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let home: string;
  const saved = { ...process.env };
  let core: typeof import('@salesforce/core');

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'jwt-doctor-home-'));
    Object.assign(process.env, {
      HOME: home,
      SF_DISABLE_DNS_CHECK: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_LOG_FILE: 'true',
    });
    core = await import('@salesforce/core');
  });
  after(async () => {
    await sim?.stop();
    rmSync(home, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  async function adminConnection(username = 'admin@acme.com'): Promise<import('@salesforce/core').Connection> {
    const { accessToken, instanceUrl } = sim.issueAccessToken(username);
    const authInfo = await core.AuthInfo.create({
      accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl },
    });
    return core.Connection.create({ authInfo });
  }

  it('identity URL and userinfo carry the My Domain as urls.custom_domain', async () => {
    sim = await routedSimulator({ scenario: 'healthy-production' });
    const token = await jwtLogin(sim);
    const headers = { authorization: `Bearer ${token.body.access_token}` };
    const id = (await (await fetch(token.body.id, { headers })).json()) as Record<
      string,
      Record<string, string> | string
    >;
    expect(id.username).to.equal('ci@acme.com');
    expect((id.urls as Record<string, string>).custom_domain).to.equal('https://acme.my.salesforce.com');
    expect((id.urls as Record<string, string>).tooling_rest).to.equal(
      'https://acme.my.salesforce.com/services/data/v{version}/tooling/',
    );
    const info = (await (
      await fetch('https://acme.my.salesforce.com/services/oauth2/userinfo', { headers })
    ).json()) as Record<string, unknown>;
    expect(info).to.deep.include({ preferred_username: 'ci@acme.com', organization_id: sim.state.orgId });
    expect(
      (
        await fetch('https://acme.my.salesforce.com/services/oauth2/userinfo', {
          headers: { authorization: 'Bearer nope' },
        })
      ).status,
    ).to.equal(403);
    const versions = (await (await fetch('https://acme.my.salesforce.com/services/data')).json()) as Array<{
      version: string;
    }>;
    expect(versions.at(-1)?.version).to.equal('66.0');
  });

  it('Metadata API: list and read ConnectedApp (consumer key, certificate, grants) and MyDomainSettings', async () => {
    const conn = await adminConnection();
    const list = await conn.metadata.list([{ type: 'ConnectedApp' }]);
    expect((Array.isArray(list) ? list : [list]).map((f) => f.fullName)).to.deep.equal(['CI_Deploy_App']);
    const app = (await conn.metadata.read('ConnectedApp', 'CI_Deploy_App')) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    expect(app.fullName).to.equal('CI_Deploy_App');
    expect(app.oauthConfig.consumerKey).to.equal(sim.login?.clientId);
    expect(app.oauthConfig.certificate).to.equal(sim.certificatePem('CI_Deploy_App'));
    expect(app.oauthConfig.isAdminApproved).to.equal(true);
    expect(app.oauthConfig.scopes).to.include.members(['Api', 'RefreshToken']);
    expect(app.oauthPolicy).to.deep.equal({ ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'infinite' });
    expect(app.profileName).to.deep.equal(['Integration User']);
    const md = (await conn.metadata.read('MyDomainSettings', 'MyDomain')) as unknown as Record<string, unknown>;
    expect(md).to.deep.include({ canOnlyLoginWithMyDomainUrl: false, doesApiLoginRequireOrgDomain: false });
    const missing = await conn.metadata.read('ConnectedApp', ['Nope']);
    expect(missing).to.have.length(1);
    expect(sim.requests.filter((r) => r.path.startsWith('/services/Soap/m/')).every((r) => !r.mutating)).to.equal(true);
  });

  it('Metadata API: the four External Client App types', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'healthy-eca' });
    const conn = await adminConnection();
    const types = [
      'ExternalClientApplication',
      'ExtlClntAppOauthSettings',
      'ExtlClntAppGlobalOauthSettings',
      'ExtlClntAppOauthConfigurablePolicies',
    ];
    const listed = await conn.metadata.list(types.map((type) => ({ type })));
    expect(listed.map((f) => f.type).sort()).to.deep.equal([...types].sort());
    // jsforce's MetadataType union predates the ECA types; the SOAP call is the same.
    const read = conn.metadata.read.bind(conn.metadata) as unknown as (
      type: string,
      name: string,
    ) => Promise<Record<string, string>>;
    const glbl = listed.find((f) => f.type === 'ExtlClntAppGlobalOauthSettings');
    const settings = await read('ExtlClntAppGlobalOauthSettings', glbl?.fullName as string);
    expect(settings.consumerKey).to.equal(sim.login?.clientId);
    expect(settings.certificate).to.contain('BEGIN CERTIFICATE');
    const policyName = listed.find((f) => f.type === 'ExtlClntAppOauthConfigurablePolicies')?.fullName as string;
    const policy = await read('ExtlClntAppOauthConfigurablePolicies', policyName);
    expect(policy).to.deep.include({
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      commaSeparatedPermissionSet: 'CI_Deploy',
      requiredSessionLevel: 'STANDARD',
    });
  });

  it('Metadata API: a packaged Connected App reads no consumer key; listMetadata marks it installed, with its namespace', async () => {
    await sim.stop();
    const scenario = structuredClone(loadScenario('healthy-production'));
    Object.assign(scenario.apps![0], { namespacePrefix: 'vendor' });
    sim = await routedSimulator({ scenario });
    const conn = await adminConnection();
    const [listed] = await conn.metadata.list([{ type: 'ConnectedApp' }]);
    expect(listed).to.deep.include({
      fullName: 'CI_Deploy_App',
      manageableState: 'installed',
      namespacePrefix: 'vendor',
    });
    const app = (await conn.metadata.read('ConnectedApp', 'CI_Deploy_App')) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    expect(app.oauthConfig.consumerKey).to.equal(undefined);
    expect(app.oauthConfig.callbackUrl).to.equal('http://localhost:1717/OauthRedirect');
    // The token endpoint still knows the key: the app is installed here.
    expect((await jwtLogin(sim)).status).to.equal(200);
  });

  it('Metadata API: listMetadata gives the ConnectedApplication id, or a 06P id under listMetadataAppId 06P', async () => {
    for (const variant of ['0H4', '06P'] as const) {
      await sim.stop();
      const scenario = structuredClone(loadScenario('healthy-production'));
      scenario.server = { ...scenario.server, behaviour: { listMetadataAppId: variant } };
      sim = await routedSimulator({ scenario });
      const conn = await adminConnection();
      const [listed] = await conn.metadata.list([{ type: 'ConnectedApp' }]);
      const row = await conn.singleRecordQuery<{ Id: string }>(
        "SELECT Id FROM ConnectedApplication WHERE Name = 'CI Deploy App'",
      );
      expect(row.Id.startsWith('0H4')).to.equal(true);
      expect(listed.id.slice(0, 3), variant).to.equal(variant);
      expect(listed.id === row.Id, variant).to.equal(variant === '0H4');
    }
  });

  it('Metadata API: ECA global OAuth settings give no consumer key with "Allow Access to OAuth Consumer Secrets via Metadata API" off; a packaged ECA has none here', async () => {
    await sim.stop();
    const scenario = structuredClone(loadScenario('healthy-eca'));
    scenario.org.ecaSecretsViaMetadata = false;
    sim = await routedSimulator({ scenario });
    const conn = await adminConnection();
    const read = conn.metadata.read.bind(conn.metadata) as unknown as (
      type: string,
      name: string,
    ) => Promise<Record<string, string>>;
    const settings = await read('ExtlClntAppGlobalOauthSettings', 'CI_Deploy_ECA_glbloauth');
    expect(settings.consumerKey).to.equal(undefined);
    expect(settings.externalClientApplication).to.equal('CI_Deploy_ECA');
    await sim.stop();
    const packaged = structuredClone(loadScenario('healthy-eca'));
    packaged.apps![0].packaged = true;
    sim = await routedSimulator({ scenario: packaged });
    const conn2 = await adminConnection();
    const listed = await conn2.metadata.list([
      { type: 'ExternalClientApplication' },
      { type: 'ExtlClntAppGlobalOauthSettings' },
    ]);
    expect(listed.map((f) => f.type)).to.deep.equal(['ExternalClientApplication']);
    expect(listed[0].manageableState).to.equal('installed');
  });

  it('fix mode: creating a PermissionSetAssignment makes the JWT login work; delete undoes it', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'permset-granted-not-assigned' });
    expect((await jwtLogin(sim)).body.error).to.equal('invalid_app_access');
    const conn = await adminConnection();
    const ps = await conn.singleRecordQuery<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'CI_Deploy'");
    const user = await conn.singleRecordQuery<{ Id: string }>("SELECT Id FROM User WHERE Username = 'ci@acme.com'");
    const created = await conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user.Id, PermissionSetId: ps.Id });
    expect(created.success).to.equal(true);
    expect((await jwtLogin(sim)).status).to.equal(200);
    const dup = await conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user.Id, PermissionSetId: ps.Id })
      .catch((e: Error & { errorCode?: string }) => e);
    expect((dup as { errorCode?: string }).errorCode).to.equal('DUPLICATE_VALUE');
    await conn.sobject('PermissionSetAssignment').destroy(created.id as string);
    expect((await jwtLogin(sim)).body.error).to.equal('invalid_app_access');
    const mutating = sim.requests.filter((r) => r.mutating);
    expect(mutating.map((r) => r.method)).to.deep.equal(['POST', 'POST', 'DELETE']);
  });

  it('fix mode: a new SetupEntityAccess grants the app to a permission set', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'not-preauthorized-profile' });
    const conn = await adminConnection();
    const ps = await conn.sobject('PermissionSet').create({ Name: 'JWT_Access', Label: 'JWT Access' });
    const app = await conn.singleRecordQuery<{ Id: string }>(
      "SELECT Id FROM ConnectedApplication WHERE Name = 'CI Deploy App'",
    );
    await conn.sobject('SetupEntityAccess').create({ ParentId: ps.id, SetupEntityId: app.Id });
    const user = await conn.singleRecordQuery<{ Id: string }>("SELECT Id FROM User WHERE Username = 'ci@acme.com'");
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.Id, PermissionSetId: ps.id });
    expect((await jwtLogin(sim)).status).to.equal(200);
    const read = (await conn.metadata.read('ConnectedApp', 'CI_Deploy_App')) as unknown as Record<string, unknown>;
    expect(read.permissionSetName).to.deep.equal(['JWT_Access']);
  });

  it('an admin without View Setup: INVALID_TYPE on SetupEntityAccess, INSUFFICIENT_ACCESS on the Metadata API', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'admin-without-view-setup' });
    const conn = await adminConnection('release@acme.com');
    const err = (await conn.query('SELECT Id FROM SetupEntityAccess').then(
      () => ({}),
      (e: Error) => e,
    )) as { errorCode?: string };
    expect(err.errorCode).to.equal('INVALID_TYPE');
    const md = (await conn.metadata.list([{ type: 'ConnectedApp' }]).catch((e: unknown) => e)) as {
      errorCode?: string;
      message?: string;
    };
    expect(`${md.errorCode} ${md.message}`).to.contain('INSUFFICIENT_ACCESS');
  });

  it('LoginHistory: one row per token request the org can tie to the user, with the status the same rule chose', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'not-preauthorized-profile' });
    const conn = await adminConnection();
    const before = Date.now() + sim.state.clockOffsetSeconds * 1000 - 1000;
    const refused = await jwtLogin(sim);
    expect(refused.status).to.equal(400);
    // Not tied to the user: an unknown consumer key, another realm's host.
    await jwtLogin(sim, { iss: '3MVG9unknownKey' });
    await jwtLogin(sim, { host: 'test.salesforce.com', aud: 'https://test.salesforce.com' });
    const user = sim.state.userByUsername(sim.login!.username)!;
    const rows = (
      await conn.query(
        `SELECT LoginTime, Status, Application, LoginType, LoginUrl, SourceIp FROM LoginHistory WHERE UserId = '${String(user.Id)}' ORDER BY LoginTime DESC LIMIT 20`,
      )
    ).records as Array<Record<string, string>>;
    expect(rows.map((r) => r.Status)).to.deep.equal(['Failed: Not approved for access']);
    expect(rows[0]).to.include({
      LoginType: 'Remote Access 2.0',
      LoginUrl: 'acme.my.salesforce.com',
      Application: 'CI Deploy App',
    });
    expect(Date.parse(rows[0].LoginTime.replace('+0000', 'Z'))).to.be.at.least(before);
    const ok = await routedSimulator({ scenario: 'healthy-production' });
    try {
      await jwtLogin(ok);
      const okUser = ok.state.userByUsername(ok.login!.username)!;
      expect(
        ok.state
          .table('LoginHistory')
          .filter((r) => r.UserId === okUser.Id)
          .map((r) => r.Status),
      ).to.deep.equal(['Success']);
    } finally {
      await ok.stop();
      installConnectTo({ ...process.env, ...sim.env });
    }
  });

  it('LoginHistory and UserLogin need Manage Users; a "not-recorded" org keeps no rows of the attempts', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'admin-without-view-setup' });
    const conn = await adminConnection('release@acme.com');
    for (const object of ['LoginHistory', 'UserLogin']) {
      const err = (await conn.query(`SELECT Id FROM ${object}`).then(
        () => ({}),
        (e: Error) => e,
      )) as { errorCode?: string };
      expect(err.errorCode, object).to.equal('INVALID_TYPE');
    }
    await sim.stop();
    const scenario = structuredClone(loadScenario('user-frozen'));
    scenario.server = {
      ...scenario.server,
      behaviour: { ...scenario.server?.behaviour, loginHistory: 'not-recorded' },
    };
    sim = await routedSimulator({ scenario });
    await jwtLogin(sim);
    expect(sim.state.table('LoginHistory')).to.deep.equal([]);
  });

  it('serves a request target with a doubled slash as the single-slash one (URLs stored with a trailing slash)', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'healthy-production' });
    const { accessToken } = sim.issueAccessToken('admin@acme.com');
    const headers = { authorization: `Bearer ${accessToken}` };
    const one = await fetch('https://acme.my.salesforce.com/services/data/v62.0/query?q=SELECT+Id+FROM+Organization', {
      headers,
    });
    const two = await fetch('https://acme.my.salesforce.com//services/data/v62.0/query?q=SELECT+Id+FROM+Organization', {
      headers,
    });
    expect(two.status).to.equal(one.status).and.equal(200);
    expect(await two.json()).to.deep.include({ totalSize: 1 });
    expect((await fetch('https://acme.my.salesforce.com//services/oauth2/userinfo', { headers })).status).to.equal(200);
  });

  it('authorize: the web-server flow leaves no approval until the code is exchanged; the user-agent flow approves', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'self-authorize-never-approved' });
    const app = sim.state.appByName('CI_Deploy_App');
    const base = 'https://acme.my.salesforce.com/services/oauth2/authorize';
    const params = (extra: Record<string, string>): string =>
      new URLSearchParams({
        client_id: app?.consumerKey as string,
        redirect_uri: app?.callbackUrl as string,
        sim_user: 'ci@acme.com',
        ...extra,
      }).toString();
    const code = await fetch(`${base}?${params({ response_type: 'code' })}`, { redirect: 'manual' });
    expect(code.status).to.equal(302);
    expect(code.headers.get('location')).to.match(/^http:\/\/localhost:1717\/OauthRedirect\?code=/);
    expect((await jwtLogin(sim)).body.error_description).to.equal("user hasn't approved this consumer");
    const badScope = await fetch(`${base}?${params({ response_type: 'token', scope: 'api full' })}`, {
      redirect: 'manual',
    });
    expect(badScope.headers.get('location')).to.contain('error=invalid_scope');
    const token = await fetch(`${base}?${params({ response_type: 'token', scope: 'api refresh_token' })}`, {
      redirect: 'manual',
    });
    expect(token.status).to.equal(302);
    const fragment = new URLSearchParams((token.headers.get('location') as string).split('#')[1]);
    expect(fragment.get('token_type')).to.equal('Bearer');
    expect(fragment.has('refresh_token')).to.equal(true);
    expect((await jwtLogin(sim)).status).to.equal(200);
    const approvals = sim.requests.filter((r) => r.path === '/services/oauth2/authorize' && r.mutating);
    expect(approvals).to.have.length(1);
  });

  it('authorize: exchanging a web-server-flow code with refresh_token records the approval', async () => {
    await sim.stop();
    sim = await routedSimulator({ scenario: 'approved-without-refresh-scope' });
    const app = sim.state.appByName('CI_Deploy_App');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: app?.consumerKey as string,
      redirect_uri: app?.callbackUrl as string,
      sim_user: 'ci@acme.com',
    });
    const res = await fetch(`https://acme.my.salesforce.com/services/oauth2/authorize?${q.toString()}`, {
      redirect: 'manual',
    });
    const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
    const exchange = await fetch('https://acme.my.salesforce.com/services/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: app?.consumerKey as string,
        redirect_uri: app?.callbackUrl as string,
      }).toString(),
    });
    const body = (await exchange.json()) as Record<string, string>;
    expect(body.refresh_token).to.be.a('string');
    expect((await jwtLogin(sim)).status).to.equal(200);
  });

  it('request log: host, path, query keys, decoded claims and outcome — never the assertion or tokens', async () => {
    sim.clearLog();
    await jwtLogin(sim, { aud: 'https://acme.force.com' });
    const [entry] = sim.requests;
    expect(entry).to.deep.include({
      host: 'acme.my.salesforce.com',
      method: 'POST',
      path: '/services/oauth2/token',
      status: 400,
      mutating: false,
      loopback: true,
    });
    expect(entry.token).to.deep.include({
      sub: 'ci@acme.com',
      aud: 'https://acme.force.com',
      outcome: 'invalid_grant: audience is invalid',
      rule: 'aud',
    });
    expect(entry.bodyShape).to.deep.equal({
      contentType: 'application/x-www-form-urlencoded',
      params: ['grant_type', 'assertion'],
    });
    const text = JSON.stringify(sim.requests);
    expect(text).to.not.match(/eyJ[\w-]+\.eyJ/);
    expect(text).to.not.contain('!AQ');
  });
});
