/* Human output: "What Salesforce recorded" (the user's LoginHistory rows), or why they could not be read. */
import { expect } from 'chai';
import { renderHuman } from '../../src/render/human.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';

function result(over: Partial<JwtDoctorResult>): JwtDoctorResult {
  return {
    verdict: 'fail',
    cause: null,
    checks: [],
    fixes: [],
    attempts: [],
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
