/*
 * The token endpoint's rules one by one, over real HTTPS (undici fetch routed by SF_JWT_DOCTOR_CONNECT_TO).
 * Each test changes one thing in a healthy org and checks the exact OAuth error.
 */
import { expect } from 'chai';
import { fetch } from 'undici';
import { loadScenario, type Scenario, type Simulator } from '../../simulator/index.js';
import { b64url, JWT_GRANT, jwtLogin, postToken, routedSimulator, signJwt } from './helpers.js';

const E1 = { error: 'invalid_grant', error_description: "user hasn't approved this consumer" };
const E2 = { error: 'invalid_app_access', error_description: 'user is not admin approved to access this app' };
const E3 = { error: 'invalid_grant', error_description: 'audience is invalid' };
const E4 = { error: 'invalid_grant', error_description: 'invalid assertion' };

const MY = 'acme.my.salesforce.com';
const LOGIN = 'https://login.salesforce.com';

function variant(name: string, change: (s: Scenario) => void): Scenario {
  const s = structuredClone(loadScenario(name));
  change(s);
  return s;
}

describe('simulator token endpoint', function () {
  this.timeout(20_000);
  let sim: Simulator;
  const use = async (scenario: string | Scenario): Promise<Simulator> => {
    await sim?.stop();
    sim = await routedSimulator({ scenario });
    return sim;
  };
  after(async () => sim?.stop());

  describe('healthy production org', () => {
    before(async () => use('healthy-production'));

    it('issues a token: Bearer, My Domain instance_url, id on the login host, no refresh_token', async () => {
      const r = await jwtLogin(sim, { aud: LOGIN });
      expect(r.status).to.equal(200);
      expect(r.body.token_type).to.equal('Bearer');
      expect(r.body.instance_url).to.equal(`https://${MY}`);
      expect(r.body.id).to.match(new RegExp(`^https://${MY}/id/00D\\w{15}/005\\w{15}$`));
      expect(r.body.access_token).to.match(/^00D\w{12}![.\w]+$/);
      expect(r.body).to.have.keys(
        'access_token',
        'instance_url',
        'id',
        'token_type',
        'scope',
        'issued_at',
        'signature',
      );
      expect(r.body.scope.split(' ')).to.include.members(['api', 'refresh_token']);
      expect(r.headers.get('content-type')).to.match(/^application\/json/);
    });

    it("accepts sf's exp in milliseconds and a My Domain audience with a trailing slash", async () => {
      const claims = { iss: sim.login?.clientId, sub: 'ci@acme.com', aud: `https://${MY}/`, exp: Date.now() + 300 };
      const r = await postToken(MY, {
        grant_type: JWT_GRANT,
        assertion: signJwt(claims, sim.keyFile('ci'), { alg: 'RS256', typ: 'JWT' }),
      });
      expect(r.status).to.equal(200);
    });

    it('grant type: a wrong grant_type or a JSON body is unsupported_grant_type', async () => {
      expect((await postToken(MY, { grant_type: 'password', assertion: 'x' })).body).to.deep.equal({
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      });
      const json = await postToken(MY, { grant_type: JWT_GRANT, assertion: 'x' }, { contentType: 'application/json' });
      expect(json.status).to.equal(400);
      expect(json.body.error).to.equal('unsupported_grant_type');
    });

    it('structure: not three base64url parts is invalid assertion', async () => {
      for (const assertion of [
        'abc',
        'a.b',
        `${b64url({ alg: 'RS256' })}.${Buffer.from('{"iss":"x"}').toString('base64')}==.sig`,
      ]) {
        const r = await postToken(MY, { grant_type: JWT_GRANT, assertion });
        expect(r.status).to.equal(400);
        expect(r.body).to.deep.equal(E4);
      }
    });

    it('iss: an unknown consumer key is invalid_client_id, before aud is looked at', async () => {
      const r = await jwtLogin(sim, { iss: '3MVG9unknown', aud: 'https://nowhere.example.com' });
      expect(r.body).to.deep.equal({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    });

    it('aud: login for production; force.com, test, a path, no scheme are audience is invalid', async () => {
      for (const aud of [
        'https://acme.force.com',
        'https://test.salesforce.com',
        `${LOGIN}/services/oauth2/token`,
        'login.salesforce.com',
        'http://login.salesforce.com',
      ]) {
        expect((await jwtLogin(sim, { aud })).body, aud).to.deep.equal(E3);
      }
      expect((await jwtLogin(sim, { aud: `https://${MY}` })).status).to.equal(200);
      expect((await jwtLogin(sim, { host: 'login.salesforce.com', aud: LOGIN })).status).to.equal(200);
      expect((await jwtLogin(sim, { host: 'login.salesforce.com', aud: `https://${MY}` })).body).to.deep.equal(E3);
    });

    it('realm: test.salesforce.com knows the production app (sandbox copies) but not the user', async () => {
      expect(
        (await jwtLogin(sim, { host: 'test.salesforce.com', aud: 'https://test.salesforce.com' })).body,
      ).to.deep.equal(E1);
    });

    it('signature: another key, alg HS256/RS512, a tampered payload are invalid assertion', async () => {
      expect((await jwtLogin(sim, { key: 'someone-else' })).body).to.deep.equal(E4);
      const claims = {
        iss: sim.login?.clientId,
        sub: 'ci@acme.com',
        aud: LOGIN,
        exp: Math.floor(Date.now() / 1000) + 60,
      };
      const good = signJwt(claims, sim.keyFile('ci'));
      const [h, , s] = good.split('.');
      const tampered = `${h}.${b64url({ ...claims, sub: 'admin@acme.com' })}.${s}`;
      expect((await postToken(MY, { grant_type: JWT_GRANT, assertion: tampered })).body).to.deep.equal(E4);
      const rs512 = signJwt(claims, sim.keyFile('ci'), { alg: 'RS512' });
      expect((await postToken(MY, { grant_type: JWT_GRANT, assertion: rs512 })).body).to.deep.equal(E4);
    });

    it('exp: past is expired authorization code; missing is invalid assertion', async () => {
      expect((await jwtLogin(sim, { expSeconds: -30 })).body).to.deep.equal({
        error: 'invalid_grant',
        error_description: 'expired authorization code',
      });
      const claims = { iss: sim.login?.clientId, sub: 'ci@acme.com', aud: LOGIN };
      expect(
        (await postToken(MY, { grant_type: JWT_GRANT, assertion: signJwt(claims, sim.keyFile('ci')) })).body,
      ).to.deep.equal(E4);
    });

    it('sub: exact username only (case, trailing space, URL-escaped); prn wins over sub', async () => {
      for (const sub of ['CI@acme.com', 'ci@acme.com ', 'ci%40acme.com', 'nobody@acme.com']) {
        expect((await jwtLogin(sim, { sub })).body, sub).to.deep.equal(E1);
      }
      expect((await jwtLogin(sim, { sub: 'nobody@acme.com', extra: { prn: 'ci@acme.com' } })).status).to.equal(200);
    });

    it('policy: a user whose profile is not granted the admin-approved app gets E2', async () => {
      expect((await jwtLogin(sim, { sub: 'admin@acme.com' })).body).to.deep.equal(E2);
    });

    it('over plain http:// on the same port the TLS layer fails (no answer)', async () => {
      let failed = false;
      await fetch(`http://${MY}/services/oauth2/token`, { method: 'POST' }).catch(() => {
        failed = true;
      });
      expect(failed).to.equal(true);
    });
  });

  it('aud: myDomainAudience=rejected refuses the My Domain URL but keeps login', async () => {
    await use(variant('healthy-production', (s) => (s.server = { behaviour: { myDomainAudience: 'rejected' } })));
    expect((await jwtLogin(sim, { aud: `https://${MY}` })).body).to.deep.equal(E3);
    expect((await jwtLogin(sim, { aud: LOGIN })).status).to.equal(200);
  });

  it('aud: a sandbox needs test.salesforce.com; login.salesforce.com does not know its user', async () => {
    await use('healthy-sandbox');
    const host = 'acme--uat.sandbox.my.salesforce.com';
    expect((await jwtLogin(sim, { host, aud: LOGIN })).body).to.deep.equal(E3);
    expect((await jwtLogin(sim, { host, aud: 'https://test.salesforce.com' })).status).to.equal(200);
    expect((await jwtLogin(sim, { host: 'test.salesforce.com', aud: 'https://test.salesforce.com' })).status).to.equal(
      200,
    );
    expect((await jwtLogin(sim, { host: 'login.salesforce.com', aud: LOGIN })).body).to.deep.equal(E1);
  });

  it('exp: the scenario clock offset moves now and the Date header; clockSkewSeconds allows a buffer', async () => {
    await use('clock-skew');
    const r = await jwtLogin(sim, { aud: LOGIN });
    expect(r.body.error_description).to.equal('expired authorization code');
    const skew = Date.parse(r.headers.get('date') as string) - Date.now();
    expect(skew).to.be.within(7_190_000, 7_210_000);
    await use(variant('clock-skew', (s) => (s.server = { ...s.server, behaviour: { clockSkewSeconds: 7200 } })));
    expect((await jwtLogin(sim, { aud: LOGIN })).status).to.equal(200);
  });

  it('user: inactive (both variants), frozen and password-locked', async () => {
    await use('user-inactive');
    expect((await jwtLogin(sim)).body).to.deep.equal({ error: 'invalid_grant', error_description: 'inactive user' });
    await use(variant('user-inactive', (s) => (s.server = { behaviour: { inactiveUserError: 'inactive_user' } })));
    expect((await jwtLogin(sim)).body).to.deep.equal({ error: 'inactive_user', error_description: 'User is inactive' });
    await use('user-frozen');
    expect((await jwtLogin(sim)).body).to.deep.equal({ error: 'invalid_grant', error_description: 'user is locked' });
    await use('user-password-locked');
    expect((await jwtLogin(sim)).body).to.deep.equal({ error: 'invalid_grant', error_description: 'user is locked' });
  });

  it('policy: E2 or E1 for an unassigned user, per adminApprovedUnassignedError', async () => {
    await use('not-preauthorized-profile');
    expect((await jwtLogin(sim)).body).to.deep.equal(E2);
    await use('not-preauthorized-hasnt-approved');
    expect((await jwtLogin(sim)).body).to.deep.equal(E1);
  });

  it('policy: a permission set counts only when assigned, active and unexpired (groups included)', async () => {
    await use('permset-granted-not-assigned');
    expect((await jwtLogin(sim)).body).to.deep.equal(E2);
    await use('permset-assignment-expired');
    expect((await jwtLogin(sim)).body).to.deep.equal(E2);
    await use(
      variant('permset-granted-not-assigned', (s) => {
        s.permissionSetGroups = [{ name: 'CI_Group', permissionSets: ['CI_Deploy'] }];
        (s.users ?? [])[1].permissionSetGroups = ['CI_Group'];
      }),
    );
    expect((await jwtLogin(sim)).status).to.equal(200);
  });

  it('approval: self-authorize needs an approval that included refresh_token', async () => {
    await use('self-authorize-never-approved');
    expect((await jwtLogin(sim)).body).to.deep.equal(E1);
    sim.approve('ci@acme.com', 'CI_Deploy_App', ['api', 'web']);
    expect((await jwtLogin(sim)).body, 'approval without refresh_token').to.deep.equal(E1);
    sim.approve('ci@acme.com', 'CI_Deploy_App', ['api', 'refresh_token']);
    const ok = await jwtLogin(sim);
    expect(ok.status).to.equal(200);
    expect(ok.body.scope.split(' ')).to.have.members(['api', 'refresh_token']);
  });

  it('scopes: CA without refresh_token → E1; ECA admin-approved without RefreshToken → E8', async () => {
    await use('refresh-scope-missing');
    expect((await jwtLogin(sim)).body).to.deep.equal(E1);
    await use('eca-refresh-scope-missing');
    expect((await jwtLogin(sim)).body).to.deep.equal({
      error: 'invalid_request',
      error_description: 'refresh_token scope is required and the connected app should be installed and preauthorized.',
    });
  });

  it('ECA: My Domain only (app_not_found at login/test, aud checked first at the own realm); bad signature is invalid_client', async () => {
    await use('healthy-eca');
    expect((await jwtLogin(sim, { host: MY })).status).to.equal(200);
    const e7 = { error: 'app_not_found', error_description: 'External client app is not installed in this org' };
    expect((await jwtLogin(sim, { host: 'login.salesforce.com', aud: LOGIN })).body).to.deep.equal(e7);
    expect(
      (await jwtLogin(sim, { host: 'test.salesforce.com', aud: 'https://test.salesforce.com' })).body,
    ).to.deep.equal(e7);
    expect(
      (await jwtLogin(sim, { host: 'login.salesforce.com', aud: 'https://test.salesforce.com' })).body,
    ).to.deep.equal(E3);
    expect((await jwtLogin(sim, { host: MY, key: 'someone-else' })).body).to.deep.equal({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
  });

  it('IP: profile login IP ranges block unless the app relaxes IP restrictions (BYPASS)', async () => {
    await use('ip-restricted');
    expect((await jwtLogin(sim)).body).to.deep.equal({
      error: 'invalid_grant',
      error_description: 'ip restricted or invalid login hours',
    });
    await use(variant('ip-restricted', (s) => ((s.server as { clientIp: string }).clientIp = '10.20.3.4')));
    expect((await jwtLogin(sim)).status).to.equal(200);
    await use(variant('ip-restricted', (s) => ((s.apps ?? [])[0].ipRelaxation = 'BYPASS')));
    expect((await jwtLogin(sim)).status).to.equal(200);
    await use(
      variant(
        'ip-restricted',
        (s) => (s.server = { ...s.server, behaviour: { ipRestrictedDescription: 'capitalised' } }),
      ),
    );
    expect((await jwtLogin(sim)).body.error_description).to.equal('IP restricted or invalid login hours');
  });

  it('login policy: My Domain settings block login.salesforce.com, not the My Domain', async () => {
    await use('my-domain-required');
    expect((await jwtLogin(sim, { host: 'login.salesforce.com', aud: LOGIN })).body).to.deep.equal(E1);
    expect((await jwtLogin(sim, { host: MY, aud: LOGIN })).status).to.equal(200);
  });

  it('certificate: expired is rejected by default, accepted with expiredCertificate=accepted', async () => {
    await use('cert-expired');
    expect((await jwtLogin(sim)).body).to.deep.equal(E4);
    await use(variant('cert-expired', (s) => (s.server = { behaviour: { expiredCertificate: 'accepted' } })));
    expect((await jwtLogin(sim)).status).to.equal(200);
  });

  it('org inactive, high assurance, uninstalled app', async () => {
    await use('org-inactive');
    expect((await jwtLogin(sim)).body).to.deep.equal({
      error: 'inactive_org',
      error_description: 'Org is locked, closed, or suspended',
    });
    await use('high-assurance');
    expect((await jwtLogin(sim)).body).to.deep.equal({
      error: 'invalid_grant',
      error_description: 'authentication failure',
    });
    await use('app-not-installed');
    expect((await jwtLogin(sim)).body).to.deep.equal({
      error: 'invalid_client',
      error_description: 'app must be installed into org',
    });
  });

  it('every scenario with expect.direct: a plain client at the login instance URL gets that error', async () => {
    const { listScenarios } = await import('../../simulator/index.js');
    for (const { name } of listScenarios()) {
      const s = loadScenario(name);
      if (!s.expect?.direct || s.server?.protocol === 'http' || s.server?.faults?.length) continue;
      await use(name);
      const r = await jwtLogin(sim);
      expect(r.body.error_description, name).to.equal(s.expect.direct);
    }
  });
});
