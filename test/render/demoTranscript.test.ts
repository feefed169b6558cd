/*
 * The README's demo transcript is the real output (issue 12, point 6): the demo's first run (scripts/demo.ts: the
 * simulated org of seed 000, the doctor with the scenario's login flags) rendered in-process and compared line by line
 * with the README block under "## The demo", the temporary directory and the millisecond timings normalised. Then
 * the seed's fix (the user's approval with refresh_token) and the second run, whose first line the README quotes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { startSimulator } from '../../simulator/index.js';
import { removeDir, ROOT, runInProcess, tempHome } from '../helpers/cli.js';

const SCENARIO = 'self-authorize-never-approved';

function demoSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## The demo\n');
  expect(start, 'README has "## The demo"').to.be.greaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function transcript(section: string): string[] {
  const block = /\n```\n(\$ sf org jwt doctor [\s\S]*?)\n```\n/.exec(section);
  expect(block, 'a ``` block starting with "$ sf org jwt doctor"').to.not.equal(null);
  return block![1].split('\n');
}

describe('README: the demo transcript is the real output', function () {
  this.timeout(120_000);

  it('the first run matches the README block, line by line; the second run opens as the README says', async () => {
    const sim = await startSimulator({ scenario: SCENARIO });
    try {
      const login = sim.login!;
      const args = ['--username', login.username, '--jwt-key-file', login.keyFile, '--client-id', login.clientId];
      if (login.instanceUrl) args.push('--instance-url', login.instanceUrl);
      const normalise = (lines: string[]): string[] =>
        lines.map((l) =>
          l
            .split(dirname(login.keyFile))
            .join('<temp dir>')
            .replace(/\b\d+ ms\b/g, '<n> ms'),
        );

      const home = tempHome();
      try {
        const first = await runInProcess(args, { env: sim.env, home, timeoutMs: 60_000 });
        const actual = normalise([
          `$ sf org jwt doctor ${args.join(' ')}`,
          '',
          ...first.stdout.trimEnd().split('\n'),
          '',
          `(exit code ${first.code})`,
        ]);
        let section = demoSection();
        if (process.env.UPDATE_README_TRANSCRIPT) {
          // Review the diff before committing: the README shows this output as what a user sees.
          // A line that differs only in its timings keeps the README's figures.
          const old = transcript(section);
          const lines = actual.map((line, i) =>
            old[i] !== undefined && normalise([old[i]])[0] === line ? old[i] : line,
          );
          const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
          writeFileSync(join(ROOT, 'README.md'), readme.replace(old.join('\n'), lines.join('\n')));
          section = demoSection();
        }
        expect(normalise(transcript(section))).to.deep.equal(actual);

        sim.approve(login.username, sim.scenario.login!.app!, ['api', 'refresh_token']);
        const second = await runInProcess(args, { env: sim.env, home, timeoutMs: 60_000 });
        const opens = /The second run opens with `([^`]+)` and exit code (\d)/.exec(section);
        expect(opens, 'README says how the second run opens').to.not.equal(null);
        expect(second.stdout.split('\n')[2]).to.equal(opens![1]);
        expect(second.code).to.equal(Number(opens![2]));
        console.log(`      README transcript: ${actual.length} lines match; second run: ${opens![1]}`);
      } finally {
        removeDir(home);
      }
    } finally {
      await sim.stop();
    }
  });
});
