/*
 * The safety rules (DESIGN.md §2), proven on the real command: nothing persisted in a HOME that holds existing
 * logins (where `sf org login jwt` would delete the login first), no request that changes the org, and the assertion
 * never sent to a host that is neither Salesforce nor loopback.
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome } from '../../../helpers/cli.js';
import { snapshotHome } from '../../../helpers/homeSnapshot.js';
import { loginArgs } from '../../../helpers/loginArgs.js';

/** A HOME as a developer's machine has it: a stored JWT login for the same user, an alias, a default org, a keychain key. */
function homeWithLogins(sim: Simulator): string {
  const home = tempHome();
  const l = sim.login!;
  mkdirSync(join(home, '.sfdx'), { recursive: true });
  mkdirSync(join(home, '.sf'), { recursive: true });
  writeFileSync(
    join(home, '.sfdx', `${l.username}.json`),
    JSON.stringify({
      username: l.username,
      clientId: l.clientId,
      privateKey: l.keyFile,
      loginUrl: l.instanceUrl,
      instanceUrl: l.instanceUrl,
      orgId: '00D000000000001AAA',
      accessToken: 'encrypted-looking-value',
    }),
    { mode: 0o600 },
  );
  writeFileSync(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: { ci: l.username } }));
  writeFileSync(
    join(home, '.sfdx', 'key.json'),
    JSON.stringify({ account: 'local', key: '0123456789abcdef0123456789abcdef', service: 'sfdx' }),
    { mode: 0o600 },
  );
  writeFileSync(join(home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'ci' }));
  writeFileSync(join(home, '.sfdx', 'sfdx-config.json'), JSON.stringify({ defaultusername: 'ci' }));
  return home;
}

describe('sf org jwt doctor: safety rules', function () {
  this.timeout(120_000);

  for (const scenario of ['self-authorize-never-approved', 'healthy-production', 'cert-mismatch']) {
    it(`persists nothing in a HOME with existing logins (${scenario}, online, offline, --from-org)`, async () => {
      const sim = await startSimulator({ scenario });
      const home = homeWithLogins(sim);
      try {
        const before = snapshotHome(home);
        expect(Object.keys(before)).to.have.length(5);
        const runs = [
          await runInProcess([...loginArgs(sim), '--alias', 'ci', '--set-default', '--json'], { env: sim.env, home }),
          await runInProcess([...loginArgs(sim), '--offline'], { env: sim.env, home }),
          await runInProcess(['--from-org', 'ci', '--json'], { env: sim.env, home }),
        ];
        for (const run of runs) expect(run.code, run.stderr).to.be.oneOf([0, 1]);
        expect(snapshotHome(home)).to.deep.equal(before);
        expect(sim.requests.filter((r) => r.mutating)).to.deep.equal([]);
        expect(sim.requests.every((r) => r.loopback)).to.equal(true);
      } finally {
        removeDir(home);
        await sim.stop();
      }
    });
  }

  it('never sends the assertion to a non-Salesforce host, even one sf would post to (SF_AUDIENCE_URL)', async () => {
    const sim = await startSimulator({ scenario: 'self-authorize-never-approved' });
    try {
      // Route the foreign host to the simulator too: if the doctor posted there, the log would show it.
      const evil = `evil.example.com:443:127.0.0.1:${sim.port}`;
      const env = {
        ...sim.env,
        SF_JWT_DOCTOR_CONNECT_TO: `${sim.env.SF_JWT_DOCTOR_CONNECT_TO},${evil}`,
        SF_AUDIENCE_URL: 'https://evil.example.com',
      };
      const run = await runInProcess([...loginArgs(sim), '--json'], { env });
      const result = run.json!.result;
      expect(result.attempts.some((a) => a.loginUrl.includes('evil.example.com'))).to.equal(true);
      expect(
        result.attempts
          .filter((a) => a.loginUrl.includes('evil.example.com'))
          .every((a) => a.outcome === 'network-error' && a.error === 'refused'),
      ).to.equal(true);
      expect(sim.requests.filter((r) => r.host === 'evil.example.com')).to.deep.equal([]);

      const direct = await runInProcess(
        [...loginArgs(sim).slice(0, -2), '--instance-url', 'https://evil.example.com', '--json'],
        { env },
      );
      expect(direct.json!.result.checks.find((c) => c.id === 'url.salesforce-domain')?.status).to.equal('fail');
      expect(direct.json!.result.attempts).to.deep.equal([]);
      expect(sim.requests.filter((r) => r.host === 'evil.example.com')).to.deep.equal([]);
    } finally {
      await sim.stop();
    }
  });

  it('prints no access token, assertion or refresh token, even when the login works', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      const human = await runInProcess(loginArgs(sim), { env: sim.env });
      const json = await runInProcess([...loginArgs(sim), '--json'], { env: sim.env });
      for (const out of [human.stdout + human.stderr, json.stdout + json.stderr]) {
        expect(out).to.not.match(/00D\w{12,15}![\w.]{20,}/); // a Salesforce access token
        expect(out).to.not.match(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/); // a JWT (the assertion)
        expect(out).to.not.match(/access_token|refresh_token"/);
      }
      expect(json.json!.result.verdict).to.equal('pass');
    } finally {
      await sim.stop();
    }
  });
});
