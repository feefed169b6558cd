/*
 * The help a user reads (NUT: the real `--help`, as oclif renders it): each flag's summary is its own (the three
 * save-only flags once showed --no-prompt's text), and every flag of `sf org login jwt` is there with its character.
 */
import { expect } from 'chai';
import { runDoctorProcess } from '../helpers/cli.js';

describe('NUT: sf org jwt doctor --help', function () {
  this.timeout(60_000);

  it('gives every flag its own summary, and the characters of sf org login jwt', async () => {
    const run = await runDoctorProcess(['--help']);
    expect(run.code).to.equal(0);
    const help = run.stdout.replace(/\s+/g, ' ');
    for (const [flag, words] of [
      ['-a, --alias=<value>', /sets no alias/],
      ['-s, --set-default', /sets no default org/],
      ['-d, --set-default-dev-hub', /sets no default Dev Hub/],
      ['-p, --no-prompt', /apply the plan without asking/],
    ] as const) {
      const at = help.indexOf(flag);
      expect(at, flag).to.be.greaterThan(-1);
      expect(help.slice(at, at + 220), flag).to.match(words);
    }
    for (const flag of ['-o, --username', '-f, --jwt-key-file', '-i, --client-id', '-r, --instance-url'])
      expect(help).to.include(flag);
  });
});
