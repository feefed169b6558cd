import { expect } from 'chai';
import { bodyFragments, keys, pemBody, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal, type LocalRun } from './harness.js';

describe('check key.parse', () => {
  let tmp: TempDir;
  before(() => {
    tmp = tempDir();
  });
  after(() => tmp.remove());

  async function parseWith(content: string): Promise<LocalRun> {
    return runLocal(goodInputs(tmp.file(`k${Math.random().toString(36).slice(2)}.key`, content)));
  }

  /** No part of any key's base64 body may reach a detail, a summary or a parameter. */
  function expectNoKeyMaterial(run: LocalRun): void {
    const k = keys();
    for (const pem of [k.pkcs8, k.pkcs1, k.small, k.ec, k.ed25519, k.encryptedPkcs8, k.certificate, k.publicPem]) {
      for (const fragment of bodyFragments(pem)) expect(run.text).to.not.include(fragment);
    }
  }

  const k = keys();
  const cases: Array<[name: string, content: () => string, fix: string, detail: RegExp]> = [
    ['a certificate', () => k.certificate, 'key-is-certificate', /certificate, not the private key.*sha256:/],
    ['a public key', () => k.publicPem, 'key-is-public', /public key/],
    [
      'a CSR',
      () =>
        '-----BEGIN CERTIFICATE REQUEST-----\nMIIBWTCBwwIBADAaMRgwFgYDVQQDDA9qd3QtZG9jdG9yLXRlc3Q=\n-----END CERTIFICATE REQUEST-----\n',
      'key-is-csr',
      /signing request/,
    ],
    ['an encrypted PKCS#8 key', () => k.encryptedPkcs8, 'key-encrypted', /passphrase.*asymmetric key when using RS256/],
    ['an encrypted PKCS#1 key', () => k.encryptedPkcs1, 'key-encrypted', /passphrase/],
    [
      'an EC key',
      () => k.ec,
      'key-not-rsa',
      /EC prime256v1 private key.*"alg" parameter for "ec" key type must be one of: ES256, ES384, ES512\./,
    ],
    ['an Ed25519 key', () => k.ed25519, 'key-not-rsa', /ED25519.*Unknown key type "ed25519"/],
    ['an RSA-PSS key', () => k.rsaPss, 'key-not-rsa', /RSA-PSS/],
    ['an RSA 1024 key', () => k.small, 'key-too-small', /RSA 1024-bit.*minimum key size of 2048 bits for RS256/],
    [
      'an OpenSSH key',
      () =>
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n',
      'key-openssh-format',
      /OpenSSH/,
    ],
    ['a non-PEM file', () => 'this is not a key\n', 'key-not-pem', /not a PEM private key/],
    [
      'a DER (binary) file',
      () => k.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('latin1') + '\u0000',
      'key-binary',
      /binary/,
    ],
    [
      'a truncated key',
      () => `${k.pkcs8.slice(0, 700)}\n-----END PRIVATE KEY-----\n`,
      'key-damaged',
      /damaged|truncated/,
    ],
    [
      'literal \\n line breaks',
      () => k.pkcs1.replace(/\n/g, '\\n'),
      'key-literal-newlines',
      /two characters \\n.*Repaired in memory it parses as an RSA 2048-bit private key \(PKCS1\)/,
    ],
    [
      'a single-line key',
      () => k.pkcs8.replace(/\n/g, ' '),
      'key-single-line',
      /one line.*Repaired in memory it parses/,
    ],
    [
      'a key without BEGIN/END lines',
      () => pemBody(k.pkcs8),
      'key-missing-header',
      /BEGIN.*missing.*Repaired in memory it parses/,
    ],
    ['an indented key', () => k.pkcs8.replace(/^/gm, '  '), 'key-indented', /indented/],
    ['a quoted key', () => JSON.stringify(k.pkcs8), 'key-quoted', /quote characters/],
    [
      'a base64-encoded PEM file',
      () => Buffer.from(k.pkcs8).toString('base64'),
      'key-base64-encoded',
      /base64-encoded/,
    ],
    ['a 1024-bit key with literal \\n', () => k.small.replace(/\n/g, '\\n'), 'key-too-small', /1024.*also damaged/],
  ];

  for (const [name, content, fix, detail] of cases) {
    it(`fails ${name} with KEY_INVALID / ${fix}, without printing key material`, async () => {
      const run = await parseWith(content());
      const r = run.byId('key.parse')!;
      expect(r.result.status, r.result.detail).to.equal('fail');
      expect(r.result.detail).to.match(detail);
      expect(r.outcome?.cause).to.include({ code: 'KEY_INVALID', fix, confidence: 'confirmed' });
      expectNoKeyMaterial(run);
    });
  }

  it('names the PEM label the rebuild commands need', async () => {
    const pkcs1 = (await parseWith(k.pkcs1.replace(/\n/g, ' '))).byId('key.parse')!;
    expect(pkcs1.outcome!.cause!.params!.pemLabel).to.equal('RSA PRIVATE KEY');
    const pkcs8 = (await parseWith(pemBody(k.pkcs8))).byId('key.parse')!;
    expect(pkcs8.outcome!.cause!.params!.pemLabel).to.equal('PRIVATE KEY');
  });

  it('passes PKCS#1 and PKCS#8 RSA 2048 keys and shows only the fingerprint', async () => {
    for (const pem of [k.pkcs1, k.pkcs8]) {
      const run = await parseWith(pem);
      const r = run.byId('key.parse')!;
      expect(r.result.status).to.equal('pass');
      expect(r.result.detail).to.match(/^RSA 2048-bit private key \(PKCS(1|8)\), public key sha256:[0-9a-f:]{95}\.$/);
      expect(run.byId('key.parse')!.check.id).to.equal('key.parse');
      expectNoKeyMaterial(run);
    }
  });

  it('warns about CRLF line endings, which sf still accepts', async () => {
    const r = (await parseWith(k.pkcs1.replace(/\n/g, '\r\n'))).byId('key.parse')!;
    expect(r.result.status).to.equal('warn');
    expect(r.result.detail).to.match(/CRLF.*accept them/);
    expect(r.outcome?.cause).to.equal(undefined);
  });

  it('passes a file with the certificate next to the key and says so', async () => {
    const r = (await parseWith(k.certificate + k.pkcs8)).byId('key.parse')!;
    expect(r.result.status).to.equal('pass');
    expect(r.result.detail).to.match(/also holds: CERTIFICATE/);
  });
});
