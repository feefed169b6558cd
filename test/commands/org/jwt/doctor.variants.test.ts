/*
 * Situations beyond the scenario files, each an existing org with one input changed the way users get it wrong:
 * @salesforce/core's own JWT login (sf's behaviour) decides whether the login works, and the doctor must agree —
 * exit code, verdict and a login line that itself works — and name the right cause.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startSimulator, type Scenario, type Simulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../../../helpers/cli.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../../helpers/adminOrg.js';
import { coreLogin } from '../../../helpers/coreLogin.js';
import { schemaErrors } from '../../../helpers/schema.js';

type Variant = {
  name: string;
  scenario: string;
  /** What differs in the org (the scenario file describes the rest). */
  change?: (org: Scenario) => void;
  username?: string;
  /** null: no --instance-url at all. */
  instanceUrl?: string | null;
  env?: Record<string, string>;
  admin?: boolean;
  verify: (run: CliRun, sim: Simulator) => void | Promise<void>;
};

function scenario(name: string): Scenario {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../../../simulator/scenarios/${name}.json`, import.meta.url)), 'utf8'),
  ) as Scenario;
}

/** The username and URL of the doctor's login line. */
function loginLine(run: CliRun): { username?: string; instanceUrl?: string } {
  const line = run.json!.result.loginCommand ?? '';
  const unquote = (v?: string): string | undefined => v?.replace(/^'|'$/g, '');
  return {
    username: unquote(/--username (\S+)/.exec(line)?.[1]),
    instanceUrl: unquote(/--instance-url (\S+)/.exec(line)?.[1]),
  };
}

const VARIANTS: Variant[] = [
  {
    name: 'a sandbox user with no --instance-url (sf gets there through test.salesforce.com)',
    scenario: 'healthy-sandbox',
    instanceUrl: null,
    async verify(run, sim) {
      const result = run.json!.result;
      // A token for exactly this username disproves the local "no such user here" guess.
      expect(result.cause?.code).to.not.equal('USER_NOT_FOUND');
      const line = loginLine(run);
      expect(line.username).to.equal(sim.login!.username);
      const again = await coreLogin(sim, {
        ...sim.login!,
        username: line.username!,
        loginUrl: line.instanceUrl ? new URL(line.instanceUrl).href : undefined,
      });
      expect(again.ok, `the login line works: ${again.message}`).to.equal(true);
    },
  },
  {
    name: 'a My Domain URL copied with a Lightning page path (sf falls back to login.salesforce.com)',
    scenario: 'healthy-production',
    instanceUrl: 'https://acme.my.salesforce.com/lightning/page/home',
    verify(run) {
      const result = run.json!.result;
      expect(result.verdict).to.equal('warn');
      expect(result.cause?.code).to.equal('INSTANCE_URL_INVALID');
      expect(loginLine(run).instanceUrl).to.equal('https://acme.my.salesforce.com');
    },
  },
  {
    name: 'a sandbox URL with a Setup page path',
    scenario: 'healthy-sandbox',
    instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com/lightning/setup/SetupOneHome/home',
    verify(run) {
      expect(run.json!.result.cause?.code).to.equal('INSTANCE_URL_INVALID');
    },
  },
  {
    name: 'an External Client App (My Domain only) behind a URL with a page path: no fallback works, the path is the cause',
    scenario: 'healthy-eca',
    instanceUrl: 'https://acme.my.salesforce.com/lightning/page/home',
    verify(run) {
      const result = run.json!.result;
      expect(result.cause).to.include({ code: 'INSTANCE_URL_INVALID', confidence: 'confirmed' });
      expect(loginLine(run).instanceUrl).to.equal('https://acme.my.salesforce.com');
    },
  },
  {
    name: "a sandbox's retired pre-enhanced-domains URL (sf falls back to test.salesforce.com)",
    scenario: 'healthy-sandbox',
    change: (org) => {
      org.org.retiredHosts = ['acme--uat.my.salesforce.com'];
    },
    instanceUrl: 'https://acme--uat.my.salesforce.com',
    verify(run) {
      expect(run.json!.result.cause?.code).to.equal('INSTANCE_URL_INVALID');
      // The current login URL derived from the retired one, rather than the generic fallback that happened to work.
      expect(loginLine(run).instanceUrl).to.equal('https://acme--uat.sandbox.my.salesforce.com');
    },
  },
  ...[false, true].map((admin): Variant => ({
    name: `a sandbox's pre-enhanced-domains URL, retired, and a My-Domain-only login policy${admin ? ' (--admin-org)' : ''}`,
    scenario: 'healthy-sandbox',
    change: (org) => {
      org.org.retiredHosts = ['acme--uat.my.salesforce.com'];
      org.org.myDomainSettings = { ...org.org.myDomainSettings, canOnlyLoginWithMyDomainUrl: true };
    },
    instanceUrl: 'https://acme--uat.my.salesforce.com',
    admin,
    verify(run) {
      const result = run.json!.result;
      if (admin) expect(result.cause).to.include({ code: 'INSTANCE_URL_INVALID', confidence: 'confirmed' });
      else
        expect([result.cause?.code, ...(result.cause?.alternatives ?? [])]).to.include.members([
          'INSTANCE_URL_INVALID',
          'MY_DOMAIN_REQUIRED',
        ]);
      expect(loginLine(run).instanceUrl).to.equal('https://acme--uat.sandbox.my.salesforce.com');
    },
  })),
  {
    name: 'the username of sandbox qa against sandbox uat (qa is no country code here)',
    scenario: 'healthy-sandbox',
    username: 'ci@acme.com.qa',
    admin: true,
    verify(run) {
      const result = run.json!.result;
      expect(result.cause?.code).to.equal('USER_NOT_FOUND');
      expect(loginLine(run).username).to.equal('ci@acme.com.uat');
      expect(JSON.stringify(result.fixes)).to.include('ci@acme.com.uat').and.not.include('ci@acme.com.qa.uat');
    },
  },
  // Whether the token endpoint matches `sub` regardless of case is unverified (reference §1.4): both variants.
  ...(['exact', 'case-insensitive'] as const).map((usernameMatch): Variant => ({
    name: `a username typed with capitals, in an org that matches usernames ${usernameMatch === 'exact' ? 'exactly' : 'regardless of case'}`,
    scenario: 'healthy-production',
    change: (org) => {
      org.server = { ...org.server, behaviour: { ...org.server?.behaviour, usernameMatch } };
    },
    username: 'CI@acme.com',
    verify(run) {
      const result = run.json!.result;
      if (usernameMatch === 'exact') {
        expect(result.cause?.code).to.equal('USER_NOT_FOUND');
        expect(loginLine(run).username).to.equal('ci@acme.com');
      } else {
        expect(result.cause?.code ?? null).to.not.equal('USER_NOT_FOUND');
      }
    },
  })),
  {
    name: "a dead org whose own host answers HTTP 420 with a page (the fallbacks' answers speak for no org)",
    scenario: 'org-inactive',
    change: (org) => {
      org.server = { ...org.server, behaviour: { ...org.server?.behaviour, inactiveOrgResponse: 'html-420' } };
    },
    verify(run) {
      expect(run.json!.result.cause?.code).to.equal('ORG_INACTIVE');
    },
  },
  {
    name: "a maintenance page on the org's own token endpoint while login/test.salesforce.com refuse its users: inconclusive",
    scenario: 'healthy-production',
    change: (org) => {
      org.org.myDomainSettings = { canOnlyLoginWithMyDomainUrl: true, doesApiLoginRequireOrgDomain: true };
      org.server = {
        ...org.server,
        faults: [
          {
            kind: 'html-500',
            status: 503,
            match: { host: 'acme.my.salesforce.com', pathPrefix: '/services/oauth2/token' },
          },
        ],
      };
    },
    verify(run) {
      const result = run.json!.result;
      expect(result.verdict).to.equal('inconclusive');
      expect(result.cause?.code).to.equal('ORG_UNREACHABLE');
      expect(result.cause?.summary).to.match(/acme\.my\.salesforce\.com.*HTTP 503/);
    },
  },
  {
    name: "a maintenance page on the org's own token endpoint only (sf gets its token at login.salesforce.com): keep the URL",
    scenario: 'healthy-production',
    change: (org) => {
      org.server = {
        ...org.server,
        faults: [
          {
            kind: 'html-500',
            status: 503,
            match: { host: 'acme.my.salesforce.com', pathPrefix: '/services/oauth2/token' },
          },
        ],
      };
    },
    verify(run) {
      const result = run.json!.result;
      expect(result.verdict).to.equal('warn');
      expect(result.fixes[0].title).to.match(/Keep the URL/);
      expect(loginLine(run).instanceUrl).to.equal('https://acme.my.salesforce.com');
    },
  },
  {
    name: 'a refreshed sandbox behind its retired URL, approvals gone (--admin-org): the approval first, then the URL',
    scenario: 'sandbox-refreshed',
    change: (org) => {
      org.org.retiredHosts = [...(org.org.retiredHosts ?? []), 'acme--uat.my.salesforce.com'];
    },
    instanceUrl: 'https://acme--uat.my.salesforce.com',
    admin: true,
    verify(run) {
      const result = run.json!.result;
      expect(result.cause).to.include({ code: 'USER_NOT_APPROVED', confidence: 'confirmed' });
      expect(result.checks.find((c) => c.id === 'org.my-domain')?.status).to.equal('fail');
      expect(loginLine(run).instanceUrl).to.equal('https://acme--uat.sandbox.my.salesforce.com');
    },
  },
  {
    name: 'an http:// My Domain URL in an org that refuses logins at login/test.salesforce.com',
    scenario: 'healthy-production',
    change: (org) => {
      org.org.myDomainSettings = { canOnlyLoginWithMyDomainUrl: true, doesApiLoginRequireOrgDomain: true };
    },
    instanceUrl: 'http://acme.my.salesforce.com',
    verify(run) {
      expect(run.json!.result.cause?.code).to.equal('INSTANCE_URL_INVALID');
      expect(loginLine(run).instanceUrl).to.equal('https://acme.my.salesforce.com');
    },
  },
  {
    name: 'SF_AUDIENCE_URL without a scheme (sf throws "Invalid URL" before sending anything)',
    scenario: 'healthy-production',
    env: { SF_AUDIENCE_URL: 'login.salesforce.com' },
    verify(run, sim) {
      const result = run.json!.result;
      expect(result.cause?.code).to.equal('AUDIENCE_INVALID');
      expect(result.checks.find((c) => c.id === 'network.token-endpoint')?.status).to.equal('skip');
      expect(sim.requests.filter((r) => r.path.endsWith('/oauth2/token'))).to.have.length(0);
    },
  },
];

describe("sf org jwt doctor: variants of the simulated orgs, judged by sf's own login", function () {
  this.timeout(180_000);

  for (const v of VARIANTS) {
    it(v.name, async () => {
      const org = scenario(v.scenario);
      v.change?.(org);
      const sim = await startSimulator({ scenario: org });
      const home = tempHome();
      try {
        const l = sim.login!;
        const username = v.username ?? l.username;
        const instanceUrl = v.instanceUrl === null ? undefined : (v.instanceUrl ?? l.instanceUrl);
        // sf's truth: core's login as plugin-auth calls it (URL.href of --instance-url), with the same environment.
        const sf = await coreLogin(sim, {
          ...l,
          username,
          loginUrl: instanceUrl ? new URL(instanceUrl).href : undefined,
          audienceUrl: v.env?.SF_AUDIENCE_URL,
        });

        const args = [
          '--username',
          username,
          '--jwt-key-file',
          l.keyFile,
          '--client-id',
          l.clientId,
          '--json',
          '--timeout',
          '20',
        ];
        if (instanceUrl) args.push('--instance-url', instanceUrl);
        let env: Record<string, string> = { ...sim.env, ...(v.env ?? {}) };
        if (v.admin) {
          await storeAdminAuth(sim, home, { alias: 'admin' });
          args.push('--admin-org', 'admin');
          env = { ...env, ...KEYCHAIN_ENV };
        }
        sim.clearLog();
        const run = await runInProcess(args, { env, home });
        expect(run.json, run.stderr).to.not.equal(undefined);
        const result = run.json!.result;
        expect(schemaErrors(result)).to.deep.equal([]);
        const works = result.verdict === 'pass' || result.verdict === 'warn';
        expect(
          works,
          `sf: ${sf.ok ? 'works' : sf.message}; doctor: ${result.verdict} ${JSON.stringify(result.cause)}`,
        ).to.equal(sf.ok);
        expect(run.code).to.equal(works ? 0 : result.verdict === 'inconclusive' ? 3 : 1);
        await v.verify(run, sim);
      } finally {
        removeDir(home);
        await sim.stop();
      }
    });
  }
});
