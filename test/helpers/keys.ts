/*
 * Key material for tests, made fresh in a temporary directory (never committed): RSA (PKCS#8 and PKCS#1), small RSA,
 * EC, encrypted, a certificate and a public key — the things users paste into --jwt-key-file.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export type TestKeys = {
  dir: string;
  pkcs8: string;
  body: string;
  privateKey: KeyObject;
  file(name: string, content: string | Buffer, mode?: number): string;
};

/** The base64 body of every private key the tests made, for the "no key material in any output" checks. */
export const PRIVATE_KEY_BODIES: string[] = [];

export function rsaPem(bits = 2048): { pkcs8: string; pkcs1: string; publicPem: string; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  PRIVATE_KEY_BODIES.push(pemBody(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()));
  PRIVATE_KEY_BODIES.push(pemBody(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()));
  return {
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
  };
}

export function certificatePem(privatePkcs8: string, options: { notAfter?: Date; notBefore?: Date } = {}): string {
  const key = forge.pki.privateKeyFromPem(privatePkcs8);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: 'jwt-doctor-test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** The base64 body of a PEM (what must never appear in any output). */
export function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

export function makeTestKeys(): TestKeys {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-keys-'));
  const rsa = rsaPem();
  const file = (name: string, content: string | Buffer, mode = 0o600): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode });
    return path;
  };
  file('server.key', rsa.pkcs8);
  return { dir, pkcs8: join(dir, 'server.key'), body: pemBody(rsa.pkcs8), privateKey: rsa.privateKey, file };
}

/** Distinctive slices of each key body: a leak of any 40-character run of a key shows up. */
export function leakedKeyMaterial(outputs: string[]): string[] {
  const text = outputs.join('\n').replace(/\s+/g, '');
  const leaks: string[] = [];
  for (const body of PRIVATE_KEY_BODIES) {
    for (let i = 64; i + 40 <= body.length; i += 200) {
      if (text.includes(body.slice(i, i + 40))) leaks.push(body.slice(i, i + 12));
    }
  }
  return leaks;
}
