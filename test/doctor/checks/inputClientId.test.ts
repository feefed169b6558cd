import { expect } from 'chai';
import { keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal } from './harness.js';

describe('check input.client-id', () => {
  let tmp: TempDir;
  let keyFile: string;
  before(() => {
    tmp = tempDir();
    keyFile = tmp.file('server.key', keys().pkcs8);
  });
  after(() => tmp.remove());

  const key = '3MVG9abcdefghijklmnopqrstuvwxyz.ABCDEFGHIJ_0123456789';
  const cases: Array<
    [name: string, clientId: string | undefined, status: 'fail' | 'warn', fix: string, detail: RegExp]
  > = [
    ['missing', undefined, 'fail', 'client-id-missing', /No client id/],
    ['whitespace only', '   ', 'fail', 'client-id-missing', /No client id/],
    ['trailing newline', `${key}\n`, 'fail', 'client-id-whitespace', /whitespace/],
    ['leading space', ` ${key}`, 'fail', 'client-id-whitespace', /client identifier invalid/],
    ['quoted', `"${key}"`, 'fail', 'client-id-whitespace', /quotes/],
    ['zero-width', `${key}\u200B`, 'fail', 'client-id-whitespace', /invisible/],
    [
      'combining grapheme joiner',
      `${key.slice(0, 10)}\u034F${key.slice(10)}`,
      'fail',
      'client-id-whitespace',
      /invisible/,
    ],
    [
      'Cyrillic look-alike',
      `3\u041CVG9${key.slice(5)}`,
      'fail',
      'client-id-lookalike',
      /U\+041C CYRILLIC CAPITAL LETTER EM at position 2 \(looks like "M"\)/,
    ],
    [
      'Greek look-alike',
      `${key.slice(0, 20)}\u039F${key.slice(21)}`,
      'fail',
      'client-id-lookalike',
      /GREEK CAPITAL LETTER OMICRON/,
    ],
    ['consumer secret (digits)', '1234567890123456789', 'warn', 'client-id-is-secret', /consumer secret/],
    [
      'consumer secret (hex)',
      'A'.repeat(32) + '0123456789ABCDEF0123456789ABCDEF',
      'warn',
      'client-id-is-secret',
      /consumer secret/,
    ],
    ['record Id', '0H4Hs000000TkB9KAK', 'warn', 'client-id-is-record-id', /record Id/],
    ['bad characters', '3MVG9-abc/def+ghi', 'warn', 'client-id-shape', /letters, digits/],
    ['too short', '3MVG9a', 'warn', 'client-id-shape', /8–256/],
    ['no 3MVG prefix', 'customConsumerKey_2024', 'warn', 'client-id-shape', /does not start with 3MVG/],
  ];

  for (const [name, clientId, status, fix, detail] of cases) {
    it(`${status}s ${name} (${fix})`, async () => {
      const r = (await runLocal({ ...goodInputs(keyFile), clientId })).byId('input.client-id')!;
      expect(r.result.status).to.equal(status);
      expect(r.result.detail).to.match(detail);
      expect(r.outcome?.cause).to.include({
        code: 'CLIENT_ID_INVALID',
        fix,
        confidence: status === 'fail' ? 'confirmed' : 'likely',
      });
    });
  }

  it('gives the cleaned value for a whitespace fix', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), clientId: ` ${key}\n` })).byId('input.client-id')!;
    expect(r.outcome!.cause!.params).to.deep.equal({ cleanedClientId: key });
  });

  it('gives the ASCII value for a look-alike fix, also without the whitespace', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), clientId: `3\u041CVG9${key.slice(5)}\n` })).byId(
      'input.client-id',
    )!;
    expect(r.result.detail).to.match(/also contains whitespace/);
    expect(r.outcome!.cause!.params!.cleanedClientId).to.equal(key);
  });

  it('says an empty value is empty', async () => {
    expect((await runLocal({ ...goodInputs(keyFile), clientId: '' })).byId('input.client-id')!.result.detail).to.match(
      /No client id \(the value given is empty\)/,
    );
  });

  it('passes a generated consumer key', async () => {
    expect((await runLocal(goodInputs(keyFile))).byId('input.client-id')!.result.status).to.equal('pass');
  });
});
