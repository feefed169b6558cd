/*
 * NUTs: `bin/run.js org jwt doctor` as a child process, for what only a real process shows — exit codes as the shell
 * sees them, the sf JSON envelope on stdout, usage errors from oclif, help, the Node re-exec of bin/run.js on an old
 * system Node, signals, and core's log files. Everything else runs in-process (test/helpers/cli.ts `runInProcess`).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../simulator/index.js';
import { noteProcessStart, removeDir, ROOT, runInProcess, runDoctorProcess, tempHome } from '../helpers/cli.js';
import { pemBody } from '../helpers/keys.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { STACK_FRAME } from '../helpers/parallel.js';
import { loginArgs } from '../helpers/loginArgs.js';

/** A Node older than 22 on this machine's PATH (not the project's own), if there is one. */
function oldSystemNode(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules'));
  for (const dir of [...dirs, '/usr/local/bin', '/usr/bin']) {
    const node = join(dir, 'node');
    if (!existsSync(node)) continue;
    const major = Number(
      execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim(),
    );
    if (major < 22) return node;
  }
  return undefined;
}

describe('NUT: sf org jwt doctor as a process', function () {
  this.timeout(120_000);

  it('--help: the command help, exit 0', async () => {
    const run = await runDoctorProcess(['--help']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/USAGE\s+\$ sf org jwt doctor/);
    expect(run.stdout).to.match(/--jwt-key-file/);
  });

  it('a working login: exit 0 and the sf envelope {status, result, warnings} on stdout', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      const run = await runDoctorProcess([...loginArgs(sim), '--json'], { env: sim.env });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.json).to.include.keys('status', 'result', 'warnings');
      expect(run.json!.status).to.equal(0);
      expect(run.json!.result.verdict).to.equal('pass');
    } finally {
      await sim.stop();
    }
  });

  it('a cause found: exit 1 in human and --json output (status 1), the verdict line first', async () => {
    const sim = await startSimulator({ scenario: 'self-authorize-never-approved' });
    try {
      const human = await runDoctorProcess(loginArgs(sim), { env: sim.env });
      expect(human.code, human.stderr).to.equal(1);
      expect(human.stdout.split('\n')[2]).to.match(/^✗ The JWT login fails: USER_NOT_APPROVED/);
      const json = await runDoctorProcess([...loginArgs(sim), '--json'], { env: sim.env });
      expect(json.code).to.equal(1);
      expect(json.json!.status).to.equal(1);
      expect(json.json!.result.cause!.code).to.equal('USER_NOT_APPROVED');
    } finally {
      await sim.stop();
    }
  });

  it('a hung org: inconclusive, exit 3, within the --timeout deadline', async () => {
    const sim = await startSimulator({
      scenario: 'healthy-production',
      faults: [{ kind: 'hang', match: { pathPrefix: '/services/oauth2/token' } }],
    });
    try {
      const started = Date.now();
      const run = await runDoctorProcess([...loginArgs(sim), '--timeout', '2', '--json'], { env: sim.env });
      expect(run.code, run.stderr).to.equal(3);
      expect(run.json!.result.verdict).to.equal('inconclusive');
      expect(Date.now() - started).to.be.below(15_000);
    } finally {
      await sim.stop();
    }
  });

  it('usage errors exit 2 with "Try this" (human) and the error envelope (--json), no stack trace', async () => {
    const human = await runDoctorProcess(['--jwt-key-file', 'server.key', '--client-id', 'x', '--offline']);
    expect(human.code).to.equal(2);
    expect(human.stderr).to.match(/Try this/);
    expect(human.stderr).to.not.match(STACK_FRAME);
    const json = await runDoctorProcess(['--jwt-key-file', 'server.key', '--client-id', 'x', '--offline', '--json']);
    expect(json.code).to.equal(2);
    expect(json.json).to.include({ status: 2, exitCode: 2 });
    const unknown = await runDoctorProcess(['--no-such-flag']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/no-such-flag/);
  });

  it('SIGINT and SIGTERM while the org hangs: the process ends at once, without a stack trace', async () => {
    const sim = await startSimulator({
      scenario: 'healthy-production',
      faults: [{ kind: 'hang', match: { pathPrefix: '/services/oauth2/token' } }],
    });
    try {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        sim.clearLog();
        const started = Date.now();
        const run = await runDoctorProcess([...loginArgs(sim), '--timeout', '60'], {
          env: sim.env,
          onSpawn: (child) => {
            const poll = setInterval(() => {
              if (sim.requests.some((r) => r.path === '/services/oauth2/token')) {
                clearInterval(poll);
                child.kill(signal);
              }
            }, 50);
            child.on('close', () => clearInterval(poll));
          },
        });
        expect(Date.now() - started, signal).to.be.below(30_000);
        expect(run.code, `${signal}: ${run.stderr}`).to.equal(signal === 'SIGINT' ? 130 : 143);
        expect(run.stderr).to.include(`Interrupted by ${signal}`);
        expect(`${run.stdout}${run.stderr}`).to.not.match(STACK_FRAME);
      }
    } finally {
      await sim.stop();
    }
  });

  it('SIGINT while --fix waits on its second write: exit 130, the steps done so far with their undo (stderr and --json)', async () => {
    const sim = await startSimulator({ scenario: 'not-preauthorized-profile' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      // The REST base the admin connection uses, from an in-process dry run's reads; then the grant (the second
      // write) hangs until the signal, after the permission set (the first) was made.
      sim.clearLog();
      await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--dry-run', '--json'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      const base = sim.requests.map((r) => /^\/services\/data\/v\d+\.\d\//.exec(r.path)?.[0]).find(Boolean);
      sim.setFaults([{ kind: 'hang', match: { pathPrefix: `${base!}sobjects/SetupEntityAccess`, method: 'POST' } }]);
      sim.clearLog();
      const run = await runDoctorProcess(
        [...loginArgs(sim), '--admin-org', 'admin', '--fix', '--no-prompt', '--json', '--timeout', '60'],
        {
          home,
          env: { ...sim.env, ...KEYCHAIN_ENV },
          onSpawn: (child) => {
            const poll = setInterval(() => {
              if (sim.requests.some((r) => r.fault === 'hang')) {
                clearInterval(poll);
                child.kill('SIGINT');
              }
            }, 20);
            child.on('close', () => clearInterval(poll));
          },
        },
      );
      expect(run.code, run.stderr).to.equal(130);
      expect(`${run.stdout}${run.stderr}`).to.not.match(STACK_FRAME);
      expect(run.stderr).to.include('Interrupted by SIGINT during --fix');
      const fix = run.json?.result?.fix;
      expect(fix?.mode, run.stdout).to.equal('interrupted');
      expect(fix?.steps.map((s) => s.status)).to.deep.equal(['applied', 'may-have-been-made', 'skipped']);
      const permissionSet = fix!.steps[0].recordId!;
      expect(fix?.undo[1]).to.equal(
        `sf data delete record --sobject PermissionSet --record-id ${permissionSet} --target-org admin`,
      );
      expect(run.stderr).to.include(fix!.undo[0]).and.to.include(fix!.undo[1]);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it("core's log files under ~/.sf hold no assertion, token or key material (log level debug)", async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    const home = tempHome();
    try {
      mkdirSync(join(home, '.sf'), { recursive: true });
      const run = await runDoctorProcess([...loginArgs(sim), '--json'], {
        env: { ...sim.env, SF_LOG_LEVEL: 'debug' },
        home,
      });
      expect(run.code, run.stderr).to.equal(0);
      const logs = readdirSync(join(home, '.sf'))
        .filter((f) => f.endsWith('.log'))
        .map((f) => readFileSync(join(home, '.sf', f), 'utf8'));
      const text = logs.join('\n');
      expect(text).to.not.match(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/);
      expect(text).to.not.match(/00D\w{12,15}![\w.]{20,}/);
      const body = pemBody(readFileSync(sim.login!.keyFile, 'utf8'));
      expect(text.replace(/\s+/g, '')).to.not.include(body.slice(100, 140));
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it('bin/run.js on a Node older than 22 re-executes itself with the project Node', async function () {
    const old = oldSystemNode();
    // The CI machine's system Node is 20 (DEVELOPERS.md); a machine without an old Node has nothing to show here.
    if (!old) this.skip();
    const home = tempHome();
    try {
      noteProcessStart('org jwt doctor --help (old Node)');
      const out = execFileSync(old!, [join(ROOT, 'bin', 'run.js'), 'org', 'jwt', 'doctor', '--help'], {
        env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' },
        encoding: 'utf8',
      });
      expect(out).to.match(/USAGE\s+\$ sf org jwt doctor/);
    } finally {
      removeDir(home);
    }
  });
});
