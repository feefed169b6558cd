/*
 * The sf doctor hook, called the way sf doctor calls it (`{doctor}`), against a temporary HOME holding several
 * stored logins: a good JWT one, one whose key moved, one with a damaged key, one readable by others, and a web
 * login it must ignore. sf doctor's side is a sinon stub of SfDoctor plus a stubbed Lifecycle emit.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, relative } from 'node:path';
import { Lifecycle } from '@salesforce/core';
import type { SfDoctor } from '@salesforce/plugin-info';
import { hook } from '../../src/hooks/diagnostics.js';
import { PACKAGE_NAME } from '../../src/packageInfo.js';
import { removeDir, ROOT, tempHome } from '../helpers/cli.js';
import { pemBody, rsaPem } from '../helpers/keys.js';

const CLIENT_ID = '3MVG9h2F28epHuRFzHPEliyhWngce3f8APNSxnGPbASqPADDtSeGePbStPnDbenJkJnAnkYPDDPDe';
const ACCESS_TOKEN = 'encrypted:5f1c0d8e9a7b6c5d4e3f2a1b0c9d8e7f:a1b2c3d4e5f6';
const REFRESH_TOKEN = 'encrypted:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b:f6e5d4c3b2a1';

type Fixture = { home: string; keyBody: string };

/** Every file under HOME with content hash, mode and mtime: proves the hook wrote, moved and touched nothing. */
function fingerprint(home: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else
        out[relative(home, path)] =
          `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${st.mode.toString(8)} ${st.mtimeMs}`;
    }
  };
  walk(home);
  return out;
}

function storeAuth(home: string, username: string, fields: Record<string, unknown>): void {
  const auth = {
    username,
    orgId: '00D5g000004XyZ1EAI',
    loginUrl: 'https://acme.my.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    accessToken: ACCESS_TOKEN,
    isDevHub: false,
    ...fields,
  };
  writeFileSync(join(home, '.sfdx', `${username}.json`), JSON.stringify(auth, null, 2), { mode: 0o600 });
}

function makeHome(): Fixture {
  const home = tempHome();
  mkdirSync(join(home, '.sfdx'), { recursive: true });
  mkdirSync(join(home, 'keys'));
  const rsa = rsaPem();
  const good = join(home, 'keys', 'server.key');
  writeFileSync(good, rsa.pkcs8, { mode: 0o600 });
  const loose = join(home, 'keys', 'shared.key');
  writeFileSync(loose, rsa.pkcs8, { mode: 0o644 });
  // Truncated in the middle of the base64 body, markers intact: a bad copy-paste.
  const lines = rsa.pkcs8.trim().split('\n');
  const damaged = join(home, 'keys', 'damaged.key');
  writeFileSync(damaged, [...lines.slice(0, 8), lines[lines.length - 1], ''].join('\n'), { mode: 0o600 });

  storeAuth(home, 'good@acme.com', { clientId: CLIENT_ID, privateKey: good });
  storeAuth(home, 'stale@acme.com', { clientId: CLIENT_ID, privateKey: join(home, 'keys', 'moved.key') });
  storeAuth(home, 'damaged@acme.com', { clientId: CLIENT_ID, privateKey: damaged });
  storeAuth(home, 'loose@acme.com', { clientId: CLIENT_ID, privateKey: loose });
  storeAuth(home, 'web@acme.com', { clientId: 'PlatformCLI', refreshToken: REFRESH_TOKEN });
  writeFileSync(
    join(home, '.sfdx', 'alias.json'),
    JSON.stringify({ orgs: { ci: 'good@acme.com', web: 'web@acme.com' } }),
  );
  writeFileSync(
    join(home, '.sfdx', 'key.json'),
    JSON.stringify({ account: 'local', key: '0123456789abcdef0123456789abcdef', service: 'sfdx' }),
    { mode: 0o600 },
  );
  return { home, keyBody: pemBody(rsa.pkcs8) };
}

type Doctor = SfDoctor & {
  addSuggestion: sinon.SinonStub;
  addPluginData: sinon.SinonStub;
  addDiagnosticStatus: sinon.SinonStub;
};

function fakeDoctor(sandbox: sinon.SinonSandbox): Doctor {
  const methods = [
    'addCommandName',
    'addDiagnosticStatus',
    'addPluginData',
    'addSuggestion',
    'closeStderr',
    'closeStdout',
    'createStderrWriteStream',
    'createStdoutWriteStream',
    'diagnose',
    'getDiagnosis',
    'getDoctoredFilePath',
    'setExitCode',
    'writeFileSync',
    'writeStderr',
    'writeStdout',
  ];
  return Object.fromEntries(methods.map((m) => [m, sandbox.stub()])) as unknown as Doctor;
}

// Offline: the name says what a pass covers, so a pass never reads as "this login works".
const testName = (username: string): string =>
  `[${PACKAGE_NAME}] JWT login ${username}: key, URL and inputs (offline; sf org jwt doctor --all checks the org)`;

describe('sf doctor hook: stored JWT logins, offline', () => {
  const sandbox = sinon.createSandbox();
  const savedHome = process.env.HOME;
  const savedRoute = process.env.SF_JWT_DOCTOR_CONNECT_TO;
  let emit: sinon.SinonStub;
  let doctor: Doctor;
  let network: { connect: sinon.SinonSpy; lookup: sinon.SinonSpy; fetch: sinon.SinonStub };
  let fixture: Fixture | undefined;

  beforeEach(() => {
    emit = sandbox.stub(Lifecycle.prototype, 'emit').resolves();
    doctor = fakeDoctor(sandbox);
    // Any packet the hook tried to send would go through one of these; a routed host points at a closed port.
    network = {
      connect: sandbox.spy(net.Socket.prototype, 'connect'),
      lookup: sandbox.spy(dns, 'lookup'),
      fetch: sandbox.stub(globalThis, 'fetch').rejects(new Error('no network in the sf doctor hook')),
    };
    process.env.SF_JWT_DOCTOR_CONNECT_TO =
      'acme.my.salesforce.com:443:127.0.0.1:9,login.salesforce.com:443:127.0.0.1:9';
  });

  afterEach(() => {
    sandbox.restore();
    process.env.HOME = savedHome;
    if (savedRoute === undefined) delete process.env.SF_JWT_DOCTOR_CONNECT_TO;
    else process.env.SF_JWT_DOCTOR_CONNECT_TO = savedRoute;
    if (fixture) removeDir(fixture.home);
    fixture = undefined;
  });

  function diagnostics(): Array<{ testName: string; status: string }> {
    return emit
      .getCalls()
      .filter((c) => c.args[0] === 'Doctor:diagnostic')
      .map((c) => c.args[1] as { testName: string; status: string });
  }

  it('reports each stored JWT login with its verdict, ignores web logins, suggests the fix for failures', async () => {
    fixture = makeHome();
    process.env.HOME = fixture.home;
    const before = fingerprint(fixture.home);
    const started = Date.now();

    await hook({ doctor });

    // Bounded by the hook's own 10 s deadline (speed itself is measured in npm run bench, not here).
    expect(Date.now() - started, 'ended within the hook deadline').to.be.below(15_000);
    // In username order, whatever order the parallel runs finished in.
    expect(diagnostics()).to.deep.equal([
      { testName: testName('damaged@acme.com'), status: 'fail' },
      { testName: testName('good@acme.com'), status: 'pass' },
      { testName: testName('loose@acme.com'), status: 'warn' },
      { testName: testName('stale@acme.com'), status: 'fail' },
    ]);
    expect(doctor.addDiagnosticStatus.called, 'status goes through the Lifecycle event, as sf doctor expects').to.equal(
      false,
    );

    const data = doctor.addPluginData.getCalls().map((c) => c.args);
    expect(data.every(([name]) => name === PACKAGE_NAME)).to.equal(true);
    const byUser = Object.fromEntries(data.map(([, d]) => [(d as { username: string }).username, d]));
    expect(Object.keys(byUser)).to.have.members([
      'good@acme.com',
      'stale@acme.com',
      'damaged@acme.com',
      'loose@acme.com',
    ]);
    expect(byUser['good@acme.com']).to.deep.equal({
      username: 'good@acme.com',
      verdict: 'pass',
      cause: null,
      flaggedChecks: [],
    });
    expect(byUser['stale@acme.com']).to.include({ verdict: 'fail', cause: 'KEY_FILE_MISSING' });
    expect(byUser['damaged@acme.com']).to.include({ verdict: 'fail', cause: 'KEY_INVALID' });
    expect(byUser['damaged@acme.com'].flaggedChecks).to.include('key.parse');
    expect(byUser['loose@acme.com']).to.deep.equal({
      username: 'loose@acme.com',
      verdict: 'pass',
      cause: null,
      flaggedChecks: ['key.file'],
    });
    expect(JSON.stringify(data), 'plugin data holds no paths').to.not.include(fixture.home);

    const suggestions = doctor.addSuggestion.getCalls().map((c) => c.args[0] as string);
    expect(suggestions).to.have.length(3);
    const about = (username: string): string => suggestions.find((s) => s.startsWith(`JWT login ${username}:`)) ?? '';
    expect(about('stale@acme.com'))
      .to.match(/no longer exists/)
      .and.to.match(/Run: sf org jwt doctor --from-org stale@acme\.com$/);
    expect(about('damaged@acme.com'))
      .to.match(/damaged/)
      .and.to.match(/Run: sf org jwt doctor --from-org damaged@acme\.com$/);
    expect(about('loose@acme.com')).to.match(/Run: sf org jwt doctor --from-org loose@acme\.com$/);
    for (const s of suggestions) expect(s, 'one line each').to.not.include('\n');

    // Nothing secret reaches sf doctor (it writes all of this to a diagnosis file).
    const everything = JSON.stringify([emit.args, doctor.addPluginData.args, doctor.addSuggestion.args]).replace(
      /\\n/g,
      '',
    );
    for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, fixture.keyBody.slice(100, 140), 'BEGIN PRIVATE KEY'])
      expect(everything).to.not.include(secret);
    expect(everything).to.not.include('web@acme.com');

    expect(network.connect.called, 'no socket opened').to.equal(false);
    expect(network.lookup.called, 'no DNS lookup').to.equal(false);
    expect(network.fetch.called, 'no fetch').to.equal(false);
    expect(fingerprint(fixture.home), 'HOME unchanged').to.deep.equal(before);
  });

  it('says so in one pass diagnostic when there is no stored JWT login (a web login only, or no ~/.sfdx at all)', async () => {
    fixture = makeHome();
    for (const name of ['good', 'stale', 'damaged', 'loose'])
      removeDir(join(fixture.home, '.sfdx', `${name}@acme.com.json`));
    for (const home of [fixture.home, join(fixture.home, 'keys')]) {
      emit.resetHistory();
      doctor.addSuggestion.resetHistory();
      process.env.HOME = home;
      await hook({ doctor });
      expect(diagnostics()).to.deep.equal([
        { testName: `[${PACKAGE_NAME}] stored JWT logins: none found`, status: 'pass' },
      ]);
      expect(doctor.addSuggestion.called).to.equal(false);
    }
    expect(doctor.addPluginData.alwaysCalledWith(PACKAGE_NAME, { jwtLogins: 0 })).to.equal(true);
  });

  it('never throws: a failure inside is reported as a warning with a suggestion', async () => {
    fixture = makeHome();
    process.env.HOME = fixture.home;
    doctor.addPluginData.throws(new Error('disk full'));

    await hook({ doctor });

    const statuses = diagnostics();
    expect(statuses).to.deep.include({
      testName: `[${PACKAGE_NAME}] stored JWT logins could not be checked`,
      status: 'warn',
    });
    expect(
      doctor.addSuggestion
        .getCalls()
        .map((c) => c.args[0] as string)
        .some((s) => s.includes('disk full')),
    ).to.equal(true);
  });

  it('leaves out a hand-edited auth file whose key path is not a string, and still reports the others', async () => {
    fixture = makeHome();
    process.env.HOME = fixture.home;
    // privateKey is not a path string: storedAuth keeps string fields only, so this is not a JWT login to check.
    storeAuth(fixture.home, 'odd@acme.com', { clientId: CLIENT_ID, privateKey: { path: 'server.key' } });

    await hook({ doctor });

    expect(diagnostics().map((d) => d.testName)).to.not.include(testName('odd@acme.com'));
    expect(diagnostics()).to.deep.include({ testName: testName('good@acme.com'), status: 'pass' });
  });

  it('never throws even when sf doctor itself fails on every call', async () => {
    fixture = makeHome();
    process.env.HOME = fixture.home;
    for (const stub of [doctor.addPluginData, doctor.addSuggestion]) stub.throws(new Error('broken doctor'));
    emit.rejects(new Error('broken listener'));
    await hook({ doctor });
    expect(emit.called).to.equal(true);
  });

  it("is registered under sf doctor's event name for this package, pointing at the compiled hook", () => {
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      name: string;
      oclif: { hooks: Record<string, string> };
    };
    expect(pjson.name).to.equal(PACKAGE_NAME);
    expect(pjson.oclif.hooks[`sf-doctor-${pjson.name}`]).to.equal('./lib/hooks/diagnostics');
    expect(typeof hook).to.equal('function');
  });
});
