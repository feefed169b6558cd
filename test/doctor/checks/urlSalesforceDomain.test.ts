import { expect } from 'chai';
import { keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal } from './harness.js';

describe('check url.salesforce-domain', () => {
  let tmp: TempDir;
  let keyFile: string;
  before(() => {
    tmp = tempDir();
    keyFile = tmp.file('server.key', keys().pkcs8);
  });
  after(() => tmp.remove());

  for (const url of [
    'https://evil.example.com',
    'https://acme.my.salesforce.com.evil.example',
    'https://login.salesforce.localhost.example',
    'http://10.0.0.5:8080',
  ]) {
    it(`refuses ${url}: the assertion is a bearer credential`, async () => {
      const run = await runLocal({ ...goodInputs(keyFile), instanceUrl: url });
      const r = run.byId('url.salesforce-domain')!;
      expect(r.result.status).to.equal('fail');
      expect(r.result.detail).to.match(/not a Salesforce domain.*bearer credential.*refuses/);
      expect(r.outcome?.cause).to.include({
        code: 'INSTANCE_URL_INVALID',
        fix: 'url-not-salesforce',
        confidence: 'confirmed',
      });
      expect(run.byId('url.kind')!.result.status).to.equal('skip');
    });
  }

  for (const url of ['https://127.0.0.1:8443', 'http://localhost:1717', 'https://[::1]:9443']) {
    it(`allows loopback ${url} with a note`, async () => {
      const r = (await runLocal({ ...goodInputs(keyFile), instanceUrl: url })).byId('url.salesforce-domain')!;
      expect(r.result.status).to.equal('pass');
      expect(r.result.detail).to.match(/loopback/);
    });
  }

  it('passes Salesforce domains and notes those core does not list', async () => {
    expect((await runLocal(goodInputs(keyFile))).byId('url.salesforce-domain')!.result).to.include({
      status: 'pass',
      detail: 'acme.my.salesforce.com is a Salesforce domain.',
    });
  });
});
