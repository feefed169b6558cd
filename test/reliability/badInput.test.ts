/*
 * The bad-input suite: inputs the doctor reads — every flag, the key file, environment variables, sfdx-project.json
 * and stored authorizations (--from-org, --admin-org) — in forms the local suite (doctor.local.test.ts) does not try:
 * empty, huge, binary, wrong type, wrong encoding, look-alikes and invisible characters, links, FIFOs and devices,
 * conflicting flags and URLs of every odd form. Each ends in a named check result or a clear usage error, with the
 * documented exit code, valid JSON under --json (schema-valid when it is a result) and no stack trace.
 *
 * Runs are made in a `before` hook, four at a time, then asserted one `it` per case. Most are --offline; the few that
 * need the network (routing, the admin connection) go to the simulated org.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import type { CauseCode, CheckStatus } from '../../src/doctor/types.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../helpers/cli.js';
import { leakedKeyMaterial, makeTestKeys, type TestKeys } from '../helpers/keys.js';
import { exitCodeOf, inGroups, STACK_FRAME, textWithoutEnvelopeStack } from '../helpers/parallel.js';
import { schemaErrors } from '../helpers/schema.js';
import { loginArgs } from '../helpers/loginArgs.js';

const CLIENT_ID = '3MVG9A2kN3Bn17hsWsLDatnNoEXAMPLEKEY0123456789abcdefghijkLMNOPqrstuVWXyz';
const PROD = 'https://acme.my.salesforce.com';

type Fixture = {
  keys: TestKeys;
  /** Paths of prepared key files by name. */
  file: Record<string, string>;
  /** HOMEs with prepared ~/.sfdx contents by name. */
  home: Record<string, string>;
  sim: Simulator;
  /** The simulator's own login (key, client id, user) — for online cases. */
  online: string[];
  /** A stored admin authorization could be made (test/helpers/adminOrg.ts exists). */
  admin: boolean;
};

type Expect =
  | { usage: RegExp }
  | {
      check: string;
      status: CheckStatus | CheckStatus[];
      cause?: CauseCode | null;
      detail?: RegExp;
      /** Further assertions on the result. */
      more?: (run: CliRun) => void;
    };

type Case = {
  name: string;
  args: (f: Fixture) => string[];
  env?: (f: Fixture) => Record<string, string>;
  home?: (f: Fixture) => string;
  /** Default: --offline is added. */
  online?: boolean;
  /** Also run without --json (usage errors always are). */
  human?: boolean;
  /** Kill the child after this long; the case also asserts it ended well before. */
  killAfterMs?: number;
  /** Needs the --admin-org helpers; skipped (with the reason) on a tree without them. */
  admin?: boolean;
  expect: Expect;
};

function base(f: Fixture, over: Record<string, string> = {}): string[] {
  const values: Record<string, string> = {
    username: 'ci@acme.com',
    'jwt-key-file': f.keys.pkcs8,
    'client-id': CLIENT_ID,
    'instance-url': PROD,
    ...over,
  };
  return Object.entries(values).flatMap(([flag, v]) => [`--${flag}`, v]);
}

const url =
  (u: string) =>
  (f: Fixture): string[] =>
    base(f, { 'instance-url': u });
const key =
  (name: string) =>
  (f: Fixture): string[] =>
    base(f, { 'jwt-key-file': f.file[name] });
const audience = (env: Record<string, string>) => ({
  args: (f: Fixture): string[] => base(f),
  env: (): Record<string, string> => env,
});
const input = (run: CliRun, name: string): { value: string | null; origin: string } | undefined =>
  run.json?.result.inputs.find((i) => i.name === name);

const CASES: Case[] = [
  // ---- --timeout: wrong type and range (oclif usage errors) ----
  { name: '--timeout abc', args: (f) => [...base(f), '--timeout', 'abc'], expect: { usage: /Expected an integer/ } },
  { name: '--timeout 0', args: (f) => [...base(f), '--timeout', '0'], expect: { usage: /greater than or equal to 1/ } },
  {
    name: '--timeout -5',
    args: (f) => [...base(f), '--timeout', '-5'],
    expect: { usage: /--timeout|greater than or equal to 1/ },
  },
  {
    name: '--timeout 3601 (over the maximum)',
    args: (f) => [...base(f), '--timeout', '3601'],
    expect: { usage: /less than or equal to 3600/ },
  },
  {
    name: '--timeout 1.5 (not an integer)',
    args: (f) => [...base(f), '--timeout', '1.5'],
    expect: { usage: /Expected an integer/ },
  },
  {
    name: '--timeout given twice',
    args: (f) => [...base(f), '--timeout', '5', '--timeout', '6'],
    expect: { usage: /only be specified once|--timeout/ },
  },
  {
    name: 'an unknown flag',
    args: (f) => [...base(f), '--client-secret', 'abc'],
    expect: { usage: /Nonexistent flag|client-secret/ },
  },
  { name: 'a stray positional argument', args: (f) => [...base(f), 'extra'], expect: { usage: /Unexpected argument/ } },
  {
    name: '--from-org given empty and no other inputs',
    args: () => ['--from-org', ''],
    expect: { usage: /No username given/ },
  },

  // ---- huge and odd values in flags ----
  {
    name: 'a 100 KB username',
    args: (f) => base(f, { username: `${'u'.repeat(100_000)}@acme.com` }),
    expect: {
      check: 'input.username',
      status: ['pass', 'warn', 'fail'],
      more: (r) => expect(r.stdout.length).to.be.below(2_000_000),
    },
  },
  {
    name: 'a 100 KB client id',
    args: (f) => base(f, { 'client-id': `3MVG9${'x'.repeat(100_000)}` }),
    expect: { check: 'input.client-id', status: 'warn', cause: 'CLIENT_ID_INVALID', detail: /8–256/ },
  },
  {
    name: 'a 100 KB instance URL (huge path)',
    args: url(`${PROD}/${'p'.repeat(100_000)}`),
    expect: { check: 'url.parse', status: 'fail', cause: 'INSTANCE_URL_INVALID' },
  },
  {
    name: 'a 100 KB instance URL (huge host label)',
    args: url(`https://${'a'.repeat(100_000)}.my.salesforce.com`),
    expect: { check: 'url.parse', status: ['pass', 'fail'] },
  },
  {
    name: 'a control character in the client id',
    args: (f) => base(f, { 'client-id': `${CLIENT_ID.slice(0, 20)}\u0001${CLIENT_ID.slice(20)}` }),
    expect: { check: 'input.client-id', status: 'fail', cause: 'CLIENT_ID_INVALID' },
  },
  {
    name: 'a Cyrillic look-alike (М) in the client id',
    args: (f) => base(f, { 'client-id': `3\u041cVG9${CLIENT_ID.slice(5)}` }),
    expect: { check: 'input.client-id', status: 'fail', cause: 'CLIENT_ID_INVALID' },
  },
  {
    name: 'a word joiner (U+2060) in the client id',
    args: (f) => base(f, { 'client-id': `${CLIENT_ID.slice(0, 30)}\u2060${CLIENT_ID.slice(30)}` }),
    expect: { check: 'input.client-id', status: 'fail', cause: 'CLIENT_ID_INVALID', detail: /invisible/ },
  },
  {
    name: 'an empty username',
    args: (f) => base(f, { username: '' }),
    expect: { check: 'input.username', status: 'fail', cause: 'USERNAME_MALFORMED' },
  },
  {
    name: 'an empty key path',
    args: (f) => base(f, { 'jwt-key-file': '' }),
    expect: { check: 'key.file', status: 'fail', cause: 'KEY_FILE_MISSING' },
  },
  {
    name: 'a key path with a trailing space',
    args: (f) => base(f, { 'jwt-key-file': `${f.keys.pkcs8} ` }),
    expect: { check: 'key.file', status: 'fail', cause: 'KEY_FILE_MISSING' },
  },
  {
    name: 'a key path with a literal ~ (quoted in CI)',
    args: (f) => base(f, { 'jwt-key-file': '~/server.key' }),
    expect: { check: 'key.file', status: 'fail', cause: 'KEY_FILE_MISSING' },
  },
  {
    name: 'an empty instance URL',
    args: url(''),
    expect: { check: 'url.parse', status: 'fail', cause: 'INSTANCE_URL_INVALID' },
  },
  {
    name: '--audience-url that is not a URL',
    args: (f) => [...base(f), '--audience-url', '::::'],
    expect: { check: 'url.kind', status: 'fail', cause: 'AUDIENCE_INVALID', detail: /--audience-url/ },
  },

  // ---- the key file: encodings, binary, links, special files ----
  {
    name: 'a UTF-16 key file',
    args: key('utf16'),
    expect: { check: 'key.parse', status: 'fail', cause: 'KEY_INVALID' },
  },
  {
    name: 'a key file with NUL bytes inside the PEM',
    args: key('nul'),
    expect: { check: 'key.parse', status: 'fail', cause: 'KEY_INVALID' },
  },
  {
    name: 'a random binary key file',
    args: key('binary'),
    expect: { check: 'key.parse', status: 'fail', cause: 'KEY_INVALID' },
  },
  { name: 'a UTF-8 BOM before the PEM', args: key('bom'), expect: { check: 'key.parse', status: ['pass', 'fail'] } },
  {
    name: 'Latin-1 bytes after the PEM',
    args: key('latin1'),
    expect: { check: 'key.parse', status: ['pass', 'warn', 'fail'] },
  },
  { name: 'a symlink to a good key', args: key('link'), expect: { check: 'key.parse', status: 'pass' } },
  {
    name: 'a dangling symlink',
    args: key('dangling'),
    expect: { check: 'key.file', status: 'fail', cause: 'KEY_FILE_MISSING', detail: /symbolic link/ },
  },
  {
    name: 'a symlink loop',
    args: key('loop'),
    expect: { check: 'key.file', status: 'fail', cause: 'KEY_FILE_MISSING' },
  },
  {
    name: '/dev/null as the key file',
    args: (f) => base(f, { 'jwt-key-file': '/dev/null' }),
    expect: { check: 'key.file', status: 'fail', cause: 'KEY_INVALID', detail: /empty/ },
  },
  {
    // DESIGN.md §2 rule 5 (bounded time): a FIFO nobody writes to must not hang the run.
    name: 'a FIFO nobody writes to (bounded by --timeout)',
    args: (f) => [...base(f, { 'jwt-key-file': f.file.fifo }), '--timeout', '5'],
    killAfterMs: 25_000,
    expect: { check: 'key.file', status: 'fail' },
  },

  // ---- URLs of every odd form ----
  {
    name: 'IPv6 loopback literal',
    args: url('https://[::1]:8443'),
    expect: { check: 'url.salesforce-domain', status: 'pass', detail: /loopback|::1/ },
  },
  {
    name: 'IPv6 literal that is not loopback',
    args: url('https://[2001:db8::1]'),
    expect: { check: 'url.salesforce-domain', status: 'fail', cause: 'INSTANCE_URL_INVALID' },
  },
  {
    name: 'port 0',
    args: url(`${PROD}:0`),
    expect: { check: 'url.parse', status: 'fail', cause: 'INSTANCE_URL_INVALID' },
  },
  {
    name: 'port 99999',
    args: url(`${PROD}:99999`),
    expect: { check: 'url.parse', status: 'fail', cause: 'INSTANCE_URL_INVALID', detail: /not a valid https URL/ },
  },
  {
    name: 'a javascript: URL',
    args: url('javascript:alert(1)'),
    expect: { check: 'url.parse', status: 'fail', cause: 'INSTANCE_URL_INVALID', detail: /javascript:/ },
  },
  {
    name: 'a file: URL',
    args: url('file:///etc/passwd'),
    expect: { check: 'url.parse', status: 'fail', cause: 'INSTANCE_URL_INVALID', detail: /file:/ },
  },
  {
    name: 'a trailing-dot host',
    args: url('https://acme.my.salesforce.com.'),
    expect: { check: 'url.salesforce-domain', status: 'fail', cause: 'INSTANCE_URL_INVALID' },
  },
  {
    name: 'a punycode host (xn--) is not a pre-enhanced sandbox',
    args: url('https://xn--acm-gla.my.salesforce.com'),
    expect: {
      check: 'url.kind',
      status: ['pass', 'warn', 'fail'],
      more: (r) => expect(JSON.stringify(r.json?.result.checks)).to.not.match(/sandbox acm-gla|\.acm-gla/),
    },
  },
  {
    name: 'a Cyrillic look-alike (а) in the host',
    args: url('https://\u0430cme.my.salesforce.com'),
    expect: {
      check: 'url.parse',
      status: 'fail',
      cause: 'INSTANCE_URL_INVALID',
      more: (r) => expect(r.json?.result.verdict).to.equal('fail'),
    },
  },
  {
    name: 'a zero-width space in the host (URL parsing drops it, as sf does)',
    args: url('https://acme.my.salesforce\u200b.com'),
    expect: { check: 'url.parse', status: ['pass', 'warn', 'fail'] },
  },
  {
    name: 'path, query and fragment',
    args: url(`${PROD}/services/oauth2/token?x=1#frag`),
    expect: { check: 'url.parse', status: 'fail', cause: 'INSTANCE_URL_INVALID', detail: /services\/oauth2\/token/ },
  },
  {
    name: 'https:/ with one slash (URL parsing repairs it, as sf does)',
    args: url('https:/acme.my.salesforce.com'),
    expect: { check: 'url.parse', status: ['pass', 'warn'] },
  },
  {
    name: 'an upper-case URL',
    args: url('HTTPS://ACME.MY.SALESFORCE.COM'),
    expect: { check: 'url.salesforce-domain', status: 'pass' },
  },
  {
    // fetch (jsforce, so sf) refuses a URL with credentials ("Request cannot be constructed from a URL that includes
    // credentials"): a login through it cannot work, and the password must not be echoed.
    name: 'userinfo in the URL (https://user:pw@…)',
    args: url('https://user:s3cretpw@acme.my.salesforce.com'),
    expect: {
      check: 'url.parse',
      status: 'fail',
      cause: 'INSTANCE_URL_INVALID',
      more: (r) => expect(r.stdout).to.not.contain('s3cretpw'),
    },
  },

  // ---- environment ----
  {
    name: 'SF_AUDIENCE_URL empty (ignored, as sf does)',
    ...audience({ SF_AUDIENCE_URL: '' }),
    expect: {
      check: 'url.kind',
      status: ['pass', 'warn'],
      more: (r) => expect(input(r, 'audience-url')).to.equal(undefined),
    },
  },
  {
    name: 'SF_AUDIENCE_URL garbage',
    ...audience({ SF_AUDIENCE_URL: 'not a url' }),
    expect: { check: 'url.kind', status: 'fail', cause: 'AUDIENCE_INVALID', detail: /SF_AUDIENCE_URL/ },
  },
  {
    name: 'SF_AUDIENCE_URL plain http',
    ...audience({ SF_AUDIENCE_URL: 'http://login.salesforce.com' }),
    expect: {
      check: 'url.kind',
      status: ['pass', 'warn', 'fail'],
      more: (r) => expect(input(r, 'audience-url')?.origin).to.equal('SF_AUDIENCE_URL'),
    },
  },
  {
    name: 'SFDX_AUDIENCE_URL and SF_AUDIENCE_URL disagree (SF_ wins, as in sf)',
    ...audience({ SF_AUDIENCE_URL: 'https://login.salesforce.com', SFDX_AUDIENCE_URL: 'https://test.salesforce.com' }),
    expect: {
      check: 'url.kind',
      status: ['pass', 'warn'],
      more: (r) =>
        expect(input(r, 'audience-url')).to.include({
          value: 'https://login.salesforce.com',
          origin: 'SF_AUDIENCE_URL',
        }),
    },
  },
  {
    name: 'SFDX_AUDIENCE_URL alone, garbage',
    ...audience({ SFDX_AUDIENCE_URL: 'login.salesforce.com' }),
    expect: { check: 'url.kind', status: 'fail', cause: 'AUDIENCE_INVALID', detail: /_AUDIENCE_URL/ },
  },
  {
    name: '--audience-url overrides SF_AUDIENCE_URL',
    args: (f) => [...base(f), '--audience-url', 'https://test.salesforce.com'],
    env: () => ({ SF_AUDIENCE_URL: 'garbage' }),
    expect: {
      check: 'url.kind',
      status: ['pass', 'warn'],
      more: (r) => expect(input(r, 'audience-url')?.origin).to.equal('--audience-url'),
    },
  },
  {
    name: 'SF_JWT_DOCTOR_CONNECT_TO garbage',
    args: base,
    online: true,
    human: true,
    env: () => ({ SF_JWT_DOCTOR_CONNECT_TO: 'garbage' }),
    expect: { usage: /HOST:PORT:TARGET_HOST:TARGET_PORT/ },
  },
  {
    name: 'SF_JWT_DOCTOR_CONNECT_TO with port 0',
    args: base,
    online: true,
    env: () => ({ SF_JWT_DOCTOR_CONNECT_TO: 'acme.my.salesforce.com:443:127.0.0.1:0' }),
    expect: { usage: /invalid port/ },
  },
  {
    name: 'SF_JWT_DOCTOR_CONNECT_TO garbage with --offline (no routing needed, ignored)',
    args: base,
    env: () => ({ SF_JWT_DOCTOR_CONNECT_TO: 'garbage' }),
    expect: { check: 'key.parse', status: 'pass' },
  },

  // ---- sfdx-project.json (read from the working directory upwards when there is no --instance-url) ----
  {
    name: 'sfdx-project.json that is not JSON (ignored: sf default login URL)',
    args: (f) => base(f).slice(0, 6),
    home: (f) => f.home.projectCorrupt,
    expect: {
      check: 'url.parse',
      status: 'pass',
      more: (r) => expect(input(r, 'instance-url')?.origin).to.equal('sf default'),
    },
  },
  // core refuses it (invalidProjectLoginUrl) and plugin-auth then logs in at https://login.salesforce.com: so does the doctor.
  {
    name: 'sfdx-project.json sfdcLoginUrl not a URL (refused by core: sf default login URL)',
    args: (f) => base(f).slice(0, 6),
    home: (f) => f.home.projectGarbageUrl,
    expect: {
      check: 'url.parse',
      status: 'pass',
      more: (r) => expect(input(r, 'instance-url')?.origin).to.equal('sf default'),
    },
  },
  {
    name: 'sfdx-project.json sfdcLoginUrl of the wrong type',
    args: (f) => base(f).slice(0, 6),
    home: (f) => f.home.projectWrongType,
    expect: {
      check: 'url.parse',
      status: 'pass',
      more: (r) => expect(input(r, 'instance-url')?.origin).to.equal('sf default'),
    },
  },

  // ---- stored authorizations (--from-org) ----
  {
    name: '--from-org: auth file not JSON',
    args: () => ['--from-org', 'ci'],
    home: (f) => f.home.authCorrupt,
    expect: { check: 'input.from-org', status: 'fail', cause: 'STORED_AUTH_INVALID', detail: /not valid JSON/ },
  },
  {
    name: '--from-org: empty auth file',
    args: () => ['--from-org', 'ci@acme.com'],
    home: (f) => f.home.authEmpty,
    expect: { check: 'input.from-org', status: 'fail', cause: 'STORED_AUTH_INVALID' },
  },
  {
    name: '--from-org: auth file holding JSON null',
    args: () => ['--from-org', 'ci@acme.com'],
    home: (f) => f.home.authNull,
    expect: { check: 'input.from-org', status: 'fail', cause: 'STORED_AUTH_INVALID' },
  },
  {
    name: '--from-org: auth file is a directory',
    args: () => ['--from-org', 'ci@acme.com'],
    home: (f) => f.home.authDir,
    expect: { check: 'input.from-org', status: 'fail', cause: 'STORED_AUTH_INVALID' },
  },
  {
    name: '--from-org: alias.json corrupt (the alias resolves to nothing)',
    args: () => ['--from-org', 'ci'],
    home: (f) => f.home.aliasCorrupt,
    expect: {
      check: 'input.from-org',
      status: 'fail',
      cause: 'STORED_AUTH_INVALID',
      detail: /No stored authorization/,
    },
  },
  {
    name: '--from-org: an access-token login (no key, no refresh token)',
    args: () => ['--from-org', 'ci@acme.com'],
    home: (f) => f.home.authAccessToken,
    expect: { check: 'input.from-org', status: 'fail', cause: 'STORED_AUTH_INVALID', detail: /not a JWT/ },
  },
  {
    name: '--from-org: fields of the wrong type (privateKey: 123)',
    args: () => ['--from-org', 'ci@acme.com'],
    home: (f) => f.home.authWrongTypes,
    expect: { check: 'input.from-org', status: 'fail' },
  },
  {
    name: '--from-org: a NUL byte in the stored key path',
    args: () => ['--from-org', 'ci@acme.com'],
    home: (f) => f.home.authNulPath,
    expect: { check: 'key.file', status: ['fail', 'skip'] },
  },
  {
    name: '--from-org: a 1 MB stored username',
    args: () => ['--from-org', 'big'],
    home: (f) => f.home.authHugeUser,
    expect: { check: 'input.username', status: ['pass', 'warn', 'fail'] },
  },
  {
    name: '--from-org with explicit flags that override it',
    args: (f) => ['--from-org', 'ci', '--username', 'other@acme.com', '--jwt-key-file', f.keys.pkcs8],
    home: (f) => f.home.authGood,
    expect: {
      check: 'input.from-org',
      status: 'pass',
      more: (r) => {
        expect(input(r, 'username')).to.include({ value: 'other@acme.com', origin: '--username' });
        expect(input(r, 'jwt-key-file')?.origin).to.equal('--jwt-key-file');
        expect(input(r, 'client-id')?.origin).to.match(/sfdx/);
      },
    },
  },

  // ---- --admin-org: conflicts and broken stored auth (online, against the simulated org) ----
  {
    admin: true,
    name: '--offline with --admin-org (no org checks, no network)',
    args: (f) => [...f.online, '--admin-org', 'admin'],
    expect: {
      check: 'key.parse',
      status: 'pass',
      more: (r) =>
        expect(
          r.json?.result.checks.filter((c) => /^(org|app|user|approval)\./.test(c.id) && c.status !== 'skip'),
        ).to.deep.equal([]),
    },
  },
  {
    admin: true,
    name: '--admin-org: no such alias',
    args: (f) => [...f.online, '--admin-org', 'nobody'],
    online: true,
    home: (f) => f.home.admin,
    expect: { check: 'org.connection', status: ['fail', 'skip', 'warn'], detail: /nobody/ },
  },
  {
    admin: true,
    name: '--admin-org: its auth file is not JSON',
    args: (f) => [...f.online, '--admin-org', 'broken'],
    online: true,
    home: (f) => f.home.admin,
    expect: { check: 'org.connection', status: ['fail', 'skip', 'warn'] },
  },
  {
    admin: true,
    name: '--admin-org: alias.json corrupt',
    args: (f) => [...f.online, '--admin-org', 'admin'],
    online: true,
    home: (f) => f.home.adminAliasCorrupt,
    expect: { check: 'org.connection', status: ['fail', 'skip', 'warn'] },
  },
  {
    admin: true,
    name: '--admin-org given empty',
    args: (f) => [...f.online, '--admin-org', ''],
    online: true,
    home: (f) => f.home.admin,
    expect: { check: 'probe.token', status: 'pass' },
  },
];

/** The --from-org auth file for ci@acme.com (a JWT login) with fields overridden. */
function authFile(home: string, name: string, content: string | object): void {
  mkdirSync(join(home, '.sfdx'), { recursive: true });
  writeFileSync(join(home, '.sfdx', name), typeof content === 'string' ? content : JSON.stringify(content), {
    mode: 0o600,
  });
}

async function prepare(): Promise<Fixture> {
  const keys = makeTestKeys();
  const pem = readFileSync(keys.pkcs8, 'utf8');
  const file: Record<string, string> = {
    utf16: keys.file('utf16.key', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pem, 'utf16le')])),
    nul: keys.file('nul.key', pem.slice(0, 100) + '\0\0\0' + pem.slice(100)),
    binary: keys.file('binary.key', Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 256))),
    bom: keys.file('bom.key', `\uFEFF${pem}`),
    latin1: keys.file('latin1.key', Buffer.concat([Buffer.from(pem), Buffer.from('caf\xe9 na\xefve\n', 'latin1')])),
    link: join(keys.dir, 'link.key'),
    dangling: join(keys.dir, 'dangling.key'),
    loop: join(keys.dir, 'loop1.key'),
    fifo: join(keys.dir, 'fifo.key'),
  };
  symlinkSync(keys.pkcs8, file.link);
  symlinkSync(join(keys.dir, 'gone.key'), file.dangling);
  symlinkSync(join(keys.dir, 'loop2.key'), file.loop);
  symlinkSync(file.loop, join(keys.dir, 'loop2.key'));
  await new Promise<void>((resolve, reject) =>
    spawn('mkfifo', [file.fifo]).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo ${c}`)))),
  );

  const sim = await startSimulator({ scenario: 'healthy-production' });
  const jwtAuth = {
    username: 'ci@acme.com',
    clientId: CLIENT_ID,
    privateKey: keys.pkcs8,
    loginUrl: PROD,
    instanceUrl: PROD,
    orgId: '00D000000000001AAA',
  };
  const home: Record<string, string> = {};
  const make = (name: string, build: (h: string) => void): void => {
    home[name] = tempHome();
    build(home[name]);
  };
  make('projectCorrupt', (h) => writeFileSync(join(h, 'sfdx-project.json'), '{"packageDirectories": [ {"path": '));
  make('projectGarbageUrl', (h) =>
    writeFileSync(join(h, 'sfdx-project.json'), JSON.stringify({ sfdcLoginUrl: 'login dot salesforce dot com' })),
  );
  make('projectWrongType', (h) => writeFileSync(join(h, 'sfdx-project.json'), JSON.stringify({ sfdcLoginUrl: 42 })));
  make('authCorrupt', (h) => {
    authFile(h, 'alias.json', { orgs: { ci: 'ci@acme.com' } });
    authFile(h, 'ci@acme.com.json', '{"username": "ci@acme.com", "clientId": ');
  });
  make('authEmpty', (h) => authFile(h, 'ci@acme.com.json', ''));
  make('authNull', (h) => authFile(h, 'ci@acme.com.json', 'null'));
  make('authDir', (h) => mkdirSync(join(h, '.sfdx', 'ci@acme.com.json'), { recursive: true }));
  make('aliasCorrupt', (h) => {
    authFile(h, 'alias.json', '{"orgs": {"ci": ');
    authFile(h, 'ci@acme.com.json', jwtAuth);
  });
  make('authAccessToken', (h) =>
    authFile(h, 'ci@acme.com.json', { username: 'ci@acme.com', accessToken: 'x', instanceUrl: PROD, loginUrl: PROD }),
  );
  make('authWrongTypes', (h) =>
    authFile(h, 'ci@acme.com.json', { username: { a: 1 }, clientId: ['3MVG9'], privateKey: 123, loginUrl: false }),
  );
  make('authNulPath', (h) => authFile(h, 'ci@acme.com.json', { ...jwtAuth, privateKey: `${keys.pkcs8}\0.pem` }));
  make('authHugeUser', (h) => {
    authFile(h, 'alias.json', { orgs: { big: 'big@acme.com' } });
    authFile(h, 'big@acme.com.json', { ...jwtAuth, username: `${'b'.repeat(1_000_000)}@acme.com` });
  });
  make('authGood', (h) => {
    authFile(h, 'alias.json', { orgs: { ci: 'ci@acme.com' } });
    authFile(h, 'ci@acme.com.json', jwtAuth);
  });
  home.admin = tempHome();
  await storeAdminAuth(sim, home.admin, { alias: 'admin' });
  const aliases = JSON.parse(readFileSync(join(home.admin, '.sfdx', 'alias.json'), 'utf8')) as {
    orgs: Record<string, string>;
  };
  authFile(home.admin, 'alias.json', { orgs: { ...aliases.orgs, broken: 'broken@acme.com' } });
  authFile(home.admin, 'broken@acme.com.json', '{"username": "broken@acme.com", "accessToken": ');
  home.adminAliasCorrupt = mkdtempSync(join(tmpdir(), 'jwt-doctor-home-'));
  await storeAdminAuth(sim, home.adminAliasCorrupt, { alias: 'admin' });
  authFile(home.adminAliasCorrupt, 'alias.json', '{"orgs": {"admin": "admin@');

  const online = [...loginArgs(sim), '--timeout', '20'];
  return { keys, file, home, sim, online, admin: true };
}

type Outcome = { json: CliRun; human?: CliRun; ms: number };

describe('reliability: bad inputs over every flag, file, variable and stored auth', function () {
  this.timeout(300_000);
  let f: Fixture;
  const outcomes = new Map<string, Outcome>();

  before(async () => {
    f = await prepare();
    const jobs = CASES.filter((c) => f.admin || !c.admin).flatMap((c) => {
      const env = { ...(c.online ? { ...f.sim.env, ...KEYCHAIN_ENV } : {}), ...(c.env?.(f) ?? {}) };
      const args = [...c.args(f), ...(c.online ? [] : ['--offline'])];
      const options = { env, home: c.home?.(f), timeoutMs: c.killAfterMs ?? 60_000 };
      const human = c.human || 'usage' in c.expect;
      return [
        async (): Promise<void> => {
          const json = await runInProcess([...args, '--json'], options);
          outcomes.set(c.name, { ...outcomes.get(c.name), json, ms: json.ms });
        },
        ...(human
          ? [
              async (): Promise<void> => {
                const run = await runInProcess(args, options);
                // Set after the JSON run's entry exists or not: merge either way.
                const prev = outcomes.get(c.name);
                outcomes.set(c.name, { ...(prev as Outcome), human: run });
              },
            ]
          : []),
      ];
    });
    const started = Date.now();
    await inGroups(jobs, 4);
    console.log(
      `      bad inputs: ${CASES.length} cases, ${jobs.length} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  after(async () => {
    await f?.sim.stop();
    for (const h of Object.values(f?.home ?? {})) removeDir(h);
    if (f) removeDir(f.keys.dir);
  });

  it(`has at least 40 distinct cases (${CASES.length})`, () => {
    expect(new Set(CASES.map((c) => c.name)).size).to.equal(CASES.length);
    expect(CASES.length).to.be.at.least(40);
  });

  for (const c of CASES) {
    it(c.name, function () {
      if (c.admin && !f.admin) this.skip(); // no test/helpers/adminOrg.ts in this tree: no stored admin auth to break
      const o = outcomes.get(c.name);
      expect(o?.json, 'the run happened').to.not.equal(undefined);
      const run = o!.json;
      const all = `${run.stdout}\n${run.stderr}`;
      expect(
        run.code,
        `exit code (null: killed after ${c.killAfterMs ?? 60_000} ms)\n${all.slice(0, 2000)}`,
      ).to.not.equal(null);
      if (c.killAfterMs) expect(o!.ms, 'ended within its deadline').to.be.below(c.killAfterMs - 5000);
      expect(run.json, `valid JSON on stdout:\n${all.slice(0, 2000)}`).to.not.equal(undefined);
      expect(textWithoutEnvelopeStack(run.stdout)).to.not.match(STACK_FRAME);
      expect(run.stderr).to.not.match(STACK_FRAME);
      if (o!.human) {
        expect(o!.human.stdout + o!.human.stderr).to.not.match(STACK_FRAME);
        expect(o!.human.code).to.equal(run.code);
      }
      if ('usage' in c.expect) {
        expect(run.code).to.equal(2);
        expect(run.json!.status).to.equal(2);
        expect(run.json!.exitCode).to.equal(2);
        expect(run.json!.message).to.match(c.expect.usage);
        expect(run.json!.message).to.not.match(STACK_FRAME);
        if (o!.human) expect(o!.human.stderr).to.match(c.expect.usage);
        return;
      }
      const want = c.expect;
      const result = run.json!.result;
      expect(result, `a result, not an error envelope: ${run.json!.message ?? ''}`).to.not.equal(undefined);
      expect(schemaErrors(result)).to.deep.equal([]);
      expect(run.code).to.equal(exitCodeOf(result.verdict));
      expect(run.json!.status).to.equal(run.code);
      const check = result.checks.find((x) => x.id === want.check);
      expect(
        check,
        `check ${want.check} in ${JSON.stringify(result.checks.map((x) => `${x.id}:${x.status}`))}`,
      ).to.not.equal(undefined);
      const statuses = ([] as CheckStatus[]).concat(want.status);
      expect(statuses, `${check!.id}: ${check!.status} — ${check!.detail}`).to.include(check!.status);
      if (want.detail) expect(check!.detail).to.match(want.detail);
      if (want.cause !== undefined)
        expect(result.cause?.code ?? null, JSON.stringify(result.cause)).to.equal(want.cause);
      want.more?.(run);
    });
  }

  it('never printed key material in any of these runs', () => {
    const runs = [...outcomes.values()].flatMap((o) => [o.json, ...(o.human ? [o.human] : [])]);
    expect(leakedKeyMaterial(runs.flatMap((r) => [r.stdout, r.stderr]))).to.deep.equal([]);
  });
});
