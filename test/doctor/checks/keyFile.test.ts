import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runChecks } from '../../../src/doctor/engine.js';
import { localChecks } from '../../../src/doctor/checks/local.js';
import { analyzeKey, HUGE_KEY_FILE_BYTES, readKeyFile } from '../../../src/salesforce/keyFile.js';
import { classifyUrl } from '../../../src/knowledge/instanceUrl.js';
import { keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { doctorInputs, goodInputs, runLocal } from './harness.js';

describe('check key.file', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  async function keyFileResult(keyFile: string | undefined) {
    return (await runLocal({ ...goodInputs(''), keyFile })).byId('key.file')!;
  }

  it('fails a missing file with KEY_FILE_MISSING and the ENOENT sf would print', async () => {
    const r = await keyFileResult(join(tmp.dir, 'server.key'));
    expect(r.result).to.include({ status: 'fail' });
    expect(r.result.detail).to.match(/No file at .*server\.key.*ENOENT/);
    expect(r.outcome?.cause).to.include({ code: 'KEY_FILE_MISSING', fix: 'key-file-missing' });
  });

  it('names a quoted "~" that nothing expanded, with the path that holds the key', async () => {
    const savedHome = process.env.HOME;
    process.env.HOME = tmp.dir;
    try {
      tmp.file('tilde.key', keys().pkcs8);
      const r = await keyFileResult('~/tilde.key');
      expect(r.outcome?.cause).to.include({ code: 'KEY_FILE_MISSING', fix: 'key-file-tilde' });
      expect(r.outcome?.cause?.params?.suggestedKeyFile).to.equal(join(tmp.dir, 'tilde.key'));
      expect((await keyFileResult('~/absent.key')).outcome?.cause).to.include({ fix: 'key-file-missing' });
    } finally {
      process.env.HOME = savedHome;
    }
  });

  it('fails when no key file is given', async () => {
    expect((await keyFileResult(undefined)).outcome?.cause).to.include({
      code: 'KEY_FILE_MISSING',
      fix: 'key-file-not-given',
    });
  });

  it('fails a directory', async () => {
    mkdirSync(join(tmp.dir, 'keys'));
    const r = await keyFileResult(join(tmp.dir, 'keys'));
    expect(r.outcome?.cause).to.include({ code: 'KEY_FILE_MISSING', fix: 'key-file-directory' });
  });

  it('fails an empty file with what jsonwebtoken would say', async () => {
    const r = await keyFileResult(tmp.file('server.key', ''));
    expect(r.result.detail).to.include('secretOrPrivateKey must have a value');
    expect(r.outcome?.cause).to.include({ code: 'KEY_INVALID', fix: 'key-file-empty' });
  });

  it('fails a whitespace-only file', async () => {
    const r = await keyFileResult(tmp.file('server.key', '\n\n'));
    expect(r.outcome?.cause).to.include({ code: 'KEY_INVALID', fix: 'key-file-empty' });
    expect(r.result.detail).to.include('only whitespace');
  });

  it('fails a huge file without reading it', async () => {
    const r = await keyFileResult(tmp.file('huge.key', Buffer.alloc(HUGE_KEY_FILE_BYTES * 2, 'A')));
    expect(r.outcome?.cause).to.include({ code: 'KEY_INVALID', fix: 'key-file-huge' });
  });

  it('warns about a group/world-readable key and names chmod 600', async () => {
    const path = tmp.file('server.key', keys().pkcs8);
    chmodSync(path, 0o644);
    const run = await runLocal({ ...goodInputs(''), keyFile: path });
    expect(run.byId('key.file')!.result.status).to.equal('warn');
    expect(run.byId('key.file')!.result.detail).to.match(/mode 644.*chmod 600/);
    // A warning does not stop the key from being parsed.
    expect(run.byId('key.parse')!.result.status).to.equal('pass');
  });

  it('fails an unreadable file (EACCES)', async function () {
    if (process.getuid?.() === 0 || process.platform === 'win32') this.skip(); // root reads everything
    const path = tmp.file('server.key', keys().pkcs8);
    chmodSync(path, 0o000);
    expect((await keyFileResult(path)).outcome?.cause).to.include({
      code: 'KEY_FILE_MISSING',
      fix: 'key-file-unreadable',
    });
  });

  it('fails a FIFO nobody writes to within the wait, instead of hanging', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = join(tmp.dir, 'fifo.key');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const facts = await readKeyFile(fifo, { waitMs: 300 });
    expect(Date.now() - started).to.be.below(5000);
    expect(facts).to.include({ fileType: 'fifo', noData: true, waitedMs: 300 });
    // The check with those facts (the real adapter waits SPECIAL_FILE_WAIT_MS).
    const { runs } = await runChecks({
      checks: localChecks,
      inputs: doctorInputs({ ...goodInputs(''), keyFile: fifo }),
      adapters: { readKeyFile: async () => facts, analyzeKey, classifyUrl, now: () => Date.now() },
      title: (id) => id,
      skipReason: (needed) => `needs ${needed}`,
    });
    const r = runs.find((x) => x.check.id === 'key.file')!;
    expect(r.result.status).to.equal('fail');
    expect(r.result.detail).to.match(/is a pipe that gave no data within 0 s/);
    expect(r.outcome?.cause).to.include({ code: 'KEY_INVALID', fix: 'key-file-no-data' });
    expect(runs.find((x) => x.check.id === 'key.parse')!.result.status).to.equal('skip');
  });

  it('reads a pipe whose writer sends the key (as <(echo "$KEY") does)', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = join(tmp.dir, 'pipe.key');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const writer = spawn('sh', ['-c', 'sleep 0.2; cat "$1" > "$2"', 'sh', tmp.file('server.key', keys().pkcs8), fifo]);
    const run = await runLocal({ ...goodInputs(''), keyFile: fifo });
    writer.kill();
    expect(run.byId('key.file')!.result).to.include({ status: 'pass' });
    expect(run.byId('key.file')!.result.detail).to.match(/a pipe \(FIFO\)/);
    expect(run.byId('key.parse')!.result.status).to.equal('pass');
  });

  it('names /dev/null as a character device that reads as empty', async function () {
    if (process.platform === 'win32') this.skip();
    const r = await keyFileResult('/dev/null');
    expect(r.result.detail).to.match(/character device.*empty \(0 bytes\)/);
    expect(r.outcome?.cause).to.include({ code: 'KEY_INVALID', fix: 'key-file-special' });
  });

  it('names /dev/zero as a character device and stops reading it', async function () {
    if (process.platform === 'win32') this.skip();
    const r = await keyFileResult('/dev/zero');
    expect(r.result.detail).to.match(/character device that gave more than 64 KiB/);
    expect(r.result.detail).to.not.match(/empty|CI secret/);
    expect(r.outcome?.cause).to.include({ code: 'KEY_INVALID', fix: 'key-file-special' });
  });

  it('passes a 600 key file', async () => {
    const r = await keyFileResult(tmp.file('server.key', keys().pkcs8));
    expect(r.result.status).to.equal('pass');
    expect(r.result.detail).to.match(/mode 600/);
  });
});
