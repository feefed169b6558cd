import { expect } from 'chai';
import { keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal, type LocalInputs } from './harness.js';

describe('check url.kind', () => {
  let tmp: TempDir;
  let keyFile: string;
  before(() => {
    tmp = tempDir();
    keyFile = tmp.file('server.key', keys().pkcs8);
  });
  after(() => tmp.remove());

  async function kind(over: Partial<LocalInputs>) {
    return (await runLocal({ ...goodInputs(keyFile), ...over })).byId('url.kind')!;
  }

  it('reports a production My Domain and sf’s 5 pairs in order', async () => {
    const r = await kind({});
    expect(r.result.status).to.equal('pass');
    expect(r.result.detail).to.equal(
      'acme.my.salesforce.com is a production My Domain (My Domain acme), implying a production org. sf would try 5 login/audience pairs in order: ' +
        '1. https://acme.my.salesforce.com/ with aud https://acme.my.salesforce.com/; 2. https://test.salesforce.com with aud https://test.salesforce.com; ' +
        '3. https://login.salesforce.com with aud https://login.salesforce.com; 4. https://acme.my.salesforce.com/ with aud https://login.salesforce.com; ' +
        '5. https://acme.my.salesforce.com/ with aud https://test.salesforce.com.',
    );
  });

  it('reports sandbox, scratch, Developer Edition and Gov Cloud kinds', async () => {
    expect((await kind({ instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' })).result.detail).to.match(
      /sandbox My Domain \(My Domain acme, sandbox uat\), implying a sandbox org/,
    );
    expect((await kind({ instanceUrl: 'https://x-1.scratch.my.salesforce.com' })).result.detail).to.match(
      /scratch org My Domain.*implying a scratch org/,
    );
    expect((await kind({ instanceUrl: 'https://acme-dev-ed.develop.my.salesforce.com' })).result.detail).to.match(
      /Developer Edition/,
    );
    expect((await kind({ instanceUrl: 'https://acme.my.salesforce.mil' })).result.detail).to.match(
      /Government Cloud.*aud login\.salesforce\.com/,
    );
  });

  it('uses the bare default login URL when no --instance-url is given: 2 pairs', async () => {
    const r = await kind({ instanceUrl: undefined });
    expect(r.result.status).to.equal('pass');
    expect(r.result.detail).to.match(
      /2 login\/audience pairs.*1\. https:\/\/login\.salesforce\.com with aud https:\/\/login\.salesforce\.com; 2\. https:\/\/test\.salesforce\.com with aud/,
    );
  });

  it("passes sf's generic login hosts with advice (a login policy shows in the probe), and shows the slash quirk", async () => {
    const r = await kind({ instanceUrl: 'https://test.salesforce.com' });
    expect(r.result.status).to.equal('pass');
    expect(r.outcome?.cause).to.equal(undefined);
    expect(r.result.detail).to.match(/My Domain login policy/);
    expect(r.result.detail).to.include('3. https://test.salesforce.com/ with aud https://login.salesforce.com');
  });

  it('warns about instance hosts and pre-enhanced-domain hosts', async () => {
    expect((await kind({ instanceUrl: 'https://na123.salesforce.com' })).outcome?.cause).to.include({
      fix: 'url-instance',
    });
    const legacy = await kind({ instanceUrl: 'https://acme--uat.my.salesforce.com' });
    expect(legacy.result.status).to.equal('warn');
    expect(legacy.outcome?.cause).to.include({ fix: 'url-legacy-domain' });
    expect(legacy.outcome!.cause!.params!.suggestedUrl).to.equal('https://acme--uat.sandbox.my.salesforce.com');
  });

  it('fails a Salesforce host that is not a login host', async () => {
    expect((await kind({ instanceUrl: 'https://developer.salesforce.com' })).outcome?.cause).to.include({
      code: 'INSTANCE_URL_INVALID',
      fix: 'url-not-login-host',
    });
  });

  it('fails a punycode (xn--) host and never reads it as MyDomain--sandbox', async () => {
    const run = await runLocal({ ...goodInputs(keyFile), instanceUrl: 'https://xn--acm-gla.my.salesforce.com' });
    const r = run.byId('url.kind')!;
    expect(r.result.status).to.equal('fail');
    expect(r.result.detail).to.match(/punycode label xn--acm-gla.*not a My Domain name/);
    expect(r.outcome?.cause).to.include({ code: 'INSTANCE_URL_INVALID', fix: 'url-punycode' });
    expect(run.text).to.not.match(/sandbox acm-gla|\.acm-gla/);
  });

  it('includes an audience override in the pairs (11 for loopback + My Domain aud)', async () => {
    const r = await kind({ instanceUrl: 'https://127.0.0.1:8443', audienceUrl: 'https://acme.my.salesforce.com' });
    expect(r.result.detail).to.match(/sf would try 11 login\/audience pairs/);
  });

  it('fails an audience override without a scheme', async () => {
    const r = await kind({ audienceUrl: 'login.salesforce.com' });
    expect(r.result.status).to.equal('fail');
    expect(r.result.detail).to.match(/SF_AUDIENCE_URL/);
    expect(r.outcome?.cause).to.include({ code: 'AUDIENCE_INVALID', fix: 'audience-not-url' });
  });
});
