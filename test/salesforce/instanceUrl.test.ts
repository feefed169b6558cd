import { expect } from 'chai';
import { classifyUrl, coreIsSalesforceDomain, type UrlClassification } from '../../src/knowledge/instanceUrl.js';

type Expect = Partial<UrlClassification>;

const TABLE: Array<[string, Expect]> = [
  ['https://login.salesforce.com', { kind: 'login', orgKind: 'production', refused: false }],
  ['https://test.salesforce.com/', { kind: 'test', orgKind: 'sandbox', trailingSlash: true }],
  [
    'https://acme.my.salesforce.com',
    { kind: 'production-my-domain', orgKind: 'production', myDomainName: 'acme', suggestedUrl: undefined },
  ],
  [
    'https://acme--uat.sandbox.my.salesforce.com',
    {
      kind: 'sandbox-my-domain',
      orgKind: 'sandbox',
      myDomainName: 'acme',
      sandboxName: 'uat',
      suggestedUrl: undefined,
    },
  ],
  [
    'https://acme--uat.my.salesforce.com',
    {
      kind: 'sandbox-legacy',
      orgKind: 'sandbox',
      sandboxName: 'uat',
      suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    },
  ],
  [
    'https://acme--uat.cs42.my.salesforce.com',
    {
      kind: 'sandbox-legacy',
      orgKind: 'sandbox',
      instanceName: 'cs42',
      suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    },
  ],
  [
    'https://acme-dev-ed.develop.my.salesforce.com',
    { kind: 'developer-edition', orgKind: 'developer-edition', myDomainName: 'acme-dev-ed', suggestedUrl: undefined },
  ],
  [
    'https://acme-dev-ed.my.salesforce.com',
    { kind: 'developer-edition', suggestedUrl: 'https://acme-dev-ed.develop.my.salesforce.com' },
  ],
  [
    'https://site-ability-1234.scratch.my.salesforce.com',
    { kind: 'scratch', orgKind: 'scratch', partition: 'scratch' },
  ],
  ['https://acme.patch.my.salesforce.com', { kind: 'patch', orgKind: 'production' }],
  ['https://acme.demo.my.salesforce.com', { kind: 'demo' }],
  ['https://acme.trailblaze.my.salesforce.com', { kind: 'trailblaze', orgKind: 'developer-edition' }],
  ['https://acme.free.my.salesforce.com', { kind: 'free' }],
  [
    'https://acme.lightning.force.com/lightning/page/home',
    {
      kind: 'lightning',
      sfRefusesLightning: true,
      refused: true,
      suggestedUrl: 'https://acme.my.salesforce.com',
      pathJunk: '/lightning/page/home',
    },
  ],
  [
    'https://acme--uat.sandbox.lightning.force.com',
    {
      kind: 'lightning',
      orgKind: 'sandbox',
      sandboxName: 'uat',
      refused: true,
      suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    },
  ],
  [
    'https://acme.lightning.crmforce.mil',
    { kind: 'lightning', cloud: 'gov', sfRefusesLightning: true, suggestedUrl: 'https://acme.my.salesforce.mil' },
  ],
  [
    'https://acme.lightning.sfcrmapps.cn',
    { kind: 'lightning', cloud: 'china', suggestedUrl: 'https://acme.my.sfcrmproducts.cn' },
  ],
  [
    'https://acme--c.vf.force.com',
    { kind: 'visualforce', refused: true, suggestedUrl: 'https://acme.my.salesforce.com' },
  ],
  [
    'https://acme--uat--c.sandbox.vf.force.com',
    { kind: 'visualforce', sandboxName: 'uat', suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com' },
  ],
  ['https://acme--c.na123.visual.force.com', { kind: 'visualforce', suggestedUrl: 'https://acme.my.salesforce.com' }],
  [
    'https://acme.my.salesforce-setup.com',
    {
      kind: 'setup',
      refused: true,
      isSalesforceDomain: true,
      coreSalesforceDomain: false,
      suggestedUrl: 'https://acme.my.salesforce.com',
    },
  ],
  [
    'https://acme--uat.sandbox.my.salesforce-setup.com',
    { kind: 'setup', suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com' },
  ],
  [
    'https://acme.my.site.com',
    {
      kind: 'experience',
      isSalesforceDomain: true,
      coreSalesforceDomain: false,
      suggestedUrl: 'https://acme.my.salesforce.com',
      refused: false,
    },
  ],
  ['https://acme.force.com', { kind: 'experience', coreSalesforceDomain: true }],
  ['https://acme.my.salesforce.mil', { kind: 'gov', cloud: 'gov', orgKind: 'production', coreSalesforceDomain: true }],
  ['https://acme--uat.sandbox.my.salesforce.mil', { kind: 'gov', orgKind: 'sandbox', sandboxName: 'uat' }],
  [
    'https://acme.my.sfcrmproducts.cn',
    { kind: 'china', cloud: 'china', coreSalesforceDomain: true, suggestedUrl: undefined },
  ],
  ['https://acme.my.sfcrmapps.cn', { kind: 'china', suggestedUrl: 'https://acme.my.sfcrmproducts.cn' }],
  ['https://na123.salesforce.com', { kind: 'instance', orgKind: 'production', instanceName: 'na123' }],
  ['https://cs42.salesforce.com', { kind: 'instance', orgKind: 'sandbox' }],
  ['https://developer.salesforce.com', { kind: 'other-salesforce', refused: false }],
  [
    'https://127.0.0.1:8443',
    { kind: 'loopback', isLoopback: true, isSalesforceDomain: false, refused: false, port: '8443' },
  ],
  ['http://[::1]:1717', { kind: 'loopback', isLoopback: true, insecure: true, refused: false }],
  ['http://localhost:3000', { kind: 'loopback', refused: false }],
  ['https://evil.example.com', { kind: 'not-salesforce', refused: true }],
  ['https://acme.my.salesforce.com.evil.example', { kind: 'not-salesforce', refused: true }],
  [
    'https://login.salesforce.com.evil.example/services/oauth2/token',
    { kind: 'not-salesforce', refused: true, suggestedUrl: undefined },
  ],
  ['https://fakesalesforce.com', { kind: 'not-salesforce', refused: true }],
  ['http://acme.my.salesforce.com', { kind: 'production-my-domain', insecure: true, refused: false }],
  [
    'https://acme.my.salesforce.com/services/oauth2/token',
    { pathJunk: '/services/oauth2/token', suggestedUrl: 'https://acme.my.salesforce.com' },
  ],
  ['https://acme.my.salesforce.com/?startURL=x#top', { pathJunk: '?startURL=x#top' }],
  ['  https://acme.my.salesforce.com  ', { valid: true, hadWhitespace: true, kind: 'production-my-domain' }],
];

describe("sf's own Salesforce-domain rule (core's SfdcUrl, which replaced the doctor's copy of its lists)", () => {
  it('gives what the copied lists gave (core 9.4.0): the nine suffixes and two exact hosts, nothing else', () => {
    const salesforce = [
      'acme.cloudforce.com',
      'x.content.force.com',
      'acme.force.com',
      'acme.my.salesforce.com',
      'x.salesforceliveagent.com',
      'x.salesforce.mil',
      'x.secure.force.com',
      'acme.my.crmforce.mil',
      'acme.my.sfcrmproducts.cn',
      'developer.salesforce.com',
      'trailhead.salesforce.com',
      'login.salesforce.com',
    ];
    const other = [
      'acme.my.site.com',
      'acme.my.salesforce-setup.com',
      'acme.sfcrmapps.cn',
      'salesforce.com.evil.io',
      'evilsalesforce.com',
      'example.com',
      'localhost',
    ];
    expect(salesforce.filter((h) => !coreIsSalesforceDomain(h))).to.deep.equal([]);
    expect(other.filter((h) => coreIsSalesforceDomain(h))).to.deep.equal([]);
    // Hosts core does not list are Salesforce's all the same (the doctor's extra suffixes), but sf itself treats them as custom.
    expect(classifyUrl('https://acme.my.site.com').isSalesforceDomain).to.equal(true);
    expect(classifyUrl('https://acme.lightning.force.com').sfRefusesLightning).to.equal(true);
    expect(classifyUrl('https://acme--uat.sandbox.lightning.force.com').sfRefusesLightning).to.equal(true);
    expect(classifyUrl('https://acme.my.salesforce.com').sfRefusesLightning).to.equal(false);
  });
});

describe('instanceUrl.classifyUrl', () => {
  for (const [input, expected] of TABLE) {
    it(`${input.trim()} → ${expected.kind ?? JSON.stringify(expected)}`, () => {
      const c = classifyUrl(input);
      expect(c.valid).to.equal(true);
      for (const [key, value] of Object.entries(expected))
        expect(c[key as keyof UrlClassification], key).to.deep.equal(value);
    });
  }

  it('refuses unparseable input and suggests https:// for a bare host', () => {
    expect(classifyUrl('acme.my.salesforce.com')).to.include({
      valid: false,
      kind: 'invalid',
      refused: true,
      suggestedUrl: 'https://acme.my.salesforce.com',
    });
    expect(classifyUrl('acme--uat.sandbox.lightning.force.com')).to.include({
      valid: false,
      suggestedUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    });
    expect(classifyUrl('not a url')).to.include({ valid: false, refused: true });
    expect(classifyUrl('not a url').suggestedUrl).to.equal(undefined);
    expect(classifyUrl('ftp://acme.my.salesforce.com')).to.include({ valid: false, refused: true });
    expect(classifyUrl('').valid).to.equal(false);
  });

  it('gives href exactly as sf passes it on (URL.href, trailing slash)', () => {
    expect(classifyUrl('https://ACME.my.salesforce.com').href).to.equal('https://acme.my.salesforce.com/');
  });

  it('never reads a punycode (xn--) label as MyDomain--sandbox', () => {
    const typed = classifyUrl('https://xn--acm-gla.my.salesforce.com');
    expect(typed).to.include({ valid: true, orgKind: 'unknown' });
    expect([typed.myDomainName, typed.sandboxName, typed.suggestedUrl]).to.deep.equal([
      undefined,
      undefined,
      undefined,
    ]);
    expect(typed.punycodeLabels).to.deep.equal(['xn--acm-gla']);
    expect(typed.hostCharacters).to.equal(undefined);
    const sandbox = classifyUrl('https://xn--acm-gla.sandbox.my.salesforce.com');
    expect(sandbox).to.include({ kind: 'sandbox-my-domain', orgKind: 'sandbox' });
    expect([sandbox.myDomainName, sandbox.sandboxName]).to.deep.equal([undefined, undefined]);
    const lightning = classifyUrl('https://xn--acm-gla.lightning.force.com');
    expect(lightning.kind).to.equal('lightning');
    expect([lightning.myDomainName, lightning.suggestedUrl]).to.deep.equal([undefined, undefined]);
  });

  it('names look-alike letters typed in the host and suggests the ASCII host', () => {
    const c = classifyUrl('https://\u0430cme.my.salesforce.com');
    expect(c).to.include({
      valid: true,
      hostname: 'xn--cme-5cd.my.salesforce.com',
      orgKind: 'unknown',
      suggestedUrl: 'https://acme.my.salesforce.com',
    });
    expect(c.sandboxName).to.equal(undefined);
    expect(c.punycodeLabels).to.deep.equal(['xn--cme-5cd']);
    expect(c.unicodeHostname).to.equal('\u0430cme.my.salesforce.com');
    expect(c.hostCharacters!.lookalikes).to.deep.equal([
      { index: 0, codePoint: 'U+0430', name: 'CYRILLIC SMALL LETTER A', looksLike: 'a' },
    ]);
    // URL parsing maps full-width letters and drops zero-width spaces: no punycode, the host works as sf uses it.
    const mapped = classifyUrl('https://\uff41cme.my.salesforce\u200b.com');
    expect(mapped).to.include({ hostname: 'acme.my.salesforce.com', myDomainName: 'acme' });
    expect(mapped.punycodeLabels).to.equal(undefined);
    expect(mapped.hostCharacters!.invisible.map((c) => c.codePoint)).to.deep.equal(['U+200B']);
  });

  it('refuses a URL with credentials and never shows them in displayUrl or suggestedUrl', () => {
    for (const input of [
      'https://user:s3cretpw@acme.my.salesforce.com',
      'https:user:s3cretpw@acme.my.salesforce.com/x',
      'https://s3cretpw@acme.my.salesforce.com',
    ]) {
      const c = classifyUrl(input);
      expect(c, input).to.include({
        valid: true,
        hasCredentials: true,
        refused: true,
        suggestedUrl: 'https://acme.my.salesforce.com',
      });
      expect(c.displayUrl, input).to.match(/^https:\/\/\*\*\*@acme\.my\.salesforce\.com\//);
    }
    const invalid = classifyUrl('user:s3cretpw@acme.my.salesforce.com');
    expect(invalid).to.include({
      valid: false,
      hasCredentials: true,
      displayUrl: 'user:***@acme.my.salesforce.com',
      suggestedUrl: 'https://acme.my.salesforce.com',
    });
    expect(classifyUrl('https://acme.my.salesforce.com')).to.include({
      hasCredentials: false,
      displayUrl: 'https://acme.my.salesforce.com/',
    });
    // No scheme, no authority: an @ there is not userinfo (a username pasted as the URL).
    expect(classifyUrl('ci@acme.com')).to.include({ hasCredentials: false, displayUrl: 'ci@acme.com' });
  });

  it('refuses port 0 (new URL already rejects ports above 65535)', () => {
    expect(classifyUrl('https://acme.my.salesforce.com:0')).to.include({
      valid: true,
      invalidPort: '0',
      refused: true,
      suggestedUrl: 'https://acme.my.salesforce.com',
    });
    expect(classifyUrl('https://acme.my.salesforce.com:99999').valid).to.equal(false);
    expect(classifyUrl('https://127.0.0.1:8443').invalidPort).to.equal(undefined);
  });

  it("reproduces core 9.4.0's isSalesforceDomain list", () => {
    for (const host of [
      'acme.my.salesforce.com',
      'x.cloudforce.com',
      'x.content.force.com',
      'x.salesforceliveagent.com',
      'x.crmforce.mil',
      'x.sfcrmproducts.cn',
      'x.my.salesforce.mil',
      'developer.salesforce.com',
    ]) {
      expect(coreIsSalesforceDomain(host), host).to.equal(true);
    }
    for (const host of [
      'crmforce.mil',
      'x.my.site.com',
      'x.salesforce-setup.com',
      'salesforce.com.evil.example',
      'localhost',
    ]) {
      expect(coreIsSalesforceDomain(host), host).to.equal(false);
    }
  });
});
