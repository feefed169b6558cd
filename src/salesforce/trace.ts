/*
 * --trace FILE: records every request and answer of the run (traceCapture.ts sees them all, on the one dispatcher)
 * and writes them, secrets removed and ids masked (traceFormat.ts), to the one file the user named, mode 0600.
 * The path is checked before the run starts, so a bad one is a usage error, not a lost run. Nothing is written
 * unless the flag was given.
 */
import { chmod, open, readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTraceSink, type RawExchange } from './traceCapture.js';
import { checkOutputPath, OutputFileError, reasonOf } from './outputFile.js';
import {
  cleanExchange,
  IdMasker,
  MASKING_NOTE,
  REMOVED_NOTE,
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceEntry,
  type TraceFile,
} from './traceFormat.js';
import { PACKAGE_VERSION } from '../packageInfo.js';
import { text } from '../doctor/text.js';

export class TraceFileError extends Error {
  public constructor(
    public readonly file: string,
    public readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'TraceFileError';
  }
}

/** Flags worth keeping with the trace, so a replay can be run with the same inputs (the key file by name only). */
const RUN_FLAGS = [
  'username',
  'client-id',
  'instance-url',
  'audience-url',
  'admin-org',
  'from-org',
  'sandbox',
  'offline',
  'timeout',
  'fix',
  'dry-run',
];

export type TraceSummary = { verdict: string; cause?: { code: string; confidence: string } | null };

export class TraceRecorder {
  private readonly entries: TraceEntry[] = [];
  private readonly masker = new IdMasker();
  private readonly started = Date.now();

  public get count(): number {
    return this.entries.length;
  }

  public add(exchange: RawExchange): void {
    this.entries.push(cleanExchange(exchange, this.masker, this.started, this.entries.length + 1));
  }

  public file(flags: Record<string, unknown> = {}, summary?: TraceSummary): TraceFile {
    const run: Record<string, string | boolean | number> = {};
    for (const name of RUN_FLAGS) {
      const v = flags[name];
      if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') run[name] = v;
    }
    if (typeof flags['jwt-key-file'] === 'string') run['jwt-key-file'] = basename(flags['jwt-key-file']);
    // In the order the requests were made (entries arrive as answers complete).
    const entries = [...this.entries]
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map((e, i) => ({ ...e, seq: i + 1 }));
    return {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      createdAt: new Date(this.started).toISOString(),
      tool: { name: 'sf org jwt doctor', version: PACKAGE_VERSION },
      run,
      ...(summary
        ? {
            result: {
              verdict: summary.verdict,
              cause: summary.cause?.code ?? null,
              confidence: summary.cause?.confidence ?? null,
            },
          }
        : {}),
      removed: REMOVED_NOTE,
      masking: MASKING_NOTE,
      entries,
    };
  }
}

export type TraceSession = {
  file: string;
  recorder: TraceRecorder;
  /** Stops recording and writes the file (mode 0600). Safe to call twice. */
  finish: (flags: Record<string, unknown>, summary?: TraceSummary, scrub?: (text: string) => string) => Promise<void>;
};

/**
 * Checks the path (writable, not a directory, not the key file or another file that is not a trace), creates the
 * file with mode 0600 and starts recording.
 */
export async function openTrace(file: string, protect: Array<string | undefined> = []): Promise<TraceSession> {
  // The checks every file the user asks for gets (outputFile.ts): not an input, not sf's state, not a link.
  const path = await checkOutputPath(file, protect).catch((error: unknown) => {
    throw error instanceof OutputFileError ? new TraceFileError(file, error.reason) : error;
  });
  const existing = await stat(path).catch(() => undefined);
  if (existing && existing.size > 0) {
    const head = await readFile(path, 'utf8')
      .then((t) => t.slice(0, 200))
      .catch(() => '');
    if (!head.includes(`"${TRACE_FORMAT}"`)) throw new TraceFileError(file, text('outputFile.notTraceFile'));
  }
  try {
    const handle = await open(path, 'w', 0o600);
    await handle.close();
    await chmod(path, 0o600);
  } catch (error) {
    throw new TraceFileError(file, reasonOf(error));
  }
  const recorder = new TraceRecorder();
  setTraceSink((exchange) => recorder.add(exchange));
  let finished = false;
  return {
    file,
    recorder,
    finish: async (flags, summary, scrub = (s: string): string => s): Promise<void> => {
      if (finished) return;
      finished = true;
      setTraceSink(undefined);
      const content = scrub(`${JSON.stringify(recorder.file(flags, summary), null, 1)}\n`);
      try {
        await writeFile(path, content, { encoding: 'utf8', mode: 0o600 });
        await chmod(path, 0o600);
      } catch (error) {
        throw new TraceFileError(file, reasonOf(error));
      }
    },
  };
}
