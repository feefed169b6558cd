/*
 * Key material for the key tests, generated per run (never committed): every shape users hand to --jwt-key-file,
 * written on demand into a fresh temporary directory.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export type KeySet = {
  privateKey: KeyObject;
  pkcs1: string;
  pkcs8: string;
  publicPem: string;
  certificate: string;
  small: string;
  ec: string;
  ed25519: string;
  rsaPss: string;
  encryptedPkcs8: string;
  encryptedPkcs1: string;
};

let cached: KeySet | undefined;

function certificateFor(pkcs8: string): string {
  const key = forge.pki.privateKeyFromPem(pkcs8);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: 'jwt-doctor-test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** One set per test process: RSA generation is the slow part. */
export function keys(): KeySet {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  cached = {
    privateKey,
    pkcs8,
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    certificate: certificateFor(pkcs8),
    small: generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString(),
    ec: generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'sec1', format: 'pem' })
      .toString(),
    ed25519: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    rsaPss: generateKeyPairSync('rsa-pss', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    encryptedPkcs8: privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test' })
      .toString(),
    encryptedPkcs1: privateKey
      .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test' })
      .toString(),
  };
  return cached;
}

/** The base64 body of a PEM: what must never appear in any output. */
export function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

/** A fragment long enough to be unmistakable, short enough to catch partial leaks. */
export function bodyFragments(pem: string): string[] {
  const body = pemBody(pem);
  // Skip the ASN.1 prefix every key of a type shares; short (EC, Ed25519) bodies only have a little to skip.
  const skip = body.length > 200 ? 64 : 10;
  const size = Math.min(40, body.length - 2 * skip);
  return [body.slice(skip, skip + size), body.slice(-skip - size, -skip)];
}

export type TempDir = {
  dir: string;
  file(name: string, content: string | Buffer, mode?: number): string;
  remove(): void;
};

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-local-'));
  return {
    dir,
    file(name, content, mode = 0o600) {
      const path = join(dir, name);
      writeFileSync(path, content, { mode });
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
