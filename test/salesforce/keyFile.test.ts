import { execFileSync, spawn } from 'node:child_process';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { analyzeKey, jsonwebtokenError, readKeyFile, HUGE_KEY_FILE_BYTES } from '../../src/salesforce/keyFile.js';
import { bodyFragments, keys, pemBody, tempDir, type TempDir } from './keyMaterial.js';

/** What jsonwebtoken 9.0.3 itself throws for this key text with RS256, as sf calls it. */
function realJwtError(text: string): string | undefined {
  try {
    jwt.sign({ iss: 'x' }, text, { algorithm: 'RS256' });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function opensslStyleFingerprint(pem: string): string {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex').match(/../g)!.join(':')}`;
}

/** Every way CI secret storage mangles a PEM. */
function damagedForms(pem: string): Record<string, string> {
  const body = pemBody(pem);
  return {
    'literal-newlines': pem.replace(/\n/g, '\\n'),
    'single-line': pem.replace(/\n/g, ' '),
    'missing-header': body,
    indented: pem
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n'),
    quoted: JSON.stringify(pem),
    'base64-encoded': Buffer.from(pem).toString('base64'),
  };
}

describe('keyFile.analyzeKey', () => {
  const k = keys();

  it('accepts PKCS#1 and PKCS#8 RSA 2048 keys, with the same fingerprint', () => {
    const a1 = analyzeKey(k.pkcs1);
    const a8 = analyzeKey(k.pkcs8);
    expect(a1).to.include({ kind: 'rsa-private', format: 'pkcs1', bits: 2048, parsesAsIs: true, usableAsIs: true });
    expect(a8).to.include({ kind: 'rsa-private', format: 'pkcs8', bits: 2048, parsesAsIs: true, usableAsIs: true });
    expect(a1.jwtError).to.equal(undefined);
    expect(a1.fingerprint).to.equal(a8.fingerprint);
    expect(a1.fingerprint).to.equal(opensslStyleFingerprint(k.publicPem));
    expect(a1.fingerprint).to.match(/^sha256:([0-9a-f]{2}:){31}[0-9a-f]{2}$/);
  });

  it('gives a certificate the fingerprint of its public key, equal to the private key it belongs to', () => {
    const cert = analyzeKey(k.certificate);
    expect(cert.kind).to.equal('certificate');
    expect(cert.fingerprint).to.equal(analyzeKey(k.pkcs8).fingerprint);
    expect(cert.certificateValidTo).to.equal(new Date(new X509Certificate(k.certificate).validTo).toISOString());
    expect(cert.privateKey).to.equal(undefined);
  });

  it('names public keys, encrypted keys, EC, Ed25519, RSA-PSS and small RSA keys', () => {
    expect(analyzeKey(k.publicPem)).to.include({ kind: 'public-key', bits: 2048 });
    expect(analyzeKey(k.encryptedPkcs8)).to.include({ kind: 'encrypted', format: 'pkcs8' });
    expect(analyzeKey(k.encryptedPkcs1)).to.include({ kind: 'encrypted', format: 'pkcs1' });
    expect(analyzeKey(k.ec)).to.include({ kind: 'ec-private', format: 'sec1', curve: 'prime256v1', usableAsIs: false });
    expect(analyzeKey(k.ed25519)).to.include({ kind: 'other-private', algorithm: 'ed25519', usableAsIs: false });
    expect(analyzeKey(k.rsaPss)).to.include({ kind: 'other-private', algorithm: 'rsa-pss', usableAsIs: false });
    expect(analyzeKey(k.small)).to.include({ kind: 'rsa-private', bits: 1024, parsesAsIs: true, usableAsIs: false });
  });

  it('names empty, whitespace, non-PEM, binary, truncated, CSR and OpenSSH files', () => {
    expect(analyzeKey('').kind).to.equal('empty');
    expect(analyzeKey(' \n\t\n').kind).to.equal('empty');
    expect(analyzeKey('password123').kind).to.equal('not-pem');
    expect(
      analyzeKey(Buffer.from([0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0xff, 0xfe]).toString('utf8')).kind,
    ).to.equal('binary');
    expect(analyzeKey(`${k.pkcs8.slice(0, 600)}\n-----END PRIVATE KEY-----\n`).kind).to.equal('damaged');
    expect(analyzeKey('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n').kind).to.equal(
      'certificate-request',
    );
    const openssh = analyzeKey(
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    expect(openssh).to.include({ kind: 'other-private', format: 'openssh' });
  });

  it('predicts exactly what jsonwebtoken 9.0.3 throws, for every kind of input', () => {
    const inputs = [
      k.pkcs1,
      k.pkcs8,
      k.certificate,
      k.publicPem,
      k.small,
      k.ec,
      k.ed25519,
      k.rsaPss,
      k.encryptedPkcs8,
      '',
      ' ',
      'junk',
      ...Object.values(damagedForms(k.pkcs1)),
      k.pkcs1.replace(/\n/g, '\r\n'),
    ];
    for (const text of inputs) expect(jsonwebtokenError(text), text.slice(0, 40)).to.equal(realJwtError(text));
    expect(jsonwebtokenError('')).to.equal('secretOrPrivateKey must have a value');
    expect(jsonwebtokenError(k.certificate)).to.equal('secretOrPrivateKey must be an asymmetric key when using RS256');
    expect(jsonwebtokenError(k.small)).to.equal('secretOrPrivateKey has a minimum key size of 2048 bits for RS256');
  });

  for (const [damage, text] of Object.entries(damagedForms(keys().pkcs1))) {
    it(`detects ${damage} damage, which sf cannot parse, and repairs it in memory`, () => {
      const a = analyzeKey(text);
      expect(realJwtError(text), 'sf fails on it').to.equal(
        'secretOrPrivateKey must be an asymmetric key when using RS256',
      );
      expect(a.parsesAsIs).to.equal(false);
      expect(a.damage).to.include(damage);
      expect(a.repairedParses).to.equal(true);
      expect(a).to.include({ kind: 'rsa-private', bits: 2048 });
      expect(a.fingerprint).to.equal(analyzeKey(keys().pkcs1).fingerprint);
    });
  }

  it('keeps the PKCS#8 label when rebuilding a damaged PKCS#8 key', () => {
    for (const text of Object.values(damagedForms(k.pkcs8)))
      expect(analyzeKey(text)).to.include({ format: 'pkcs8', repairedParses: true });
  });

  it('marks CRLF line endings, which node:crypto and jsonwebtoken accept, as damage that still parses', () => {
    const crlf = k.pkcs1.replace(/\n/g, '\r\n');
    expect(realJwtError(crlf)).to.equal(undefined);
    expect(analyzeKey(crlf)).to.deep.include({ parsesAsIs: true, usableAsIs: true, damage: ['crlf'] });
  });

  it('reports a repaired key that is still unusable by its real kind', () => {
    const a = analyzeKey(k.small.replace(/\n/g, '\\n'));
    expect(a).to.include({ kind: 'rsa-private', bits: 1024, repairedParses: true, parsesAsIs: false });
    expect(analyzeKey(k.certificate.replace(/\n/g, ' '))).to.include({ kind: 'certificate' });
  });

  it('accepts a file holding a certificate next to the key, and lists the extra block', () => {
    const a = analyzeKey(`${k.certificate}${k.pkcs8}`);
    expect(a).to.include({ kind: 'rsa-private', usableAsIs: true });
    expect(a.extraBlocks).to.deep.equal(['CERTIFICATE']);
  });

  it('keeps the private key out of JSON and util.inspect, and it signs RS256', () => {
    const a = analyzeKey(k.pkcs8);
    expect(a.privateKey?.type).to.equal('private');
    expect(Object.keys(a)).to.not.include('privateKey');
    const dumped = JSON.stringify(a) + inspect(a, { depth: 5 });
    for (const fragment of bodyFragments(k.pkcs8)) expect(dumped).to.not.include(fragment);
    const token = jwt.sign({ sub: 'u' }, a.privateKey!, { algorithm: 'RS256' });
    expect(jwt.verify(token, k.publicPem, { algorithms: ['RS256'] })).to.include({ sub: 'u' });
  });
});

describe('keyFile.readKeyFile', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('reads a key file with its size and mode', async () => {
    const path = tmp.file('server.key', keys().pkcs8);
    const facts = await readKeyFile(path);
    expect(facts).to.include({
      exists: true,
      isDirectory: false,
      readable: true,
      huge: false,
      mode: 0o600,
      groupOrWorldReadable: false,
    });
    expect(facts.text).to.equal(keys().pkcs8);
  });

  it('reports a missing file and a dangling symlink without throwing', async () => {
    expect(await readKeyFile(join(tmp.dir, 'nope.key'))).to.include({
      exists: false,
      errorCode: 'ENOENT',
      isSymlink: false,
    });
    symlinkSync(join(tmp.dir, 'gone.key'), join(tmp.dir, 'link.key'));
    expect(await readKeyFile(join(tmp.dir, 'link.key'))).to.include({ exists: false, isSymlink: true });
  });

  it('reports a directory', async () => {
    mkdirSync(join(tmp.dir, 'keys'));
    expect(await readKeyFile(join(tmp.dir, 'keys'))).to.include({
      exists: true,
      isDirectory: true,
      errorCode: 'EISDIR',
    });
  });

  it('reports group/world-readable permissions', async () => {
    const path = tmp.file('server.key', keys().pkcs8);
    chmodSync(path, 0o644);
    expect(await readKeyFile(path)).to.include({ mode: 0o644, groupOrWorldReadable: true });
  });

  it('does not read a huge file', async () => {
    const path = tmp.file('big.key', Buffer.alloc(HUGE_KEY_FILE_BYTES + 1, 'A'));
    const facts = await readKeyFile(path);
    expect(facts).to.include({ huge: true, readable: true, size: HUGE_KEY_FILE_BYTES + 1 });
    expect(facts.text).to.equal(undefined);
  });

  describe('pipes and devices (bounded: never blocks, never reads without end)', () => {
    before(function () {
      if (process.platform === 'win32') this.skip();
    });

    it('gives up on a FIFO nobody writes to after the wait', async () => {
      const fifo = join(tmp.dir, 'fifo.key');
      execFileSync('mkfifo', [fifo]);
      const started = Date.now();
      expect(await readKeyFile(fifo, { waitMs: 200 })).to.include({
        exists: true,
        fileType: 'fifo',
        readable: true,
        noData: true,
        waitedMs: 200,
        size: 0,
      });
      expect(Date.now() - started).to.be.within(150, 3000);
    });

    it('reads a FIFO whose writer comes late', async () => {
      const fifo = join(tmp.dir, 'late.key');
      execFileSync('mkfifo', [fifo]);
      const writer = spawn('sh', ['-c', 'sleep 0.3; printf hello > "$1"', 'sh', fifo]);
      const facts = await readKeyFile(fifo, { waitMs: 5000 });
      writer.kill();
      expect(facts).to.include({ fileType: 'fifo', text: 'hello', size: 5 });
      expect(facts.noData).to.equal(undefined);
    });

    it('reads /dev/null as an empty character device at once', async () => {
      expect(await readKeyFile('/dev/null', { waitMs: 5000 })).to.include({
        fileType: 'character-device',
        readable: true,
        size: 0,
        text: '',
        endless: false,
      });
    });

    it('stops reading /dev/zero after the size cap', async () => {
      const facts = await readKeyFile('/dev/zero');
      expect(facts).to.include({ fileType: 'character-device', endless: true, huge: true });
      expect(facts.size)
        .to.be.above(HUGE_KEY_FILE_BYTES)
        .and.below(HUGE_KEY_FILE_BYTES * 2);
      expect(facts.text).to.equal(undefined);
    });

    it('marks a regular file as such', async () => {
      expect(await readKeyFile(tmp.file('server.key', keys().pkcs8))).to.include({ fileType: 'file' });
    });
  });

  it('reports an unreadable file (EACCES)', async function () {
    if (process.getuid?.() === 0 || process.platform === 'win32') this.skip(); // root reads everything
    const path = tmp.file('server.key', keys().pkcs8);
    chmodSync(path, 0o000);
    expect(await readKeyFile(path)).to.include({ exists: true, readable: false, errorCode: 'EACCES' });
  });
});
