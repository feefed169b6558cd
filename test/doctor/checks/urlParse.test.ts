import { expect } from 'chai';
import { sfTokenUrl } from '../../../src/doctor/checks/urlParse.js';
import { keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal } from './harness.js';

describe('check url.parse', () => {
  let tmp: TempDir;
  let keyFile: string;
  before(() => {
    tmp = tempDir();
    keyFile = tmp.file('server.key', keys().pkcs8);
  });
  after(() => tmp.remove());

  const cases: Array<[name: string, url: string, fix: string, detail: RegExp, suggested: string]> = [
    [
      'no scheme',
      'acme.my.salesforce.com',
      'url-missing-scheme',
      /not a valid https URL.*Use https:\/\/acme\.my\.salesforce\.com instead/,
      'https://acme.my.salesforce.com',
    ],
    ['garbage', 'my org', 'url-malformed', /not a valid https URL/, 'https://MyDomainName.my.salesforce.com'],
    [
      'Lightning',
      'https://acme.lightning.force.com/lightning/page/home',
      'url-lightning',
      /It should NOT be a lightning domain/,
      'https://acme.my.salesforce.com',
    ],
    [
      'sandbox Lightning',
      'https://acme--uat.sandbox.lightning.force.com',
      'url-lightning',
      /Lightning Experience host/,
      'https://acme--uat.sandbox.my.salesforce.com',
    ],
    [
      'Gov Lightning',
      'https://acme.lightning.crmforce.mil',
      'url-lightning',
      /lightning/,
      'https://acme.my.salesforce.mil',
    ],
    ['Visualforce', 'https://acme--c.vf.force.com', 'url-visualforce', /Visualforce/, 'https://acme.my.salesforce.com'],
    [
      'Setup',
      'https://acme--uat.sandbox.my.salesforce-setup.com',
      'url-setup',
      /Setup pages/,
      'https://acme--uat.sandbox.my.salesforce.com',
    ],
    [
      'Experience site',
      'https://acme.my.site.com',
      'url-experience',
      /Experience Cloud/,
      'https://acme.my.salesforce.com',
    ],
    [
      'legacy Sites domain',
      'https://acme.force.com',
      'url-experience',
      /Experience Cloud/,
      'https://MyDomainName.my.salesforce.com',
    ],
    [
      'China app domain',
      'https://acme.my.sfcrmapps.cn',
      'url-china-domain',
      /sfcrmproducts\.cn/,
      'https://acme.my.sfcrmproducts.cn',
    ],
    [
      'token endpoint pasted',
      'https://acme.my.salesforce.com/services/oauth2/token',
      'url-path',
      /services\/oauth2\/token\/services\/oauth2\/token/,
      'https://acme.my.salesforce.com',
    ],
    [
      'page pasted',
      'https://acme.my.salesforce.com/home/home.jsp',
      'url-path',
      /home\/home\.jsp/,
      'https://acme.my.salesforce.com',
    ],
  ];

  for (const [name, url, fix, detail, suggested] of cases) {
    it(`fails ${name} with INSTANCE_URL_INVALID / ${fix}`, async () => {
      const r = (await runLocal({ ...goodInputs(keyFile), instanceUrl: url })).byId('url.parse')!;
      expect(r.result.status).to.equal('fail');
      expect(r.result.detail).to.match(detail);
      expect(r.outcome?.cause).to.include({ code: 'INSTANCE_URL_INVALID', fix });
      expect(r.outcome!.cause!.params!.suggestedUrl).to.equal(suggested);
    });
  }

  it('fails a URL with a user name and password, without ever showing the password', async () => {
    const run = await runLocal({ ...goodInputs(keyFile), instanceUrl: 'https://user:s3cretpw@acme.my.salesforce.com' });
    const r = run.byId('url.parse')!;
    expect(r.result.status).to.equal('fail');
    expect(r.result.detail).to.match(/user name or password.*includes credentials/);
    expect(r.outcome?.cause).to.include({ code: 'INSTANCE_URL_INVALID', fix: 'url-credentials' });
    expect(r.outcome!.cause!.params!.suggestedUrl).to.equal('https://acme.my.salesforce.com');
    expect(run.text).to.not.contain('s3cretpw');
  });

  it('fails a host typed with a look-alike letter, naming it and the punycode label', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), instanceUrl: 'https://\u0430cme.my.salesforce.com' })).byId(
      'url.parse',
    )!;
    expect(r.result.status).to.equal('fail');
    expect(r.result.detail).to.match(/U\+0430 CYRILLIC SMALL LETTER A.*looks like "a".*xn--cme-5cd/);
    expect(r.outcome?.cause).to.include({ code: 'INSTANCE_URL_INVALID', fix: 'url-lookalike-host' });
    expect(r.outcome!.cause!.params!.suggestedUrl).to.equal('https://acme.my.salesforce.com');
  });

  it('passes a host whose odd characters URL parsing maps to ASCII, and says so', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), instanceUrl: 'https://acme.my.salesforce\u200b.com' })).byId(
      'url.parse',
    )!;
    expect(r.result.status).to.equal('pass');
    expect(r.result.detail).to.match(/U\+200B ZERO WIDTH SPACE.*maps to acme\.my\.salesforce\.com/);
  });

  it('fails port 0', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), instanceUrl: 'https://acme.my.salesforce.com:0' })).byId(
      'url.parse',
    )!;
    expect(r.result.status).to.equal('fail');
    expect(r.result.detail).to.match(/port 0.*out of range/);
    expect(r.outcome?.cause).to.include({ code: 'INSTANCE_URL_INVALID', fix: 'url-port' });
    expect(r.outcome!.cause!.params!.suggestedUrl).to.equal('https://acme.my.salesforce.com');
  });

  it('warns about http on a Salesforce host and suggests https', async () => {
    const r = (await runLocal({ ...goodInputs(keyFile), instanceUrl: 'http://acme.my.salesforce.com' })).byId(
      'url.parse',
    )!;
    expect(r.result.status).to.equal('warn');
    expect(r.outcome?.cause).to.include({ fix: 'url-http', confidence: 'likely' });
    expect(r.outcome!.cause!.params!.suggestedUrl).to.equal('https://acme.my.salesforce.com/');
  });

  it('passes http on loopback (the simulated org)', async () => {
    expect(
      (await runLocal({ ...goodInputs(keyFile), instanceUrl: 'http://127.0.0.1:8443' })).byId('url.parse')!.result
        .status,
    ).to.equal('pass');
  });

  it('passes a My Domain URL and shows the token endpoint sf posts to', async () => {
    const r = (await runLocal(goodInputs(keyFile))).byId('url.parse')!;
    expect(r.result).to.include({ status: 'pass' });
    expect(r.result.detail).to.include('https://acme.my.salesforce.com/services/oauth2/token');
  });

  it('computes the token URL the way jsforce 3 appends it', () => {
    expect(sfTokenUrl('https://acme.my.salesforce.com/')).to.equal(
      'https://acme.my.salesforce.com/services/oauth2/token',
    );
    expect(sfTokenUrl('https://login.salesforce.com')).to.equal('https://login.salesforce.com/services/oauth2/token');
    expect(sfTokenUrl('https://acme.my.salesforce.com/lightning/')).to.equal(
      'https://acme.my.salesforce.com/lightning/services/oauth2/token',
    );
  });
});
