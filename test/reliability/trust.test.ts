/*
 * Issue 11, items 9 and 11: what the doctor prints can be trusted. Remote text (the token endpoint's error and
 * error_description, API error messages, SOAP faults, record names the org returns) reaches the terminal and the
 * result without control characters, so a server cannot print a fake verdict; a --json usage error carries no stack;
 * a corrupt stored auth file is a named finding (--all, --admin-org), never a silent skip or ERR_INVALID_URL.
 */
import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Scenario, type Simulator } from '../../simulator/index.js';
import { TERMINAL_INJECTION } from '../../simulator/server.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../helpers/cli.js';
import { loginArgs } from '../helpers/loginArgs.js';

const SCENARIOS = fileURLToPath(new URL('../../simulator/scenarios/', import.meta.url));
// Control characters other than the line breaks and tabs of the doctor's own layout.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A scenario whose org names (org, profile, app label) carry the injection: an admin may name things so. */
function hostileScenario(name: string): Scenario {
  let text = readFileSync(join(SCENARIOS, `${name}.json`), 'utf8');
  for (const value of ['Acme Corp', 'Integration User', 'CI Deploy App']) {
    text = text.split(JSON.stringify(value)).join(JSON.stringify(`${value}${TERMINAL_INJECTION}`));
  }
  return { ...(JSON.parse(text) as Scenario), name: `${name} (hostile text)` } as Scenario;
}

function controlsIn(run: CliRun): string[] {
  const found: string[] = [];
  for (const [where, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    const m = CONTROL.exec(text);
    if (m)
      found.push(
        `${where}: U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 10))}`,
      );
  }
  return found;
}

/** A line that reads as the doctor's own verdict (the fake one the injection tries to print). */
function fakeVerdictLine(run: CliRun): string | undefined {
  return run.stdout.split('\n').find((line) => /^\s*✓ The JWT login works/.test(line));
}

describe('reliability: remote text cannot drive the terminal (issue 11, item 9)', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let home: string;

  afterEach(async () => {
    await sim?.stop();
    if (home) removeDir(home);
  });

  for (const scenario of ['not-preauthorized-profile', 'admin-without-view-setup']) {
    it(`${scenario}: ESC/CSI/OSC 8/BEL/C1/CR in error_description, API errors, SOAP faults and record names`, async () => {
      sim = await startSimulator({ scenario: hostileScenario(scenario) });
      home = tempHome();
      await storeAdminAuth(sim, home, { alias: 'admin' });
      // After the admin's login (storing it clears faults): every error answer of the run carries the injection.
      sim.setFaults([{ kind: 'terminal-injection' }]);
      const args = [...loginArgs(sim), '--admin-org', 'admin', '--timeout', '20'];
      const env = { ...sim.env, ...KEYCHAIN_ENV };
      const human = await runInProcess(args, { env, home });
      const json = await runInProcess([...args, '--json'], { env, home });
      const result = json.json!.result;
      const strings = JSON.stringify(result);
      // The injected text arrived (its printable part is shown inline), so the test went through the path it guards.
      expect(human.stdout, 'the printable remnant of the injection is shown').to.include('INJECTED');
      expect(controlsIn(human), 'human output').to.deep.equal([]);
      expect(controlsIn(json), '--json output').to.deep.equal([]);
      expect(
        CONTROL.test(
          JSON.parse(strings) &&
            Object.values(result)
              .map((v) => JSON.stringify(v))
              .join(''),
        ),
        'result strings',
      ).to.equal(false);
      expect(result.attempts.map((a) => a.errorDescription ?? '').join('\n')).to.not.match(CONTROL);
      expect(fakeVerdictLine(human), 'a fake verdict line').to.equal(undefined);
      expect(human.code).to.equal(1);
      expect(result.verdict).to.equal('fail');
      const injectedChecks = result.checks.filter((c) => c.detail.includes('INJECTED')).map((c) => c.id);
      console.log(
        `      ${scenario}: ${sim.requests.filter((r) => r.status >= 400).length} error answers and the org's names carried injected text; it reached ${injectedChecks.length} check details (${injectedChecks.join(', ')}) and ${result.attempts.filter((a) => (a.errorDescription ?? '').includes('INJECTED')).length} attempts, cleaned; no control character in stdout/stderr/--json, no fake verdict line`,
      );
    });
  }
});

describe('reliability: usage errors and damaged stored auth (issue 11, item 11)', function () {
  this.timeout(120_000);

  it('--json usage errors: the sf envelope without a stack or the parser input', async () => {
    const runs = await Promise.all([
      runInProcess(['--username', 'ci@acme.com', '--json']),
      runInProcess([
        '--username',
        'ci@acme.com',
        '--client-id',
        'x',
        '--jwt-key-file',
        'k',
        '--timeout',
        'soon',
        '--json',
      ]),
      runInProcess(['--username', 'ci@acme.com', 'stray', 'words', '--json']),
      runInProcess(['--all', '--username', 'ci@acme.com', '--json']),
    ]);
    for (const run of runs) {
      expect(run.code).to.equal(2);
      const envelope = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(envelope, run.stdout).to.include.keys('name', 'message', 'exitCode', 'status', 'warnings', 'context');
      expect(envelope).to.not.have.any.keys('stack', 'cause');
      expect(run.stdout).to.not.match(/\n\s+at .+\(.+:\d+:\d+\)|node_modules|file:\/\//);
    }
    console.log(
      `      ${runs.length} usage errors in --json: name, message, exitCode, status, warnings, context kept; no stack, no cause, no source path`,
    );
  });

  describe('damaged stored auth files', () => {
    let sim: Simulator;
    let home: string;
    before(async () => {
      sim = await startSimulator({ scenario: 'healthy-production' });
    });
    after(async () => sim.stop());
    afterEach(() => removeDir(home));

    it('--all reports a damaged auth file as an entry with STORED_AUTH_INVALID, never skips it', async () => {
      home = tempHome();
      const l = sim.login!;
      mkdirSync(join(home, '.sfdx'), { recursive: true });
      writeFileSync(
        join(home, '.sfdx', `${l.username}.json`),
        JSON.stringify({
          username: l.username,
          clientId: l.clientId,
          privateKey: l.keyFile,
          loginUrl: l.instanceUrl,
          instanceUrl: l.instanceUrl,
        }),
      );
      writeFileSync(join(home, '.sfdx', 'broken@acme.com.json'), '{"username": "broken@acme.com", "privateKey": ');
      const run = await runInProcess(['--all', '--json', '--timeout', '20'], { env: sim.env, home });
      const entries = run.json!.result.fleet!;
      const broken = entries.find((e) => e.username === 'broken@acme.com');
      expect(broken, JSON.stringify(entries.map((e) => e.username))).to.not.equal(undefined);
      expect(broken!.result.cause?.code).to.equal('STORED_AUTH_INVALID');
      const check = broken!.result.checks.find((c) => c.id === 'input.from-org');
      expect(check?.status).to.equal('fail');
      expect(check?.detail).to.match(/broken@acme\.com\.json.*not valid JSON/);
      expect(run.json!.result.verdict).to.equal('fail');
      expect(run.code).to.equal(1);
      console.log(
        `      --all over ${entries.length} stored logins: the damaged one is an entry (${check!.id}: ${check!.detail}), verdict ${run.json!.result.verdict}`,
      );
    });

    for (const [what, damage] of [
      ['not JSON', (text: string): string => text.slice(0, 40)],
      [
        'an instanceUrl that is not a URL',
        (text: string): string =>
          JSON.stringify({ ...(JSON.parse(text) as object), instanceUrl: 'acme dot my.salesforce.com' }),
      ],
      [
        'no instanceUrl',
        (text: string): string => JSON.stringify({ ...(JSON.parse(text) as object), instanceUrl: undefined }),
      ],
    ] as const) {
      it(`--admin-org whose auth file has ${what}: a named org.connection finding naming the file, never ERR_INVALID_URL`, async () => {
        home = tempHome();
        const admin = await storeAdminAuth(sim, home, { alias: 'admin' });
        const file = join(home, '.sfdx', `${admin}.json`);
        writeFileSync(file, damage(readFileSync(file, 'utf8')));
        const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--json', '--timeout', '20'], {
          env: { ...sim.env, ...KEYCHAIN_ENV },
          home,
        });
        expect(run.stdout + run.stderr).to.not.match(/ERR_INVALID_URL|Invalid URL/);
        const check = run.json!.result.checks.find((c) => c.id === 'org.connection');
        expect(check, run.stdout.slice(0, 500)).to.not.equal(undefined);
        expect(check!.status).to.be.oneOf(['fail', 'skip']);
        expect(check!.detail).to.include(`${admin}.json`);
        console.log(`      ${what}: org.connection ${check!.status}: ${check!.detail}`);
      });
    }
  });
});
