/*
 * Every local bad input, given on the command line (offline, --json): its check id, status, cause code, a specific
 * message and fix steps, the exit code, schema-valid JSON and no stack trace.
 */
import { expect } from 'chai';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { ALL_RUNS, runInProcess, type CliRun } from '../../../helpers/cli.js';
import {
  certificatePem,
  leakedKeyMaterial,
  makeTestKeys,
  PRIVATE_KEY_BODIES,
  rsaPem,
  type TestKeys,
} from '../../../helpers/keys.js';
import { schemaErrors } from '../../../helpers/schema.js';

const CLIENT_ID = '3MVG9A2kN3Bn17hsWsLDatnNoEXAMPLEKEY0123456789abcdefghijkLMNOPqrstuVWXyz';
const PROD = 'https://acme.my.salesforce.com';
const SANDBOX = 'https://acme--uat.sandbox.my.salesforce.com';

type Case = {
  name: string;
  args: (k: TestKeys) => string[];
  check: string;
  status: 'fail' | 'warn';
  cause?: string;
  exit: number;
  detail: RegExp;
};

function base(k: TestKeys, over: Record<string, string> = {}): string[] {
  const values: Record<string, string> = {
    username: 'ci@acme.com',
    'jwt-key-file': k.pkcs8,
    'client-id': CLIENT_ID,
    'instance-url': PROD,
    ...over,
  };
  return Object.entries(values).flatMap(([f, v]) => [`--${f}`, v]);
}

const CASES: Case[] = [
  {
    name: 'username with a trailing space',
    args: (k) => base(k, { username: 'ci@acme.com ' }),
    check: 'input.username',
    status: 'fail',
    cause: 'USERNAME_MALFORMED',
    exit: 1,
    detail: /whitespace/,
  },
  {
    name: 'username with a leading space',
    args: (k) => base(k, { username: ' ci@acme.com' }),
    check: 'input.username',
    status: 'fail',
    cause: 'USERNAME_MALFORMED',
    exit: 1,
    detail: /whitespace/,
  },
  {
    name: 'username with a zero-width space',
    args: (k) => base(k, { username: 'ci@acme\u200b.com' }),
    check: 'input.username',
    status: 'fail',
    cause: 'USERNAME_MALFORMED',
    exit: 1,
    detail: /invisible|U\+200B/i,
  },
  {
    name: 'URL-escaped username',
    args: (k) => base(k, { username: 'ci%40acme.com' }),
    check: 'input.username',
    status: 'fail',
    cause: 'USERNAME_MALFORMED',
    exit: 1,
    detail: /%40|escap/i,
  },
  {
    name: 'username without @',
    args: (k) => base(k, { username: 'ci.acme.com' }),
    check: 'input.username',
    status: 'fail',
    cause: 'USERNAME_MALFORMED',
    exit: 1,
    detail: /shape|@/,
  },
  {
    name: 'username with a Cyrillic look-alike',
    args: (k) => base(k, { username: 'ci@аcme.com' }),
    check: 'input.username',
    status: 'fail',
    cause: 'USERNAME_MALFORMED',
    exit: 1,
    detail: /look-?alike|U\+0430|Cyrillic/i,
  },
  {
    name: 'sandbox URL, production username',
    args: (k) => base(k, { 'instance-url': SANDBOX }),
    check: 'input.username-sandbox',
    status: 'warn',
    cause: 'USER_NOT_FOUND',
    exit: 0,
    detail: /ci@acme\.com\.uat/,
  },
  {
    name: 'production URL, sandbox username',
    args: (k) => base(k, { username: 'ci@acme.com.uat' }),
    check: 'input.username-sandbox',
    status: 'warn',
    exit: 0,
    detail: /sandbox/i,
  },
  {
    name: 'empty client id',
    args: (k) => base(k, { 'client-id': '' }),
    check: 'input.client-id',
    status: 'fail',
    cause: 'CLIENT_ID_INVALID',
    exit: 1,
    detail: /empty/i,
  },
  {
    name: 'client id with whitespace',
    args: (k) => base(k, { 'client-id': ` ${CLIENT_ID}\n` }),
    check: 'input.client-id',
    status: 'fail',
    cause: 'CLIENT_ID_INVALID',
    exit: 1,
    detail: /whitespace/i,
  },
  {
    name: 'client id of an odd shape',
    args: (k) => base(k, { 'client-id': 'my-app!' }),
    check: 'input.client-id',
    status: 'warn',
    exit: 0,
    detail: /consumer key/i,
  },
  {
    name: 'missing key file',
    args: (k) => base(k, { 'jwt-key-file': join(k.dir, 'nope.key') }),
    check: 'key.file',
    status: 'fail',
    cause: 'KEY_FILE_MISSING',
    exit: 1,
    detail: /not exist|no file|missing/i,
  },
  {
    name: 'the key itself passed as the path (--jwt-key-file "$KEY")',
    args: (k) => base(k, { 'jwt-key-file': rsaPem().pkcs8 }),
    check: 'key.file',
    status: 'fail',
    cause: 'KEY_FILE_MISSING',
    exit: 1,
    detail: /PEM text, not a path/,
  },
  {
    name: 'key path is a directory',
    args: (k) => base(k, { 'jwt-key-file': k.dir }),
    check: 'key.file',
    status: 'fail',
    exit: 1,
    detail: /directory/i,
  },
  {
    name: 'empty key file',
    args: (k) => base(k, { 'jwt-key-file': k.file('empty.key', '') }),
    check: 'key.file',
    status: 'fail',
    exit: 1,
    detail: /empty/i,
  },
  {
    name: 'huge key file',
    args: (k) => base(k, { 'jwt-key-file': k.file('huge.key', Buffer.alloc(300_000, 65)) }),
    check: 'key.file',
    status: 'fail',
    exit: 1,
    detail: /large|huge|KiB|bytes/i,
  },
  {
    name: 'certificate instead of a key',
    args: (k) => base(k, { 'jwt-key-file': k.file('server.crt', certificatePem(rsaPem().pkcs8)) }),
    check: 'key.parse',
    status: 'fail',
    cause: 'KEY_INVALID',
    exit: 1,
    detail: /certificate/i,
  },
  {
    name: 'public key instead of a private key',
    args: (k) => base(k, { 'jwt-key-file': k.file('pub.pem', rsaPem().publicPem) }),
    check: 'key.parse',
    status: 'fail',
    cause: 'KEY_INVALID',
    exit: 1,
    detail: /public key/i,
  },
  {
    name: 'passphrase-encrypted key',
    args: (k) =>
      base(k, {
        'jwt-key-file': k.file(
          'enc.key',
          generateKeyPairSync('rsa', { modulusLength: 2048 })
            .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
            .toString(),
        ),
      }),
    check: 'key.parse',
    status: 'fail',
    cause: 'KEY_INVALID',
    exit: 1,
    detail: /encrypt|passphrase/i,
  },
  {
    name: 'EC key',
    args: (k) =>
      base(k, {
        'jwt-key-file': k.file(
          'ec.key',
          generateKeyPairSync('ec', { namedCurve: 'P-256' })
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString(),
        ),
      }),
    check: 'key.parse',
    status: 'fail',
    cause: 'KEY_INVALID',
    exit: 1,
    detail: /\bEC\b|RSA/,
  },
  {
    name: 'RSA 1024-bit key',
    args: (k) => base(k, { 'jwt-key-file': k.file('small.key', rsaPem(1024).pkcs8) }),
    check: 'key.parse',
    status: 'fail',
    cause: 'KEY_INVALID',
    exit: 1,
    detail: /1024|2048/,
  },
  {
    name: 'key with literal \\n line breaks',
    args: (k) => base(k, { 'jwt-key-file': k.file('lit.key', rsaPem().pkcs8.trim().replace(/\n/g, '\\n')) }),
    check: 'key.parse',
    status: 'fail',
    cause: 'KEY_INVALID',
    exit: 1,
    detail: /\\n|line break/i,
  },
  {
    name: 'key collapsed to one line',
    args: (k) => base(k, { 'jwt-key-file': k.file('one.key', rsaPem().pkcs8.trim().replace(/\n/g, ' ')) }),
    check: 'key.parse',
    status: 'fail',
    cause: 'KEY_INVALID',
    exit: 1,
    detail: /one line|single|line break/i,
  },
  {
    name: 'group/world-readable key',
    args: (k) => base(k, { 'jwt-key-file': k.file('open.key', rsaPem().pkcs8, 0o644) }),
    check: 'key.file',
    status: 'warn',
    exit: 0,
    detail: /readable|644|permission/i,
  },
  {
    name: 'malformed URL',
    args: (k) => base(k, { 'instance-url': 'https//acme.my.salesforce.com' }),
    check: 'url.parse',
    status: 'fail',
    cause: 'INSTANCE_URL_INVALID',
    exit: 1,
    detail: /URL/,
  },
  {
    name: 'plain http URL',
    args: (k) => base(k, { 'instance-url': 'http://acme.my.salesforce.com' }),
    check: 'url.parse',
    status: 'warn',
    exit: 0,
    detail: /http/i,
  },
  {
    name: 'Lightning URL',
    args: (k) => base(k, { 'instance-url': 'https://acme.lightning.force.com' }),
    check: 'url.parse',
    status: 'fail',
    cause: 'INSTANCE_URL_INVALID',
    exit: 1,
    detail: /acme\.my\.salesforce\.com/,
  },
  {
    name: 'Visualforce URL',
    args: (k) => base(k, { 'instance-url': 'https://acme--c.vf.force.com' }),
    check: 'url.parse',
    status: 'fail',
    cause: 'INSTANCE_URL_INVALID',
    exit: 1,
    detail: /Visualforce/i,
  },
  {
    name: 'Setup URL',
    args: (k) => base(k, { 'instance-url': 'https://acme.my.salesforce-setup.com' }),
    check: 'url.parse',
    status: 'fail',
    cause: 'INSTANCE_URL_INVALID',
    exit: 1,
    detail: /Setup/i,
  },
  {
    name: 'non-Salesforce host',
    args: (k) => base(k, { 'instance-url': 'https://login.example.com' }),
    check: 'url.salesforce-domain',
    status: 'fail',
    cause: 'INSTANCE_URL_INVALID',
    exit: 1,
    detail: /bearer|Salesforce/,
  },
];

describe('sf org jwt doctor: local bad inputs (offline, --json)', function () {
  this.timeout(120_000);
  let keys: TestKeys;
  before(() => {
    keys = makeTestKeys();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const run: CliRun = await runInProcess([...c.args(keys), '--offline', '--json']);
      expect(run.json, run.stdout + run.stderr).to.not.equal(undefined);
      expect(run.stderr).to.not.match(/\n\s+at .+:\d+:\d+/);
      expect(run.code).to.equal(c.exit);
      expect(run.json!.status).to.equal(c.exit);
      const result = run.json!.result;
      expect(schemaErrors(result)).to.deep.equal([]);
      const check = result.checks.find((x) => x.id === c.check);
      expect(check, JSON.stringify(result.checks, null, 1)).to.not.equal(undefined);
      expect(check!.status).to.equal(c.status);
      expect(check!.detail).to.match(c.detail);
      if (c.cause) {
        expect(result.cause?.code).to.equal(c.cause);
        expect(result.fixes.length).to.be.greaterThan(0);
        expect(result.fixes[0].steps.length).to.be.greaterThan(0);
        expect(result.fixes[0].steps.join(' ')).to.not.match(/\{[a-zA-Z]+\}/);
      }
    });
  }

  it('accepts a PKCS#1 key and a clean set of inputs (exit 0, verdict pass)', async () => {
    const run = await runInProcess([
      ...base(keys, { 'jwt-key-file': keys.file('pkcs1.key', rsaPem().pkcs1) }),
      '--offline',
      '--json',
    ]);
    expect(run.code).to.equal(0);
    expect(run.json!.result.verdict).to.equal('pass');
    expect(run.json!.result.checks.find((c) => c.id === 'key.parse')?.detail).to.match(/PKCS#?1/i);
  });

  it('reports save-only flags as ignored and prints the login line', async () => {
    const run = await runInProcess([...base(keys), '--alias', 'ci', '--set-default', '--offline', '--json']);
    expect(run.json!.result.ignoredFlags).to.deep.equal(['--alias', '--set-default']);
    expect(run.json!.result.loginCommand).to.equal(
      `sf org login jwt --username ci@acme.com --jwt-key-file ${keys.pkcs8} --client-id ${CLIENT_ID} --instance-url ${PROD}`,
    );
  });

  it('accepts a pasted `sf org login jwt` line with short and deprecated flags', async () => {
    const run = await runInProcess([
      '-o',
      'ci@acme.com',
      '-f',
      keys.pkcs8,
      '-i',
      CLIENT_ID,
      '-r',
      PROD,
      '-a',
      'ci',
      '-s',
      '-d',
      '--offline',
      '--json',
    ]);
    expect(run.code).to.equal(0);
    expect(run.json!.result.inputs.map((i) => `${i.name}=${i.origin}`)).to.include.members([
      'username=--username',
      'client-id=--client-id',
      'jwt-key-file=--jwt-key-file',
      'instance-url=--instance-url',
    ]);
    const legacy = await runInProcess([
      '-u',
      'ci@acme.com',
      '--jwtkeyfile',
      keys.pkcs8,
      '--clientid',
      CLIENT_ID,
      '-l',
      PROD,
      '--offline',
      '--json',
    ]);
    expect(legacy.code).to.equal(0);
  });

  it('a missing required input is a usage error (exit 2) with "Try this" actions', async () => {
    const run = await runInProcess(['--jwt-key-file', keys.pkcs8, '--client-id', CLIENT_ID, '--offline']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/No username given/);
    expect(run.stderr).to.match(/Try this/);
    expect(run.stderr).to.not.match(/\n\s+at .+:\d+:\d+/);
  });

  it('human output: the verdict first, then root cause, numbered fix steps, and the checks by group with glyphs', async () => {
    const run = await runInProcess([...base(keys, { username: 'ci@acme.com ' }), '--offline']);
    expect(run.code).to.equal(1);
    const lines = run.stdout.split('\n');
    const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));
    expect(at(/^✗ The JWT login fails: USERNAME_MALFORMED — /)).to.equal(2);
    expect(at(/^Root cause \(confirmed\)/)).to.equal(3);
    expect(at(/^ {2}1\. /)).to.be.greaterThan(3);
    expect(at(/^Checks: /)).to.be.greaterThan(at(/^ {2}1\. /));
    // A failing group lists its failed check with the detail; a passing group is one line.
    expect(run.stdout).to.match(/^ {2}✗ Inputs \(1 failed, [^)]*\)$/m);
    expect(run.stdout).to.match(/^ {6}✗ /m);
    expect(run.stdout).to.match(/^ {2}✓ Private key \(\d+ passed\)$/m);
    expect(run.stdout).to.not.match(/^ {6}✓ /m);
    const verbose = await runInProcess([...base(keys, { username: 'ci@acme.com ' }), '--offline', '--verbose']);
    expect(verbose.stdout).to.match(/^ {6}✓ /m);
    // No colour and no spinner outside a terminal.
    expect(run.stdout).to.not.match(/\u001b\[/);
    expect(run.stderr).to.not.match(/Diagnosing the JWT login/);
  });

  it('--from-org: unknown, not JWT, and a stale key path are each named', async () => {
    const home = keys.dir + '-home';
    mkdirSync(join(home, '.sfdx'), { recursive: true });
    writeFileSync(
      join(home, '.sfdx', 'alias.json'),
      JSON.stringify({ orgs: { ci: 'ci@acme.com', web: 'web@acme.com' } }),
    );
    writeFileSync(
      join(home, '.sfdx', 'ci@acme.com.json'),
      JSON.stringify({
        username: 'ci@acme.com',
        clientId: CLIENT_ID,
        privateKey: join(keys.dir, 'moved.key'),
        loginUrl: PROD,
        instanceUrl: PROD,
        orgId: '00D000000000001AAA',
      }),
    );
    writeFileSync(
      join(home, '.sfdx', 'web@acme.com.json'),
      JSON.stringify({ username: 'web@acme.com', refreshToken: 'x', loginUrl: PROD, instanceUrl: PROD }),
    );
    chmodSync(join(home, '.sfdx', 'ci@acme.com.json'), 0o600);

    const stale = await runInProcess(['--from-org', 'ci', '--offline', '--json'], { home });
    expect(stale.code).to.equal(1);
    expect(stale.json!.result.cause?.code).to.equal('KEY_FILE_MISSING');
    expect(stale.json!.result.checks.find((c) => c.id === 'input.from-org')?.detail).to.match(
      /moved\.key.*no longer exists/,
    );
    expect(stale.json!.result.inputs.find((i) => i.name === 'username')?.source).to.equal('stored-auth');

    const unknown = await runInProcess(['--from-org', 'nobody', '--offline', '--json'], { home });
    expect(unknown.json!.result.checks.find((c) => c.id === 'input.from-org')?.status).to.equal('fail');
    expect(unknown.json!.result.cause?.code).to.equal('STORED_AUTH_INVALID');

    const web = await runInProcess(['--from-org', 'web', '--offline', '--json'], { home });
    expect(web.json!.result.checks.find((c) => c.id === 'input.from-org')?.detail).to.match(/not a JWT/);
  });

  it('never prints key material, in any of these runs (stdout, stderr, --json)', () => {
    expect(ALL_RUNS.length).to.be.greaterThan(30);
    expect(PRIVATE_KEY_BODIES.length).to.be.greaterThan(10);
    expect(leakedKeyMaterial(ALL_RUNS.flatMap((r) => [r.stdout, r.stderr]))).to.deep.equal([]);
  });
});
