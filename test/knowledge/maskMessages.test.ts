/*
 * The one masking path must not eat the doctor's own words: every text of messages/*.md goes through it unchanged
 * ("Salesforce could not verify the assertion: most likely …" once lost its next word to the token-field rule).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { removeKeyMaterial } from '../../src/knowledge/mask.js';
import { ROOT } from '../helpers/cli.js';

describe('masking and the messages', () => {
  it('leaves every message text as written', () => {
    const changed: string[] = [];
    for (const file of readdirSync(join(ROOT, 'messages')).filter((f) => f.endsWith('.md'))) {
      const sections = readFileSync(join(ROOT, 'messages', file), 'utf8')
        .split(/^# /m)
        .slice(1);
      for (const section of sections) {
        const [key, ...body] = section.split('\n');
        for (const line of body.filter(Boolean))
          if (removeKeyMaterial(line) !== line) changed.push(`${file} ${key}: ${line}`);
      }
    }
    expect(changed).to.deep.equal([]);
  });

  it('still removes a token field value, quoted or not', () => {
    expect(removeKeyMaterial('"access_token":"00Dxx0000001gPL!AR8AQJXg"')).to.not.include('00Dxx');
    expect(removeKeyMaterial('assertion=eyJhbGciOiJSUzI1NiJ9.e30.sig')).to.not.include('eyJ');
    expect(removeKeyMaterial('refresh_token: 5Aep861TSESvWeug_xvFHRBTTbf')).to.not.include('5Aep');
    expect(removeKeyMaterial('the assertion: most likely')).to.equal('the assertion: most likely');
  });
});
