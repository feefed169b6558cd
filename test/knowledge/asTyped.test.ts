/*
 * The login line keeps --instance-url as the user typed it when the probe proved the same URL (no added slash).
 */
import { expect } from 'chai';
import { asTyped } from '../../src/knowledge/instanceUrl.js';

describe('asTyped', () => {
  it('keeps the typed URL when it is the proved one, else the proved one', () => {
    expect(asTyped('https://acme.my.salesforce.com/', 'https://acme.my.salesforce.com')).to.equal(
      'https://acme.my.salesforce.com',
    );
    expect(asTyped('https://acme.my.salesforce.com/', 'https://acme.lightning.force.com/lightning')).to.equal(
      'https://acme.my.salesforce.com/',
    );
    expect(asTyped('https://login.salesforce.com/', 'not a url')).to.equal('https://login.salesforce.com/');
    expect(asTyped(undefined, 'https://acme.my.salesforce.com')).to.equal(undefined);
  });
});
