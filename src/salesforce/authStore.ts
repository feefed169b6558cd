/*
 * sf's local auth store, read-only (issue 13 point 2): which keychain @salesforce/core uses and the mode of the generic
 * one's key file (~/.sfdx/key.json), whether each stored login's encrypted fields decrypt with that keychain's key,
 * and the plain-text fields the store checks compare (instanceUrl, orgId, privateKey path).
 *
 * Decryption goes through core's own code: its keychain choice (crypto/keyChain retrieveKeychain), its Crypto class and
 * AuthInfoConfig's list of encrypted fields. Never a write: Crypto is given a keychain whose setPassword refuses (core
 * would otherwise create and store a new key when none is found), no file is opened for writing, no token is
 * refreshed, and a decrypted value is dropped at once — only "it decrypts" or core's error name leaves this module.
 * None of these is exported from core's index, so they are loaded by path as coreReadOnly.ts loads the keychains;
 * test/salesforce/authStore.test.ts fails if their shape changes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KeychainKeyMissing } from './coreReadOnly.js';
import { listStoredUsernames, readAliases, readStoredAuth, sfdxDir } from './storedAuth.js';

const require = createRequire(import.meta.url);

type Callback = (error: Error | null, password?: string) => void;
type Keychain = {
  getPassword: (opts: { service: string; account: string }, fn: Callback) => Promise<void> | void;
  setPassword: (opts: unknown, fn: (error: Error | null) => void) => Promise<void> | void;
};
type CryptoInstance = { decrypt(text: string): string | undefined; isEncrypted(text: string): boolean; close(): void };
type CryptoClass = { create(options: { keychain: Keychain; platform?: string }): Promise<CryptoInstance> };

/** 'generic-unix': ~/.sfdx/key.json with the mode check; 'generic-windows': the same file, no mode check; 'os': a native keychain. */
export type KeychainKind = 'generic-unix' | 'generic-windows' | 'os' | 'unknown';

export type KeychainFacts = {
  kind: KeychainKind;
  keyFileExists: boolean;
  /** The key file's permission bits (st_mode & 0o777), when it exists. */
  mode?: number;
};

/**
 * ok: every encrypted field decrypts; failed: core's decrypt refused one (another key made it); no-key: the keychain
 * has no key at all (core would make a new one, which cannot decrypt these); keychain-error: the keychain could not
 * be read (the key file's mode, a broken OS keychain); none: nothing in the file is encrypted.
 */
export type DecryptStatus = 'ok' | 'failed' | 'no-key' | 'keychain-error' | 'none';

export type StoredLoginFacts = {
  username: string;
  alias?: string;
  /** ~/.sfdx/<username>.json */
  authFileDisplay: string;
  isJwt: boolean;
  instanceUrl?: string;
  orgId?: string;
  privateKeyPath?: string;
  /** Names of the fields core stores encrypted (accessToken, refreshToken …): never their values. */
  encryptedFields: string[];
  decrypt: DecryptStatus;
  /** core's error name (AuthDecryptError, GenericKeychainInvalidPermsError …) when decrypt is not ok. */
  decryptError?: string;
};

export type AuthStoreFacts = {
  keychain: KeychainFacts;
  /** The stored logins asked about that have an auth file. */
  logins: StoredLoginFacts[];
  /** This machine's temporary directories and the CI runner's (RUNNER_TEMP, AGENT_TEMPDIRECTORY …). */
  tempRoots: string[];
  /** The home directory the store lives in (a key in the same temporary directory as the store dies with it). */
  home: string;
};

function coreLib(...parts: string[]): string {
  return join(dirname(require.resolve('@salesforce/core')), ...parts);
}

function coreCrypto(): CryptoClass {
  return (require(coreLib('crypto', 'crypto.js')) as { Crypto: CryptoClass }).Crypto;
}

function coreImpls(): Record<string, unknown> {
  return (require(coreLib('crypto', 'keyChainImpl.js')) as { keyChainImpl: Record<string, unknown> }).keyChainImpl;
}

/** core's own choice of keychain for this platform and environment (SF_USE_GENERIC_UNIX_KEYCHAIN, libsecret). */
async function coreKeychain(): Promise<Keychain | undefined> {
  try {
    const { retrieveKeychain } = require(coreLib('crypto', 'keyChain.js')) as {
      retrieveKeychain: (platform: string) => Promise<Keychain>;
    };
    return await retrieveKeychain(process.platform);
  } catch {
    return undefined;
  }
}

function kindOf(keychain: Keychain | undefined): KeychainKind {
  if (!keychain) return 'unknown';
  const impls = coreImpls();
  if (keychain === impls.generic_unix) return 'generic-unix';
  if (keychain === impls.generic_windows) return 'generic-windows';
  return 'os';
}

/** The same keychain, unable to store a key: reading is all the doctor may do (safety rules 2 and 7). */
function readOnly(keychain: Keychain): Keychain {
  return {
    getPassword: (opts, fn) => keychain.getPassword(opts, fn),
    setPassword: (_opts, fn) => fn(new KeychainKeyMissing()),
  };
}

function encryptedKeys(): RegExp[] {
  const mod = require(coreLib('config', 'authInfoConfig.js')) as { AuthInfoConfig?: { encryptedKeys?: RegExp[] } };
  return mod.AuthInfoConfig?.encryptedKeys ?? [/token/i, /password/i, /secret/i];
}

function rawAuth(home: string, username: string): Record<string, unknown> | undefined {
  try {
    const raw = JSON.parse(readFileSync(join(sfdxDir(home), `${username}.json`), 'utf8')) as unknown;
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorName(error: unknown): string {
  const e = error as { name?: string; code?: string };
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'Error');
}

/** The temporary directories of this machine and of common CI runners, from the environment. */
export function temporaryRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const roots = [
    tmpdir(),
    env.TMPDIR,
    env.TEMP,
    env.TMP,
    // GitHub Actions and Azure Pipelines (where secure files are downloaded).
    env.RUNNER_TEMP,
    env.AGENT_TEMPDIRECTORY,
    '/tmp',
    '/var/tmp',
    '/private/tmp',
  ];
  return [...new Set(roots.filter((r): r is string => Boolean(r?.trim())))];
}

type CryptoSession = { crypto?: CryptoInstance; error?: string; noKey?: boolean };

async function openCrypto(keychain: Keychain | undefined): Promise<CryptoSession> {
  if (!keychain) return { error: 'NoKeychain' };
  try {
    return { crypto: await coreCrypto().create({ keychain: readOnly(keychain), platform: process.platform }) };
  } catch (error) {
    if (error instanceof KeychainKeyMissing) return { noKey: true, error: 'PasswordNotFoundError' };
    return { error: errorName(error) };
  }
}

/**
 * Reads the store for these usernames (each one that has an auth file), without changing anything. `home` defaults to
 * os.homedir() at call time, as core's Global.DIR does.
 */
export async function readAuthStore(usernames: string[], home = homedir()): Promise<AuthStoreFacts> {
  const keyFile = join(sfdxDir(home), 'key.json');
  const keychain = await coreKeychain();
  const facts: AuthStoreFacts = {
    keychain: { kind: kindOf(keychain), keyFileExists: existsSync(keyFile) },
    logins: [],
    tempRoots: temporaryRoots(),
    home,
  };
  if (facts.keychain.keyFileExists) facts.keychain.mode = statSync(keyFile).mode & 0o777;
  const aliases = readAliases(home);
  const known = new Set(listStoredUsernames(home));
  const patterns = encryptedKeys();
  let session: CryptoSession | undefined;
  try {
    for (const username of [...new Set(usernames)].filter((u) => known.has(u))) {
      const stored = readStoredAuth(username, home);
      const raw = rawAuth(home, username) ?? {};
      const encrypted = Object.entries(raw).filter(
        (entry): entry is [string, string] =>
          typeof entry[1] === 'string' && entry[1] !== '' && patterns.some((re) => re.test(entry[0])),
      );
      const login: StoredLoginFacts = {
        username,
        alias: Object.keys(aliases).find((a) => aliases[a] === username),
        authFileDisplay: `~/.sfdx/${username}.json`,
        isJwt: stored.isJwt,
        instanceUrl: stored.instanceUrl,
        orgId: stored.orgId,
        privateKeyPath: stored.privateKeyPath,
        encryptedFields: [],
        decrypt: 'none',
      };
      if (encrypted.length > 0) {
        // eslint-disable-next-line no-await-in-loop -- one keychain read for all logins, opened on first need
        session ??= await openCrypto(keychain);
        const crypto = session.crypto;
        // Only values core itself would decrypt (its isEncrypted): plain values stay plain for core too.
        const sealed = crypto ? encrypted.filter(([, value]) => crypto.isEncrypted(value)) : encrypted;
        login.encryptedFields = sealed.map(([name]) => name);
        if (sealed.length > 0) {
          if (!crypto) {
            login.decrypt = session.noKey ? 'no-key' : 'keychain-error';
            login.decryptError = session.error;
          } else {
            login.decrypt = 'ok';
            for (const [, value] of sealed) {
              try {
                // The value is dropped here: the doctor never holds a token (safety rule 3).
                crypto.decrypt(value);
              } catch (error) {
                login.decrypt = 'failed';
                login.decryptError = errorName(error);
                break;
              }
            }
          }
        }
      }
      facts.logins.push(login);
    }
  } finally {
    session?.crypto?.close();
  }
  return facts;
}

/** readAuthStore for a diagnosis: a store that cannot be read at all leaves the store checks out, never the run. */
export async function readAuthStoreSafely(usernames: string[]): Promise<AuthStoreFacts | undefined> {
  try {
    return await readAuthStore(usernames);
  } catch {
    return undefined;
  }
}
