/*
 * sf's local auth store (issue 13 point 2), in-process: each test makes its own temporary HOME with the store state it
 * needs — a generic keychain key file with mode 644, a stored login encrypted with another key, a stored login made
 * before the sandbox was refreshed, a stored key path in the CI runner's temporary directory — and runs the command
 * (or the sf doctor hook) on it. Also: the root-cause rule (store.ts), core's own login stopping on the keychain mode
 * before any token request, and the safety proof that no file under HOME changed (contents, modes, times) in every
 * mode that reads the store.
 *
 * The stale-login case is built here, not as a scenario: a scenario describes an org, and a stored login is state of
 * the machine that logged in. Its stale values come from the org's own history in the scenario (the My Domain it had
 * before the refresh), never from the answer.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lifecycle } from '@salesforce/core';
import { expect } from 'chai';
import sinon from 'sinon';
import { loadScenario, startSimulator, type Scenario, type Simulator } from '../../../simulator/index.js';
import { hook } from '../../../src/hooks/diagnostics.js';
import { keychainModeOk, orgIdOfIdUrl, staleness, temporaryRoot } from '../../../src/knowledge/authStore.js';
import { KEYCHAIN_ENV } from '../../helpers/adminOrg.js';
import { exclusive, removeDir, runInProcess, tempHome, type CliRun } from '../../helpers/cli.js';
import { loginArgs } from '../../helpers/loginArgs.js';
import { snapshotTree } from '../../helpers/homeSnapshot.js';

const KEY = '0123456789abcdef0123456789abcdef';
const OTHER_KEY = 'fedcba9876543210fedcba9876543210';

/** core's crypto v1 (16-byte key as 32 hex characters, 6-byte IV as hex text, aes-256-gcm), as a test fixture. */
function encryptV1(key: string, value: string): string {
  const iv = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = cipher.update(value, 'utf8', 'hex') + cipher.final('hex');
  return `${iv}${sealed}:${cipher.getAuthTag().toString('hex')}`;
}

type Store = {
  home: string;
  keyMode?: number;
  /** The key the stored login's accessToken is encrypted with (default: the keychain's). */
  encryptWith?: string;
  instanceUrl?: string;
  orgId?: string;
  privateKey?: string;
};

/** A HOME as sf leaves it after `sf org login jwt … --alias ci`: the auth file, the alias, the generic keychain key. */
function makeStore(sim: Simulator, options: Partial<Store> = {}): Store {
  const home = options.home ?? tempHome();
  const l = sim.login!;
  mkdirSync(join(home, '.sfdx'), { recursive: true });
  writeFileSync(join(home, '.sfdx', 'key.json'), JSON.stringify({ account: 'local', key: KEY, service: 'sfdx' }), {
    mode: 0o600,
  });
  if (options.keyMode !== undefined) chmodSync(join(home, '.sfdx', 'key.json'), options.keyMode);
  const issued = sim.issueAccessToken(l.username);
  writeFileSync(
    join(home, '.sfdx', `${l.username}.json`),
    JSON.stringify({
      username: l.username,
      clientId: l.clientId,
      privateKey: options.privateKey ?? l.keyFile,
      loginUrl: l.instanceUrl,
      instanceUrl: options.instanceUrl ?? issued.instanceUrl,
      orgId: options.orgId ?? sim.state.orgId,
      accessToken: encryptV1(options.encryptWith ?? KEY, issued.accessToken),
    }),
    { mode: 0o600 },
  );
  writeFileSync(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: { ci: l.username } }));
  return { home, ...options };
}

/** A run on the store, proving that nothing under HOME changed. */
/** A simulator of `scenario` and a store made for it, both gone after `fn`. */
async function withStore(
  scenario: string | Scenario,
  options: Partial<Store>,
  fn: (sim: Simulator, store: Store) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({ scenario });
  const store = makeStore(sim, options);
  try {
    await fn(sim, store);
  } finally {
    removeDir(store.home);
    await sim.stop();
  }
}

async function runOn(sim: Simulator, store: Store, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const before = snapshotTree(store.home);
  const run = await runInProcess([...args, '--json', '--timeout', '20'], {
    home: store.home,
    env: { ...sim.env, ...KEYCHAIN_ENV, ...env },
  });
  expect(run.json, run.stderr).to.not.equal(undefined);
  expect(snapshotTree(store.home), 'nothing under HOME changed').to.deep.equal(before);
  // No token, decrypted or not, reaches the output.
  expect(run.stdout).to.not.match(/00D\w{12,15}![\w.]{20,}/);
  for (const f of readdirSync(join(store.home, '.sfdx')).filter((n) => n.includes('@'))) {
    const sealed = (JSON.parse(readFileSync(join(store.home, '.sfdx', f), 'utf8')) as { accessToken: string })
      .accessToken;
    expect(run.stdout).to.not.contain(sealed);
  }
  return run;
}

const check = (run: CliRun, id: string) => run.json!.result.checks.find((c) => c.id === id);

function patched(name: string, patch: (s: Scenario) => void): Scenario {
  const s = structuredClone(loadScenario(name));
  patch(s);
  return s;
}

describe('sf auth store: rules (pure)', () => {
  it('key.json: only mode 600 (core GenericUnixKeychainAccess)', () => {
    expect(keychainModeOk(0o100600)).to.equal(true);
    expect(keychainModeOk(0o644)).to.equal(false);
    expect(keychainModeOk(0o400)).to.equal(false);
  });

  it('staleness: host compared by origin (slash, case), org id by its 15 characters', () => {
    expect(
      staleness({ instanceUrl: 'https://Acme.my.salesforce.com/' }, { instanceUrl: 'https://acme.my.salesforce.com' }),
    ).to.equal(undefined);
    expect(staleness({ orgId: '00D5g000004XyZ1' }, { orgId: '00D5g000004XyZ1EAI' })).to.equal(undefined);
    expect(
      staleness(
        { instanceUrl: 'https://acme--uat.cs42.my.salesforce.com', orgId: '00D000000000001' },
        { instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com', orgId: '00D000000000002AAA' },
      ),
    ).to.deep.equal({
      instanceUrl: {
        stored: 'https://acme--uat.cs42.my.salesforce.com',
        current: 'https://acme--uat.sandbox.my.salesforce.com',
      },
      orgId: { stored: '00D000000000001', current: '00D000000000002' },
    });
    expect(orgIdOfIdUrl('https://login.salesforce.com/id/00D5g000004XyZ1EAI/0055g00000ABCDEAAA')).to.equal(
      '00D5g000004XyZ1EAI',
    );
  });

  it('temporary key path: in a temporary root that does not also hold the store, or a CI secret-file folder', () => {
    expect(temporaryRoot('/home/runner/work/_temp/server.key', ['/tmp'], '/home/runner')).to.equal(
      '/home/runner/work/_temp',
    );
    expect(temporaryRoot('/tmp/ci/server.key', ['/tmp'], '/home/dev')).to.equal('/tmp');
    // An ephemeral HOME in the same temporary directory goes away with the key: nothing stale is left.
    expect(temporaryRoot('/tmp/job/server.key', ['/tmp'], '/tmp/job/home')).to.equal(undefined);
    expect(temporaryRoot('/home/dev/keys/server.key', ['/tmp'], '/home/dev')).to.equal(undefined);
    expect(temporaryRoot('C:\\agent\\_work\\_temp\\secretFiles\\server.key', [], 'C:\\Users\\ci')).to.match(
      /secretFiles$/i,
    );
  });
});

describe('sf auth store: each finding, in-process, nothing under HOME changed', function () {
  this.timeout(120_000);
  const summary: string[] = [];
  after(() => console.log(`    store findings checked: ${summary.join('; ')}`));

  it('key.json with mode 644: LOCAL_AUTH_STORE is the root cause even though the org issues a token (sf stops first)', async () => {
    await withStore('healthy-production', { keyMode: 0o644 }, async (sim, store) => {
      const run = await runOn(sim, store, loginArgs(sim));
      const r = run.json!.result;
      expect(r.verdict).to.equal('fail');
      expect(run.code).to.equal(1);
      expect(r.cause).to.include({ code: 'LOCAL_AUTH_STORE', confidence: 'confirmed', evidence: 'observed' });
      expect(check(run, 'store.keychain')).to.include({ status: 'fail' });
      expect(check(run, 'store.keychain')!.detail).to.contain('644');
      expect(check(run, 'probe.token')?.status).to.equal('pass');
      expect(r.fixes[0].commands).to.deep.equal(['chmod 600 ~/.sfdx/key.json']);
      // The undecryptable reading it causes is store.keychain's finding, not a second one.
      expect(check(run, 'store.decrypt')).to.equal(undefined);
      summary.push('keychain mode 644 → fail');
    });
  });

  it("core's own JWT login stops on that key file before any token request (why it is the root cause)", async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    const store = makeStore(sim, { keyMode: 0o644 });
    const l = sim.login!;
    try {
      const failure = await exclusive(async () => {
        const saved = { ...process.env };
        Object.assign(process.env, sim.env, KEYCHAIN_ENV, {
          HOME: store.home,
          SF_DISABLE_LOG_FILE: 'true',
          SF_DISABLE_DNS_CHECK: 'true',
        });
        const { AuthInfo, StateAggregator } = await import('@salesforce/core');
        sim.clearLog();
        try {
          await AuthInfo.create({
            username: 'other@acme.com',
            oauth2Options: { clientId: l.clientId, privateKeyFile: l.keyFile, loginUrl: l.instanceUrl },
          });
          return undefined;
        } catch (error) {
          return error as Error;
        } finally {
          await StateAggregator.clearInstanceAsync(join(store.home, '.sfdx'));
          for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
          Object.assign(process.env, saved);
        }
      });
      expect(failure?.name).to.equal('GenericKeychainInvalidPermsError');
      expect(sim.requests.filter((r) => r.path.endsWith('/services/oauth2/token'))).to.have.length(0);
      summary.push('core stops with 0 token requests');
    } finally {
      removeDir(store.home);
      await sim.stop();
    }
  });

  it('a stored login encrypted with another key: a warning, the root cause when the org side works', async () => {
    await withStore('healthy-production', { encryptWith: OTHER_KEY }, async (sim, store) => {
      const run = await runOn(sim, store, loginArgs(sim));
      const r = run.json!.result;
      expect(r.verdict).to.equal('warn');
      expect(run.code).to.equal(0);
      expect(r.cause).to.include({ code: 'LOCAL_AUTH_STORE', confidence: 'confirmed' });
      expect(check(run, 'store.decrypt')).to.include({ status: 'warn', evidence: 'observed' });
      expect(check(run, 'store.decrypt')!.detail).to.contain('accessToken').and.contain('AuthDecryptError');
      expect(r.fixes[0].commands[0]).to.equal('sf org logout --target-org ci --no-prompt');
      expect(r.fixes[0].commands[1]).to.match(/^sf org login jwt --username ci@acme\.com /);
      summary.push('undecryptable → warn (root cause)');
    });
  });

  it('the same store next to an org-side failure: the org-side cause leads, the store is a warning after it', async () => {
    await withStore('self-authorize-never-approved', { encryptWith: OTHER_KEY }, async (sim, store) => {
      const run = await runOn(sim, store, loginArgs(sim));
      const r = run.json!.result;
      expect(r.verdict).to.equal('fail');
      expect(r.cause?.code).to.equal('USER_NOT_APPROVED');
      expect(check(run, 'store.decrypt')?.status).to.equal('warn');
      const titles = r.fixes.map((f) => f.title);
      expect(titles.indexOf('Log in again so sf stores the login with its current key')).to.be.greaterThan(0);
      summary.push('undecryptable + USER_NOT_APPROVED → org cause first');
    });
  });

  it('a stored login that decrypts: store.decrypt passes, no store finding', async () => {
    await withStore('healthy-production', {}, async (sim, store) => {
      const run = await runOn(sim, store, loginArgs(sim));
      expect(run.json!.result.verdict).to.equal('pass');
      expect(check(run, 'store.decrypt')?.status).to.equal('pass');
      expect(check(run, 'store.keychain')?.status).to.equal('pass');
      expect(check(run, 'store.stale')?.status).to.equal('pass');
    });
  });

  it('a stored login from before the sandbox refresh (old My Domain, old org id): stale, logout then login', async () => {
    const scenario = patched('healthy-sandbox', (s) => {
      s.org.refreshedAt = '2026-11-20T06:00:00Z';
      s.org.previousMyDomains = ['acme--uat.cs224.my.salesforce.com'];
    });
    const sim = await startSimulator({ scenario });
    const store = makeStore(sim, {
      instanceUrl: `https://${scenario.org.previousMyDomains![0]}`,
      orgId: '00D000000000OLDAAA',
    });
    try {
      const run = await runOn(sim, store, loginArgs(sim));
      const r = run.json!.result;
      expect(r.verdict).to.equal('warn');
      expect(r.cause).to.include({ code: 'LOCAL_AUTH_STORE', confidence: 'confirmed' });
      const stale = check(run, 'store.stale')!;
      expect(stale.status).to.equal('warn');
      expect(stale.detail).to.contain('acme--uat.cs224.my.salesforce.com').and.contain('00D000000000OLD');
      expect(r.fixes[0].commands).to.deep.equal(['sf org logout --target-org ci --no-prompt', r.loginCommand]);
      summary.push('stale host + org id → warn');
    } finally {
      removeDir(store.home);
      await sim.stop();
    }
  });

  it("--from-org with the key in the CI runner's temporary directory: a warning; offline too", async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
    const key = join(runnerTemp, 'server.key');
    copyFileSync(sim.login!.keyFile, key);
    const store = makeStore(sim, { privateKey: key });
    try {
      for (const extra of [[], ['--offline']]) {
        const run = await runOn(sim, store, ['--from-org', 'ci', ...extra], { RUNNER_TEMP: runnerTemp });
        const r = run.json!.result;
        expect(r.verdict, extra.join(' ')).to.equal('warn');
        expect(r.cause?.code).to.equal('LOCAL_AUTH_STORE');
        expect(check(run, 'store.key-path')).to.include({ status: 'warn' });
        expect(check(run, 'store.key-path')!.detail).to.contain(runnerTemp);
        expect(r.fixes[0].commands[1]).to.contain('<lasting path to server.key>');
      }
      summary.push('temporary key path → warn (online and offline)');
    } finally {
      removeDir(runnerTemp);
      removeDir(store.home);
      await sim.stop();
    }
  });

  it('--all and the sf doctor hook report the store findings, and change nothing under HOME', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    const store = makeStore(sim, { encryptWith: OTHER_KEY });
    const sandbox = sinon.createSandbox();
    try {
      const all = await runOn(sim, store, ['--all']);
      const entry = all.json!.result.fleet!.find((e) => e.username === sim.login!.username)!;
      expect(entry.result.cause?.code).to.equal('LOCAL_AUTH_STORE');
      expect(entry.result.checks.find((c) => c.id === 'store.decrypt')?.status).to.equal('warn');

      const before = snapshotTree(store.home);
      const emit = sandbox.stub(Lifecycle.prototype, 'emit').resolves();
      const doctor = { addPluginData: sandbox.stub(), addSuggestion: sandbox.stub() };
      await exclusive(async () => {
        const saved = { ...process.env };
        Object.assign(process.env, KEYCHAIN_ENV, { HOME: store.home, SF_DISABLE_LOG_FILE: 'true' });
        try {
          await hook({ doctor: doctor as never });
        } finally {
          for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
          Object.assign(process.env, saved);
        }
      });
      expect(snapshotTree(store.home), 'the hook changed nothing under HOME').to.deep.equal(before);
      const data = doctor.addPluginData
        .getCalls()
        .map((c) => c.args[1] as { username: string; cause: string | null; flaggedChecks: string[] });
      expect(data.find((d) => d.username === sim.login!.username)).to.deep.include({ cause: 'LOCAL_AUTH_STORE' });
      expect(data[0].flaggedChecks).to.include('store.decrypt');
      const statuses = emit
        .getCalls()
        .filter((c) => c.args[0] === 'Doctor:diagnostic')
        .map((c) => (c.args[1] as { status: string }).status);
      expect(statuses).to.deep.equal(['warn']);
      expect(String(doctor.addSuggestion.firstCall.args[0])).to.contain('does not decrypt');
      summary.push('--all and the hook report it');
    } finally {
      sandbox.restore();
      removeDir(store.home);
      await sim.stop();
    }
  });
});
