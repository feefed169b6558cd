/*
 * --report-file (issue 11, item 10): a path equal to an input file (the key file, by name or as a hard link), a file
 * of sf's own state (~/.sfdx), a symbolic link (even one made after the check) or a directory is refused before any
 * request, as a usage error naming the path and why, and nothing is overwritten; the report is created with mode
 * 0600; a write that fails at the end keeps the result (the diagnosis, its exit code) with a named warning naming
 * the path and the errno in words, never a stack trace.
 */
import { expect } from 'chai';
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { checkOutputPath, OutputFileError, writeOutputFile } from '../../src/salesforce/outputFile.js';
import { removeDir, runInProcess, tempHome } from '../helpers/cli.js';
import { STACK_FRAME } from '../helpers/parallel.js';
import { schemaErrors } from '../helpers/schema.js';
import { loginArgs as scenarioLoginArgs } from '../helpers/loginArgs.js';

const loginArgs = (sim: Simulator): string[] => scenarioLoginArgs(sim, '--json');

describe('reliability: --report-file never overwrites what it must not, and never loses the result', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let home: string;

  beforeEach(async () => {
    sim = await startSimulator({ scenario: 'self-authorize-never-approved' });
    home = tempHome();
  });
  afterEach(async () => {
    removeDir(home);
    await sim.stop();
  });

  it('refuses an input file, a hard link to it, sf state, a symbolic link and a directory: exit 2, no request, nothing changed', async () => {
    const key = sim.login!.keyFile;
    const keyBefore = readFileSync(key, 'utf8');
    mkdirSync(join(home, '.sfdx'), { recursive: true });
    const aliases = join(home, '.sfdx', 'alias.json');
    writeFileSync(aliases, '{"orgs":{}}\n');
    const hardLink = join(home, 'key-copy.pem');
    linkSync(key, hardLink);
    const link = join(home, 'report-link.md');
    symlinkSync(aliases, link);
    const dangling = join(home, 'dangling.md');
    symlinkSync(join(home, 'nowhere', 'x.md'), dangling);
    const cases: Array<[string, RegExp]> = [
      [key, /input files/],
      [hardLink, /input files/],
      [aliases, /sf's own state/],
      [join(home, '.sfdx', 'new-report.md'), /sf's own state/],
      [link, /symbolic link/],
      [dangling, /symbolic link/],
      [home, /is a directory/],
      [join(home, 'missing', 'r.md'), /directory does not exist/],
    ];
    for (const [file, reason] of cases) {
      sim.clearLog();
      const run = await runInProcess([...loginArgs(sim), '--report-file', file], { env: sim.env, home });
      expect(run.code, file).to.equal(2);
      expect(run.json?.name, file).to.equal('ReportFileInvalidError');
      expect(run.json?.message, file).to.include(file).and.to.match(reason);
      expect(sim.requests, `${file}: refused before any request`).to.deep.equal([]);
      expect(`${run.stdout}${run.stderr}`).to.not.match(STACK_FRAME);
    }
    expect(readFileSync(key, 'utf8')).to.equal(keyBefore);
    expect(readFileSync(aliases, 'utf8')).to.equal('{"orgs":{}}\n');
    expect(lstatSync(link).isSymbolicLink()).to.equal(true);
    console.log(
      `      refused ${cases.length} paths (key file, hard link, sf state, symlinks, directory, missing directory): key file and alias.json unchanged`,
    );
  });

  it('creates the report 0600, and an existing 0644 report becomes 0600', async () => {
    const fresh = join(home, 'new.md');
    const old = join(home, 'old.md');
    writeFileSync(old, 'old report', { mode: 0o644 });
    chmodSync(old, 0o644);
    for (const file of [fresh, old]) {
      const run = await runInProcess([...loginArgs(sim), '--report-file', file], { env: sim.env, home });
      expect(run.code).to.equal(1);
      expect(statSync(file).mode & 0o777, file).to.equal(0o600);
      expect(readFileSync(file, 'utf8')).to.match(/USER_NOT_APPROVED/);
    }
    console.log('      new and existing reports: mode 0600, written');
  });

  it('a write that fails at the end keeps the result: its exit code, a named warning with the errno in words', async () => {
    const dir = join(home, 'out');
    mkdirSync(dir);
    const file = join(dir, 'report.md');
    await sim.stop();
    // The directory disappears while the run talks to the org: the check passed, the write cannot.
    sim = await startSimulator({
      scenario: 'self-authorize-never-approved',
      onRequest: () => rmSync(dir, { recursive: true, force: true }),
    });
    for (const json of [true, false]) {
      mkdirSync(dir, { recursive: true });
      const args = loginArgs(sim).filter((a) => json || a !== '--json');
      const run = await runInProcess([...args, '--report-file', file], { env: sim.env, home });
      expect(run.code, run.stderr).to.equal(1);
      expect(`${run.stdout}${run.stderr}`).to.not.match(STACK_FRAME);
      if (json) {
        expect(schemaErrors(run.json!.result)).to.deep.equal([]);
        expect(run.json!.result.cause?.code).to.equal('USER_NOT_APPROVED');
        expect(JSON.stringify(run.json!.warnings))
          .to.include('ReportFileNotWritten')
          .and.to.include(file)
          .and.to.include('its directory does not exist (ENOENT)');
      } else {
        expect(run.stdout).to.match(/USER_NOT_APPROVED/);
        expect(run.stderr).to.include('ReportFileNotWritten').and.to.include(file).and.to.include('(ENOENT)');
      }
    }
    console.log(
      '      write failed at the end (directory removed mid-run): result kept, exit 1, named warning with ENOENT in words (json and human)',
    );
  });

  it('a symbolic link put in place after the check is not followed by the write', async () => {
    const target = join(home, 'precious.txt');
    writeFileSync(target, 'keep me');
    const file = join(home, 'race.md');
    await checkOutputPath(file, []);
    symlinkSync(target, file);
    const error = await writeOutputFile(file, 'report', []).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OutputFileError);
    expect((error as OutputFileError).reason).to.match(/symbolic link.*ELOOP/);
    expect(readFileSync(target, 'utf8')).to.equal('keep me');
    // A hard link to an input made after the check: caught through the open handle, before anything is truncated.
    const key = join(home, 'key.pem');
    writeFileSync(key, 'KEY');
    const other = join(home, 'other.md');
    await checkOutputPath(other, [key]);
    linkSync(key, other);
    const again = await writeOutputFile(other, 'report', [key]).catch((e: unknown) => e);
    expect((again as OutputFileError).reason).to.match(/input files/);
    expect(readFileSync(key, 'utf8')).to.equal('KEY');
    console.log(
      '      link swapped in after the check: not followed (ELOOP), hard link to the key caught before truncation',
    );
  });
});
