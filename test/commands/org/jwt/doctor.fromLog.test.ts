/*
 * --from-log against the logs of the REAL sf (issue 15 point 1): test/fixtures/logs holds what @salesforce/plugin-auth's
 * `org login jwt` printed against each scenario of the simulated org, human and --json (made by
 * scripts/captureLogs.ts, `npm run fixtures:logs`). For each, the doctor run on the log alone, in-process, must name
 * the scenario's cause, or say `likely` with it among the alternatives, or — by the general rule below — say that the
 * log cannot tell. The same logs in CI noise give the same result; a secret planted in a log reaches no output; stdin
 * works; flags win over the log's values; with --admin-org the org's setup decides what the log's answers cannot.
 */
import { createPublicKey, generateKeyPairSync, createSign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadScenario, startSimulator } from '../../../../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../../helpers/adminOrg.js';
import { ROOT, removeDir, runInProcess, tempHome, type CliRun } from '../../../helpers/cli.js';
import { withCiNoise } from '../../../helpers/ciLog.js';
import { leaks } from '../../../helpers/leaks.js';
import { schemaErrors } from '../../../helpers/schema.js';
import { CAUSE_SIDE } from '../../../../src/doctor/causes.js';
import { text } from '../../../../src/doctor/text.js';
import type { CauseCode, JwtDoctorResult } from '../../../../src/doctor/types.js';

const DIR = join(ROOT, 'test', 'fixtures', 'logs');
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

type Expected = { sfLogin?: string; cause?: CauseCode | null };

/** The scenario a fixture was captured from (`<scenario>.human.txt` / `.json.txt`), or none (local key failures). */
function scenarioOf(file: string): { name: string; expect: Expected } | undefined {
  const name = file.replace(/\.(human|json)\.txt$/, '');
  try {
    return { name, expect: (loadScenario(name) as { expect?: Expected }).expect ?? {} };
  } catch {
    return undefined;
  }
}

/** The local failures sf printed before any request, and the cause their log shows. */
const LOCAL: Record<string, CauseCode> = {
  'local-key-missing.human.txt': 'KEY_FILE_MISSING',
  'local-key-invalid.json.txt': 'KEY_INVALID',
};

type Outcome = 'exact' | 'among alternatives' | 'not decidable from a log' | 'wrong';

/**
 * How the doctor's result from the log alone relates to the scenario's cause.
 * A log of a working login (sf printed "Successfully authorized") must make the doctor say the login works: exact for
 * a scenario without a cause. The general rule for "not decidable from a log":
 * - the log shows a working login but the scenario has a cause: it lies beyond the grant sf printed (a later API call,
 *   the doctor's own client), so the doctor must still say the login works;
 * - the cause is on the org's setup or the key's side (CAUSE_SIDE `setup` / `key`): the token endpoint gives the same
 *   answer for several of those causes, so the log's answers cannot separate them; the doctor must then claim none of
 *   them as confirmed (a `likely` cause that is not the scenario's).
 */
function outcome(result: JwtDoctorResult, expected: Expected): { kind: Outcome; why: string } {
  const said = `${result.verdict} ${result.cause?.code ?? '-'} ${result.cause?.confidence ?? ''} [${(result.cause?.alternatives ?? []).join(',')}]`;
  const want = expected.cause ?? null;
  if (expected.sfLogin === 'success') {
    const works = result.verdict === 'pass' && result.cause === null;
    const kind = !works ? 'wrong' : want ? 'not decidable from a log' : 'exact';
    return { kind, why: `${said}; sf's login worked, the scenario's cause: ${want}` };
  }
  if (!want) return { kind: 'wrong', why: `${said}: a failing login with no cause in the scenario` };
  if (result.cause?.code === want) return { kind: 'exact', why: said };
  const likely = result.cause?.confidence === 'likely' || result.verdict === 'inconclusive';
  if (likely && result.cause?.alternatives.includes(want)) return { kind: 'among alternatives', why: said };
  if (likely && (CAUSE_SIDE[want] === 'setup' || CAUSE_SIDE[want] === 'key'))
    return { kind: 'not decidable from a log', why: `${said}; want ${want} (${CAUSE_SIDE[want]})` };
  return { kind: 'wrong', why: `${said}; want ${want}` };
}

function resultOf(run: CliRun, what: string): JwtDoctorResult {
  expect(run.json?.result, `${what}: ${run.stdout.slice(0, 400)}${run.stderr.slice(0, 400)}`).to.be.an('object');
  return run.json!.result;
}

describe('sf org jwt doctor --from-log: the real sf’s logs of every scenario', function () {
  this.timeout(600_000);
  const runs = new Map<string, CliRun>();

  before(async () => {
    for (const f of FIXTURES) runs.set(f, await runInProcess(['--from-log', join(DIR, f), '--json']));
  });

  it('has a human and a --json log for every scenario with a login, and no machine path in any', () => {
    const scenarios = new Set(
      FIXTURES.map(scenarioOf)
        .filter(Boolean)
        .map((s) => s!.name),
    );
    for (const name of scenarios) {
      expect(FIXTURES, name).to.include(`${name}.human.txt`);
      expect(FIXTURES, name).to.include(`${name}.json.txt`);
    }
    expect(scenarios.size).to.be.greaterThan(40);
    for (const f of FIXTURES) {
      const log = readFileSync(join(DIR, f), 'utf8');
      expect(log, f).to.match(/^\$ (SF_AUDIENCE_URL=\S+ )?sf org login jwt --username .+ --jwt-key-file server\.key /);
      // Stand-ins only (/home/runner…): not this checkout, this HOME, or the capture's temporary directories.
      for (const path of [ROOT.replace(/\/$/, ''), homedir(), 'jwt-doctor-']) expect(log, f).to.not.include(path);
    }
  });

  it('names the scenario’s cause, or `likely` with it among the alternatives, or what the log cannot tell', () => {
    const rows = FIXTURES.map((f) => {
      const result = resultOf(runs.get(f)!, f);
      expect(schemaErrors(result), f).to.deep.equal([]);
      const scenario = scenarioOf(f);
      const expected: Expected = scenario?.expect ?? { sfLogin: 'failure', cause: LOCAL[f] };
      return { f, ...outcome(result, expected) };
    });
    const count = (k: Outcome): number => rows.filter((r) => r.kind === k).length;
    console.log(
      `      ${rows.length} logs: ${count('exact')} exact, ${count('among alternatives')} among the alternatives, ${count('not decidable from a log')} not decidable from a log, ${count('wrong')} wrong`,
    );
    for (const r of rows.filter((x) => x.kind !== 'exact'))
      console.log(`        ${r.kind.padEnd(26)} ${r.f}: ${r.why}`);
    expect(rows.filter((r) => r.kind === 'wrong').map((r) => `${r.f}: ${r.why}`)).to.deep.equal([]);
    // Not vacuous: most logs name the cause outright.
    expect(count('exact')).to.be.greaterThan(rows.length / 2);
  });

  it('the human and the --json log of a scenario give the same result', () => {
    for (const f of FIXTURES.filter((x) => x.endsWith('.human.txt'))) {
      const json = f.replace('.human.txt', '.json.txt');
      if (!runs.has(json)) continue;
      const [a, b] = [resultOf(runs.get(f)!, f), resultOf(runs.get(json)!, json)];
      expect([b.verdict, b.cause?.code, b.cause?.confidence], json).to.deep.equal([
        a.verdict,
        a.cause?.code,
        a.cause?.confidence,
      ]);
    }
  });

  it('sends nothing: a log run makes no token request', () => {
    for (const [f, run] of runs) expect(resultOf(run, f).tokenRequests, f).to.equal(0);
  });

  it('the same logs in CI noise (timestamps, colours, masked values, CRLF) give the same result', async () => {
    let compared = 0;
    for (const f of FIXTURES) {
      const clean = resultOf(runs.get(f)!, f);
      const home = tempHome();
      try {
        const noisy = await runInProcess(['--from-log', '-', '--json'], {
          home,
          stdin: withCiNoise(readFileSync(join(DIR, f), 'utf8')),
        });
        const r = resultOf(noisy, `${f} in CI noise`);
        expect([r.verdict, r.cause?.code, r.cause?.confidence], f).to.deep.equal([
          clean.verdict,
          clean.cause?.code,
          clean.cause?.confidence,
        ]);
        compared++;
      } finally {
        removeDir(home);
      }
    }
    console.log(`      ${compared} logs in CI noise: same verdict, cause and confidence`);
  });
});

describe('sf org jwt doctor --from-log: stdin, flags over the log, secrets', function () {
  this.timeout(120_000);
  const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');

  it('reads the log from stdin with `--from-log -`, as from the file', async () => {
    const fromFile = resultOf(
      await runInProcess(['--from-log', join(DIR, 'user-inactive.human.txt'), '--json']),
      'file',
    );
    const fromStdin = resultOf(
      await runInProcess(['--from-log', '-', '--json'], { stdin: fixture('user-inactive.human.txt') }),
      'stdin',
    );
    expect(fromStdin.cause?.code).to.equal('USER_INACTIVE');
    expect([fromStdin.verdict, fromStdin.cause?.code, fromStdin.cause?.confidence]).to.deep.equal([
      fromFile.verdict,
      fromFile.cause?.code,
      fromFile.cause?.confidence,
    ]);
    const input = (r: JwtDoctorResult, name: string) => r.inputs.find((i) => i.name === name);
    expect(input(fromStdin, 'username')?.source).to.equal('log');
    expect(input(fromStdin, 'from-log')).to.include({ value: '-', source: 'flag' });
  });

  it('a log without its command line or any [audience=…] line: the attempt count says sf had a URL of its own', async () => {
    const log = fixture('client-id-invalid.human.txt').split('\n').slice(1).join('\n');
    const result = resultOf(await runInProcess(['--from-log', '-', '--json'], { stdin: log }), 'no command line');
    expect(result.cause?.code).to.equal('CLIENT_ID_INVALID');
    const read = result.checks.find((c) => c.id === 'log.read')!;
    expect(read.detail).to.include(text('detail.fromLog.customUrl', { attempts: '5' }));
    expect(read.detail).to.include(`--instance-url ${text('phrase.fromLog.customUrl')}`);
    expect(result.attempts.map((a) => a.loginUrl)).to.deep.equal([
      '',
      'https://test.salesforce.com',
      'https://login.salesforce.com',
      '',
      '',
    ]);
  });

  it('flags on the command line win over the values the log shows', async () => {
    const run = await runInProcess([
      '--from-log',
      join(DIR, 'username-trailing-space.human.txt'),
      '--username',
      'ci@acme.com',
      '--instance-url',
      'https://acme--uat.sandbox.my.salesforce.com',
      '--json',
    ]);
    const result = resultOf(run, 'flags');
    const input = (name: string) => result.inputs.find((i) => i.name === name);
    expect(input('username')).to.include({ value: 'ci@acme.com', source: 'flag' });
    expect(input('instance-url')).to.include({
      value: 'https://acme--uat.sandbox.my.salesforce.com',
      source: 'flag',
    });
    // The client id still comes from the log; the trailing space the log's command line had is no longer the cause.
    expect(input('client-id')).to.include({ source: 'log' });
    expect(result.cause?.code).to.not.equal('USERNAME_MALFORMED');
    // Without the flag, the log's own username (with its quoted trailing space) decides.
    const fromLog = resultOf(
      await runInProcess(['--from-log', join(DIR, 'username-trailing-space.human.txt'), '--json']),
      'log',
    );
    expect(fromLog.cause?.code).to.equal('USERNAME_MALFORMED');
  });

  it('no private key, assertion or access token planted in a log reaches the human or the JSON output', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${b64({ alg: 'RS256' })}.${b64({ iss: '3MVG9abc', sub: 'ci@acme.com', aud: 'https://login.salesforce.com', exp: 1 })}`;
    const assertion = `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
    const token = '00Drw000000hyABEAY!AQ4AQFakeAccessTokenValue.ForTheSecretsSuite_0123456789';
    expect(createPublicKey(privateKey).asymmetricKeyType).to.equal('rsa');
    const base = fixture('user-inactive.human.txt');
    const planted = [
      // A key pasted into the key flag, an assertion and a token in debug output around the error, one in an answer.
      base.replace('--jwt-key-file server.key', `--jwt-key-file '${pem}'`),
      `DEBUG assertion=${assertion}\n${base}\nDEBUG access_token ${token}\n${pem}`,
      base.replace(/^inactive user$/m, `inactive user ${assertion} ${token}`),
      fixture('user-inactive.json.txt').replace(
        '"exitCode"',
        `"token": "${token}", "assertion": "${assertion}", "exitCode"`,
      ),
    ];
    const keyBody = pem.replace(/-----[^-]+-----|\s/g, '');
    const secrets = { assertion, token, keyLine: pem.split('\n')[1] };
    for (const [i, log] of planted.entries()) {
      // The check can fail: the planted log itself is caught by it.
      expect(leaks(log, { secrets, keyBodies: [keyBody] }), `log ${i} as planted`).to.not.deep.equal([]);
      for (const json of [false, true]) {
        const run = await runInProcess(['--from-log', '-', ...(json ? ['--json'] : [])], { stdin: log });
        const out = `${run.stdout}\n${run.stderr}`;
        expect(run.code, `log ${i}${json ? ' --json' : ''}: ${out.slice(0, 300)}`).to.be.oneOf([1, 3]);
        expect(leaks(out, { secrets, keyBodies: [keyBody] }), `log ${i}${json ? ' --json' : ''}`).to.deep.equal([]);
      }
    }
  });
});

describe('sf org jwt doctor --from-log with --admin-org: the log’s answers and the org’s setup together', function () {
  this.timeout(300_000);

  // Logs whose answers alone leave the cause `likely` among others; the org's setup names it.
  for (const name of ['user-outdated-username', 'refresh-scope-missing', 'cert-expired']) {
    it(`${name}: the keyed run’s cause, decided by the org's setup`, async () => {
      const sim = await startSimulator({ scenario: name });
      const home = tempHome();
      try {
        await storeAdminAuth(sim, home, { alias: 'admin' });
        const want = (sim.scenario as { expect?: Expected }).expect?.cause;
        const args = ['--from-log', join(DIR, `${name}.human.txt`), '--json'];
        const logAlone = resultOf(await runInProcess(args, { home }), `${name} log alone`);
        const env = { ...sim.env, ...KEYCHAIN_ENV };
        sim.clearLog();
        const together = resultOf(
          await runInProcess([...args, '--admin-org', 'admin'], { env, home, timeoutMs: 90_000 }),
          `${name} with --admin-org`,
        );
        console.log(
          `      ${name}: log alone ${logAlone.cause?.code} ${logAlone.cause?.confidence}; with --admin-org ${together.cause?.code} ${together.cause?.confidence}`,
        );
        expect(logAlone.cause?.code === want && logAlone.cause?.confidence === 'confirmed', 'the log alone decides').to
          .be.false;
        expect(together.cause?.code).to.equal(want);
        expect(
          sim.requests.filter((r) => r.path.includes('/services/oauth2/token')),
          'token requests',
        ).to.have.length(0);
      } finally {
        removeDir(home);
        await sim.stop();
      }
    });
  }
});
