/*
 * Misleading verdicts from --admin-org (issue 11, item 8): an admin org that is another org than the login's (another
 * org id, another My Domain) yields no confirmed org-side cause and never a login line or fix with the admin org's
 * URL; an org that cannot be reached plus an --admin-org that cannot be used is inconclusive (exit 3), never fail.
 */
import { expect } from 'chai';
import { loadScenario, startSimulator, type Scenario, type Simulator } from '../../simulator/index.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome } from '../helpers/cli.js';
import { STACK_FRAME } from '../helpers/parallel.js';
import { schemaErrors } from '../helpers/schema.js';
import { loginArgsAt } from '../helpers/loginArgs.js';

/** The same org under another company's names (another My Domain, org id, usernames): a second, unrelated org. */
function renamed(name: string, to: string): Scenario {
  return JSON.parse(JSON.stringify(loadScenario(name)).replace(/acme/g, to)) as Scenario;
}

/** healthy-sandbox with its CI user deactivated. */
function inactiveSandboxUser(): Scenario {
  const s = structuredClone(loadScenario('healthy-sandbox'));
  for (const u of s.users ?? []) if (u.username === s.login?.username) u.active = false;
  return s;
}

function loginArgs(sim: Simulator, instanceUrl?: string): string[] {
  return loginArgsAt(sim, instanceUrl ?? sim.login!.instanceUrl ?? sim.url(), '--json', '--timeout', '20');
}

/** Org-side check ids (the admin org's findings). */
const ORG_SIDE = /^(org\.(?!connection)|app\.|user\.|approval\.|cert\.app)/;

function orgSideConfirmed(r: JwtDoctorResult): string[] {
  return r.checks.filter((c) => ORG_SIDE.test(c.id) && c.status === 'fail').map((c) => c.id);
}

type Case = {
  name: string;
  login: () => Scenario | string;
  admin: () => Scenario | string;
  instanceUrl?: (login: Simulator) => string;
};

const CASES: Case[] = [
  {
    name: 'a globex production login (My Domain), the acme production org as admin',
    login: () => renamed('not-preauthorized-profile', 'globex'),
    admin: () => 'healthy-production',
  },
  {
    name: 'a sandbox login that fails (user inactive), its production org as admin',
    login: () => inactiveSandboxUser(),
    admin: () => 'not-preauthorized-profile',
  },
  {
    name: 'a globex login through login.salesforce.com (no My Domain to compare), the acme org as admin',
    login: () => renamed('user-inactive', 'globex'),
    admin: () => 'not-preauthorized-profile',
    instanceUrl: () => 'https://login.salesforce.com',
  },
];

describe('reliability: an --admin-org that is another org, or unusable, never misleads', function () {
  this.timeout(240_000);

  for (const c of CASES) {
    it(c.name, async () => {
      const login = await startSimulator({ scenario: c.login() });
      const admin = await startSimulator({ scenario: c.admin() });
      const home = tempHome();
      try {
        await storeAdminAuth(admin, home, { alias: 'other' });
        // The login's org first: login/test.salesforce.com and its My Domain go there, the admin's My Domain to the admin org.
        const env = {
          ...login.env,
          ...KEYCHAIN_ENV,
          SF_JWT_DOCTOR_CONNECT_TO: `${login.env.SF_JWT_DOCTOR_CONNECT_TO},${admin.env.SF_JWT_DOCTOR_CONNECT_TO}`,
        };
        const run = await runInProcess([...loginArgs(login, c.instanceUrl?.(login)), '--admin-org', 'other'], {
          home,
          env,
        });
        const r = run.json!.result;
        expect(schemaErrors(r)).to.deep.equal([]);
        expect(`${run.stdout}${run.stderr}`).to.not.match(STACK_FRAME);
        const adminHost = new URL(admin.login!.instanceUrl!).host;
        const confirmed = orgSideConfirmed(r);
        const detail = `${r.cause?.code ?? ''} ${r.cause?.confidence ?? ''} ${confirmed.join(',')} ${r.checks.find((x) => x.id === 'org.connection')?.detail ?? ''}`;
        if (r.cause?.confidence === 'confirmed')
          expect(confirmed, `no confirmed cause from the other org: ${detail}`).to.deep.equal([]);
        expect(r.loginCommand ?? '', "no login line with the admin org's URL").to.not.include(adminHost);
        expect(JSON.stringify(r.fixes), "no fix with the admin org's URL").to.not.include(adminHost);
        console.log(
          `      ${c.name}: verdict ${r.verdict}, cause ${r.cause?.code ?? 'none'} (${r.cause?.confidence ?? '-'}), org-side fails ${confirmed.length}, login line ${r.loginCommand ? 'without' : 'none, so without'} ${adminHost}`,
        );
      } finally {
        removeDir(home);
        await login.stop();
        await admin.stop();
      }
    });
  }

  it('an unreachable org plus an --admin-org that is not stored: inconclusive (exit 3)', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    const home = tempHome();
    try {
      sim.setFaults([
        { kind: 'refuse', match: { host: 'acme.my.salesforce.com' } },
        { kind: 'refuse', match: { host: 'login.salesforce.com' } },
        { kind: 'refuse', match: { host: 'test.salesforce.com' } },
      ]);
      const run = await runInProcess([...loginArgs(sim), '--admin-org', 'nobody-here'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      const r = run.json!.result;
      expect(schemaErrors(r)).to.deep.equal([]);
      expect(r.verdict, `${r.cause?.code} ${r.cause?.summary}`).to.equal('inconclusive');
      expect(run.code).to.equal(3);
      expect(r.checks.find((x) => x.id === 'org.connection')?.detail).to.match(/nobody-here/);
      console.log(
        `      unreachable org + unknown --admin-org: verdict ${r.verdict} (exit ${run.code}), cause ${r.cause?.code ?? 'none'}`,
      );
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });
});
