import { expect } from 'chai';
import { keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal, type LocalInputs } from './harness.js';

describe('check input.username-sandbox', () => {
  let tmp: TempDir;
  let keyFile: string;
  before(() => {
    tmp = tempDir();
    keyFile = tmp.file('server.key', keys().pkcs8);
  });
  after(() => tmp.remove());

  async function check(over: Partial<LocalInputs>) {
    return (await runLocal({ ...goodInputs(keyFile), ...over })).byId('input.username-sandbox');
  }

  it('warns about a production username against a sandbox URL, with the likely username', async () => {
    const r = (await check({ instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' }))!;
    expect(r.result.status).to.equal('warn');
    expect(r.result.detail).to.match(/most likely ci@acme\.com\.uat/);
    expect(r.outcome?.cause).to.include({
      code: 'USER_NOT_FOUND',
      confidence: 'likely',
      fix: 'username-sandbox-suffix',
    });
    expect(r.outcome!.cause!.params!.suggestedUsername).to.equal('ci@acme.com.uat');
  });

  it("warns about another sandbox's suffix", async () => {
    const r = (await check({
      instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com',
      username: 'ci@acme.com.dev',
    }))!;
    expect(r.outcome?.cause).to.include({ fix: 'username-sandbox-suffix-mismatch' });
    expect(r.outcome!.cause!.params!.suggestedUsername).to.equal('ci@acme.com.uat');
  });

  it('warns about a sandbox username against a production URL, suggesting both readings', async () => {
    const r = (await check({ username: 'ci@acme.com.uat' }))!;
    expect(r.result.status).to.equal('warn');
    expect(r.outcome?.cause).to.include({ code: 'USER_NOT_FOUND', fix: 'username-production-suffix' });
    expect(r.outcome!.cause!.params).to.deep.equal({
      suggestedUsername: 'ci@acme.com',
      suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    });
  });

  it('passes matching usernames and stays silent where it cannot tell', async () => {
    expect(
      (await check({ instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com', username: 'ci@acme.com.uat' }))!.result
        .status,
    ).to.equal('pass');
    expect((await check({}))!.result.status).to.equal('pass');
    expect(await check({ instanceUrl: 'https://127.0.0.1:8443' })).to.equal(undefined);
    expect(await check({ instanceUrl: 'https://x-1.scratch.my.salesforce.com' })).to.equal(undefined);
  });

  it('is skipped when the username itself is malformed', async () => {
    expect((await check({ username: ' ci@acme.com' }))!.result.status).to.equal('skip');
  });
});
