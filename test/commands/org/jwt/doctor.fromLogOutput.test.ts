/*
 * What --from-log prints, as a person reads it (issue 15, issue 12): every fixture log and its CI-noise variant rendered
 * (human verbose, Markdown) with the rules of test/doctor/sentences.test.ts; an unknown answer shown verbatim; a log
 * file that cannot be read is a usage error; sf's attempts read from a log are headed as such, without timings; a
 * value the log does not show is said so, never sf's default passed off as the log's.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LOG_DIR, LOG_FIXTURES, withCiNoise } from '../../../helpers/ciLog.js';
import { removeDir, runInProcess, type CliRun } from '../../../helpers/cli.js';
import { badTexts, HEDGED_COUNT, LEFTOVER } from '../../../helpers/sentences.js';
import { text } from '../../../../src/doctor/text.js';
import { renderMarkdown } from '../../../../src/render/markdown.js';
import type { JwtDoctorResult } from '../../../../src/doctor/types.js';
import { logFileReason } from '../../../../src/salesforce/fromLog.js';

const STACK_FRAME = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
const fixture = (name: string): string => readFileSync(join(LOG_DIR, name), 'utf8');

function resultOf(run: CliRun, what: string): JwtDoctorResult {
  expect(run.json?.result, `${what}: ${run.stdout.slice(0, 400)}${run.stderr.slice(0, 400)}`).to.be.an('object');
  return run.json!.result;
}

const INTRO =
  'Error (JwtGrantError): We encountered a JSON web token error, which is likely not an issue with Salesforce CLI. Here’s the error: JwtAuthError::Error authenticating with JWT.';

describe('sf org jwt doctor --from-log: rendered sentences of every fixture log, clean and in CI noise', function () {
  this.timeout(600_000);
  const results: Array<{ label: string; result: JwtDoctorResult }> = [];

  before(async () => {
    for (const f of LOG_FIXTURES) {
      results.push({ label: f, result: resultOf(await runInProcess(['--from-log', join(LOG_DIR, f), '--json']), f) });
      const noisy = await runInProcess(['--from-log', '-', '--json'], { stdin: withCiNoise(fixture(f)) });
      results.push({ label: `${f} in CI noise`, result: resultOf(noisy, `${f} in CI noise`) });
    }
  });

  it('no rendered text holds an unfilled placeholder, undefined, [object Object], NaN or %s', () => {
    expect(results.length)
      .to.equal(LOG_FIXTURES.length * 2)
      .and.to.be.greaterThan(80);
    const bad = results.flatMap(({ label, result }) => badTexts(label, result, LEFTOVER));
    console.log(`      ${results.length} log results rendered (human verbose, Markdown): ${bad.length} leftovers`);
    expect(bad).to.deep.equal([]);
  });

  it('no rendered text hedges a count with "(s)"', () => {
    expect(results.flatMap(({ label, result }) => badTexts(label, result, HEDGED_COUNT))).to.deep.equal([]);
  });

  it('no fix or summary names a value that is blank ("at :", quotes around nothing)', () => {
    const blank = /\bat :|\bat \.|""|“”|''(?!\\)/;
    expect(results.flatMap(({ label, result }) => badTexts(label, result, blank))).to.deep.equal([]);
  });
});

describe('sf org jwt doctor --from-log: an answer the doctor does not know', function () {
  this.timeout(60_000);

  it('a log whose only attempt is an unknown text without an error code: shown verbatim, no "undefined", no ": …"', async () => {
    const log = [
      '$ sf org login jwt --username ci@acme.com --jwt-key-file server.key --client-id 3MVG9abc --instance-url https://acme.my.salesforce.com',
      INTRO,
      'Errors encountered:',
      'something brand new happened',
      '',
    ].join('\n');
    const run = await runInProcess(['--from-log', '-', '--json'], { stdin: log });
    const result = resultOf(run, 'unknown answer');
    expect(result.cause?.code).to.equal('UNKNOWN');
    expect(result.cause?.summary).to.include('something brand new happened');
    expect(result.cause?.summary).to.not.match(/undefined|"\s*: something/);
    const fixLines = result.fixes.flatMap((f) => [f.title, ...f.steps, ...f.commands]);
    expect(fixLines.join('\n')).to.include('something brand new happened');
    expect(fixLines.join('\n')).to.not.match(/": something|undefined/);
    expect(badTexts('unknown answer', result, LEFTOVER)).to.deep.equal([]);
  });

  it('with an error code, the code is still shown with the text', async () => {
    const log = [
      '$ sf org login jwt --username ci@acme.com --jwt-key-file server.key --client-id 3MVG9abc --instance-url https://acme.my.salesforce.com',
      'This org appears to have a problem with its OAuth configuration. Reason: brand_new_error - something brand new happened',
    ].join('\n');
    const result = resultOf(await runInProcess(['--from-log', '-', '--json'], { stdin: log }), 'unknown with code');
    expect(result.cause?.code).to.equal('UNKNOWN');
    expect(result.cause?.summary).to.include('brand_new_error').and.to.include('something brand new happened');
    expect(badTexts('unknown with code', result, LEFTOVER)).to.deep.equal([]);
  });
});

describe('sf org jwt doctor --from-log: a log file that cannot be read, an empty log', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-log-'));
  });
  after(() => removeDir(dir));

  function expectUsageError(run: CliRun, file: string, reason: RegExp): void {
    expect(run.code, `${file}: ${run.stdout}${run.stderr}`).to.equal(2);
    expect(run.json?.name, file).to.equal('LogFileInvalidError');
    expect(run.json?.message, file).to.include(file).and.to.match(reason);
    expect(`${run.stdout}${run.stderr}`, file).to.not.match(STACK_FRAME);
  }

  it('a missing file, a directory, a path through a file: a usage error (exit 2) naming the file and why', async () => {
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'x');
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.log'), /does not exist/],
      [dir, /is a directory/],
      [join(plain, 'login.log'), /not a directory/],
    ];
    for (const [file, reason] of cases) {
      const run = await runInProcess(['--from-log', file, '--json']);
      expectUsageError(run, file, reason);
      // The action: how to save the login step's output, from the messages.
      expect(JSON.stringify(run.json), file).to.include('--from-log');
      const human = await runInProcess(['--from-log', file]);
      expect(human.code, file).to.equal(2);
      expect(human.stderr, file).to.include('LogFileInvalid').and.to.include(file).and.to.match(reason);
      expect(human.stderr, file).to.include('Try this');
      expect(human.stderr, file).to.not.match(/Error \((ENOENT|EISDIR|ENOTDIR)\)/);
      expect(`${human.stdout}${human.stderr}`, file).to.not.match(STACK_FRAME);
    }
  });

  it('an unreadable file (EACCES) is said in words', async function () {
    expect(logFileReason(Object.assign(new Error('x'), { code: 'EACCES' }))).to.match(/permission/i);
    if (process.getuid?.() === 0) {
      console.log('      running as root: chmod 000 does not stop root reading; the words were checked above');
      return this.skip();
    }
    const file = join(dir, 'locked.log');
    writeFileSync(file, fixture('user-inactive.human.txt'));
    chmodSync(file, 0o000);
    expectUsageError(await runInProcess(['--from-log', file, '--json']), file, /permission/i);
  });

  it('an empty log and a log without sf output: inconclusive (exit 3), saying which, with nothing passed off as checked', async () => {
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '\n  \n');
    const other = join(dir, 'other.log');
    writeFileSync(other, 'npm ci\nadded 812 packages in 14s\n');
    for (const [file, detail] of [
      [empty, text('detail.fromLog.empty')],
      [other, text('detail.fromLog.nothingFound')],
    ]) {
      const run = await runInProcess(['--from-log', file, '--json']);
      const result = resultOf(run, file);
      expect(run.code, file).to.equal(3);
      expect(result.verdict, file).to.equal('inconclusive');
      expect(result.checks.find((c) => c.id === 'log.read')?.detail, file).to.equal(detail);
      // Nothing was read: no check of sf's errors, and no URL the log never named passes.
      expect(
        result.checks.map((c) => c.id),
        file,
      ).to.not.include('log.sf-error');
      expect(
        result.checks.filter((c) => c.id.startsWith('url.') && c.status === 'pass'),
        file,
      ).to.deep.equal([]);
      expect(badTexts(file, result, LEFTOVER)).to.deep.equal([]);
    }
  });
});

describe('sf org jwt doctor --from-log: sf’s attempts and values the log does not show', function () {
  this.timeout(60_000);

  it('heads the attempts as sf’s, read from the log, without timings (human and Markdown); JSON keeps ms', async () => {
    const file = join(LOG_DIR, 'user-inactive.human.txt');
    const human = await runInProcess(['--from-log', file]);
    const lines = human.stdout.split('\n');
    const head = lines.findIndex((l) => l === text('render.attemptsFromLog', { count: '5' }));
    expect(head, human.stdout).to.be.greaterThan(-1);
    expect(human.stdout).to.not.include(text('render.attempts', { count: '5' }));
    const attempts = lines.slice(head + 1, head + 6);
    expect(
      attempts.every((l) => /^\s+✗ /.test(l)),
      attempts.join('\n'),
    ).to.equal(true);
    expect(attempts.join('\n')).to.not.match(/\d+ ms/);
    const json = resultOf(await runInProcess(['--from-log', file, '--json']), 'json');
    expect(json.attempts.map((a) => a.ms)).to.deep.equal([0, 0, 0, 0, 0]);
    const md = renderMarkdown(json, { offline: false, version: '0.0.0', now: new Date(0) });
    expect(md).to.include(text('render.attemptsFromLog', { count: '5' }));
    expect(md).to.not.include(text('render.attempts', { count: '5' }));
  });

  it('a live run keeps its heading (the attempts are the doctor’s own requests)', () => {
    expect(text('render.attempts', { count: '5' })).to.not.equal(text('render.attemptsFromLog', { count: '5' }));
  });

  it('a log without its command line: "(not in the log)" for the username and the URL; the URL checks skip', async () => {
    const log = fixture('client-id-invalid.human.txt').split('\n').slice(1).join('\n');
    const human = await runInProcess(['--from-log', '-'], { stdin: log });
    const notInLog = text('render.notInLog');
    expect(human.stdout.split('\n')[0]).to.equal(text('render.header', { username: notInLog, instanceUrl: notInLog }));
    expect(human.stdout).to.not.include('login.salesforce.com\n');
    const result = resultOf(await runInProcess(['--from-log', '-', '--json'], { stdin: log }), 'no command line');
    expect(result.cause?.code).to.equal('CLIENT_ID_INVALID');
    const url = result.checks.filter((c) => c.id.startsWith('url.'));
    expect(url.length).to.be.greaterThan(0);
    for (const c of url) expect(c, c.id).to.include({ status: 'skip', detail: text('detail.fromLog.urlNotInLog') });
    // The login command does not name a URL the log never showed.
    expect(result.loginCommand ?? '').to.not.include('https://login.salesforce.com');
  });

  it('a success log without its command line: the username from sf’s "Successfully authorized" line', async () => {
    const log = fixture('healthy-production.human.txt').split('\n').slice(1).join('\n');
    const human = await runInProcess(['--from-log', '-'], { stdin: log });
    expect(human.code, human.stdout + human.stderr).to.equal(0);
    expect(human.stdout.split('\n')[0]).to.equal(
      text('render.header', { username: 'ci@acme.com', instanceUrl: text('render.notInLog') }),
    );
    const result = resultOf(await runInProcess(['--from-log', '-', '--json'], { stdin: log }), 'success');
    expect(result.inputs.find((i) => i.name === 'username')).to.include({ value: 'ci@acme.com', source: 'log' });
    expect(result.checks.filter((c) => c.id.startsWith('url.') && c.status === 'pass')).to.deep.equal([]);
  });

  it('a log whose command line names the URL keeps it in the header and passes its URL checks', async () => {
    const human = await runInProcess(['--from-log', join(LOG_DIR, 'user-inactive.human.txt')]);
    expect(human.stdout.split('\n')[0]).to.equal(
      text('render.header', { username: 'ci@acme.com', instanceUrl: 'https://acme.my.salesforce.com' }),
    );
    const result = resultOf(
      await runInProcess(['--from-log', join(LOG_DIR, 'user-inactive.human.txt'), '--json']),
      'with command line',
    );
    expect(result.checks.find((c) => c.id === 'url.parse')?.status).to.equal('pass');
  });
});
