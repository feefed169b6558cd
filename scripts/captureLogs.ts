/*
 * Makes the --from-log fixtures (test/fixtures/logs/): for each scenario of the simulated org that has a login, runs
 * the REAL `sf org login jwt` — @salesforce/plugin-auth's command, loaded through its own oclif config and run in this
 * process as sf runs it — against the simulator, human and --json, and saves what it printed as a CI log shows it: the
 * command line, then stderr and stdout. The routing is the tests' (SF_JWT_DOCTOR_CONNECT_TO + the simulator's CA,
 * installed in this process as test/helpers/coreLogin.ts does for core's own login), so no packet leaves the machine.
 * Machine paths (the key file, HOME, the temp dir) are replaced, so the fixtures are the same on every machine. Plus
 * two logs of sf's local failures: a key file that does not exist, and a public key given as the key.
 *
 *   npm run fixtures:logs [-- scenario …]        (every scenario by default; about a second per login)
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { listScenarios, startSimulator, type Simulator } from '../simulator/index.js';
import { installConnectTo } from '../src/salesforce/connectTo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'test', 'fixtures', 'logs');
/** A login that has not ended by then is cut off: its fixture says so (and the script fails). */
const LIMIT_MS = 30_000;

type Login = NonNullable<Simulator['login']>;

// plugin-auth's main module is lib/index.js (its exports map hides package.json): the root is two levels up.
const AUTH_ROOT = dirname(dirname(createRequire(import.meta.url).resolve('@salesforce/plugin-auth')));
const config = await Config.load(AUTH_ROOT);
const core = await import('@salesforce/core');

function shown(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

type Write = typeof process.stdout.write;

/** One `sf org login jwt` in this process, with a fresh HOME and the simulator's routing: what it printed, in order. */
async function runSf(sim: Simulator, login: Login, json: boolean, keyFile = login.keyFile): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'jwt-doctor-capture-'));
  const args = ['--username', login.username, '--jwt-key-file', keyFile, '--client-id', login.clientId];
  if (login.instanceUrl) args.push('--instance-url', login.instanceUrl);
  if (json) args.push('--json');
  const savedEnv = { ...process.env };
  const savedWrites: [Write, Write] = [process.stdout.write, process.stderr.write];
  let output = '';
  const capture: Write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
  Object.assign(process.env, sim.env, {
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_DISABLE_LOG_FILE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    // Core resolves instance_url by DNS after a grant (polling for minutes): routed hosts must never reach DNS.
    SF_DISABLE_DNS_CHECK: 'true',
    SF_DOMAIN_RETRY: '0',
    NO_COLOR: '1',
  });
  if (login.audienceUrl) process.env.SF_AUDIENCE_URL = login.audienceUrl;
  else delete process.env.SF_AUDIENCE_URL;
  process.exitCode = undefined;
  const signals = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as const;
  const listeners = new Map(signals.map((s) => [s, process.listeners(s)]));
  let timer: NodeJS.Timeout | undefined;
  try {
    installConnectTo(process.env);
    // Each login starts as a new sf process would: no cached config, auth files or aliases of the previous HOME.
    core.ConfigAggregator.clearInstance();
    core.StateAggregator.clearInstance();
    process.stdout.write = capture;
    process.stderr.write = capture;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), LIMIT_MS);
    });
    const ran = await Promise.race([config.runCommand('org:login:jwt', args).then(() => 'done' as const), late]).catch(
      // SfCommand has printed the error (human on stderr, --json on stdout) and set process.exitCode.
      () => 'failed' as const,
    );
    if (ran === 'late') throw new Error(`the login did not end within ${LIMIT_MS} ms:\n${output}`);
  } finally {
    clearTimeout(timer);
    [process.stdout.write, process.stderr.write] = savedWrites;
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    process.exitCode = undefined;
    // SfCommand subscribes to signals and to core's warnings on every run; a process drops them when it ends.
    for (const s of signals)
      for (const l of process.listeners(s)) if (!listeners.get(s)!.includes(l)) process.off(s, l);
    core.Lifecycle.getInstance().removeAllListeners('warning');
    rmSync(home, { recursive: true, force: true });
  }
  const shownArgs = args.map((a) => (a === keyFile ? 'server.key' : a));
  const envPrefix = login.audienceUrl ? `SF_AUDIENCE_URL=${login.audienceUrl} ` : '';
  const text = `$ ${envPrefix}sf org login jwt ${shown(shownArgs)}\n${output}`;
  // No machine path in a fixture: the key file by the name the command line shows, HOME and temp dirs by a stand-in.
  return (
    text
      .split(keyFile)
      .join('server.key')
      .split(home)
      .join('/home/runner')
      .split(ROOT.replace(/\/$/, ''))
      .join('/home/runner/work/app')
      .split(tmpdir())
      .join('/tmp')
      // The frames of this script under sf's own in --json's stack (they would change with every edit of it).
      .replace(/\\n {4}at (?:async )?[^\\"]*captureLogs\.ts:\d+:\d+\)?/g, '')
      // The one value that changes per run (when core read the API version): a fixed stand-in keeps the fixtures stable.
      .replace(/("instanceApiVersionLastRetrieved": ")[^"]*"/g, '$11/1/2026, 12:00:00 PM"')
  );
}

mkdirSync(OUT, { recursive: true });
const only = process.argv.slice(2);
if (only.length === 0) for (const f of readdirSync(OUT)) if (f.endsWith('.txt')) rmSync(join(OUT, f));
let count = 0;
for (const { name } of listScenarios()) {
  if (only.length > 0 && !only.includes(name)) continue;
  const sim = await startSimulator({ scenario: name });
  try {
    const login = sim.login;
    if (!login) continue;
    for (const json of [false, true]) {
      const started = Date.now();
      writeFileSync(join(OUT, `${name}.${json ? 'json' : 'human'}.txt`), await runSf(sim, login, json));
      process.stderr.write(`${name}${json ? ' --json' : ''}: ${Date.now() - started} ms\n`);
      count++;
    }
    if (name === 'healthy-production') {
      // sf's own failures before any request: a key file that is not there, a public key given as the key.
      const missing = join(tmpdir(), 'no-such-dir', 'server.key');
      writeFileSync(join(OUT, 'local-key-missing.human.txt'), await runSf(sim, login, false, missing));
      const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-cert-'));
      try {
        const pub = createPublicKey(readFileSync(login.keyFile, 'utf8')).export({ type: 'spki', format: 'pem' });
        writeFileSync(join(dir, 'server.key'), pub);
        writeFileSync(join(OUT, 'local-key-invalid.json.txt'), await runSf(sim, login, true, join(dir, 'server.key')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      count += 2;
    }
  } finally {
    await sim.stop();
  }
}
process.stdout.write(`${count} logs written to test/fixtures/logs\n`);
