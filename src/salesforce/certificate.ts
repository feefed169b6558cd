/*
 * The certificate stored on a Connected App or External Client App: its public key's fingerprint (the same
 * `sha256:aa:bb…` digits keyFile.ts computes for the local private key, so the two compare as strings) and its expiry.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import type { CertificateFacts } from './inspection.js';

const DAY_MS = 86_400_000;

export function publicKeyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex').match(/../g)!.join(':')}`;
}

/** Metadata may hold the PEM with or without its armour lines; both parse. */
function toPem(text: string): string {
  if (text.includes('-----BEGIN CERTIFICATE-----')) return text;
  const body = text.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}

export function certificateFacts(text: string, now: number): CertificateFacts {
  try {
    const cert = new X509Certificate(toPem(text));
    const notAfter = new Date(cert.validTo);
    return {
      fingerprint: publicKeyFingerprint(cert.publicKey),
      subject: cert.subject.replace(/\n/g, ', '),
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
    };
  } catch (error) {
    return { parseError: (error as Error).message };
  }
}
