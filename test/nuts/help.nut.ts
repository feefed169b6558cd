/*
 * The help a user reads (NUT: the real `--help` and `-h`, as oclif renders them in a process): each flag's summary is
 * its own (the three save-only flags once showed --no-prompt's text), every flag of `sf org login jwt` is there with
 * its character, the usage line has no stray tokens, `-h` fits a screen, and the whole `--help` is checked in
 * (test/nuts/help.snapshot.txt): a change to it is a reviewed change. UPDATE_HELP_SNAPSHOT=1 rewrites the snapshot.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROOT, runDoctorProcess } from '../helpers/cli.js';

const SNAPSHOT = join(ROOT, 'test', 'nuts', 'help.snapshot.txt');
/** A terminal of 80 columns, as oclif wraps for one; a screen is 24 lines and more in practice (sf's -h: ~22). */
const ENV = { COLUMNS: '80' };
const SCREEN_LINES = 40;

describe('NUT: sf org jwt doctor --help', function () {
  this.timeout(60_000);

  it('gives every flag its own summary, a clean usage line, and matches the checked-in help', async () => {
    const run = await runDoctorProcess(['--help'], { env: ENV });
    expect(run.code).to.equal(0);
    const help = run.stdout.replace(/\s+/g, ' ');
    for (const [flag, words] of [
      ['-a, --alias=<value>', /Ignored \(saves no login, so sets no alias\)/],
      ['-s, --set-default', /Ignored \(sets no default org\)/],
      ['-d, --set-default-dev-hub', /Ignored \(sets no default Dev Hub\)/],
      ['-p, --no-prompt', /With --fix: apply the plan without asking/],
    ] as const) {
      const at = help.indexOf(flag);
      expect(at, flag).to.be.greaterThan(-1);
      expect(help.slice(at + flag.length, at + flag.length + 60), flag).to.match(words);
    }
    for (const flag of ['-o, --username', '-f, --jwt-key-file', '-i, --client-id', '-r, --instance-url'])
      expect(help).to.include(flag);

    const usage = /USAGE\n([\s\S]*?)\n\n/.exec(run.stdout)![1].replace(/\s+/g, ' ');
    expect(usage, 'no empty alternative or bracket').to.not.match(/\| \]|\[ *\]|\s\]/);
    // Every bracket holds one flag (with its value): no groups a reader must decode.
    for (const element of usage.match(/\[[^\]]*\]/g) ?? []) expect(element).to.match(/^\[--?[\w-]+( <value>)?\]$/);

    for (const example of ['--admin-org', '--sandbox uat', '--all --json', '--from-org'])
      expect(help, `an example with ${example}`).to.include(`$ sf org jwt doctor`).and.to.match(new RegExp(example));

    if (process.env.UPDATE_HELP_SNAPSHOT) writeFileSync(SNAPSHOT, run.stdout);
    expect(run.stdout, 'the help changed: review it, then UPDATE_HELP_SNAPSHOT=1 to check it in').to.equal(
      readFileSync(SNAPSHOT, 'utf8'),
    );
  });

  it('-h is the short help and fits a screen: summary, usage and one line per flag', async () => {
    const run = await runDoctorProcess(['-h'], { env: ENV });
    expect(run.code).to.equal(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length, run.stdout).to.be.at.most(SCREEN_LINES);
    expect(run.stdout).to.not.include('DESCRIPTION');
    expect(run.stdout).to.not.include('FLAG DESCRIPTIONS');
    const flagLines = lines.filter((l) => /^ {2}(-\w, )?--[\w-]+/.test(l) || /^ {6}--[\w-]+/.test(l));
    const continuation = lines.filter((l) => /^ {30}\S/.test(l));
    expect(flagLines.length).to.be.greaterThan(20);
    expect(continuation, 'every flag summary fits on its line').to.deep.equal([]);
  });
});
