import { expect } from 'chai';
import { classifyUrl } from '../../src/knowledge/instanceUrl.js';
import {
  ambiguousSuffix,
  inspectUsername,
  likelyIntended,
  listCharacters,
  sandboxSuffix,
  unusualCharacters,
  visibleText,
  visibleUsername,
} from '../../src/knowledge/username.js';

describe('username', () => {
  describe('inspectUsername', () => {
    it('passes a plain username and a sandbox username', () => {
      for (const u of ['ci@acme.com', 'ci.bot+jwt@acme.co.uk', 'ci@acme.com.uat', '00x7Vqci@acme.com.test']) {
        const f = inspectUsername(u);
        expect(f, u).to.include({
          wellShaped: true,
          empty: false,
          urlEscaped: false,
          quoted: false,
          leadingOrTrailingWhitespace: false,
        });
        expect(f.invisible.concat(f.lookalikes), u).to.deep.equal([]);
        expect(f.cleaned).to.equal(undefined);
      }
    });

    it('finds empty and whitespace-only usernames', () => {
      expect(inspectUsername(undefined).empty).to.equal(true);
      expect(inspectUsername('   ').empty).to.equal(true);
    });

    it('finds leading and trailing whitespace, including a newline from a secret', () => {
      const f = inspectUsername(' ci@acme.com\n');
      expect(f).to.include({ leadingOrTrailingWhitespace: true, wellShaped: false, cleaned: 'ci@acme.com' });
    });

    it('finds zero-width, NBSP and BOM characters with their positions', () => {
      const f = inspectUsername('\uFEFFci@ac\u200Bme.com\u00A0');
      expect(f.invisible.map((c) => c.codePoint)).to.deep.equal(['U+FEFF', 'U+200B', 'U+00A0']);
      expect(f.invisible[1]).to.include({ index: 6, name: 'ZERO WIDTH SPACE' });
      expect(f.cleaned).to.equal('ci@acme.com');
    });

    it('finds look-alike Cyrillic letters and a full-width @', () => {
      const f = inspectUsername('ci\uFF20\u0430cme.c\u043Em');
      expect(f.lookalikes.map((c) => c.looksLike)).to.deep.equal(['@', 'a', 'o']);
      expect(f.lookalikes[1].name).to.equal('CYRILLIC SMALL LETTER A');
      expect(f.cleaned).to.equal('ci@acme.com');
      expect(f.wellShaped).to.equal(false);
    });

    it('finds URL escaping', () => {
      expect(inspectUsername('ci%40acme.com')).to.include({
        urlEscaped: true,
        cleaned: 'ci@acme.com',
        wellShaped: false,
      });
      expect(inspectUsername('100%sure@acme.com').urlEscaped).to.equal(false);
    });

    it('finds quotes, aliases and malformed shapes', () => {
      expect(inspectUsername('"ci@acme.com"')).to.include({ quoted: true, cleaned: 'ci@acme.com' });
      expect(inspectUsername('my-prod-alias')).to.include({ looksLikeAlias: true, wellShaped: false });
      for (const u of ['ci@acme', 'ci@@acme.com', '@acme.com', 'ci@acme..com', 'c i@acme.com'])
        expect(inspectUsername(u).wellShaped, u).to.equal(false);
    });

    it('makes invisible characters visible for details', () => {
      expect(visibleUsername('ci@ac\u200Bme.com ')).to.equal('"ci@ac\\u{200B}me.com "');
    });
  });

  describe('unusualCharacters', () => {
    it('finds Cyrillic and Greek capitals that look like ASCII (М, Ο) and maps them', () => {
      const c = unusualCharacters('3\u041CVG9\u039Fk');
      expect(c.ascii).to.equal('3MVG9Ok');
      expect(listCharacters(c.lookalikes)).to.equal(
        'U+041C CYRILLIC CAPITAL LETTER EM at position 2 (looks like "M"); U+039F GREEK CAPITAL LETTER OMICRON at position 6 (looks like "O")',
      );
    });

    it('drops invisible characters from the ASCII form and lists other non-ASCII ones', () => {
      const c = unusualCharacters('ab\u2060c\u00e9');
      expect(c.ascii).to.equal('abc\u00e9');
      expect(c.invisible.map((x) => x.codePoint)).to.deep.equal(['U+2060']);
      expect(c.otherNonAscii.map((x) => x.codePoint)).to.deep.equal(['U+00E9']);
      expect(visibleText('\u0430cme')).to.equal('"\\u{430}cme"');
    });
  });

  describe('sandboxSuffix', () => {
    it('finds a suffix after a TLD, and none on a plain or country-code domain', () => {
      expect(sandboxSuffix('ci@acme.com.uat')).to.equal('uat');
      expect(sandboxSuffix('ci@acme.com')).to.equal(undefined);
      expect(sandboxSuffix('ci@acme.co.uk')).to.equal(undefined);
      expect(sandboxSuffix('ci@mail.acme.com')).to.equal(undefined);
      expect(sandboxSuffix('ci@acme.com.au')).to.equal(undefined);
      expect(sandboxSuffix('ci@acme.com.dev')).to.equal('dev');
      expect(sandboxSuffix('no-at-sign')).to.equal(undefined);
    });
    it('reads qa, the common two-letter sandbox name, as a suffix even after com; other two-letter endings stay ambiguous', () => {
      expect(sandboxSuffix('ci@acme.com.qa')).to.equal('qa');
      expect(ambiguousSuffix('ci@acme.com.qa')).to.equal(undefined);
      expect(ambiguousSuffix('ci@acme.com.br')).to.equal('br');
      expect(ambiguousSuffix('ci@acme.co.uk')).to.equal('uk');
      expect(ambiguousSuffix('ci@acme.com.uat')).to.equal(undefined);
      expect(ambiguousSuffix('ci@acme.com')).to.equal(undefined);
    });
    it('trusts the expected sandbox name from the URL', () => {
      expect(sandboxSuffix('ci@acme.example.qa1', 'qa1')).to.equal('qa1');
      expect(sandboxSuffix('ci@acme.example.QA1', 'qa1')).to.equal('qa1');
    });
  });

  describe('likelyIntended', () => {
    const sandbox = classifyUrl('https://acme--uat.sandbox.my.salesforce.com');
    const production = classifyUrl('https://acme.my.salesforce.com');

    it('suggests the suffixed username for a sandbox URL', () => {
      expect(likelyIntended('ci@acme.com', sandbox)).to.deep.equal({
        reason: 'sandbox-url-unsuffixed-username',
        suggestedUsername: 'ci@acme.com.uat',
      });
      expect(likelyIntended('ci@acme.com.uat', sandbox)).to.equal(undefined);
    });

    it("replaces another sandbox's suffix", () => {
      expect(likelyIntended('ci@acme.com.dev', sandbox)).to.deep.equal({
        reason: 'sandbox-suffix-mismatch',
        suggestedUsername: 'ci@acme.com.uat',
      });
      expect(likelyIntended('ci@acme.com.qa', sandbox)).to.deep.equal({
        reason: 'sandbox-suffix-mismatch',
        suggestedUsername: 'ci@acme.com.uat',
      });
    });

    it('suggests the unsuffixed username, or the sandbox URL, for a production URL', () => {
      expect(likelyIntended('ci@acme.com.uat', production)).to.deep.equal({
        reason: 'production-url-suffixed-username',
        suggestedUsername: 'ci@acme.com',
        suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com',
      });
      expect(likelyIntended('ci@acme.com.uat', classifyUrl('https://login.salesforce.com'))).to.include({
        suggestedUrl: 'https://test.salesforce.com',
      });
      expect(likelyIntended('ci@acme.com', production)).to.equal(undefined);
    });

    it('says nothing for test.salesforce.com (scratch usernames have no suffix) or loopback', () => {
      expect(likelyIntended('test-abc@example.com', classifyUrl('https://test.salesforce.com'))).to.equal(undefined);
      expect(likelyIntended('ci@acme.com.uat', classifyUrl('https://127.0.0.1:8443'))).to.equal(undefined);
    });
  });
});
