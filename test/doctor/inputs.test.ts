import { expect } from 'chai';
import {
  loginCommand,
  resolveInputs,
  sandboxUrl,
  sandboxUsername,
  sfLoginUrl,
  shellQuote,
} from '../../src/doctor/inputs.js';

describe('inputs: values and where they came from', () => {
  const base = { env: {}, defaultTimeoutSeconds: 60 };

  it('flags win; the instance URL falls back to the project, then to sf default', () => {
    const fromFlag = resolveInputs({
      ...base,
      flags: { username: 'a@b.com', 'instance-url': 'https://x.my.salesforce.com' },
      project: { url: 'https://p.my.salesforce.com', file: 'sfdx-project.json' },
    });
    expect(fromFlag.instanceUrl).to.deep.equal({
      value: 'https://x.my.salesforce.com',
      source: 'flag',
      origin: '--instance-url',
    });
    const fromProject = resolveInputs({
      ...base,
      flags: {},
      project: { url: 'https://p.my.salesforce.com', file: 'sfdx-project.json' },
    });
    expect(fromProject.instanceUrl.source).to.equal('project-config');
    expect(resolveInputs({ ...base, flags: {} }).instanceUrl).to.deep.equal({
      value: 'https://login.salesforce.com',
      source: 'default',
      origin: 'sf default',
    });
  });

  it('audience: --audience-url over SF_AUDIENCE_URL over SFDX_AUDIENCE_URL', () => {
    const env = { SF_AUDIENCE_URL: 'https://test.salesforce.com', SFDX_AUDIENCE_URL: 'https://login.salesforce.com' };
    expect(resolveInputs({ ...base, env, flags: {} }).audienceUrl?.origin).to.equal('SF_AUDIENCE_URL');
    expect(resolveInputs({ ...base, env: { SFDX_AUDIENCE_URL: 'https://x' }, flags: {} }).audienceUrl?.origin).to.equal(
      'SFDX_AUDIENCE_URL',
    );
    expect(resolveInputs({ ...base, env, flags: { 'audience-url': 'https://a' } }).audienceUrl?.origin).to.equal(
      '--audience-url',
    );
  });

  it('a stored authorization fills what the flags leave out', () => {
    const storedAuth = {
      requested: 'ci',
      found: true,
      isJwt: true,
      username: 'ci@acme.com',
      clientId: '3MVG',
      privateKeyPath: '/k',
      loginUrl: 'https://acme.my.salesforce.com/',
      authFileDisplay: '~/.sfdx/ci@acme.com.json',
    };
    const inputs = resolveInputs({ ...base, flags: { 'client-id': 'override' }, storedAuth });
    expect(inputs.username).to.deep.equal({
      value: 'ci@acme.com',
      source: 'stored-auth',
      origin: '~/.sfdx/ci@acme.com.json',
    });
    expect(inputs.clientId?.source).to.equal('flag');
    expect(sfLoginUrl(inputs.instanceUrl)).to.equal('https://acme.my.salesforce.com/');
  });

  it("sf login URL: a flag gets URL.href's trailing slash, the default none", () => {
    expect(sfLoginUrl({ value: 'https://acme.my.salesforce.com', source: 'flag', origin: '--instance-url' })).to.equal(
      'https://acme.my.salesforce.com/',
    );
    expect(sfLoginUrl({ value: 'https://login.salesforce.com', source: 'default', origin: 'sf default' })).to.equal(
      'https://login.salesforce.com',
    );
    expect(
      sfLoginUrl({
        value: 'https://test.salesforce.com',
        source: 'project-config',
        origin: 'sfdx-project.json sfdcLoginUrl',
      }),
    ).to.equal('https://test.salesforce.com/');
  });

  it('--sandbox derives the sandbox username and My Domain URL', () => {
    expect(sandboxUsername('ci@acme.com', 'UAT')).to.equal('ci@acme.com.uat');
    expect(sandboxUsername('ci@acme.com.uat', 'uat')).to.equal('ci@acme.com.uat');
    expect(sandboxUrl('https://acme.my.salesforce.com', 'UAT')).to.equal('https://acme--uat.sandbox.my.salesforce.com');
    expect(sandboxUrl('https://acme--dev.sandbox.my.salesforce.com', 'uat')).to.equal(
      'https://acme--uat.sandbox.my.salesforce.com',
    );
    expect(sandboxUrl('https://login.salesforce.com', 'uat')).to.equal('https://test.salesforce.com');
    const inputs = resolveInputs({
      ...base,
      flags: { username: 'ci@acme.com', 'instance-url': 'https://acme.my.salesforce.com', sandbox: 'uat' },
    });
    expect(inputs.username).to.include({ value: 'ci@acme.com.uat', source: 'derived' });
    expect(inputs.instanceUrl.value).to.equal('https://acme--uat.sandbox.my.salesforce.com');
  });

  it('the login line quotes only what needs quoting', () => {
    expect(shellQuote('ci@acme.com')).to.equal('ci@acme.com');
    expect(shellQuote("it's here")).to.equal("'it'\\''s here'");
    expect(loginCommand({ username: 'a@b.com', clientId: 'K', keyFile: '/my keys/server.key' })).to.equal(
      "sf org login jwt --username a@b.com --jwt-key-file '/my keys/server.key' --client-id K",
    );
    expect(loginCommand({ username: 'a@b.com' })).to.equal(null);
  });
});
