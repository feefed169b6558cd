/*
 * The response fuzzer: a tiny HTTPS server on loopback (certificate from the simulator's CA, real Salesforce host
 * names routed to it) answers every request — the token endpoint and, in --admin-org runs, userinfo, SOQL and
 * Metadata SOAP — with seeded random answers: status codes, JSON of every shape and wrong types, random
 * error/error_description strings, unicode, huge and empty bodies, HTML, XML, truncated text, odd content types and
 * Date headers. The real command runs N times; it must never crash, always print schema-valid JSON, exit 0, 1 or 3,
 * and never echo the assertion or a token the server handed out.
 *
 * Reproduce a failure with the printed seed: FUZZ_SEED=<seed> [FUZZ_RUNS=<n>] npm exec -- mocha … fuzz.test.ts
 * (FUZZ_DUMP=<dir> writes each run's stdout and stderr to <dir>/<seed>.out).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSimulator } from '../../simulator/index.js';
import { certificateAuthority, serverCertificate } from '../../simulator/tls.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../helpers/cli.js';
import { makeTestKeys, leakedKeyMaterial, type TestKeys } from '../helpers/keys.js';
import { inGroups, prng, STACK_FRAME } from '../helpers/parallel.js';
import { schemaErrors } from '../helpers/schema.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const HOSTS = ['acme.my.salesforce.com', 'login.salesforce.com', 'test.salesforce.com'];
/** Every token the fuzz server hands out carries this marker: it must never appear in any output. */
const TOKEN_MARK = 'FUZZTOKENxq7';

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)];

function randomString(r: Rand): string {
  const alphabets = [
    'abcdefghijklmnopqrstuvwxyz ',
    'ÄÖÜßéèçñ漢字かなカナ한국어Русский',
    '\u200b\u200d\u202e\ufeff\u0000\u0007\t\n\r',
    '<>&"\'`${}%s%d\\u0000{{x}}',
    '😀👍🏽🇩🇪\ud800',
  ];
  const length = pick(r, [0, 1, 8, 40, 300, 5000]);
  let s = '';
  for (let i = 0; i < length; i++) s += pick(r, [...pick(r, alphabets)]);
  return s;
}

function randomValue(r: Rand, depth = 0): unknown {
  switch (Math.floor(r() * (depth > 2 ? 6 : 8))) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 1e6) - 5e5;
    case 2:
      return r() < 0.5;
    case 3:
    case 4:
    case 5:
      return randomString(r);
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 4) }, () => [randomString(r).slice(0, 20), randomValue(r, depth + 1)]),
      );
  }
}

const TOKEN_ERRORS = [
  'invalid_grant',
  'invalid_client_id',
  'invalid_client',
  'invalid_app_access',
  'unsupported_grant_type',
  'rate_limit_exceeded',
  'inactive_org',
  'invalid_request',
  '',
];
const TOKEN_DESCRIPTIONS = [
  "user hasn't approved this consumer",
  'audience is invalid',
  'invalid assertion',
  'expired access/refresh token',
  'client identifier invalid',
  'user is not admin approved to access this app',
  'IP restricted or invalid login hours',
  '',
];

function tokenBody(r: Rand): unknown {
  switch (Math.floor(r() * 9)) {
    case 0:
      return { error: pick(r, TOKEN_ERRORS), error_description: pick(r, TOKEN_DESCRIPTIONS) };
    case 1:
      return { error: randomString(r), error_description: randomString(r) };
    case 2:
      return { error: randomValue(r), error_description: randomValue(r) };
    case 3:
      return {
        access_token: `00Dxx0000000001!AQ${TOKEN_MARK}${Math.floor(r() * 1e9)}`,
        instance_url: pick(r, [
          'https://acme.my.salesforce.com',
          'https://evil.example.com',
          '',
          42,
          null,
          randomString(r),
        ]),
        id: pick(r, ['https://login.salesforce.com/id/00Dxx0000000001/005xx0000000001', randomValue(r)]),
        token_type: 'Bearer',
        scope: pick(r, ['api', 'api refresh_token', '', randomValue(r)]),
        signature: `sig${TOKEN_MARK}`,
      };
    case 4:
      return { access_token: randomValue(r), refresh_token: `5Aep${TOKEN_MARK}` };
    case 5:
      return [randomValue(r), randomValue(r)];
    case 6:
      return randomValue(r);
    case 7:
      return { error: 'invalid_grant', error_description: 'x'.repeat(200_000 + Math.floor(r() * 100_000)) };
    default:
      return { [randomString(r)]: randomValue(r) };
  }
}

/** A seeded answer: the same (seed, host, path, query, nth occurrence) gives the same answer on every machine. */
function answer(
  r: Rand,
  path: string,
): { status: number; headers: Record<string, string>; body: Buffer | string; truncate?: boolean } {
  const status = pick(r, [200, 200, 200, 400, 400, 401, 403, 404, 420, 429, 500, 502, 503, 204, 302, 999]);
  const contentType = pick(r, [
    'application/json;charset=UTF-8',
    'application/json',
    'text/html',
    'text/plain',
    'text/xml',
    'application/octet-stream',
    '',
  ]);
  const date = pick(r, [
    new Date().toUTCString(),
    new Date(Date.now() + (r() - 0.5) * 1e9).toUTCString(),
    'yesterday',
    '',
    'Thu, 01 Jan 1970 00:00:00 GMT',
  ]);
  const headers: Record<string, string> = {};
  if (contentType) headers['content-type'] = contentType;
  if (date) headers.date = date;
  if (status === 302)
    headers.location = pick(r, ['https://evil.example.com/', '/services/oauth2/token', 'javascript:x']);
  if (status === 429 || r() < 0.1) headers['retry-after'] = pick(r, ['60', '-1', 'soon', '99999999999']);
  const kind = Math.floor(r() * 10);
  let body: Buffer | string;
  if (kind === 0) body = '';
  else if (kind === 1)
    body = `<html><head><title>${randomString(r)}</title></head><body>${randomString(r)}</body></html>`;
  else if (kind === 2) body = Buffer.from(Array.from({ length: Math.floor(r() * 3000) }, () => Math.floor(r() * 256)));
  else if (kind === 3)
    body = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x>${randomString(r)}</x></soapenv:Body></soapenv:Envelope>`;
  else if (kind === 4) body = 'x'.repeat(1_000_000);
  else if (path.includes('/oauth2/token')) body = JSON.stringify(tokenBody(r));
  else if (path.includes('/query'))
    body = JSON.stringify(
      pick(r, [
        { totalSize: randomValue(r), done: randomValue(r), records: randomValue(r) },
        { records: [randomValue(r), { Id: randomValue(r), Username: randomValue(r) }] },
        [{ errorCode: randomString(r), message: randomString(r) }],
        randomValue(r),
      ]),
    );
  else
    body = JSON.stringify(
      pick(r, [
        {
          user_id: randomValue(r),
          organization_id: randomValue(r),
          urls: randomValue(r),
          preferred_username: randomValue(r),
        },
        randomValue(r),
      ]),
    );
  return { status, headers, body, truncate: r() < 0.08 };
}

function seeded(seed: number, key: string): Rand {
  return prng(createHash('sha256').update(`${seed}|${key}`).digest().readUInt32LE(0));
}

type FuzzServer = {
  port: number;
  caFile: string;
  setSeed: (s: number) => void;
  served: () => number;
  close: () => Promise<void>;
};

async function startFuzzServer(dir: string): Promise<FuzzServer> {
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificateAuthority('trusted').certPem);
  const { certPem, keyPem } = serverCertificate(HOSTS);
  let seed = 0;
  let count = 0;
  const seen = new Map<string, number>();
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://x');
      const key = `${req.headers.host}|${req.method}|${url.pathname}|${url.search}`;
      const nth = (seen.get(key) ?? 0) + 1;
      seen.set(key, nth);
      count++;
      const a = answer(seeded(seed, `${key}|${nth}`), url.pathname);
      const body = Buffer.isBuffer(a.body) ? a.body : Buffer.from(a.body, 'utf8');
      try {
        res.writeHead(a.status, { ...a.headers, 'content-length': String(body.length) });
        if (a.truncate) {
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          setTimeout(() => req.socket.destroy(), 10);
        } else res.end(body);
      } catch {
        req.socket.destroy();
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    caFile,
    setSeed: (s) => {
      seed = s;
      seen.clear();
    },
    served: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type FuzzRun = { seed: number; admin: boolean; run: CliRun; ms: number };

describe('reliability: response fuzzer (token endpoint and inspector queries)', function () {
  this.timeout(600_000);
  const runs: FuzzRun[] = [];
  let keys: TestKeys;
  let dir: string;
  let adminHome: string;
  let admin = false;

  before(async () => {
    keys = makeTestKeys();
    dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-fuzz-'));
    // A stored admin authorization (the simulated org issues it); the fuzz server then answers its requests.
    adminHome = tempHome();
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      await storeAdminAuth(sim, adminHome, { alias: 'admin' });
      admin = true;
    } finally {
      await sim.stop();
    }
    const started = Date.now();
    // One server per concurrent run, so each run's answers depend only on its own seed.
    const width = 4;
    const servers = await Promise.all(Array.from({ length: width }, () => startFuzzServer(dir)));
    const free = [...servers];
    try {
      await inGroups(
        Array.from({ length: RUNS }, (_, i) => async () => {
          const server = free.pop()!;
          const seed = SEED + i;
          server.setSeed(seed);
          const withAdmin = admin && seed % 2 === 1; // by seed, so FUZZ_SEED=<seed> FUZZ_RUNS=1 reproduces it
          const env = {
            SF_JWT_DOCTOR_CONNECT_TO: HOSTS.map((h) => `${h}:443:127.0.0.1:${server.port}`).join(','),
            NODE_EXTRA_CA_CERTS: server.caFile,
            ...KEYCHAIN_ENV,
          };
          const args = [
            '--username',
            'ci@acme.com',
            '--jwt-key-file',
            keys.pkcs8,
            '--client-id',
            '3MVG9fuzzEXAMPLEkey0123456789',
            '--instance-url',
            'https://acme.my.salesforce.com',
            '--json',
            '--timeout',
            '15',
          ];
          if (withAdmin) args.push('--admin-org', 'admin');
          try {
            const run = await runInProcess(args, { env, home: withAdmin ? adminHome : undefined, timeoutMs: 45_000 });
            runs.push({ seed, admin: withAdmin, run, ms: run.ms });
          } finally {
            free.push(server);
          }
        }),
        width,
      );
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
    if (process.env.FUZZ_DUMP)
      for (const r of runs)
        writeFileSync(join(process.env.FUZZ_DUMP, `${r.seed}.out`), `${r.run.stdout}\n----\n${r.run.stderr}`);
    console.log(
      `      fuzz: ${runs.length} runs (${runs.filter((r) => r.admin).length} with --admin-org), ${servers.reduce((n, s) => n + s.served(), 0)} answers, seeds ${SEED}…${SEED + RUNS - 1}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  after(() => {
    removeDir(dir);
    removeDir(adminHome);
    removeDir(keys.dir);
  });

  it(`every run ends with schema-valid JSON, exit 0/1/3, no crash, no secret echoed (base seed ${SEED})`, () => {
    expect(runs).to.have.length(RUNS);
    const failures: string[] = [];
    for (const { seed, admin: withAdmin, run, ms } of runs.sort((a, b) => a.seed - b.seed)) {
      const problems: string[] = [];
      const out = `${run.stdout}\n${run.stderr}`;
      if (run.code === null) problems.push(`killed after ${ms} ms`);
      else if (![0, 1, 3].includes(run.code)) problems.push(`exit ${run.code}`);
      if (STACK_FRAME.test(out)) problems.push('stack trace');
      if (!run.json?.result)
        problems.push(`no JSON result (${(run.json?.message ?? run.stdout.slice(0, 120)).replace(/\s+/g, ' ')})`);
      else {
        const errors = schemaErrors(run.json.result);
        if (errors.length) problems.push(`schema: ${errors.slice(0, 3).join('; ')}`);
        const expected = { pass: 0, warn: 0, fail: 1, inconclusive: 3 }[run.json.result.verdict];
        if (run.code !== expected) problems.push(`exit ${run.code} for verdict ${run.json.result.verdict}`);
      }
      if (out.includes(TOKEN_MARK)) problems.push('a token from the server was echoed');
      if (/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/.test(out)) problems.push('an assertion (JWT) was echoed');
      if (leakedKeyMaterial([out]).length) problems.push('key material echoed');
      if (problems.length)
        failures.push(`FUZZ_SEED=${seed} FUZZ_RUNS=1${withAdmin ? ' (--admin-org)' : ''}: ${problems.join(', ')}`);
    }
    expect(failures, `seeds to reproduce:\n${failures.join('\n')}`).to.deep.equal([]);
  });
});
