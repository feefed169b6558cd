/*
 * --all (every stored JWT login at once) and --wait (polling until an approval lands), on the real command against
 * the simulated org.
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome } from '../../../helpers/cli.js';
import type { JwtDoctorFleetEntry } from '../../../../src/doctor/fleet.js';
import { loginArgs } from '../../../helpers/loginArgs.js';

const LONG_USERNAME = 'integration.deployment.pipeline.user@acme-corporation.com';

describe('sf org jwt doctor --all and --wait', function () {
  this.timeout(120_000);

  it('--all: one verdict per stored JWT login, web logins left out, exit code of the worst', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    const home = tempHome();
    try {
      const l = sim.login!;
      const url = l.instanceUrl!;
      // The org's own id: a stored login for another org id is a stale one (store.stale).
      const store = (username: string, fields: Record<string, unknown>): void =>
        writeFileSync(
          join(home, '.sfdx', `${username}.json`),
          JSON.stringify({ username, loginUrl: url, instanceUrl: url, orgId: sim.state.orgId, ...fields }),
        );
      mkdirSync(join(home, '.sfdx'), { recursive: true });
      // 50 stored JWT logins: the working one, 24 users the org does not have (one with a long username), 25 whose key file moved; plus a web login.
      store(l.username, { clientId: l.clientId, privateKey: l.keyFile });
      for (let i = 1; i <= 23; i++) store(`ghost${i}@acme.com`, { clientId: l.clientId, privateKey: l.keyFile });
      // A long username (57 characters) must not squeeze the other columns.
      store(LONG_USERNAME, { clientId: l.clientId, privateKey: l.keyFile });
      for (let i = 1; i <= 25; i++)
        store(`moved${i}@acme.com`, { clientId: l.clientId, privateKey: join(home, `gone${i}.key`) });
      store('web@acme.com', { refreshToken: 'x' });
      writeFileSync(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: { ci: l.username } }));

      const run = await runInProcess(['--all', '--json'], { env: sim.env, home });
      expect(run.json!.result.verdict, 'the worst verdict, in the one result shape').to.equal('fail');
      const entries: JwtDoctorFleetEntry[] = run.json!.result.fleet!;
      const byUser = Object.fromEntries(entries.map((e) => [e.username, e]));
      expect(entries).to.have.length(50);
      expect(byUser['web@acme.com']).to.equal(undefined);
      expect(byUser[l.username].alias).to.equal('ci');
      expect(byUser[l.username].result.verdict).to.equal('pass');
      for (let i = 1; i <= 25; i++)
        expect(byUser[`moved${i}@acme.com`].result.cause?.code).to.equal('KEY_FILE_MISSING');
      for (const name of [...Array.from({ length: 23 }, (_, i) => `ghost${i + 1}@acme.com`), LONG_USERNAME]) {
        const r = byUser[name].result;
        expect(r.verdict).to.equal('fail');
        expect([r.cause?.code, ...(r.cause?.alternatives ?? [])]).to.include('USER_NOT_FOUND');
      }
      expect(run.code).to.equal(1);

      const human = await runInProcess(['--all'], { env: { ...sim.env, COLUMNS: '200' }, home });
      expect(human.stdout).to.match(/ci \(ci@acme\.com\)/);
      expect(human.stdout).to.match(/KEY_FILE_MISSING/);
      expect(human.stdout).to.match(/50 stored JWT logins checked; worst verdict: fail/);
      const lines = human.stdout.trimEnd().split('\n');
      // The table fits 100 columns even in a wider terminal; a command is never cut: each stands whole on its own line.
      const table = lines.slice(
        0,
        lines.findIndex((line) => line.startsWith('Fix commands')),
      );
      expect(table.length).to.be.greaterThan(50);
      for (const line of table) expect(line.length, line).to.be.at.most(100);
      // The Fix column keeps its words whole (a long username wraps in its own column instead of squeezing it).
      const tableText = table.join('\n');
      for (const word of new Set(entries.flatMap((e) => (e.result.fixes[0]?.title ?? '').split(/\s+/))))
        if (word.length > 3) expect(tableText, word).to.include(word);
      const commands = new Set(
        entries.flatMap((e) => (e.result.fixes[0]?.commands[0] ? [e.result.fixes[0].commands[0]] : [])),
      );
      expect(commands.size).to.be.greaterThan(0);
      for (const command of commands) expect(lines, command).to.include(`    ${command}`);
      // A cause that is not confirmed says so next to it.
      const ghost = byUser['ghost1@acme.com'].result.cause!;
      if (ghost.confidence === 'likely') expect(human.stdout).to.include(`${ghost.code} (likely)`);
      expect(human.stdout).to.match(/KEY_FILE_MISSING(?! \(likely\))/);
      expect(lines.at(-1)).to.match(/^For the detail of one login: sf org jwt doctor --from-org \S+$/);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it('--all with no stored JWT login: inconclusive (exit 3), never a silent pass', async () => {
    const run = await runInProcess(['--all', '--json']);
    expect(run.code).to.equal(3);
    expect(run.json!.result).to.include({ verdict: 'inconclusive' });
    expect(run.json!.result.fleet).to.deep.equal([]);
    expect(run.json!.warnings?.join('\n'), 'the --json envelope carries the warning').to.match(/No stored JWT login/);
    const human = await runInProcess(['--all']);
    expect(human.code).to.equal(3);
    expect(human.stderr, 'a warning, on stderr').to.match(/Warning: No stored JWT login/);
    expect(human.stdout).to.not.match(/worst verdict: pass/);
  });

  it('--all refuses login flags (a usage error, exit 2)', async () => {
    const run = await runInProcess(['--all', '--username', 'x@y.com', '--offline']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/--username|cannot also be provided/);
  });

  it('--wait: polls until the one-time approval lands, then exits 0', async () => {
    const sim = await startSimulator({ scenario: 'self-authorize-never-approved' });
    try {
      const l = sim.login!;
      const pending = runInProcess([...loginArgs(sim), '--wait', '1', '--json'], {
        env: { ...sim.env, SF_JWT_DOCTOR_WAIT_INTERVAL_MS: '400' },
      });
      // Approve only once the first diagnosis has failed completely (all 5 of sf's attempts answered).
      const tokenPosts = (): number => sim.requests.filter((r) => r.path.endsWith('/services/oauth2/token')).length;
      while (tokenPosts() < 5) await new Promise((r) => setTimeout(r, 100));
      sim.approve(l.username, sim.scenario.login!.app!, ['api', 'refresh_token']);
      const run = await pending;
      expect(run.json!.result.verdict).to.equal('pass');
      expect(run.code).to.equal(0);
      expect(tokenPosts()).to.be.greaterThan(5); // a second diagnosis ran after the first failed
    } finally {
      await sim.stop();
    }
  });
});

describe('sf org jwt doctor --report-file', function () {
  this.timeout(60_000);

  it('writes a masked Markdown report next to the normal output', async () => {
    const { readFileSync } = await import('node:fs');
    const sim = await startSimulator({ scenario: 'self-authorize-never-approved' });
    const home = tempHome();
    try {
      const l = sim.login!;
      const file = join(home, 'report.md');
      const run = await runInProcess([...loginArgs(sim), '--report-file', file, '--json'], { env: sim.env, home });
      expect(run.code).to.equal(1);
      const report = readFileSync(file, 'utf8');
      expect(report).to.match(/USER_NOT_APPROVED/);
      expect(report).to.not.include(l.username);
      expect(report).to.not.include(l.clientId);
      expect(report).to.not.match(/00D\w{12,15}/);
      expect(run.json!.result.cause?.code).to.equal('USER_NOT_APPROVED');
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });
});
