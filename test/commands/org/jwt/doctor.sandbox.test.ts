/*
 * The sandbox-refresh workflow on the real command: the refresh named as the reason approvals vanished (with the
 * lasting fix), and --sandbox deriving the sandbox username and URL from the production ones.
 */
import { expect } from 'chai';
import { startSimulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome } from '../../../helpers/cli.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../../helpers/adminOrg.js';
import { loginArgs } from '../../../helpers/loginArgs.js';

describe('sf org jwt doctor: sandbox refreshes', function () {
  this.timeout(120_000);

  it('names the refresh as the reason the approval vanished, and gives the lasting fix', async () => {
    const sim = await startSimulator({ scenario: 'sandbox-refreshed' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--json'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      const result = run.json!.result;
      expect(result.cause?.code).to.equal('USER_NOT_APPROVED');
      expect(result.cause?.confidence).to.equal('confirmed');
      expect(result.cause?.summary).to.match(/refreshed on 2026-11-20.*copies no approvals/);
      expect(result.checks.find((c) => c.id === 'org.sandbox-refresh')?.status).to.equal('warn');
      const all = result.fixes.map((f) => [f.title, ...f.steps].join('\n')).join('\n');
      expect(all).to.match(/Admin approved users are pre-authorized/);
      expect(all).to.match(/survive/);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it('--sandbox derives the sandbox username and My Domain from the production ones', async () => {
    const sim = await startSimulator({ scenario: 'user-not-found-sandbox-suffix' });
    try {
      const l = sim.login!;
      const run = await runInProcess(
        [
          '--username',
          'ci@acme.com',
          '--jwt-key-file',
          l.keyFile,
          '--client-id',
          l.clientId,
          '--instance-url',
          'https://acme.my.salesforce.com',
          '--sandbox',
          'uat',
          '--json',
        ],
        { env: sim.env },
      );
      const result = run.json!.result;
      expect(result.inputs.find((i) => i.name === 'username')).to.include({
        value: 'ci@acme.com.uat',
        source: 'derived',
      });
      expect(result.inputs.find((i) => i.name === 'instance-url')?.value).to.equal(
        'https://acme--uat.sandbox.my.salesforce.com',
      );
      expect(result.verdict).to.be.oneOf(['pass', 'warn']);
      expect(result.loginCommand).to.match(
        /--username ci@acme\.com\.uat .* --instance-url https:\/\/acme--uat\.sandbox\.my\.salesforce\.com/,
      );
    } finally {
      await sim.stop();
    }
  });
});
