/*
 * The simulated org past the token (issue 13): API access per org and per user, API Access Control, High Assurance
 * sessions the API refuses, blocked apps, the login rate limit and revocation — each rule over real HTTPS, each
 * changing one thing in a healthy org, under each value of its unverified option.
 */
import { expect } from 'chai';
import { fetch } from 'undici';
import { loadScenario, type Behaviour, type Scenario, type Simulator } from '../../simulator/index.js';
import { jwtLogin, routedSimulator } from './helpers.js';

const MY = 'acme.my.salesforce.com';
const FIRST_CALL = `https://${MY}/services/data/v51.0/query?q=SELECT%20Id%20FROM%20ScratchOrgInfo%20limit%201`;

function variant(change: (s: Scenario) => void, behaviour: Behaviour = {}): Scenario {
  const s = structuredClone(loadScenario('healthy-production'));
  change(s);
  s.server = { ...s.server, behaviour: { ...s.server?.behaviour, ...behaviour } };
  return s;
}

async function call(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function revoke(token: string): Promise<number> {
  const res = await fetch(`https://${MY}/services/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  await res.text();
  return res.status;
}

describe('simulator beyond the token: API access, API Access Control, rate limit, blocked apps, revoke', function () {
  this.timeout(30_000);
  let sim: Simulator | undefined;
  const use = async (scenario: Scenario | string): Promise<Simulator> => {
    await sim?.stop();
    sim = await routedSimulator({ scenario });
    return sim;
  };
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it("a healthy org: sf's first call reaches the API (INVALID_TYPE: not a Dev Hub), the Organization query works", async () => {
    const s = await use('healthy-production');
    const token = (await jwtLogin(s)).body.access_token;
    const first = await call(FIRST_CALL, token);
    expect(first.status).to.equal(400);
    expect((first.body as Array<{ errorCode: string }>)[0].errorCode).to.equal('INVALID_TYPE');
    expect(
      (await call(`https://${MY}/services/data/v66.0/query?q=SELECT%20Name%20FROM%20Organization`, token)).status,
    ).to.equal(200);
  });

  it('a user without API Enabled gets a token, and every API call answers 403 API_DISABLED_FOR_ORG', async () => {
    const s = await use('api-disabled-user');
    const r = await jwtLogin(s);
    expect(r.status).to.equal(200);
    const first = await call(FIRST_CALL, r.body.access_token);
    expect(first).to.deep.equal({
      status: 403,
      body: [{ message: 'The REST API is not enabled for this Organization.', errorCode: 'API_DISABLED_FOR_ORG' }],
    });
    // The admin (API Enabled on the profile) is not affected.
    const admin = s.issueAccessToken('admin@acme.com').accessToken;
    expect((await call(FIRST_CALL, admin)).status).to.equal(400);
  });

  it('assigning a permission set with API Enabled gives the user the API (derived from the state, not the scenario)', async () => {
    const s = await use('api-disabled-user');
    const ci = s.state.userByUsername('ci@acme.com')!;
    const ps = s.state.table('PermissionSet').find((p) => p.Name === 'CI_Deploy')!;
    s.state.insert('PermissionSetAssignment', {
      Id: '0Pa000000000001AAA',
      AssigneeId: ci.Id,
      PermissionSetId: ps.Id,
      IsActive: true,
      IsRevoked: false,
      ExpirationDate: null,
      PermissionSetGroupId: null,
    });
    const token = (await jwtLogin(s)).body.access_token;
    expect((await call(FIRST_CALL, token)).status).to.equal(400);
  });

  it("an org without the API (org.apiEnabled false) refuses every session, the admin's too", async () => {
    const s = await use(variant((sc) => (sc.org.apiEnabled = false)));
    const token = (await jwtLogin(s)).body.access_token;
    expect((await call(FIRST_CALL, token)).status).to.equal(403);
    expect((await call(FIRST_CALL, s.issueAccessToken('admin@acme.com').accessToken)).status).to.equal(403);
  });

  it("High Assurance, api-401: the token is issued and every API call answers 401 (jsforce's non-refreshable text)", async () => {
    const s = await use(
      variant((sc) => (sc.apps![0].sessionLevel = 'HIGH_ASSURANCE'), { highAssuranceError: 'api-401' }),
    );
    const r = await jwtLogin(s);
    expect(r.status).to.equal(200);
    expect(await call(FIRST_CALL, r.body.access_token)).to.deep.equal({
      status: 401,
      body: [{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }],
    });
  });

  describe('API Access Control', () => {
    const aac = (allowlisted: boolean, answer: Behaviour['apiAccessControlAnswer']): Scenario =>
      variant(
        (sc) => {
          sc.org.apiAccessControl = true;
          sc.apps![0].apiAccessAllowlisted = allowlisted;
        },
        { apiAccessControlAnswer: answer },
      );

    it('an allowlisted, pre-authorized app works', async () => {
      const s = await use(aac(true, 'invalid_app_access'));
      const r = await jwtLogin(s);
      expect(r.status).to.equal(200);
      expect((await call(FIRST_CALL, r.body.access_token)).status).to.equal(400);
    });

    it("makes every app admin-approved: a self-authorize app with a user's approval but no grant is refused (E2)", async () => {
      const s = await use(
        variant((sc) => {
          sc.org.apiAccessControl = true;
          Object.assign(sc.apps![0], { adminApproved: false, profiles: [], apiAccessAllowlisted: true });
          sc.approvals = [{ user: 'ci@acme.com', app: 'CI_Deploy_App', scopes: ['api', 'refresh_token'] }];
        }),
      );
      expect((await jwtLogin(s)).body).to.deep.equal({
        error: 'invalid_app_access',
        error_description: 'user is not admin approved to access this app',
      });
    });

    it('an app off the allowlist: invalid_app_access at the token endpoint (default) …', async () => {
      const s = await use(aac(false, 'invalid_app_access'));
      expect((await jwtLogin(s)).body.error).to.equal('invalid_app_access');
    });

    it('… or a token every API call refuses (api-401)', async () => {
      const s = await use(aac(false, 'api-401'));
      const r = await jwtLogin(s);
      expect(r.status).to.equal(200);
      expect((await call(FIRST_CALL, r.body.access_token)).status).to.equal(401);
    });
  });

  it('a blocked app: OAUTH_APP_BLOCKED by default, E1 under the other value, even for a user who approved it', async () => {
    const blocked = (b: Behaviour['blockedAppError']): Scenario =>
      variant(
        (sc) => {
          sc.apps![0].blocked = true;
          sc.approvals = [{ user: 'ci@acme.com', app: 'CI_Deploy_App', scopes: ['api', 'refresh_token'] }];
        },
        { blockedAppError: b },
      );
    expect((await jwtLogin(await use(blocked('oauth_app_blocked')))).body).to.deep.equal({
      error: 'OAUTH_APP_BLOCKED',
      error_description: 'this app is blocked by admin',
    });
    expect((await jwtLogin(await use(blocked('hasnt_approved')))).body.error_description).to.equal(
      "user hasn't approved this consumer",
    );
  });

  it('the login rate limit counts issued tokens per user per hour (server.loginRateLimit)', async () => {
    const s = await use(variant((sc) => (sc.server = { ...sc.server, loginRateLimit: 3 })));
    for (let i = 0; i < 3; i++) expect((await jwtLogin(s)).status).to.equal(200);
    expect((await jwtLogin(s)).body).to.deep.equal({
      error: 'invalid_grant',
      error_description: 'Login Rate Exceeded',
    });
    // Another user has a counter of its own.
    const admin = s.state.userByUsername('admin@acme.com')!;
    expect(s.state.loginsInWindow(admin.Id as string)).to.equal(0);
    // An hour later the window has moved on.
    s.state.clockOffsetSeconds += 3601;
    expect((await jwtLogin(s, { expSeconds: 3601 + 300 })).status).to.equal(200);
  });

  it("the login rate limit: the scenario's earlier logins count, and the other answer form", async () => {
    const s = await use('login-rate-exceeded');
    expect((await jwtLogin(s)).body).to.deep.equal({
      error: 'invalid_grant',
      error_description: 'Login Rate Exceeded',
    });
    const other = await use(
      variant((sc) => (sc.users!.find((u) => u.username === 'ci@acme.com')!.loginsInLastHour = 3600), {
        loginRateError: 'login_rate_exceeded',
      }),
    );
    expect((await jwtLogin(other)).body).to.deep.equal({
      error: 'LOGIN_RATE_EXCEEDED',
      error_description: 'Login Rate Exceeded',
    });
  });

  it("revoke: an access token ends that session (not mutating); an approval's token deletes it (mutating); unknown: 400", async () => {
    const s = await use(
      variant(
        (sc) => (sc.approvals = [{ user: 'ci@acme.com', app: 'CI_Deploy_App', scopes: ['api', 'refresh_token'] }]),
      ),
    );
    const token = (await jwtLogin(s)).body.access_token;
    expect(await revoke(token)).to.equal(200);
    expect((await call(FIRST_CALL, token)).status).to.equal(401);
    const approval = s.state.table('OauthToken')[0];
    expect(await revoke(approval.DeleteToken as string)).to.equal(200);
    expect(s.state.table('OauthToken')).to.have.length(0);
    expect(await revoke('not-a-token')).to.equal(400);
    const revokes = s.requests.filter((r) => r.path === '/services/oauth2/revoke').map((r) => [r.revoke, r.mutating]);
    expect(revokes).to.deep.equal([
      ['access-token', false],
      ['approval', true],
      ['unknown-token', false],
    ]);
  });
});
