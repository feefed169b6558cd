/*
 * Runs `sf org jwt doctor` for the tests, with a temporary HOME, and captures stdout, stderr and the exit code.
 *
 * Two tiers (README, "Test tiers"):
 * - `runInProcess`: the integration tier. The real command class (oclif parse, SfCommand envelope, the engine, the
 *   renderer) runs in this process with the environment, HOME and working directory it would have as a child process;
 *   the exit code is what oclif's own error handler would set. Milliseconds instead of a 1–3 s Node start.
 * - `runDoctorProcess`: the NUT tier (test/nuts/). `bin/run.js` as a child process, for what only a process shows:
 *   the Node re-exec, signals, the sf doctor hook, real exit codes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import type { JwtDoctorResult } from '../../src/doctor/types.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN = join(ROOT, 'bin', 'run.js');

export type CliRun = {
  code: number | null;
  /** How long the run itself took (in-process runs wait their turn first: that wait is not counted). */
  ms: number;
  stdout: string;
  stderr: string;
  json?: {
    status: number;
    result: JwtDoctorResult;
    warnings: unknown[];
    name?: string;
    message?: string;
    exitCode?: number;
  };
};

export type RunOptions = {
  env?: Record<string, string | undefined>;
  home?: string;
  cwd?: string;
  timeoutMs?: number;
  /** In-process only: stdin is a terminal, so --fix may prompt (stub SfCommand.prototype.confirm to answer). */
  stdinTty?: boolean;
  /** In-process only: what the command reads from stdin (`--from-log -`), then end of input. */
  stdin?: string;
  /** NUT tier only: the child process, once started (to send it a signal). */
  onSpawn?: (child: ChildProcess) => void;
};

/** Every run of this mocha process, so the secrets check (test/helpers/rootHooks.ts) can grep all of them. */
export const ALL_RUNS: CliRun[] = [];

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'jwt-doctor-home-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The environment a run gets: nothing of the test process leaks in but PATH. */
function runEnv(home: string, extra: RunOptions['env']): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    NO_COLOR: '1',
    ...extra,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env as Record<string, string>;
}

function withJson(args: string[], run: CliRun): CliRun {
  if (args.includes('--json')) {
    try {
      run.json = JSON.parse(run.stdout) as CliRun['json'];
    } catch {
      run.json = undefined;
    }
  }
  ALL_RUNS.push(run);
  return run;
}

// ---------------------------------------------------------------------------------------------------------------------
// In-process (integration tier)

type OclifConfig = import('@oclif/core').Config;
let config: Promise<OclifConfig> | undefined;
/** In-process work that sets process-wide state (env, cwd, stdout, the routing): one at a time, in call order. */
let queue: Promise<unknown> = Promise.resolve();

export function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const job = queue.then(async () => {
    // The routing is process-wide (undici's global dispatcher, jsforce's): what a run installs ends with it.
    const saved = getGlobalDispatcher();
    try {
      return await work();
    } finally {
      setGlobalDispatcher(saved);
      (
        createRequire(import.meta.url)('@jsforce/jsforce-node/lib/request') as { setDispatcher(d: Dispatcher): void }
      ).setDispatcher(saved);
    }
  });
  queue = job.catch(() => undefined);
  return job;
}

export function runInProcess(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return exclusive(() => runNow(args, options));
}

type Write = typeof process.stdout.write;

async function runNow(args: string[], options: RunOptions): Promise<CliRun> {
  const home = options.home ?? tempHome();
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedWrites: [Write, Write] = [process.stdout.write, process.stderr.write];
  const savedExitCode = process.exitCode;
  const signals = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as const;
  const listeners = new Map(signals.map((s) => [s, process.listeners(s)]));
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void): Write =>
    (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      append(
        typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            ),
      );
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') (done as () => void)();
      return true;
    };

  for (const key of Object.keys(process.env)) delete process.env[key];
  // core's root Logger lives as long as the process and keeps the first HOME's log file: in-process runs log to
  // memory (the NUTs check the log files a process writes).
  Object.assign(process.env, runEnv(home, options.env), { SF_DISABLE_LOG_FILE: 'true' });
  process.chdir(options.cwd ?? home);
  process.exitCode = undefined;
  const started = Date.now();
  // A child process started with stdin 'ignore' has no terminal to prompt on.
  const stdinTty = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
  Object.defineProperty(process.stdin, 'isTTY', {
    value: options.stdinTty ? true : undefined,
    configurable: true,
    writable: true,
  });
  // process.stdin is a configurable getter: the run reads the given text instead, as a child's piped stdin.
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, 'stdin');
  if (options.stdin !== undefined) {
    Object.defineProperty(process, 'stdin', {
      value: Object.assign(Readable.from([Buffer.from(options.stdin)]), { isTTY: undefined }),
      configurable: true,
      writable: true,
    });
  }
  process.stdout.write = capture((t) => (stdout += t));
  process.stderr.write = capture((t) => (stderr += t));
  let code: number;
  try {
    // Imported, not required: the ESM module graph bin/run.js loads. (mocha requires test files through tsx's CJS hook,
    // so a test's static imports of src/ are other module instances than the command's.)
    const [{ default: OrgJwtDoctor }, { Config }] = await Promise.all([
      import('../../src/commands/org/jwt/doctor.js'),
      import('@oclif/core'),
    ]);
    config ??= Config.load(ROOT);
    await withDeadline(OrgJwtDoctor.run(args, await config), options.timeoutMs ?? 60_000);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    code = await exitCodeOf(error);
  } finally {
    [process.stdout.write, process.stderr.write] = savedWrites;
    if (options.stdin !== undefined && stdinDescriptor) Object.defineProperty(process, 'stdin', stdinDescriptor);
    if (stdinTty) Object.defineProperty(process.stdin, 'isTTY', stdinTty);
    else delete (process.stdin as { isTTY?: boolean }).isTTY;
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    process.exitCode = savedExitCode;
    // SfCommand subscribes to signals and to core's warnings on every run; a process drops them when it ends.
    for (const s of signals)
      for (const l of process.listeners(s)) if (!listeners.get(s)!.includes(l)) process.off(s, l);
    const { Lifecycle } = await import('@salesforce/core');
    Lifecycle.getInstance().removeAllListeners('warning');
    if (!options.home) removeDir(home);
  }
  return withJson(args, { code, ms: Date.now() - started, stdout, stderr });
}

/** A run that outlives its deadline fails the test, as the killed child process did (code null). */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the run did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What `bin/run.js` would exit with: oclif's handler prints what SfCommand did not, then exits with the error's code. */
async function exitCodeOf(error: unknown): Promise<number> {
  const err = error as Error & { oclif?: { exit?: number }; skipOclifErrorHandling?: boolean; code?: string };
  const { Errors } = await import('@oclif/core');
  if (err instanceof Errors.ExitError) return err.oclif?.exit ?? 0;
  if (!err.skipOclifErrorHandling) process.stderr.write(`${err.stack ?? err.message}\n`);
  return err.oclif?.exit ?? (typeof process.exitCode === 'number' ? process.exitCode : 1);
}

// ---------------------------------------------------------------------------------------------------------------------
// Child process (NUT tier)

/** When set, each process start appends a line to this file: the suite's count of CLI processes (README). */
const START_LOG = process.env.JWT_DOCTOR_CLI_START_LOG;

export function noteProcessStart(what: string): void {
  if (START_LOG) appendFileSync(START_LOG, `${what}\n`);
}

export async function runDoctorProcess(args: string[], options: RunOptions = {}): Promise<CliRun> {
  const home = options.home ?? tempHome();
  const started = Date.now();
  noteProcessStart(`org jwt doctor ${args.join(' ')}`);
  const child = spawn(process.execPath, [RUN, 'org', 'jwt', 'doctor', ...args], {
    cwd: options.cwd ?? home,
    env: runEnv(home, options.env) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  if (!options.home) removeDir(home);
  return withJson(args, { code, ms: Date.now() - started, stdout, stderr });
}
