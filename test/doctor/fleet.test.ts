import { expect } from 'chai';
import { fleetRows, oneLineFix, runFleet, worstVerdict } from '../../src/doctor/fleet.js';
import { resultOf } from '../helpers/results.js';

const result = resultOf;

describe('--all: the fleet', () => {
  it('ranks verdicts: fail > inconclusive > warn > pass', () => {
    expect(worstVerdict([])).to.equal('pass');
    expect(worstVerdict(['pass', 'warn'])).to.equal('warn');
    expect(worstVerdict(['warn', 'inconclusive', 'pass'])).to.equal('inconclusive');
    expect(worstVerdict(['inconclusive', 'fail', 'warn'])).to.equal('fail');
  });

  it('runs every login once, keeps their order, never more than the concurrency at a time', async () => {
    let running = 0;
    let peak = 0;
    const names = Array.from({ length: 23 }, (_, i) => `u${i}@x.com`);
    const entries = await runFleet(
      names,
      async (username) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5 + (username.length % 3)));
        running -= 1;
        return { username, result: result('pass') };
      },
      4,
    );
    expect(entries.map((e) => e.username)).to.deep.equal(names);
    expect(peak).to.equal(4);
  });

  it('summarises a fix in one line', () => {
    const r = result('fail');
    expect(oneLineFix(r)).to.equal('');
    r.fixes.push({ title: 'Do it', steps: ['a'], commands: ['sf x'], links: [] });
    expect(oneLineFix(r)).to.equal('Do it: sf x');
  });

  it('marks a likely cause, keeps the table to titles and gives each command whole, by the name --from-org takes', () => {
    const likely = result('fail');
    likely.cause = { code: 'USER_NOT_FOUND', confidence: 'likely', summary: 's', alternatives: [] } as never;
    likely.fixes.push({ title: 'Create the user', steps: ['a'], commands: ['sf x --long one'], links: [] });
    const confirmed = result('fail');
    confirmed.cause = { code: 'KEY_FILE_MISSING', confidence: 'confirmed', summary: 's', alternatives: [] } as never;
    confirmed.fixes.push({ title: 'Point it at the key', steps: ['a'], commands: [], links: [] });
    const { rows, commands } = fleetRows([
      { username: 'a@x.com', alias: 'ci', result: likely },
      { username: 'b@x.com', result: confirmed },
      { username: 'c@x.com', result: result('pass') },
    ]);
    expect(rows.map((r) => [r.org, r.cause, r.fix])).to.deep.equal([
      ['ci (a@x.com)', 'USER_NOT_FOUND (likely)', 'Create the user'],
      ['b@x.com', 'KEY_FILE_MISSING', 'Point it at the key'],
      ['c@x.com', '', ''],
    ]);
    expect(commands).to.deep.equal([{ org: 'ci', command: 'sf x --long one' }]);
  });
});
