import { expect } from 'chai';
import { localChecks } from '../../../src/doctor/checks/local.js';
import { bodyFragments, keys, tempDir, type TempDir } from '../../salesforce/keyMaterial.js';
import { goodInputs, runLocal } from './harness.js';

describe('local checks: the graph', () => {
  let tmp: TempDir;
  before(() => {
    tmp = tempDir();
  });
  after(() => tmp.remove());

  it('has stable, unique, dotted lower-case ids, all local', () => {
    const ids = localChecks.map((c) => c.id);
    expect(ids).to.deep.equal([
      'input.username',
      'input.client-id',
      'key.file',
      'key.parse',
      'url.parse',
      'url.salesforce-domain',
      'url.kind',
      'input.username-sandbox',
    ]);
    for (const c of localChecks) {
      expect(c.id).to.match(/^[a-z]+(\.[a-z-]+)+$/);
      expect(c.mode).to.equal('local');
      // A check may only need checks that come before it (the engine runs in order).
      for (const need of c.needs) expect(ids.indexOf(need), `${c.id} needs ${need}`).to.be.lessThan(ids.indexOf(c.id));
    }
  });

  it('passes every check for good inputs and leaves the facts on the blackboard', async () => {
    const run = await runLocal(goodInputs(tmp.file('server.key', keys().pkcs8)));
    expect(run.runs.map((r) => [r.check.id, r.result.status])).to.deep.equal([
      ['input.username', 'pass'],
      ['input.client-id', 'pass'],
      ['key.file', 'pass'],
      ['key.parse', 'pass'],
      ['url.parse', 'pass'],
      ['url.salesforce-domain', 'pass'],
      ['url.kind', 'pass'],
      ['input.username-sandbox', 'pass'],
    ]);
    for (const fragment of bodyFragments(keys().pkcs8)) expect(run.text).to.not.include(fragment);
  });

  it('skips key.parse when the key file is missing, and url checks when the URL is malformed', async () => {
    const run = await runLocal({ ...goodInputs(`${tmp.dir}/missing.key`), instanceUrl: 'acme dot com' });
    expect(run.byId('key.parse')?.result.status).to.equal('skip');
    expect(run.byId('url.salesforce-domain')?.result.status).to.equal('skip');
    expect(run.byId('input.username-sandbox')?.result.status).to.equal('skip');
  });
});
