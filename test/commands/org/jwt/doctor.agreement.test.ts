/*
 * The doctor predicts sf: for scenarios of every kind, the doctor's `attempts` are the (login host, aud) pairs
 * @salesforce/core's own JWT login posts, in the same order (read from the simulator's request log); and for the
 * healthy scenarios the doctor passes and its `loginCommand` logs in through @salesforce/core.
 */
import { expect } from 'chai';
import { startSimulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome } from '../../../helpers/cli.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../../helpers/adminOrg.js';
import { coreLogin } from '../../../helpers/coreLogin.js';

const host = (url: string): string => new URL(url).host;

describe('sf org jwt doctor agrees with @salesforce/core', function () {
  this.timeout(120_000);

  for (const scenario of [
    'self-authorize-never-approved',
    'user-not-found-sandbox-suffix',
    'cert-mismatch',
    'eca-via-login',
    'healthy-scratch',
  ]) {
    it(`${scenario}: the same login/audience pairs, in sf's order`, async () => {
      const sim = await startSimulator({ scenario });
      try {
        const l = sim.login!;
        const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId, '--json'];
        if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
        const doctor = await runInProcess(args, { env: sim.env });
        const attempts = doctor.json!.result.attempts.map((a) => `${host(a.loginUrl)} ${a.audience}`);
        const sf = await coreLogin(sim, { ...l, loginUrl: l.instanceUrl ? new URL(l.instanceUrl).href : undefined });
        expect(attempts).to.deep.equal(sf.posts);
        expect(doctor.json!.result.verdict === 'pass' || doctor.json!.result.verdict === 'warn').to.equal(sf.ok);
      } finally {
        await sim.stop();
      }
    });
  }

  for (const scenario of [
    'healthy-production',
    'healthy-sandbox',
    'healthy-developer',
    'healthy-scratch',
    'healthy-eca',
  ]) {
    it(`${scenario}: verdict pass, exit 0, and the loginCommand logs in through @salesforce/core`, async () => {
      const sim = await startSimulator({ scenario });
      try {
        const l = sim.login!;
        const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId, '--json'];
        if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
        const run = await runInProcess(args, { env: sim.env });
        expect(run.code).to.equal(0);
        expect(run.json!.result.verdict, JSON.stringify(run.json!.result.cause)).to.equal('pass');
        const line = run.json!.result.loginCommand!;
        const flag = (name: string): string | undefined => new RegExp(`--${name} (\\S+)`).exec(line)?.[1];
        expect(line).to.match(/^sf org login jwt /);
        const sf = await coreLogin(sim, {
          username: flag('username')!,
          clientId: flag('client-id')!,
          keyFile: flag('jwt-key-file')!,
          loginUrl: flag('instance-url') ? new URL(flag('instance-url')!).href : undefined,
        });
        expect(sf.ok).to.equal(true);
      } finally {
        await sim.stop();
      }
    });
  }

  // A consumer key of another app (WRONG_APP): with --admin-org the org says which app holds this key's certificate and
  // lets its consumer key be read, so "Then log in with" is the line that works — core's own login says so.
  it('wrong-app --admin-org: the login line pairs the key file with the right app, and core logs in with it', async () => {
    const sim = await startSimulator({ scenario: 'wrong-app' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      const l = sim.login!;
      const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId, '--json'];
      if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
      const run = await runInProcess([...args, '--admin-org', 'admin'], {
        env: { ...sim.env, ...KEYCHAIN_ENV },
        home,
      });
      expect(run.json!.result.cause?.code).to.equal('WRONG_APP');
      const line = run.json!.result.loginCommand!;
      const flag = (name: string): string | undefined => new RegExp(`--${name} (\\S+)`).exec(line)?.[1];
      expect(flag('client-id')).to.not.equal(l.clientId);
      const sf = await coreLogin(sim, {
        username: flag('username')!,
        clientId: flag('client-id')!,
        keyFile: flag('jwt-key-file')!,
        loginUrl: flag('instance-url') ? new URL(flag('instance-url')!).href : undefined,
      });
      expect(sf.ok, sf.message).to.equal(true);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });
});
