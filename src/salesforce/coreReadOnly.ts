/*
 * @salesforce/core writes sf state as a side effect of reading it: opening a stored authorization creates
 * ~/.sfdx/alias.json when it is missing (StateAggregator's alias accessor), and when no keychain key is found it makes
 * one and stores it (~/.sfdx/key.json, or the OS keychain) — only to fail decrypting the auth file with it. The doctor
 * persists nothing (DESIGN.md §2, safety rules 2 and 7), so while it opens the admin org's authorization:
 * - core gets a file system whose writes stay in memory (core's public seam, `@salesforce/core/fs` setFs), and
 * - core's keychains refuse to store a new key. This is the one core internal patched (lib/crypto/keyChainImpl's
 *   `setPassword`); test/reliability/stateFiles.test.ts fails if that module changes shape.
 */
import * as nodeFs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { text } from '../doctor/text.js';

const require = createRequire(import.meta.url);

type CoreFsModule = { fs: object; setFs: (fs: object) => void };
type KeychainImpl = { setPassword: (opts: unknown, fn: (error: Error | null) => void) => Promise<void> | void };
type WriteData = string | NodeJS.ArrayBufferView;

/** A keychain write core attempted: no key was found for the stored authorization. */
export class KeychainKeyMissing extends Error {
  public constructor() {
    super(text('keychain.keyMissing'));
    this.name = 'KeychainKeyMissing';
  }
}

function coreFsModule(): CoreFsModule {
  return require('@salesforce/core/fs') as CoreFsModule;
}

/** core's keychain implementations (generic_unix, generic_windows, darwin, linux): every object with a setPassword. */
export function coreKeychains(): Array<[string, KeychainImpl]> {
  const file = join(dirname(require.resolve('@salesforce/core')), 'crypto', 'keyChainImpl.js');
  const mod = require(file) as { keyChainImpl?: Record<string, unknown> };
  return Object.entries(mod.keyChainImpl ?? {}).filter(
    (entry): entry is [string, KeychainImpl] =>
      typeof (entry[1] as KeychainImpl | undefined)?.setPassword === 'function',
  );
}

/** node's fs for reads; writes kept in memory (read back from there by the same run), never on disk. */
function memoryWritesFs(): object {
  const written = new Map<string, WriteData>();
  const key = (path: unknown): string => resolve(String(path));
  const asText = (data: WriteData, encoding: unknown): string | Buffer => {
    const buffer =
      typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const enc = typeof encoding === 'string' ? encoding : (encoding as { encoding?: string } | undefined)?.encoding;
    return enc ? buffer.toString(enc as BufferEncoding) : buffer;
  };
  const noop = (): Promise<undefined> => Promise.resolve(undefined);
  const promises = {
    ...nodeFs.promises,
    writeFile: (file: unknown, data: WriteData): Promise<void> => {
      written.set(key(file), data);
      return Promise.resolve();
    },
    readFile: async (file: unknown, options?: unknown): Promise<string | Buffer> => {
      const data = written.get(key(file));
      return data === undefined
        ? nodeFs.promises.readFile(file as string, options as BufferEncoding)
        : asText(data, options);
    },
    mkdir: noop,
    appendFile: noop,
    rename: noop,
    unlink: noop,
    rm: noop,
    rmdir: noop,
    chmod: noop,
    copyFile: noop,
    utimes: noop,
  };
  return {
    ...nodeFs,
    promises,
    writeFileSync: (file: unknown, data: WriteData): void => {
      written.set(key(file), data);
    },
    readFileSync: (file: unknown, options?: unknown): string | Buffer => {
      const data = written.get(key(file));
      return data === undefined
        ? nodeFs.readFileSync(file as string, options as BufferEncoding)
        : asText(data, options);
    },
    existsSync: (file: unknown): boolean => written.has(key(file)) || nodeFs.existsSync(file as string),
    mkdirSync: (): undefined => undefined,
    appendFileSync: (): void => undefined,
    renameSync: (): void => undefined,
    unlinkSync: (): void => undefined,
    rmSync: (): void => undefined,
    chmodSync: (): void => undefined,
  };
}

/**
 * Runs `work` (opening an AuthInfo and its Connection) with core unable to change sf state on disk or in a keychain.
 * No request may run inside: the guard is process-wide while it lasts.
 */
export type WriteGuard = {
  /** Set when core tried to store a new keychain key: none was found. */ keychainRefused?: KeychainKeyMissing;
};

export async function withoutSfStateWrites<T>(work: (guard: WriteGuard) => Promise<T>): Promise<T> {
  const guard: WriteGuard = {};
  const core = coreFsModule();
  const savedFs = core.fs;
  const keychains = coreKeychains();
  const saved = keychains.map(([, impl]) => [impl, Object.getOwnPropertyDescriptor(impl, 'setPassword')] as const);
  core.setFs(memoryWritesFs());
  for (const [, impl] of keychains) {
    Object.defineProperty(impl, 'setPassword', {
      configurable: true,
      writable: true,
      value: (_opts: unknown, fn: (error: Error | null) => void): void => {
        guard.keychainRefused = new KeychainKeyMissing();
        fn(guard.keychainRefused);
      },
    });
  }
  try {
    return await work(guard);
  } finally {
    core.setFs(savedFs);
    for (const [impl, descriptor] of saved) {
      if (descriptor) Object.defineProperty(impl, 'setPassword', descriptor);
      else delete (impl as Partial<KeychainImpl>).setPassword;
    }
  }
}
