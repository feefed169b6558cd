import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import {
  jwtAudienceUrl,
  loginAudienceCombos,
  PRODUCTION_URL as PROD,
  SANDBOX_URL as TEST,
} from '../../src/knowledge/loginAudience.js';
import { sfLoginUrl } from '../../src/doctor/inputs.js';

/** The pairs sf tries for `--instance-url` (or none) and an audience override, start to end, as the command derives them. */
function sfLoginAttempts(instanceUrl?: string, overrideAudience?: string): Array<[string, string]> {
  const loginUrl = sfLoginUrl(
    instanceUrl
      ? { value: instanceUrl, source: 'flag', origin: '--instance-url' }
      : { value: PROD, source: 'default', origin: 'sf default' },
  );
  return loginAudienceCombos(jwtAudienceUrl(loginUrl, overrideAudience), loginUrl);
}

/** @salesforce/core 9.4.0's own getLoginAudienceCombos (not exported through its package exports; loaded by path). */
function coreCombos(): (aud: string, login: string) => Array<[string, string]> {
  const require = createRequire(import.meta.url);
  const coreLib = dirname(require.resolve('@salesforce/core'));
  return (
    require(join(coreLib, 'util', 'sfdcUrl.js')) as {
      getLoginAudienceCombos: (a: string, l: string) => Array<[string, string]>;
    }
  ).getLoginAudienceCombos;
}

describe('loginAudience', () => {
  describe('jwtAudienceUrl (SfdcUrl.getJwtAudienceUrl)', () => {
    it('is login.salesforce.com for every ordinary login URL, sandboxes included', () => {
      for (const url of [
        PROD,
        TEST,
        'https://acme.my.salesforce.com/',
        'https://acme--uat.sandbox.my.salesforce.com/',
        'https://cs42.salesforce.com/',
        'https://127.0.0.1:8443/',
      ]) {
        expect(jwtAudienceUrl(url), url).to.equal(PROD);
      }
    });
    it('returns an override verbatim (SF_AUDIENCE_URL), even a malformed one', () => {
      expect(jwtAudienceUrl(PROD, 'https://test.salesforce.com/')).to.equal('https://test.salesforce.com/');
      expect(jwtAudienceUrl(PROD, 'acme.my.salesforce.com')).to.equal('acme.my.salesforce.com');
      expect(jwtAudienceUrl(PROD, '')).to.equal(PROD);
    });
    it('applies the gs1 rule, including its unescaped-dot regex and createdOrgInstance', () => {
      expect(jwtAudienceUrl('https://gs1.my.salesforce.com/')).to.equal('https://gs1.salesforce.com');
      expect(jwtAudienceUrl('https://gs1xmyxsalesforcexcom.example/')).to.equal('https://gs1.salesforce.com');
      expect(jwtAudienceUrl('https://acme.my.salesforce.com/', undefined, 'GS1')).to.equal(
        'https://gs1.salesforce.com',
      );
      expect(jwtAudienceUrl('https://acme.my.salesforce.com/', undefined, 'na1')).to.equal(PROD);
    });
  });

  describe('loginAudienceCombos (getLoginAudienceCombos), sf-cli-baseline.md §5.1 and sf-cli-internals.md §1.4', () => {
    const acme = 'https://acme.my.salesforce.com/';
    const acmeBare = 'https://acme.my.salesforce.com';

    it('My Domain (B): 5 pairs, the My Domain with trailing slash first', () => {
      expect(sfLoginAttempts('https://acme.my.salesforce.com')).to.deep.equal([
        [acme, acme],
        [TEST, TEST],
        [PROD, PROD],
        [acme, PROD],
        [acme, TEST],
      ]);
    });
    it('sandbox My Domain (C5): the same 5-try pattern', () => {
      const sbx = 'https://acme--dev.sandbox.my.salesforce.com/';
      expect(sfLoginAttempts('https://acme--dev.sandbox.my.salesforce.com')).to.deep.equal([
        [sbx, sbx],
        [TEST, TEST],
        [PROD, PROD],
        [sbx, PROD],
        [sbx, TEST],
      ]);
    });
    it('loopback (A1/C1): 5 pairs', () => {
      const lo = 'https://127.0.0.1:8443/';
      expect(sfLoginAttempts('https://127.0.0.1:8443')).to.deep.equal([
        [lo, lo],
        [TEST, TEST],
        [PROD, PROD],
        [lo, PROD],
        [lo, TEST],
      ]);
    });
    it('no --instance-url (C2): login then test', () => {
      expect(sfLoginAttempts()).to.deep.equal([
        [PROD, PROD],
        [TEST, TEST],
      ]);
    });
    it('login.salesforce.com / test.salesforce.com without slash: 2 pairs', () => {
      expect(loginAudienceCombos(PROD, PROD)).to.deep.equal([
        [PROD, PROD],
        [TEST, TEST],
      ]);
      expect(loginAudienceCombos(PROD, TEST)).to.deep.equal([
        [TEST, TEST],
        [PROD, PROD],
      ]);
    });
    it('--instance-url https://test.salesforce.com (C3): the slash defeats the exact-string filter, 3 pairs', () => {
      const testSlash = 'https://test.salesforce.com/';
      expect(sfLoginAttempts('https://test.salesforce.com')).to.deep.equal([
        [testSlash, TEST],
        [PROD, PROD],
        [testSlash, PROD],
      ]);
    });
    it('loopback + SF_AUDIENCE_URL = My Domain (A2/A3): all 11 pairs in candidate order', () => {
      const lo = 'https://127.0.0.1:8443/';
      expect(sfLoginAttempts('https://127.0.0.1:8443', acmeBare)).to.deep.equal([
        [lo, lo],
        [TEST, TEST],
        [PROD, PROD],
        [acmeBare, acmeBare],
        [acmeBare, PROD],
        [acmeBare, TEST],
        [lo, acmeBare],
        [lo, PROD],
        [lo, TEST],
        [PROD, acmeBare],
        [TEST, acmeBare],
      ]);
    });
    it('My Domain + SF_AUDIENCE_URL = the same My Domain (C4): 7 pairs, later values win, first positions kept', () => {
      expect(sfLoginAttempts('https://acme.my.salesforce.com', acmeBare)).to.deep.equal([
        [acme, acmeBare],
        [TEST, TEST],
        [PROD, PROD],
        [acme, PROD],
        [acme, TEST],
        [PROD, acmeBare],
        [TEST, acmeBare],
      ]);
    });
    it("core's unit-test counts: 11 / 7 / 2 / 2", () => {
      expect(loginAudienceCombos('https://a.my.salesforce.com', 'https://b.my.salesforce.com')).to.have.length(11);
      expect(loginAudienceCombos('https://a.my.salesforce.com', 'https://a.my.salesforce.com')).to.have.length(7);
      expect(loginAudienceCombos(PROD, PROD)).to.have.length(2);
      expect(loginAudienceCombos(TEST, TEST)).to.have.length(2);
    });
    it("matches @salesforce/core 9.4.0's own function on every input above and more", () => {
      const core = coreCombos();
      const logins = [
        PROD,
        TEST,
        `${PROD}/`,
        `${TEST}/`,
        acme,
        acmeBare,
        'https://acme--uat.sandbox.my.salesforce.com/',
        'https://127.0.0.1:8443/',
        'http://localhost:1717',
      ];
      const auds = [PROD, TEST, `${TEST}/`, acmeBare, acme, 'https://gs1.salesforce.com'];
      for (const login of logins)
        for (const aud of auds)
          expect(loginAudienceCombos(aud, login), `${login} ${aud}`).to.deep.equal(core(aud, login));
    });
  });
});
