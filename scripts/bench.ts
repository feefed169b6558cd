/*
 * `npm run bench`: the doctor's speed as ratios, measured in one run against the simulated org with injected latency
 * (every request waits LATENCY_MS before the org answers). A benchmark, not a test: it prints a table
 *   metric | measured | goal | holds
 * and exits 0 whatever the figures are. Every process is started the way a user starts it (node + bin/run.js, a fresh
 * temporary HOME); each figure is the median of a few repetitions, run interleaved so drift hits both sides.
 *
 *   (a) full diagnosis (`bin/run.js org jwt doctor`, child process incl. start-up) vs @salesforce/core's own failing
 *       JWT login (AuthInfo.create with oauth2Options in a child process incl. start-up, routed like the doctor)
 *   (b) round-trip depth of the token probe (a failing login; a working one, which also makes sf's first API call and
 *       revokes the token), and of a full --admin-org diagnosis (from the simulator's request log)
 *   (c) --admin-org diagnosis of large-org vs healthy-production
 *   (d) `--all` over 50 stored JWT logins vs over 1
 *   (e) cold start: `org jwt doctor --help` vs `bin/run.js --version`
 *
 * Options (env): BENCH_REPS (default 5), BENCH_LATENCY_MS (default 100).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSimulator } from '../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../test/helpers/adminOrg.js';
import { roundTripDepth } from '../test/helpers/roundTrips.js';
import { sfLoginArgs as loginFlags } from '../test/helpers/loginArgs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN = join(ROOT, 'bin', 'run.js');
const REPS = Number(process.env.BENCH_REPS ?? 5);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const FAILING = 'self-authorize-never-approved';
const scratch = mkdtempSync(join(tmpdir(), 'jwt-doctor-bench-'));

type Timed = { ms: number; code: number | null; stdout: string; stderr: string };

function baseEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    NO_COLOR: '1',
    ...KEYCHAIN_ENV,
    ...extra,
  };
}

let homes = 0;
function freshHome(): string {
  const home = join(scratch, `home-${++homes}`);
  mkdirSync(home, { recursive: true });
  return home;
}

/** Wall time of a child process from spawn to exit (stdio fully read). */
function timeChild(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Timed> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr });
    });
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The child that runs @salesforce/core's own JWT login, the code path of `sf org login jwt` (plain ESM, no tsx). */
function coreLoginScript(): string {
  const file = join(scratch, 'core-login.mjs');
  const core = pathToFileURL(join(ROOT, 'node_modules', '@salesforce', 'core', 'lib', 'index.js')).href;
  const connectTo = pathToFileURL(join(ROOT, 'lib', 'salesforce', 'connectTo.js')).href;
  writeFileSync(
    file,
    `const { installConnectTo } = await import(${JSON.stringify(connectTo)});
installConnectTo(process.env);
const { AuthInfo } = await import(${JSON.stringify(core)});
const [username, clientId, privateKeyFile, instanceUrl] = process.argv.slice(2);
try {
  await AuthInfo.create({ username, oauth2Options: { clientId, privateKeyFile, loginUrl: instanceUrl ? new URL(instanceUrl).href : undefined } });
  process.stdout.write('login ok\\n');
} catch (e) {
  process.stdout.write(e.name + ': ' + String(e.message).split('\\n')[0] + '\\n');
  process.exitCode = 1;
}
`,
  );
  return file;
}

type Row = { metric: string; measured: string; goal: string; holds: string; note?: string };
const rows: Row[] = [];
const ratio = (x: number): string => `${x.toFixed(2)}×`;
const holds = (ok: boolean): string => (ok ? 'yes' : 'NO');

async function benchVersusCore(): Promise<void> {
  const sim = await startSimulator({ scenario: FAILING, latencyMs: LATENCY_MS });
  try {
    const script = coreLoginScript();
    const l = sim.login!;
    const simEnv = { ...sim.env, SF_DISABLE_DNS_CHECK: 'true', SF_DOMAIN_RETRY: '0' };
    const doctor: number[] = [];
    const core: number[] = [];
    let coreRequests = 0;
    let doctorRequests = 0;
    let doctorDepth = 0;
    for (let i = 0; i < REPS; i++) {
      sim.clearLog();
      const c = await timeChild(
        [script, l.username, l.clientId, l.keyFile, l.instanceUrl ?? ''],
        baseEnv(freshHome(), simEnv),
      );
      if (c.code === 0) throw new Error(`core's login unexpectedly worked in ${FAILING}`);
      core.push(c.ms);
      coreRequests = sim.requests.length;
      sim.clearLog();
      const d = await timeChild(
        [RUN, 'org', 'jwt', 'doctor', ...loginFlags(sim), '--json'],
        baseEnv(freshHome(), simEnv),
      );
      if (d.code !== 1) throw new Error(`doctor exit ${d.code}: ${d.stdout.slice(0, 600)} ${d.stderr.slice(0, 500)}`);
      doctor.push(d.ms);
      doctorRequests = sim.requests.length;
      doctorDepth = roundTripDepth(sim.requests);
    }
    const r = median(doctor) / median(core);
    rows.push({
      metric: `(a) full diagnosis vs core's failing JWT login (${FAILING})`,
      measured: `${ratio(r)} (${median(doctor).toFixed(0)} ms vs ${median(core).toFixed(0)} ms)`,
      goal: '≤ 1.0',
      holds: holds(r <= 1.0),
      note: `both child processes incl. start-up; doctor ${doctorRequests} requests, core ${coreRequests} requests, one after another`,
    });
    rows.push({
      metric: '(b) round-trip depth of the token probe',
      measured: String(doctorDepth),
      goal: '≤ 2',
      holds: holds(doctorDepth <= 2),
      note: `${doctorRequests} token requests`,
    });
  } finally {
    await sim.stop();
  }
}

/** (b) for a login that works: token, sf's first API call, revoke — at most one round trip more than a failing one. */
async function benchWorkingProbe(): Promise<void> {
  const sim = await startSimulator({ scenario: 'healthy-production', latencyMs: LATENCY_MS });
  try {
    const d = await timeChild(
      [RUN, 'org', 'jwt', 'doctor', ...loginFlags(sim), '--json'],
      baseEnv(freshHome(), sim.env),
    );
    if (d.code !== 0) throw new Error(`doctor exit ${d.code} on healthy-production: ${d.stderr.slice(0, 500)}`);
    const depth = roundTripDepth(sim.requests);
    const revokes = sim.requests.filter((r) => r.revoke === 'access-token').length;
    rows.push({
      metric: '(b) round-trip depth of the token probe, working login (use + revoke)',
      measured: String(depth),
      goal: '≤ 3',
      holds: holds(depth <= 3),
      note: `${sim.requests.length} requests, ${revokes} revoke(s)`,
    });
  } finally {
    await sim.stop();
  }
}

type AdminRuns = { ms: number[]; depth: number; requests: number; verdict?: string };

/** An --admin-org run of a scenario, ready to repeat: the simulator and the stored admin login stay up between runs. */
async function adminRunner(
  scenario: string,
): Promise<{ runs: AdminRuns; once(): Promise<void>; close(): Promise<void> }> {
  const sim = await startSimulator({ scenario, latencyMs: LATENCY_MS });
  const home = freshHome();
  await storeAdminAuth(sim, home, { alias: 'admin' });
  const runs: AdminRuns = { ms: [], depth: 0, requests: 0 };
  return {
    runs,
    async once(): Promise<void> {
      sim.clearLog();
      const d = await timeChild(
        [RUN, 'org', 'jwt', 'doctor', ...loginFlags(sim), '--admin-org', 'admin', '--json', '--timeout', '120'],
        baseEnv(home, sim.env),
        home,
      );
      if (d.code === null || d.code === 2)
        throw new Error(`doctor --admin-org (${scenario}) exit ${d.code}: ${d.stderr.slice(0, 500)}`);
      runs.ms.push(d.ms);
      runs.depth = roundTripDepth(sim.requests);
      runs.requests = sim.requests.length;
      runs.verdict = (JSON.parse(d.stdout) as { result?: { verdict?: string } }).result?.verdict;
    },
    async close(): Promise<void> {
      rmSync(home, { recursive: true, force: true });
      await sim.stop();
    },
  };
}

/** Each runner `reps` times, interleaved so drift on a shared machine hits every side alike. */
async function adminRuns(scenarios: string[], reps: number): Promise<AdminRuns[]> {
  const runners = await Promise.all(scenarios.map((s) => adminRunner(s)));
  try {
    for (let i = 0; i < reps; i++) for (const r of runners) await r.once();
    return runners.map((r) => r.runs);
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
}

async function benchAdmin(): Promise<void> {
  const [failing] = await adminRuns([FAILING], 1);
  rows.push({
    metric: `(b) round-trip depth of a full --admin-org diagnosis (${FAILING})`,
    measured: String(failing.depth),
    goal: '≤ 4',
    holds: holds(failing.depth <= 4),
    note: `${failing.requests} requests, verdict ${failing.verdict}`,
  });
  const [small, large] = await adminRuns(['healthy-production', 'large-org'], REPS);
  const r = median(large.ms) / median(small.ms);
  rows.push({
    metric: '(c) large-org vs healthy-production (--admin-org)',
    measured: `${ratio(r)} (${median(large.ms).toFixed(0)} ms vs ${median(small.ms).toFixed(0)} ms)`,
    goal: '≤ 1.5',
    holds: holds(r <= 1.5),
    note: `depth ${large.depth} vs ${small.depth}, ${large.requests} vs ${small.requests} requests`,
  });
}

async function benchFleet(hasAll: boolean): Promise<void> {
  if (!hasAll) {
    rows.push({ metric: '(d) fleet of 50 vs one (--all)', measured: 'n/a (not built yet)', goal: '≤ 3', holds: '–' });
    return;
  }
  const sim = await startSimulator({ scenario: 'healthy-production', latencyMs: LATENCY_MS });
  try {
    const l = sim.login!;
    const url = l.instanceUrl!;
    const fleetHome = (n: number): string => {
      const home = freshHome();
      mkdirSync(join(home, '.sfdx'), { recursive: true });
      const store = (username: string): void =>
        writeFileSync(
          join(home, '.sfdx', `${username}.json`),
          JSON.stringify({
            username,
            clientId: l.clientId,
            privateKey: l.keyFile,
            loginUrl: url,
            instanceUrl: url,
            orgId: '00D000000000001AAA',
          }),
          { mode: 0o600 },
        );
      store(l.username);
      for (let i = 1; i < n; i++) store(`ci${String(i).padStart(2, '0')}@acme.com`);
      return home;
    };
    const one = fleetHome(1);
    const fifty = fleetHome(50);
    const t1: number[] = [];
    const t50: number[] = [];
    let requests50 = 0;
    for (let i = 0; i < Math.max(3, Math.ceil(REPS / 2)); i++) {
      sim.clearLog();
      const a = await timeChild([RUN, 'org', 'jwt', 'doctor', '--all', '--json'], baseEnv(one, sim.env), one);
      if (a.code === null || a.code === 2) throw new Error(`--all (1) exit ${a.code}: ${a.stderr.slice(0, 300)}`);
      t1.push(a.ms);
      sim.clearLog();
      const b = await timeChild([RUN, 'org', 'jwt', 'doctor', '--all', '--json'], baseEnv(fifty, sim.env), fifty);
      if (b.code === null || b.code === 2) throw new Error(`--all (50) exit ${b.code}: ${b.stderr.slice(0, 300)}`);
      t50.push(b.ms);
      requests50 = sim.requests.length;
    }
    const r = median(t50) / median(t1);
    rows.push({
      metric: '(d) fleet of 50 vs one (--all)',
      measured: `${ratio(r)} (${median(t50).toFixed(0)} ms vs ${median(t1).toFixed(0)} ms)`,
      goal: '≤ 3',
      holds: holds(r <= 3),
      note: `50 stored JWT logins (1 working, 49 unknown users, ${requests50} requests) vs the working one alone`,
    });
  } finally {
    await sim.stop();
  }
}

async function benchColdStart(): Promise<void> {
  const help: number[] = [];
  const version: number[] = [];
  const home = freshHome();
  // One warm-up each (file system cache), then interleaved.
  await timeChild([RUN, '--version'], baseEnv(home));
  await timeChild([RUN, 'org', 'jwt', 'doctor', '--help'], baseEnv(home));
  for (let i = 0; i < Math.max(5, REPS + 2); i++) {
    version.push((await timeChild([RUN, '--version'], baseEnv(home))).ms);
    help.push((await timeChild([RUN, 'org', 'jwt', 'doctor', '--help'], baseEnv(home))).ms);
  }
  const r = median(help) / median(version);
  rows.push({
    metric: '(e) cold start: `org jwt doctor --help` vs `--version`',
    measured: `${ratio(r)} (${median(help).toFixed(0)} ms vs ${median(version).toFixed(0)} ms)`,
    goal: '≤ 1.3',
    holds: holds(r <= 1.3),
  });
}

function printTable(): void {
  const header: Row = { metric: 'metric', measured: 'measured', goal: 'goal', holds: 'holds' };
  const cols: Array<keyof Row> = ['metric', 'measured', 'goal', 'holds'];
  const width = Object.fromEntries(
    cols.map((c) => [c, Math.max(...[header, ...rows].map((r) => String(r[c]).length))]),
  ) as Record<keyof Row, number>;
  const line = (r: Row): string => `| ${cols.map((c) => String(r[c]).padEnd(width[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${cols.map((c) => '-'.repeat(width[c] + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log('');
  for (const r of rows) if (r.note) console.log(`${r.metric.split(' ')[0]} ${r.note}`);
}

const help = spawnSync(process.execPath, [RUN, 'org', 'jwt', 'doctor', '--help'], {
  env: baseEnv(freshHome()),
  encoding: 'utf8',
}).stdout;
// The flag has existed from the start; the org inspector behind it is what (b)/(c) measure.
const hasAll = /--all\b/.test(help);
const started = Date.now();
console.log(
  `jwt-doctor bench: node ${process.version}, ${REPS} repetitions, ${LATENCY_MS} ms injected latency per request, ${new Date().toISOString().slice(0, 10)}\n`,
);
try {
  await benchVersusCore();
  await benchWorkingProbe();
  await benchAdmin();
  await benchFleet(hasAll);
  await benchColdStart();
  printTable();
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
