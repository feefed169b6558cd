/*
 * Human output: the answer first (verdict, root cause, alternatives as phrases, fix steps with their commands), the
 * checks collapsed per group, and "What Salesforce recorded" (the user's LoginHistory rows), or why they could not be read.
 */
import { expect } from 'chai';
import { phraseOf, renderHuman, wrap } from '../../src/render/human.js';
import { CAUSE_CODES } from '../../src/doctor/types.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';

function result(over: Partial<JwtDoctorResult>): JwtDoctorResult {
  return {
    verdict: 'fail',
    cause: null,
    checks: [],
    fixes: [],
    attempts: [],
    tokenRequests: 0,
    loginCommand: null,
    inputs: [
      { name: 'username', value: 'ci@acme.com', source: 'flag', origin: '--username' },
    ] as JwtDoctorResult['inputs'],
    ignoredFlags: [],
    ...over,
  };
}

describe('human output: What Salesforce recorded', () => {
  it("lists the rows newest first, marking this run's, statuses verbatim", () => {
    const out = renderHuman(
      result({
        loginHistory: [
          {
            loginTime: '2026-03-01T10:00:05.000+0000',
            status: 'Failed: Not approved for access',
            application: 'CI Deploy App',
            loginType: 'Remote Access 2.0',
            loginUrl: 'acme.my.salesforce.com',
            sourceIp: '203.0.113.10',
            thisRun: true,
          },
          {
            loginTime: '2026-02-28T09:00:00.000+0000',
            status: 'Success',
            application: 'CI Deploy App',
            thisRun: false,
          },
        ],
      }),
      { offline: false },
    ).join('\n');
    expect(out).to.match(/What Salesforce recorded \(LoginHistory of ci@acme\.com/);
    expect(out).to.match(
      /▸ ✗ 2026-03-01T10:00:05\.000\+0000 {2}"Failed: Not approved for access" {2}CI Deploy App, Remote Access 2\.0, acme\.my\.salesforce\.com, 203\.0\.113\.10/,
    );
    expect(out).to.match(/ {3}✓ 2026-02-28T09:00:00\.000\+0000 {2}"Success"/);
  });

  it('a refused read says so and names the permission', () => {
    const detail =
      'Skipped: admin@acme.com cannot read LoginHistory (INVALID_TYPE). The admin user needs the permission "Manage Users".';
    const out = renderHuman(
      result({
        checks: [{ id: 'user.login-history', title: 'x', status: 'skip', detail }] as JwtDoctorResult['checks'],
      }),
      { offline: false },
    ).join('\n');
    expect(out).to.include(`What Salesforce recorded: not read. ${detail}`);
  });

  it('nothing when the doctor did not read LoginHistory (no --admin-org)', () => {
    expect(renderHuman(result({}), { offline: false }).join('\n')).to.not.match(/What Salesforce recorded/);
  });
});

describe('human output: the answer first', () => {
  const failing = result({
    cause: {
      code: 'USER_NOT_APPROVED',
      confidence: 'likely',
      summary: 'The token endpoint answered "user hasn\'t approved this consumer".',
      alternatives: ['USER_NOT_PREAUTHORIZED', 'WRONG_APP'],
    },
    fixes: [
      {
        title: 'Approve the app',
        steps: ['Why it fails.', 'Open the approval URL below once; approve.', 'Also check the key.'],
        commands: ["open 'https://acme.my.salesforce.com/services/oauth2/authorize'"],
        links: [],
      },
      { title: 'Other', steps: ['Do this.', 'Then that.'], commands: ['sf org list'], links: [] },
    ],
    checks: [
      { id: 'key.parse', title: 'Key parses', status: 'pass', detail: 'RSA 2048', evidence: 'observed' },
      { id: 'key.file', title: 'Key file exists', status: 'pass', detail: 'readable', evidence: 'observed' },
      { id: 'probe.token', title: 'Token issued', status: 'fail', detail: '5 attempts', evidence: 'observed' },
      { id: 'probe.other', title: 'Other probe', status: 'pass', detail: 'fine', evidence: 'observed' },
    ] as JwtDoctorResult['checks'],
  });

  it('has a short phrase for every cause code, not the code itself', () => {
    for (const code of CAUSE_CODES) {
      const phrase = phraseOf(code);
      expect(phrase, code).to.not.match(/\b[A-Z]+_[A-Z_]+\b/);
      expect(phrase.length, code).to.be.within(10, 90);
      expect(phrase, code).to.not.match(/\.$/);
    }
  });

  it('the verdict with the phrase, the root cause saying how sure, the alternatives as phrases, then the steps', () => {
    const out = renderHuman(failing, { offline: false });
    expect(out[2]).to.equal('✗ The JWT login fails: USER_NOT_APPROVED — the user has not approved the app.');
    expect(out[3]).to.match(/^Root cause \(likely, not confirmed\): The token endpoint answered/);
    expect(out[4]).to.equal(
      '  Could also be: the user is not pre-authorized for the app; the consumer key belongs to a different app.',
    );
    expect(out.indexOf('  1. Why it fails.')).to.be.greaterThan(4);
  });

  it('names at most 3 alternatives and counts the rest (--json keeps them all)', () => {
    const many = result({
      cause: {
        ...failing.cause!,
        alternatives: ['USER_NOT_PREAUTHORIZED', 'WRONG_APP', 'CERT_MISMATCH', 'APP_NOT_INSTALLED', 'USER_INACTIVE'],
      },
    });
    const out = renderHuman(many, { offline: false }).join('\n');
    expect(out).to.include('a different app; ');
    expect(out).to.match(/; and 2 more \(--json lists them\)\./);
    expect(out).to.not.include(phraseOf('APP_NOT_INSTALLED'));
  });

  it('a working login with a finding labels it a warning, not a root cause', () => {
    const warned = result({
      verdict: 'warn',
      cause: {
        code: 'CLOCK_SKEW',
        confidence: 'likely',
        summary: 'The local clock is 7200 s behind.',
        alternatives: [],
      },
    });
    const out = renderHuman(warned, { offline: false });
    expect(out).to.include('Warning (likely): The local clock is 7200 s behind.');
    expect(out.join('\n')).to.not.include('Root cause');
  });

  it("leaves out the first fix's reason when it only restates the root cause; keeps a reason that adds something", () => {
    const summary =
      'CI_App is "All users may self-authorize" and ci@acme.com has never approved it (no OauthToken row).';
    const fix = (why: string): JwtDoctorResult['fixes'][number] => ({
      title: 'Approve it',
      why,
      steps: [why, 'Open the URL once.'],
      commands: [],
      links: [],
    });
    const restating = fix('CI_App is "All users may self-authorize", and ci@acme.com has never approved it.');
    const adding = fix('Salesforce refuses a JWT login without an approval that included refresh_token.');
    const cause = { code: 'USER_NOT_APPROVED' as const, confidence: 'confirmed' as const, summary, alternatives: [] };
    const out = renderHuman(result({ cause, fixes: [restating, restating] }), { offline: false });
    expect(out.filter((l) => l.includes('has never approved it.'))).to.have.length(1);
    expect(out.indexOf('  1. Open the URL once.')).to.equal(out.indexOf(`Try this: Approve it`) + 1);
    const kept = renderHuman(result({ cause, fixes: [adding] }), { offline: false });
    expect(kept).to.include(`  ${adding.why!}`);
  });

  it('puts a command under the step that refers to it, or under the last step', () => {
    const out = renderHuman(failing, { offline: false });
    const at = (s: string): number => out.indexOf(s);
    expect(at("     $ open 'https://acme.my.salesforce.com/services/oauth2/authorize'")).to.equal(
      at('  2. Open the approval URL below once; approve.') + 1,
    );
    expect(at('     $ sf org list')).to.equal(at('  2. Then that.') + 1);
  });

  it('collapses a passing group to one line and keeps the failed check with its detail; --verbose shows all', () => {
    const out = renderHuman(failing, { offline: false });
    expect(out).to.include('  ✓ Private key (2 passed)');
    expect(out).to.include('  ✗ Token endpoint (1 failed, 1 passed)');
    expect(out).to.include('      ✗ Token issued');
    expect(out).to.include('          5 attempts');
    expect(out).to.not.include('      ✓ Other probe');
    const verbose = renderHuman(failing, { offline: false, verbose: true });
    expect(verbose).to.include('      ✓ Other probe');
    expect(verbose).to.include('          RSA 2048');
    expect(out.findIndex((l) => l.startsWith('Checks: '))).to.be.greaterThan(out.indexOf('  2. Then that.'));
  });

  it('a working login says so first, and no colour unless asked for', () => {
    const out = renderHuman(result({ verdict: 'pass' }), { offline: false });
    expect(out[2]).to.equal('✓ The JWT login works.');
    expect(out.join('\n')).to.not.match(/\u001b\[/);
    expect(renderHuman(result({ verdict: 'pass' }), { offline: true })[2]).to.match(/^✓ Local checks pass \(offline/);
  });

  it('wraps prose at the given width under a hanging indent; commands and long words stay whole; no width, no wrap (headings are short and stay whole)', () => {
    expect(wrap('  1. ', 'aaa bbb ccc ddd', 12)).to.deep.equal(['  1. aaa bbb', '     ccc ddd']);
    expect(wrap('  1. ', 'see https://example.com/a/very/long/path now', 20)).to.deep.equal([
      '  1. see',
      '     https://example.com/a/very/long/path',
      '     now',
    ]);
    expect(wrap('  1. ', 'aaa bbb ccc ddd', undefined)).to.deep.equal(['  1. aaa bbb ccc ddd']);
    const out = renderHuman(failing, { offline: false, width: 30 });
    expect(out).to.include("     $ open 'https://acme.my.salesforce.com/services/oauth2/authorize'");
    expect(out.filter((l) => !/\$ |https:\/\/|^Checks: |^ {2}[✓✗!–] /.test(l) && l.length > 30)).to.deep.equal([]);
  });
});
