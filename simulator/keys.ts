/*
 * Key material for scenarios. Scenarios name keys ("ci", "other"); the RSA pairs are generated on first use and
 * cached per process, because 2048-bit generation costs ~100 ms and a test run touches dozens of scenarios.
 */
import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export type NamedKey = { name: string; privateKeyPem: string; publicKey: KeyObject };

const keyCache = new Map<string, NamedKey>();

export function namedKey(name: string): NamedKey {
  const cached = keyCache.get(name);
  if (cached) return cached;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = { name, privateKeyPem, publicKey: createPublicKey(privateKey) };
  keyCache.set(name, key);
  return key;
}

export type CertificateSpec = {
  key: string;
  subject?: string;
  notBefore?: string;
  notAfter?: string;
  serial?: string;
};

const certCache = new Map<string, string>();

/** A self-signed X.509 certificate made from a named key, as a user uploads to a Connected App / ECA. */
export function selfSignedCertificate(spec: CertificateSpec): string {
  const cacheKey = JSON.stringify(spec);
  const cached = certCache.get(cacheKey);
  if (cached) return cached;
  const key = namedKey(spec.key);
  const privateKey = forge.pki.privateKeyFromPem(key.privateKeyPem);
  const publicKey = forge.pki.publicKeyFromPem(key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = spec.serial ?? '01';
  cert.validity.notBefore = new Date(spec.notBefore ?? '2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date(spec.notAfter ?? '2035-01-01T00:00:00Z');
  const attrs = [{ name: 'commonName', value: spec.subject ?? spec.key }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(privateKey, forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  certCache.set(cacheKey, pem);
  return pem;
}
