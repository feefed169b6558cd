/*
 * The login budget (issue 13): every token request counts against the user's hourly login limit (3,600 per user per
 * hour, restforce PR#744). --all on 50 stored JWT logins, counted in the simulated org's request log: at most 2 token
 * requests per working login, a first answer that decides stops there, and the result says how many it sent.
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, startSimulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome } from '../../../helpers/cli.js';
import type { JwtDoctorFleetEntry } from '../../../../src/doctor/fleet.js';

const TOKEN = '/services/oauth2/token';

describe('the login budget: --all on 50 stored JWT logins', function () {
  this.timeout(180_000);

  it('at most 2 token requests per working login; a deciding first answer sends no fallback pairs', async () => {
    // One org with 50 integration users the app is pre-authorized for (by profile), 5 of them inactive.
    const base = loadScenario('healthy-production');
    const users = Array.from({ length: 50 }, (_, i) => ({
      username: `ci${i + 1}@acme.com`,
      firstName: 'CI',
      lastName: `Bot ${i + 1}`,
      profile: 'Integration User',
      ...(i >= 45 ? { active: false } : {}),
    }));
    const sim = await startSimulator({
      scenario: { ...base, users: [...(base.users ?? []).filter((u) => u.username === base.admin), ...users] },
    });
    const home = tempHome();
    try {
      const l = sim.login!;
      const url = l.instanceUrl!;
      mkdirSync(join(home, '.sfdx'), { recursive: true });
      for (const u of users)
        writeFileSync(
          join(home, '.sfdx', `${u.username}.json`),
          JSON.stringify({
            username: u.username,
            loginUrl: url,
            instanceUrl: url,
            orgId: '00D000000000001AAA',
            clientId: l.clientId,
            privateKey: l.keyFile,
          }),
        );
      sim.clearLog();
      const run = await runInProcess(['--all', '--json'], { env: sim.env, home });
      const entries: JwtDoctorFleetEntry[] = run.json!.result.fleet!;
      expect(entries).to.have.length(50);
      const working = entries.filter((e) => e.result.verdict === 'pass' || e.result.verdict === 'warn');
      const inactive = entries.filter((e) => e.result.cause?.code === 'USER_INACTIVE');
      expect(working, 'the 45 active users log in').to.have.length(45);
      expect(inactive, 'the 5 inactive users are named').to.have.length(5);

      const tokenRequests = sim.requests.filter((q) => q.path === TOKEN && q.method === 'POST');
      const bySub = new Map<string, number>();
      for (const q of tokenRequests) bySub.set(String(q.token?.sub), (bySub.get(String(q.token?.sub)) ?? 0) + 1);
      const worst = Math.max(...working.map((e) => bySub.get(e.username) ?? 0));
      console.log(
        `      --all on 50 logins: ${tokenRequests.length} token requests in the org's log (${working.length} working: at most ${worst} each; ${inactive.length} inactive: ${inactive.map((e) => bySub.get(e.username) ?? 0).join('+')}); result.tokenRequests ${run.json!.result.tokenRequests}`,
      );
      for (const e of working) expect(bySub.get(e.username) ?? 0, e.username).to.be.within(1, 2);
      // "inactive user" names the user, not the host: sf's fallback pairs would only spend more logins.
      for (const e of inactive) expect(bySub.get(e.username), e.username).to.equal(1);
      expect(run.json!.result.tokenRequests, 'the result counts what the org saw').to.equal(tokenRequests.length);
      for (const e of entries) expect(e.result.tokenRequests, e.username).to.equal(bySub.get(e.username) ?? 0);

      const human = await runInProcess(['--all'], { env: { ...sim.env, COLUMNS: '200' }, home });
      expect(human.stdout).to.match(/^Login budget: \d+ token requests for 50 logins/m);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it('one login: the result and the human output say how many token requests the run sent', async () => {
    const sim = await startSimulator({ scenario: 'user-inactive' });
    try {
      const l = sim.login!;
      const flags = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId];
      if (l.instanceUrl) flags.push('--instance-url', l.instanceUrl);
      sim.clearLog();
      const run = await runInProcess([...flags, '--json'], { env: sim.env });
      const sent = sim.requests.filter((q) => q.path === TOKEN).length;
      // Without --all or --wait the probe asks every pair sf would (the diagnosis names what sf will print).
      expect(run.json!.result.tokenRequests).to.equal(sent);
      expect(run.json!.result.tokenRequests).to.equal(run.json!.result.attempts.length);
      const human = await runInProcess(flags, { env: sim.env });
      expect(human.stdout).to.match(/^Login budget: \d+ token requests? this run, each counted against /m);
    } finally {
      await sim.stop();
    }
  });
});
