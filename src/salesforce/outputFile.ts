/*
 * A file the user asked the doctor to write (--report-file, --trace). The path is checked before the run: never one
 * of the run's input files (the key file, by path or as the same file under another name), never a file of sf's own
 * state (stored auth files, aliases, the keychain key, config under ~/.sf and ~/.sfdx), never a symbolic link (lstat:
 * a link is not followed, wherever it points), never a directory, and its directory must exist. The file is written
 * with mode 0600 without following a link (O_NOFOLLOW), created exclusively (O_EXCL) when new; an existing regular
 * file is checked again through its open handle before it is truncated.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { text } from '../doctor/text.js';

export class OutputFileError extends Error {
  public constructor(
    public readonly file: string,
    public readonly reason: string,
    public readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'OutputFileError';
  }
}

/** An errno in words (the code kept in brackets for a search). */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  // The messages (org.jwt.doctor.md) that say each errno in words.
  const words: Record<string, string> = {
    ENOENT: 'outputFile.noDirectory',
    ENOTDIR: 'outputFile.notDirectory',
    EACCES: 'outputFile.permissionDenied',
    EPERM: 'outputFile.permissionDenied',
    EISDIR: 'outputFile.isDirectory',
    EROFS: 'outputFile.readOnly',
    ENOSPC: 'outputFile.diskFull',
    EDQUOT: 'outputFile.quotaExceeded',
    ELOOP: 'outputFile.symbolicLink',
    ENAMETOOLONG: 'outputFile.nameTooLong',
    EIO: 'outputFile.ioError',
  };
  if (code && words[code]) return `${text(words[code])} (${code})`;
  return (error as Error).message.split('\n')[0];
}

/** The path with its directory's links resolved (the file itself is not followed), or as given if that fails. */
async function realParent(path: string): Promise<string> {
  try {
    return join(await realpath(dirname(path)), basename(path));
  } catch {
    return path;
  }
}

function sfStateDirs(): string[] {
  const home = homedir();
  return [join(home, '.sf'), join(home, '.sfdx')];
}

async function sameFile(a: { dev: number; ino: number }, inputs: string[]): Promise<boolean> {
  for (const input of inputs) {
    // eslint-disable-next-line no-await-in-loop -- a handful of input files
    const s = await stat(input).catch(() => undefined);
    if (s?.dev === a.dev && s?.ino === a.ino) return true;
  }
  return false;
}

/**
 * Checks a path to write before anything runs; returns it resolved. `inputs` are the run's input files (the key
 * file, another output file of the run).
 */
export async function checkOutputPath(file: string, inputs: Array<string | undefined>): Promise<string> {
  const path = resolve(file);
  const given = inputs.filter((p): p is string => Boolean(p)).map((p) => resolve(p));
  const real = await realParent(path);
  const realInputs = await Promise.all(given.map(realParent));
  if (given.includes(path) || realInputs.includes(real)) throw new OutputFileError(file, text('outputFile.inputFile'));
  const states = await Promise.all(sfStateDirs().map(async (d) => realpath(d).catch(() => d)));
  if ([...sfStateDirs(), ...states].some((d) => path.startsWith(d + sep) || real.startsWith(d + sep))) {
    throw new OutputFileError(file, text('outputFile.sfStateDirectory'));
  }
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new OutputFileError(file, reasonOf(error), error.code);
  });
  if (existing?.isSymbolicLink()) throw new OutputFileError(file, text('outputFile.symbolicLink'), 'ELOOP');
  if (existing?.isDirectory()) throw new OutputFileError(file, text('outputFile.isDirectory'), 'EISDIR');
  if (existing && !existing.isFile()) throw new OutputFileError(file, text('outputFile.notRegular'));
  if (existing && (await sameFile(existing, given))) throw new OutputFileError(file, text('outputFile.inputFile'));
  const dir = await stat(dirname(path)).catch((error: NodeJS.ErrnoException) => {
    throw new OutputFileError(file, reasonOf(error), error.code);
  });
  if (!dir.isDirectory()) throw new OutputFileError(file, text('outputFile.notDirectory'), 'ENOTDIR');
  return path;
}

/** Opens the checked path for writing, mode 0600, never through a link, never an input file; truncates it. */
async function openForWrite(path: string, file: string, inputs: string[]): Promise<FileHandle> {
  const noFollow = constants.O_NOFOLLOW ?? 0;
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
    return handle;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // It exists: opened without truncating, checked through the handle (the very file that will be written), then cut.
  handle = await open(path, constants.O_WRONLY | noFollow);
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new OutputFileError(file, text('outputFile.notRegular'));
    if (await sameFile(s, inputs)) throw new OutputFileError(file, text('outputFile.inputFile'));
    await handle.chmod(0o600);
    await handle.truncate(0);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Writes the text to a path checkOutputPath accepted. Errors are OutputFileErrors with the errno in words. */
export async function writeOutputFile(file: string, content: string, inputs: Array<string | undefined>): Promise<void> {
  const path = resolve(file);
  const given = inputs.filter((p): p is string => Boolean(p)).map((p) => resolve(p));
  try {
    const handle = await openForWrite(path, file, given);
    try {
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof OutputFileError) throw error;
    throw new OutputFileError(file, reasonOf(error), (error as NodeJS.ErrnoException).code);
  }
}
