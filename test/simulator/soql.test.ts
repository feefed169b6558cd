/*
 * The SOQL engine against the query shapes the doctor uses (reference §4.1 "Suggested queries"), error shapes,
 * paging and visibility — in process (runQuery) and over HTTPS through @salesforce/core's Connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { OrgState, loadScenario, type Simulator } from '../../simulator/index.js';
import { runQuery } from '../../simulator/rest.js';
import { SoqlError } from '../../simulator/soql.js';
import { routedSimulator } from './helpers.js';

type Result = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };

function soqlError(fn: () => unknown): SoqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error('expected a SoqlError');
}

describe('simulator SOQL engine', () => {
  const state = new OrgState(loadScenario('permset-granted-not-assigned'));
  const admin = state.userByUsername('admin@acme.com')?.Id as string;
  const ci = state.userByUsername('ci@acme.com')?.Id as string;
  const q = (soql: string, api: 'rest' | 'tooling' = 'rest', user = admin): Result =>
    runQuery(state, soql, api, user, '66.0') as Result;
  const app = state.appByName('CI_Deploy_App');

  it("Organization: the fields core's determineOrg reads", () => {
    const r = q(
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization',
    );
    expect(r.totalSize).to.equal(1);
    expect(r.records[0]).to.deep.include({
      Name: 'Acme Corp',
      IsSandbox: false,
      TrialExpirationDate: null,
      OrganizationType: 'Enterprise Edition',
    });
    expect(r.records[0].attributes).to.deep.equal({
      type: 'Organization',
      url: `/services/data/v66.0/sobjects/Organization/${state.orgId}`,
    });
  });

  it('User with a parent relationship field, case-insensitive keywords and field names', () => {
    const r = q("select id, username, ISACTIVE, Profile.Name, UserType from user where Username = 'ci@acme.com'");
    expect(r.records).to.have.length(1);
    expect(r.records[0]).to.deep.include({ Id: ci, Username: 'ci@acme.com', IsActive: true, UserType: 'Standard' });
    expect((r.records[0].Profile as Record<string, unknown>).Name).to.equal('Integration User');
  });

  it('text comparison is case-insensitive; 15-char ids match 18-char ids', () => {
    expect(q("SELECT Id FROM User WHERE Username = 'CI@ACME.COM'").totalSize).to.equal(1);
    expect(q(`SELECT Id FROM User WHERE Id = '${ci.slice(0, 15)}'`).totalSize).to.equal(1);
  });

  it('ConnectedApplication by Name with the policy fields', () => {
    const r = q(
      "SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod, OptionsHasSessionLevelPolicy FROM ConnectedApplication WHERE Name = 'CI Deploy App'",
    );
    expect(r.records[0]).to.deep.include({
      Id: app?.id,
      OptionsAllowAdminApprovedUsersOnly: true,
      OptionsHasSessionLevelPolicy: false,
    });
    expect(String(r.records[0].Id)).to.match(/^0H4/);
  });

  it('AppMenuItem where Type = ConnectedApplication', () => {
    const r = q(
      "SELECT ApplicationId, IsUsingAdminAuthorization, Label, Name FROM AppMenuItem WHERE Type = 'ConnectedApplication'",
    );
    expect(r.records.map((x) => x.ApplicationId)).to.include(app?.id);
  });

  it("SetupEntityAccess for the app with Parent fields, and the semi-join on the user's assignments", () => {
    const all = q(
      `SELECT Id, ParentId, Parent.Name, Parent.IsOwnedByProfile, Parent.ProfileId, Parent.Profile.Name, SetupEntityType FROM SetupEntityAccess WHERE SetupEntityId = '${app?.id}'`,
    );
    expect(all.records).to.have.length(1);
    expect(all.records[0]).to.deep.include({ SetupEntityType: 'ConnectedApplication' });
    expect(all.records[0].Parent).to.deep.include({
      Name: 'CI_Deploy',
      IsOwnedByProfile: false,
      ProfileId: null,
      Profile: null,
    });
    const mine = `SELECT Id, ParentId FROM SetupEntityAccess WHERE SetupEntityId = '${app?.id}' AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${ci}')`;
    expect(q(mine).totalSize, 'granted but not assigned').to.equal(0);
  });

  it('PermissionSetAssignment hiding the profile-owned row; PermissionSet.Name via relationship', () => {
    const r = q(
      `SELECT PermissionSetId, PermissionSet.Name, PermissionSetGroupId, IsActive, ExpirationDate FROM PermissionSetAssignment WHERE AssigneeId = '${admin}'`,
    );
    expect(r.totalSize).to.equal(1);
    expect((r.records[0].PermissionSet as Record<string, unknown>).Name).to.match(/^X00e/);
    expect(
      q(
        `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${admin}' AND PermissionSet.IsOwnedByProfile = false`,
      ).totalSize,
    ).to.equal(0);
  });

  it('UserLogin, OauthToken by user and AppName, COUNT()', () => {
    expect(q(`SELECT IsFrozen, IsPasswordLocked FROM UserLogin WHERE UserId = '${ci}'`).records[0]).to.deep.include({
      IsFrozen: false,
      IsPasswordLocked: false,
    });
    expect(
      q(
        `SELECT AppName, UseCount, LastUsedDate, AppMenuItemId FROM OauthToken WHERE UserId = '${ci}' AND AppName = 'CI Deploy App'`,
      ).totalSize,
    ).to.equal(0);
    expect(q('SELECT COUNT() FROM User')).to.deep.equal({ totalSize: 2, done: true, records: [] });
  });

  it('WHERE with OR, parentheses, NOT IN, LIKE, != null; ORDER BY, LIMIT, OFFSET', () => {
    const names = (r: Result): unknown[] => r.records.map((x) => x.Username);
    expect(
      names(
        q(
          "SELECT Username FROM User WHERE (Username LIKE 'ci%' OR Username = 'admin@acme.com') AND IsActive = true ORDER BY Username DESC",
        ),
      ),
    ).to.deep.equal(['ci@acme.com', 'admin@acme.com']);
    expect(
      names(q("SELECT Username FROM User WHERE Username NOT IN ('ci@acme.com') AND LastLoginDate = null")),
    ).to.deep.equal(['admin@acme.com']);
    expect(names(q('SELECT Username FROM User ORDER BY Username LIMIT 1 OFFSET 1'))).to.deep.equal(['ci@acme.com']);
    expect(q("SELECT Id FROM PermissionSet WHERE ProfileId != null AND NOT Name LIKE 'CI%'").totalSize).to.equal(3);
  });

  it('errors: INVALID_FIELD, INVALID_TYPE (ScratchOrgInfo, policy object via Tooling), MALFORMED_QUERY', () => {
    const field = soqlError(() => q('SELECT Id, Bogus FROM User'));
    expect(field.errorCode).to.equal('INVALID_FIELD');
    expect(field.message).to.contain("No such column 'Bogus' on entity 'User'");
    expect(soqlError(() => q('SELECT Profile.Bogus FROM User')).errorCode).to.equal('INVALID_FIELD');
    expect(soqlError(() => q('SELECT Nope.Name FROM User')).message).to.contain(
      "Didn't understand relationship 'Nope'",
    );
    const type = soqlError(() => q('SELECT Id FROM ScratchOrgInfo limit 1'));
    expect(type.errorCode).to.equal('INVALID_TYPE');
    expect(type.message).to.contain("sObject type 'ScratchOrgInfo' is not supported.");
    expect(soqlError(() => q('SELECT Id FROM ExtlClntAppOauthPlcyCnfg', 'tooling')).errorCode).to.equal('INVALID_TYPE');
    expect(soqlError(() => q('SELECT Id FROM OrgDomainLog')).errorCode).to.equal('INVALID_TYPE');
    for (const bad of [
      'SELECT FROM User',
      'SELECT Id User',
      "SELECT Id FROM User WHERE Username = 'x",
      'SELECT Id FROM User WHERE',
      'SELECT Id FROM User LIMIT x',
    ]) {
      expect(soqlError(() => q(bad)).errorCode, bad).to.equal('MALFORMED_QUERY');
    }
  });

  it('Tooling: OrgDomainLog; ECA policy via REST', () => {
    expect(q('SELECT MyDomainName, DomainPartition FROM OrgDomainLog', 'tooling').records[0]).to.deep.include({
      MyDomainName: 'acme',
      DomainPartition: 'none',
    });
    const eca = new OrgState(loadScenario('healthy-eca'));
    const ecaAdmin = eca.userByUsername('admin@acme.com')?.Id as string;
    const app = runQuery(
      eca,
      "SELECT Id, MasterLabel, DeveloperName FROM ExternalClientApplication WHERE DeveloperName = 'CI_Deploy_ECA'",
      'rest',
      ecaAdmin,
      '66.0',
    ) as Result;
    const policy = runQuery(
      eca,
      `SELECT PermittedUsersPolicyType, IpRelaxationPolicyType, RefreshTokenPolicyType, RequiredSessionLevel, ExternalClientApplication.DeveloperName FROM ExtlClntAppOauthPlcyCnfg WHERE ExternalClientApplicationId = '${app.records[0].Id}'`,
      'rest',
      ecaAdmin,
      '66.0',
    ) as Result;
    expect(policy.records[0]).to.deep.include({
      PermittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      IpRelaxationPolicyType: 'Enforce',
      RefreshTokenPolicyType: 'Infinite',
      RequiredSessionLevel: 'STANDARD',
    });
  });

  it('an admin without View Setup and Configuration: setup objects invisible, only own OauthToken rows', () => {
    const s = new OrgState(loadScenario('admin-without-view-setup'));
    const rm = s.userByUsername('release@acme.com')?.Id as string;
    for (const obj of [
      'SetupEntityAccess',
      'ConnectedApplication',
      'ExternalClientApplication',
      'ExtlClntAppOauthPlcyCnfg',
    ]) {
      expect(soqlError(() => runQuery(s, `SELECT Id FROM ${obj}`, 'rest', rm, '66.0')).errorCode, obj).to.equal(
        'INVALID_TYPE',
      );
    }
    expect((runQuery(s, 'SELECT Id, Username FROM User', 'rest', rm, '66.0') as Result).totalSize).to.equal(3);
  });

  it('large org: 2,000-row batches with nextRecordsUrl; OauthToken 500 per batch, stops at 2,500; OFFSET max 2,000', () => {
    const big = new OrgState(loadScenario('large-org'));
    const bigAdmin = big.userByUsername('admin@acme.com')?.Id as string;
    const r = runQuery(big, 'SELECT Id, Name FROM PermissionSet', 'rest', bigAdmin, '66.0') as Result;
    expect(r.totalSize).to.be.greaterThan(5000);
    expect(r.done).to.equal(false);
    expect(r.records).to.have.length(2000);
    expect(r.nextRecordsUrl).to.match(/^\/services\/data\/v66\.0\/query\/01g\w{15}-2000$/);
    expect(
      (runQuery(big, 'SELECT COUNT() FROM ConnectedApplication', 'rest', bigAdmin, '66.0') as Result).totalSize,
    ).to.equal(1001);
    const t = runQuery(big, 'SELECT AppName FROM OauthToken', 'rest', bigAdmin, '66.0') as Result;
    expect(t.records).to.have.length(500);
    expect(t.totalSize).to.equal(2500);
    expect(
      soqlError(() => runQuery(big, 'SELECT Id FROM PermissionSet LIMIT 10 OFFSET 2001', 'rest', bigAdmin, '66.0'))
        .errorCode,
    ).to.equal('NUMBER_OUTSIDE_VALID_RANGE');
  });

  describe('over HTTPS through @salesforce/core Connection (admin access token)', function () {
    this.timeout(30_000);
    let sim: Simulator;
    let home: string;
    const saved = { ...process.env };
    before(async () => {
      sim = await routedSimulator({ scenario: 'large-org' });
      home = mkdtempSync(join(tmpdir(), 'jwt-doctor-home-'));
      Object.assign(process.env, {
        HOME: home,
        SF_DISABLE_DNS_CHECK: 'true',
        SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
        SF_DISABLE_LOG_FILE: 'true',
      });
    });
    after(async () => {
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    });

    it('query, autoFetch through queryMore, Tooling query, 401 for a bad token', async () => {
      const { AuthInfo, Connection } = await import('@salesforce/core');
      const { accessToken, instanceUrl } = sim.issueAccessToken('admin@acme.com');
      const authInfo = await AuthInfo.create({
        accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl },
      });
      const conn = await Connection.create({ authInfo });
      expect(conn.getApiVersion()).to.equal('66.0');
      const org = await conn.singleRecordQuery<{ Name: string }>('SELECT Name FROM Organization');
      expect(org.Name).to.equal('Acme Corp');
      const all = await conn.query('SELECT Id, Name FROM PermissionSet', { autoFetch: true, maxFetch: 10_000 });
      expect(all.records.length).to.equal(all.totalSize);
      expect(sim.requests.filter((r) => /\/query\/01g/.test(r.path)).length).to.equal(
        Math.ceil(all.totalSize / 2000) - 1,
      );
      const tooling = await conn.tooling.query<{ DomainPartition: string }>('SELECT DomainPartition FROM OrgDomainLog');
      expect(tooling.records[0].DomainPartition).to.equal('none');
      const { fetch } = await import('undici');
      const bad = await fetch(`${instanceUrl}/services/data/v66.0/query?q=SELECT+Id+FROM+User`, {
        headers: { authorization: 'Bearer 00Dxx!nope' },
      });
      expect(bad.status).to.equal(401);
      expect(await bad.json()).to.deep.equal([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
      const malformed = await fetch(`${instanceUrl}/services/data/v66.0/query?q=SELECT+FROM`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(malformed.status).to.equal(400);
      expect(((await malformed.json()) as Array<{ errorCode: string }>)[0].errorCode).to.equal('MALFORMED_QUERY');
    });
  });
});
