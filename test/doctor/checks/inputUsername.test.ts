import { expect } from 'chai';
import { keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal } from './harness.js';

describe('check input.username', () => {
  let tmp: TempDir;
  let keyFile: string;
  before(() => {
    tmp = tempDir();
    keyFile = tmp.file('server.key', keys().pkcs8);
  });
  after(() => tmp.remove());

  const cases: Array<[name: string, username: string | undefined, fix: string, detail: RegExp, suggested?: string]> = [
    ['missing', undefined, 'username-missing', /No username/],
    ['empty', '', 'username-missing', /No username/],
    ['trailing newline', 'ci@acme.com\n', 'username-whitespace', /leading or trailing whitespace/, 'ci@acme.com'],
    ['leading space', ' ci@acme.com', 'username-whitespace', /" ci@acme.com"/, 'ci@acme.com'],
    [
      'zero-width space',
      'ci@ac\u200Bme.com',
      'username-invisible',
      /U\+200B ZERO WIDTH SPACE at position 6/,
      'ci@acme.com',
    ],
    ['BOM', '\uFEFFci@acme.com', 'username-invisible', /U\+FEFF/, 'ci@acme.com'],
    ['NBSP', 'ci@acme.com\u00A0', 'username-invisible', /NO-BREAK SPACE/, 'ci@acme.com'],
    [
      'Cyrillic a',
      'ci@\u0430cme.com',
      'username-lookalike',
      /CYRILLIC SMALL LETTER A at position 4 \(looks like "a"\)/,
      'ci@acme.com',
    ],
    ['full-width @', 'ci\uFF20acme.com', 'username-lookalike', /FULLWIDTH COMMERCIAL AT/, 'ci@acme.com'],
    ['URL-escaped', 'ci%40acme.com', 'username-url-escaped', /%40 is "@"/, 'ci@acme.com'],
    ['quoted', '"ci@acme.com"', 'username-quoted', /quotes/, 'ci@acme.com'],
    ['alias', 'prod-ci', 'username-is-alias', /alias/],
    ['no TLD', 'ci@acme', 'username-shape', /not shaped like a Salesforce username/],
    ['space inside', 'ci bot@acme.com', 'username-shape', /not shaped/],
  ];

  for (const [name, username, fix, detail, suggested] of cases) {
    it(`fails ${name} with USERNAME_MALFORMED / ${fix}`, async () => {
      const run = await runLocal({ ...goodInputs(keyFile), username });
      const r = run.byId('input.username')!;
      expect(r.result.status).to.equal('fail');
      expect(r.result.detail).to.match(detail);
      expect(r.outcome?.cause).to.include({ code: 'USERNAME_MALFORMED', fix, confidence: 'confirmed' });
      expect(r.outcome!.cause!.weight).to.be.at.least(80);
      if (suggested) expect(r.outcome!.cause!.params!.suggestedUsername).to.equal(suggested);
      // Invisible characters are spelled out, never printed raw.
      expect(r.result.detail).to.not.match(/[\u200B\uFEFF\u00A0]/);
    });
  }

  it('warns about other non-ASCII characters', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), username: 'jürgen@acme.de' })).byId('input.username')!;
    expect(r.result.status).to.equal('warn');
    expect(r.result.detail).to.match(/U\+00FC/);
  });

  it('warns about capitals (Salesforce keeps usernames in lower case), a likely cause with the lower-case username', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), username: 'CI.Bot@Acme.com' })).byId('input.username')!;
    expect(r.result.status).to.equal('warn');
    expect(r.outcome?.cause).to.include({ code: 'USER_NOT_FOUND', confidence: 'likely', fix: 'username-case' });
    expect(r.outcome!.cause!.params!.suggestedUsername).to.equal('ci.bot@acme.com');
  });

  it('passes a sandbox username', async () => {
    expect(
      (await runLocal({ ...goodInputs(keyFile), username: 'ci@acme.com.uat' })).byId('input.username')!.result.status,
    ).to.equal('pass');
  });
});
