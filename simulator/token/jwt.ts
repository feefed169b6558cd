/* Parsing and verifying the assertion: structure, alg, RS256 signature against an app's certificate. */
import { X509Certificate, createVerify } from 'node:crypto';

export type ParsedJwt = {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
};

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeJson(part: string): Record<string, unknown> | undefined {
  if (!B64URL.test(part)) return undefined; // base64 (with + / =) instead of base64url is malformed
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** undefined when the assertion is not a compact JWS with JSON header and claims. */
export function parseJwt(assertion: string | undefined): ParsedJwt | undefined {
  if (!assertion) return undefined;
  const parts = assertion.trim().split('.');
  if (parts.length !== 3 || !B64URL.test(parts[2]) || parts[2].length === 0) return undefined;
  const header = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

export function verifyRs256(jwt: ParsedJwt, certificatePem: string): boolean {
  try {
    const key = new X509Certificate(certificatePem).publicKey;
    return createVerify('RSA-SHA256').update(jwt.signingInput).verify(key, jwt.signature);
  } catch {
    return false;
  }
}

/** The certificate's validity at `now` (server clock). */
export function certificateValidAt(certificatePem: string, now: number): boolean {
  const cert = new X509Certificate(certificatePem);
  return Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
}
