/*
 * Masking on its own: each kind of sensitive value, where it hides in real texts (URLs, commands, paths, quotes),
 * what must survive (hosts, cause codes, ordinary words), and idempotence.
 */
import { expect } from 'chai';
import {
  createMasker,
  createScrubber,
  fileName,
  hasKeyMaterial,
  maskClientId,
  maskDeep,
  maskRecordId,
  maskUsername,
  removeKeyMaterial,
  withoutKeyMaterial,
} from '../../src/knowledge/mask.js';
import { certificatePem, rsaPem } from '../helpers/keys.js';
import { keyEncodings, keyLeaks } from '../helpers/leaks.js';

const KEY = '3MVG9h2F28epHuRFzHPEliyhWngce3f8APNSxnGPbASqPADDtSeGePbStPnDbenJkJnAnkYPDDPDe';

describe('mask', () => {
  describe('single values', () => {
    it('usernames keep the first character of each part and the last domain label', () => {
      expect(maskUsername('ci@acme.com')).to.equal('c*@a***.com');
      expect(maskUsername('ci.bot@acme.com.uat')).to.equal('c*****@a***.c**.uat');
      expect(maskUsername('ci')).to.equal('c*');
      expect(maskUsername('ü@ä.de')).to.equal('ü@ä.de');
    });

    it('consumer keys keep 6 + 4 characters; other client ids (maybe a pasted secret) keep 2', () => {
      expect(maskClientId(KEY)).to.equal('3MVG9h…DPDe');
      expect(maskClientId('1234567890ABCDEF1234567890ABCDEF')).to.equal('12…');
    });

    it('record ids keep their key prefix and last 3 characters; paths keep the file name', () => {
      expect(maskRecordId('00D5g000004XyZ1EAI')).to.equal('00D…EAI');
      expect(maskRecordId('0055g00000AbCdE')).to.equal('005…CdE');
      expect(fileName('/home/ci/keys/server.key')).to.equal('server.key');
      expect(fileName('C:\\Users\\ci\\server.key')).to.equal('server.key');
    });
  });

  describe('in text', () => {
    const mask = createMasker({
      usernames: ['ci@acme.com'],
      clientIds: [KEY],
      keyPaths: ['/home/ci/secret-dir/server.key'],
    });

    it('finds usernames in prose, quotes, paths and URL-encoded query strings', () => {
      expect(mask('User "ci@acme.com" (alias ci) in ~/.sfdx/ci@acme.com.json')).to.equal(
        'User "c*@a***.com" (alias ci) in ~/.sfdx/c*@a***.c**.json',
      );
      expect(mask('login_hint=ci%40acme.com&x=1')).to.equal('login_hint=c*%40a***.com&x=1');
      expect(mask('other.user@example.org and ci@acme.com.uat')).to.equal('o*********@e******.org and c*@a***.c**.uat');
    });

    it('finds consumer keys, the exact client id and org/user ids, but keeps hosts and codes', () => {
      const text = `sf org login jwt --client-id ${KEY} --instance-url https://acme.my.salesforce.com/ → USER_NOT_APPROVED`;
      expect(mask(text)).to.equal(
        'sf org login jwt --client-id 3MVG9h…DPDe --instance-url https://acme.my.salesforce.com/ → USER_NOT_APPROVED',
      );
      expect(
        mask(
          `open 'https://acme.my.salesforce.com/services/oauth2/authorize?client_id=${encodeURIComponent(KEY)}&scope=api'`,
        ),
      ).to.include('client_id=3MVG9h…DPDe&');
      expect(mask('Org 00D5g000004XyZ1EAI (00D5g000004XyZ1), user 0055g00000AbCdEFGH.')).to.equal(
        'Org 00D…EAI (00D…yZ1), user 005…FGH.',
      );
      const odd = createMasker({ clientIds: ['not-a-key-value'] });
      expect(odd('client id not-a-key-value given')).to.equal('client id no… given');
    });

    it('reduces key paths to the file name, known or not, and leaves URL paths alone', () => {
      expect(mask('/home/ci/secret-dir/server.key: 1704 bytes')).to.equal('server.key: 1704 bytes');
      expect(mask('--jwt-key-file /opt/ci/ci.key and C:\\keys\\prod.pem and ~/certs/a.crt')).to.equal(
        '--jwt-key-file ci.key and prod.pem and a.crt',
      );
      expect(mask('https://acme.my.salesforce.com/services/oauth2/token')).to.equal(
        'https://acme.my.salesforce.com/services/oauth2/token',
      );
    });

    it('removes anything shaped like a secret', () => {
      const { pkcs8 } = rsaPem();
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSIsInN1YiI6ImNpQGFjbWUuY29tIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
      const out = mask(
        `key:\n${pkcs8}\nassertion ${jwt}\ntoken 00D5g000004XyZ1!AQ8AQPp7c2lnbmF0dXJl.x_Y\nsecret 5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJZ8Kj1f3Fz3mEbI1nE`,
      );
      expect(out).to.not.match(/BEGIN PRIVATE KEY-----\s*MII/);
      expect(out).to.include('[PEM block removed]').and.include('[JWT removed]').and.include('[access token removed]');
      expect(out).to.not.include('eyJ').and.not.include('AQ8AQPp7').and.not.include('5Aep861TSES');
      // A header named in a fix text is not a secret.
      expect(mask('the file must start with -----BEGIN PRIVATE KEY-----.')).to.equal(
        'the file must start with -----BEGIN PRIVATE KEY-----.',
      );
    });

    it('is idempotent and leaves ordinary text alone', () => {
      const text = `ci@acme.com ${KEY} 00D5g000004XyZ1EAI /home/ci/secret-dir/server.key`;
      expect(mask(mask(text))).to.equal(mask(text));
      const plain =
        'RSA 2048-bit private key (PKCS8), public key sha256:66:5b:69:48; 5 login/audience pairs; HTTP 400 in 43 ms.';
      expect(mask(plain)).to.equal(plain);
    });

    it('maskDeep masks every string of a nested value and keeps its shape', () => {
      const value = { a: ['ci@acme.com', 3, null], b: { c: KEY, d: true } };
      expect(maskDeep(value, mask)).to.deep.equal({ a: ['c*@a***.com', 3, null], b: { c: '3MVG9h…DPDe', d: true } });
    });
  });
});

describe('removeSecrets (text from an org, echoed to the user)', () => {
  it('removes token fields, JWTs, access tokens and secret-looking runs, keeps prose', async () => {
    const { removeSecrets } = await import('../../src/knowledge/mask.js');
    const text =
      'oops {"access_token":"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog","refresh_token":"5Aep861xe54KsdIX77ezSvzv26yW8Y","id_token":"x"} eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSJ9.c2lnbmF0dXJl maintenance until 10:00';
    const out = removeSecrets(text);
    expect(out).to.not.match(/00Dxx0000001gPL!|5Aep861xe54|eyJhbGci/);
    expect(out).to.match(/access_token":"\[removed\]/);
    expect(out).to.match(/maintenance until 10:00/);
  });

  describe('removeKeyMaterial (every output, masked or not)', () => {
    const { pkcs8 } = rsaPem();
    const body = pkcs8
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');

    it('removes a key whole, without line breaks, with spaces or escaped newlines, and cut short', () => {
      const forms = [
        pkcs8,
        pkcs8.replace(/\n/g, ''),
        pkcs8.replace(/\n/g, ' '),
        pkcs8.replace(/\n/g, '\\n'),
        `-----BEGIN RSA PRIVATE KEY-----\n${body.slice(0, 200)}`,
        '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,0123\n\nabc\n-----END RSA PRIVATE KEY-----',
      ];
      for (const form of forms) {
        const out = removeKeyMaterial(`--jwt-key-file "${form}" given`);
        expect(out, form.slice(0, 60)).to.include('[private key removed]');
        expect(out).to.not.include(body.slice(0, 16)).and.not.include('ENCRYPTED');
      }
    });

    it("keeps the headers the doctor's own fix texts name", () => {
      for (const text of [
        'Point --jwt-key-file at the private key file (it starts with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).',
        "{ echo '-----BEGIN PRIVATE KEY-----'; tr -d ' \\r\\n' < ci.key | fold -w 64; echo; echo '-----END PRIVATE KEY-----'; } > server.key",
        "The file is an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----), which Node's crypto cannot read.",
        'ci.key is not a PEM private key (it does not contain a -----BEGIN … PRIVATE KEY----- block).',
      ]) {
        expect(removeKeyMaterial(text)).to.equal(text);
      }
    });

    it('removes a key in every encoding a paste gives it, keeps a certificate, and a scrubber finds its pieces in any case', () => {
      for (const [name, form] of Object.entries(keyEncodings(pkcs8))) {
        expect(hasKeyMaterial(form), name).to.equal(true);
        const out = removeKeyMaterial(`--instance-url "https://acme.my.salesforce.com/${form}" given`);
        expect(keyLeaks(out, pkcs8), `${name}: ${out.slice(0, 120)}`).to.deep.equal([]);
        expect(out, name).to.include('https://acme.my.salesforce.com/').and.include('given');
      }
      const certBody = certificatePem(pkcs8)
        .split(/\r?\n/)
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
      expect(removeKeyMaterial(`<certificate>${certBody}</certificate>`)).to.include(certBody);
      expect(withoutKeyMaterial(`ci@acme.com${body}`)).to.equal('[private key removed]');
      expect(withoutKeyMaterial('ci@acme.com')).to.equal('ci@acme.com');
      const scrub = createScrubber(['--username', pkcs8.replace(/\n/g, '\\u{A}')]);
      const lowered = `host ${body.slice(100, 160).toLowerCase()}.my.salesforce.com`;
      expect(keyLeaks(scrub(lowered), pkcs8)).to.deep.equal([]);
      console.log(
        `      ${Object.keys(keyEncodings(pkcs8)).length} encodings removed, a certificate kept, a lower-cased piece found by the scrubber`,
      );
    });
  });
});
