/*
 * Runs the real command (`bin/run.js org jwt doctor`, compiled) in a child process, the way a user or a pipeline
 * does, with a temporary HOME, and captures stdout, stderr and the exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JwtDoctorResult } from '../../src/doctor/types.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN = join(ROOT, 'bin', 'run.js');

export type CliRun = {
  code: number | null;
  stdout: string;
  stderr: string;
  json?: { status: number; result: JwtDoctorResult; warnings: unknown[]; name?: string; message?: string; exitCode?: number };
};

/** Every run of the suite, so the secrets test can grep all of them. */
export const ALL_RUNS: CliRun[] = [];

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'jwt-doctor-home-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function runDoctor(
  args: string[],
  options: { env?: Record<string, string | undefined>; home?: string; cwd?: string; timeoutMs?: number } = {}
): Promise<CliRun> {
  const home = options.home ?? tempHome();
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    NO_COLOR: '1',
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [RUN, 'org', 'jwt', 'doctor', ...args], {
    cwd: options.cwd ?? home,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  if (!options.home) removeDir(home);
  const run: CliRun = { code, stdout, stderr };
  if (args.includes('--json')) {
    try {
      run.json = JSON.parse(stdout) as CliRun['json'];
    } catch {
      run.json = undefined;
    }
  }
  ALL_RUNS.push(run);
  return run;
}
