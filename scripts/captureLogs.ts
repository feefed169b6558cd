/*
 * Makes the --from-log fixtures (test/fixtures/logs/): for each scenario of the simulated org that has a login, runs
 * the REAL `sf org login jwt` (@salesforce/plugin-auth, scripts/sfLoginJwt.ts) against it, human and --json, and saves
 * what it printed as a CI log shows it: the command line, then stderr and stdout. Machine paths (the key file, HOME,
 * the temp dir) are replaced, so the fixtures are the same on every machine. Plus two logs of sf's local failures: a
 * key file that does not exist, and a certificate given as the key.
 *
 *   npx tsx scripts/captureLogs.ts            (regenerates every fixture; about a second per login)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listScenarios, startSimulator } from '../simulator/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'test', 'fixtures', 'logs');
const RUNNER = join(ROOT, 'scripts', 'sfLoginJwt.ts');

type Login = { username: string; clientId: string; keyFile: string; instanceUrl?: string; audienceUrl?: string };

function shown(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

function runSf(login: Login, env: Record<string, string>, json: boolean, keyFile = login.keyFile): string {
  const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-capture-'));
  try {
    const args = ['--username', login.username, '--jwt-key-file', keyFile, '--client-id', login.clientId];
    if (login.instanceUrl) args.push('--instance-url', login.instanceUrl);
    if (json) args.push('--json');
    const child = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        HOME: home,
        ...(login.audienceUrl ? { SF_AUDIENCE_URL: login.audienceUrl } : {}),
        SF_DISABLE_TELEMETRY: 'true',
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_DISABLE_AUTOUPDATE: 'true',
        SF_DISABLE_LOG_FILE: 'true',
        SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
        SF_DOMAIN_RETRY: '0',
        SF_DISABLE_DNS_CHECK: 'true',
        SF_SKIP_SCRATCH_ORG_CHECK: 'true',
        NO_COLOR: '1',
      },
    });
    // Only sf's own output is a fixture: a runner that crashed (exit code > 1, a Node stack) stops the script.
    if ((child.status ?? 99) > 1 || /node:internal/.test(child.stderr))
      throw new Error(`the sf run failed: exit ${child.status}\n${child.stderr}`);
    const shownArgs = args.map((a) => (a === keyFile ? 'server.key' : a));
    const envPrefix = login.audienceUrl ? `SF_AUDIENCE_URL=${login.audienceUrl} ` : '';
    const text = `$ ${envPrefix}sf org login jwt ${shown(shownArgs)}\n${child.stderr}${child.stdout}`;
    // No machine path in a fixture: the key file by the name the command line shows, HOME and temp dirs by a stand-in.
    return text
      .split(keyFile)
      .join('server.key')
      .split(home)
      .join('/home/runner')
      .split(ROOT.replace(/\/$/, ''))
      .join('/home/runner/work/app')
      .split(tmpdir())
      .join('/tmp');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.endsWith('.log')) rmSync(join(OUT, f));
let count = 0;
const only = process.argv.slice(2);
for (const { name } of listScenarios()) {
  if (only.length > 0 && !only.includes(name)) continue;

  const sim = await startSimulator({ scenario: name });
  try {
    const login = sim.login;
    if (!login) continue;
    for (const json of [false, true]) {
      writeFileSync(join(OUT, `${name}${json ? '.json' : ''}.log`), runSf(login, sim.env, json));
      count++;
    }
    if (name === 'healthy-production') {
      // sf's own failures before any request: a key file that is not there, a certificate given as the key.
      writeFileSync(
        join(OUT, 'local-key-missing.log'),
        runSf(login, sim.env, false, join(tmpdir(), 'no-such-dir', 'server.key')),
      );
      const cert = mkdtempSync(join(tmpdir(), 'jwt-doctor-cert-'));
      try {
        const pem = readFileSync(login.keyFile, 'utf8');
        const { createPublicKey } = await import('node:crypto');
        writeFileSync(join(cert, 'server.key'), createPublicKey(pem).export({ type: 'spki', format: 'pem' }));
        writeFileSync(join(OUT, 'local-key-invalid.json.log'), runSf(login, sim.env, true, join(cert, 'server.key')));
      } finally {
        rmSync(cert, { recursive: true, force: true });
      }
      count += 2;
    }
  } finally {
    await sim.stop();
  }
}
process.stdout.write(`${count} logs written to test/fixtures/logs\n`);
