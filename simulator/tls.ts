/*
 * A locally made CA and the server certificates it signs. One CA per process (trusted through NODE_EXTRA_CA_CERTS),
 * plus a second, untrusted CA for the tls-untrusted fault. Keys come from keys.ts so they are generated once.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import forge from 'node-forge';
import { namedKey } from './keys.js';

type Ca = { certPem: string; cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };

const cas = new Map<string, Ca>();

function forgeKey(name: string): { priv: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const k = namedKey(name);
  return {
    priv: forge.pki.privateKeyFromPem(k.privateKeyPem) as forge.pki.rsa.PrivateKey,
    pub: forge.pki.publicKeyFromPem(k.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

/** `trusted` is the CA the simulator publishes; `rogue` signs certificates nobody trusts. */
export function certificateAuthority(kind: 'trusted' | 'rogue' = 'trusted'): Ca {
  const cached = cas.get(kind);
  if (cached) return cached;
  const { priv, pub } = forgeKey(`sim-ca-${kind}`);
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  cert.serialNumber = kind === 'trusted' ? '0a' : '0b';
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600_000);
  const attrs = [
    { name: 'commonName', value: `jwt-doctor simulator ${kind} CA` },
    { name: 'organizationName', value: 'sf org jwt doctor (local test CA)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(priv, forge.md.sha256.create());
  const ca = { certPem: forge.pki.certificateToPem(cert), cert, key: priv };
  cas.set(kind, ca);
  return ca;
}

export type LeafOptions = { ca?: 'trusted' | 'rogue'; expired?: boolean };

const leafCache = new Map<string, { certPem: string; keyPem: string }>();

/** A server certificate for `hosts` (DNS SANs, plus IP 127.0.0.1) signed by the chosen CA. */
export function serverCertificate(hosts: string[], options: LeafOptions = {}): { certPem: string; keyPem: string } {
  const sorted = [...new Set(hosts.map((h) => h.toLowerCase()))].sort();
  const cacheKey = JSON.stringify([sorted, options]);
  const cached = leafCache.get(cacheKey);
  if (cached) return cached;
  const ca = certificateAuthority(options.ca ?? 'trusted');
  const { pub } = forgeKey('sim-server');
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  cert.serialNumber = `1${leafCache.size.toString(16).padStart(6, '0')}`;
  const day = 24 * 3600_000;
  cert.validity.notBefore = new Date(Date.now() - (options.expired ? 400 : 1) * day);
  cert.validity.notAfter = new Date(Date.now() + (options.expired ? -30 : 365) * day);
  cert.setSubject([{ name: 'commonName', value: sorted[0] ?? 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...sorted.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }],
    },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  const leaf = { certPem: forge.pki.certificateToPem(cert), keyPem: namedKey('sim-server').privateKeyPem };
  leafCache.set(cacheKey, leaf);
  return leaf;
}

export function secureContext(hosts: string[], options: LeafOptions = {}): SecureContext {
  const { certPem, keyPem } = serverCertificate(hosts, options);
  return createSecureContext({ cert: certPem, key: keyPem });
}
