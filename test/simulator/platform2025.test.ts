/*
 * The simulated org on the 2025–2026 platform (issue 13, point 5), each rule over real HTTPS under each value of its
 * unverified option: a Dev Hub (ScratchOrgInfo, core's determineIfDevHub), an External Client App whose OAuth
 * settings did not survive a sandbox refresh (known issue a02Ka00000mn8S6), and uninstalled connected apps with the
 * "Approve Uninstalled Connected Apps" permission (help 005132365).
 */
import { expect } from 'chai';
import { fetch } from 'undici';
import { AuthInfo, Connection } from '@salesforce/core';
import { loadScenario, type Behaviour, type Simulator } from '../../simulator/index.js';
import { jwtLogin, routedSimulator } from './helpers.js';

const FIRST_CALL = 'services/data/v51.0/query?q=SELECT%20Id%20FROM%20ScratchOrgInfo%20limit%201';

function withBehaviour(name: string, behaviour: Behaviour) {
  const s = structuredClone(loadScenario(name));
  s.server = { ...s.server, behaviour: { ...s.server?.behaviour, ...behaviour } };
  return s;
}

async function firstCall(sim: Simulator, token: string): Promise<{ status: number; errorCode?: string }> {
  const res = await fetch(`${sim.login!.instanceUrl!}/${FIRST_CALL}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as unknown;
  return {
    status: res.status,
    errorCode: Array.isArray(body) ? (body[0] as { errorCode: string }).errorCode : undefined,
  };
}

describe('simulator on the 2025–2026 platform: Dev Hub, ECA settings after a refresh, uninstalled apps', function () {
  this.timeout(30_000);
  let sim: Simulator | undefined;
  const use = async (scenario: Parameters<typeof routedSimulator>[0]['scenario']): Promise<Simulator> => {
    await sim?.stop();
    sim = await routedSimulator({ scenario });
    return sim;
  };
  const dnsCheck = process.env.SF_DISABLE_DNS_CHECK;
  // Core resolves instance_url by DNS before a Connection is made; routed hosts must never reach DNS.
  before(() => {
    process.env.SF_DISABLE_DNS_CHECK = 'true';
  });
  after(() => {
    if (dnsCheck === undefined) delete process.env.SF_DISABLE_DNS_CHECK;
    else process.env.SF_DISABLE_DNS_CHECK = dnsCheck;
  });
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it("a Dev Hub has ScratchOrgInfo (core's determineIfDevHub answers 200); another org answers INVALID_TYPE", async () => {
    let s = await use('devhub-eca');
    const login = await jwtLogin(s);
    expect(login.status).to.equal(200);
    expect(await firstCall(s, login.body.access_token)).to.deep.equal({ status: 200, errorCode: undefined });
    s = await use('healthy-eca');
    expect(await firstCall(s, (await jwtLogin(s)).body.access_token)).to.deep.include({
      status: 400,
      errorCode: 'INVALID_TYPE',
    });
    // Unverified who may read it: under scratchOrgInfoAccess admins the CI user sees no ScratchOrgInfo, the admin does.
    s = await use(withBehaviour('devhub-eca', { scratchOrgInfoAccess: 'admins' }));
    expect((await firstCall(s, (await jwtLogin(s)).body.access_token)).errorCode).to.equal('INVALID_TYPE');
    expect((await firstCall(s, s.issueAccessToken('admin@acme.com').accessToken)).status).to.equal(200);
  });

  it('an ECA without its OAuth settings after a refresh: the key is unknown (E6, or E7 under the option)', async () => {
    let s = await use('sandbox-eca-oauth-settings-lost');
    let answer = await jwtLogin(s);
    expect(answer.status).to.equal(400);
    expect(answer.body).to.include({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    // The app is there, its OAuth settings are not: what an admin's metadata reads show.
    const { accessToken, instanceUrl } = s.issueAccessToken(s.scenario.admin!);
    const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl } });
    const conn = await Connection.create({ authInfo });
    const listed = await conn.metadata.list([
      { type: 'ExternalClientApplication' },
      { type: 'ExtlClntAppGlobalOauthSettings' },
      { type: 'ExtlClntAppOauthSettings' },
    ]);
    expect(listed.map((f) => f.type).sort()).to.deep.equal(['ExternalClientApplication']);
    // Healthy, the same sandbox lists all three.
    s = await use(withBehaviour('sandbox-eca-oauth-settings-lost', { ecaOauthSettingsLostError: 'app_not_found' }));
    answer = await jwtLogin(s);
    expect(answer.body).to.include({ error: 'app_not_found' });
    const healthy = structuredClone(loadScenario('sandbox-eca-oauth-settings-lost'));
    delete healthy.apps![0].oauthSettings;
    s = await use(healthy);
    expect((await jwtLogin(s)).status).to.equal(200);
  });

  it('an uninstalled connected app: the standard System Administrator (with the permission) gets in, a clone does not', async () => {
    let s = await use('uninstalled-app-custom-admin-profile');
    const ci = await jwtLogin(s);
    expect(ci.status).to.equal(400);
    expect(ci.body.error_description).to.equal('app must be installed into org');
    const admin = await jwtLogin(s, { sub: 'admin@acme.com' });
    expect(admin.status, JSON.stringify(admin.body)).to.equal(200);
    // Unverified that the permission covers JWT: ignored, the admin is refused like everyone else.
    s = await use(withBehaviour('uninstalled-app-custom-admin-profile', { approveUninstalledPermission: 'ignored' }));
    expect((await jwtLogin(s, { sub: 'admin@acme.com' })).body.error_description).to.equal(
      'app must be installed into org',
    );
  });
});
