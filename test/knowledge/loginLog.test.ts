/*
 * The --from-log parser (src/knowledge/loginLog.ts) and the explanation of every error text a log can hold
 * (src/doctor/logTexts.ts): seeds/003 and the field reports, each explained or shown as unknown.
 */
import { expect } from 'chai';
import { attemptPairs, parseLoginLog } from '../../src/knowledge/loginLog.js';
import { explainText } from '../../src/doctor/logTexts.js';

const HUMAN = [
  '$ sf org login jwt --username ci@acme.com --jwt-key-file /home/runner/server.key --client-id *** --instance-url https://acme.my.salesforce.com',
  'Error (JwtGrantError): We encountered a JSON web token error, which is likely not an issue with Salesforce CLI. Here’s the error: JwtAuthError::Error authenticating with JWT.',
  'Errors encountered:',
  "user hasn't approved this consumer",
  'audience is invalid  [audience=https://test.salesforce.com login=https://test.salesforce.com]',
  "user hasn't approved this consumer",
  "user hasn't approved this consumer",
  "user hasn't approved this consumer",
  '',
  '',
].join('\n');

function noisy(log: string): string {
  return log
    .split('\n')
    .map((l, i) => `2026-03-01T10:00:0${i % 10}.123Z \u001b[1m\u001b[31m${l}\u001b[39m\u001b[22m`)
    .join('\r\n');
}

describe('knowledge/loginLog', () => {
  it('reads the human block: command inputs (masked ones hidden), attempts, the audience suffix', () => {
    const log = parseLoginLog(HUMAN);
    expect(log.format).to.equal('human');
    expect(log.command).to.include({ username: 'ci@acme.com', instanceUrl: 'https://acme.my.salesforce.com' });
    expect(log.command?.clientId).to.equal(undefined);
    expect(log.command?.hidden).to.deep.equal(['--client-id']);
    expect(log.attempts).to.have.length(5);
    expect(log.attempts[1]).to.include({ description: 'audience is invalid', loginUrl: 'https://test.salesforce.com' });
  });

  it('keeps command-line values as sf got them: a quoted trailing space, a consumer key (no secret)', () => {
    const key = '3MVG9h2F28epHuRFzHPEliyhWngce3f8APNSxnGPbASqPADDtSeGePbStPnDbenJkJnAnkYPDDPDe';
    const log = parseLoginLog(`$ sf org login jwt --username 'ci@acme.com ' --jwt-key-file k.pem --client-id ${key}`);
    expect(log.command).to.include({ username: 'ci@acme.com ', clientId: key });
  });

  it('with no command line and no [audience=…] line, 5 attempts imply a login URL of its own (never guessed)', () => {
    const lines = ['Errors encountered:', ...Array.from({ length: 5 }, () => 'client identifier invalid')];
    const intro =
      'Error (JwtGrantError): We encountered a JSON web token error, which is likely not an issue with Salesforce CLI. Here’s the error: JwtAuthError::Error authenticating with JWT.';
    const log = parseLoginLog([intro, ...lines].join('\n'));
    const { pairs, loginUrl, customUrl } = attemptPairs(log.attempts, undefined, undefined);
    expect(customUrl).to.equal(true);
    expect(loginUrl).to.equal(undefined);
    // The pairs on sf's fixed hosts are known by position; those on the unseen URL are not.
    expect(pairs).to.deep.equal([
      undefined,
      { loginUrl: 'https://test.salesforce.com', audience: 'https://test.salesforce.com' },
      { loginUrl: 'https://login.salesforce.com', audience: 'https://login.salesforce.com' },
      undefined,
      undefined,
    ]);
    // sf's default URL makes fewer attempts: 2 lines imply nothing.
    const two = parseLoginLog([intro, ...lines.slice(0, 3)].join('\n'));
    expect(attemptPairs(two.attempts, undefined, undefined).customUrl).to.equal(undefined);
  });

  it('gives the same reading with CI noise (timestamps, ANSI colours, CRLF)', () => {
    expect(parseLoginLog(noisy(HUMAN))).to.deep.equal(parseLoginLog(HUMAN));
  });

  it('reads the --json envelope, pretty-printed', () => {
    const envelope = JSON.stringify(
      {
        name: 'JwtGrantError',
        message:
          'We encountered a JSON web token error, which is likely not an issue with Salesforce CLI. Here’s the error: JwtAuthError::Error authenticating with JWT.\nErrors encountered:\nclient identifier invalid\nclient identifier invalid',
        exitCode: 1,
        stack: 'JwtGrantError: … at /home/me/x.js',
      },
      null,
      2,
    );
    const log = parseLoginLog(envelope);
    expect(log.format).to.equal('json');
    expect(log.attempts.map((a) => a.description)).to.deep.equal([
      'client identifier invalid',
      'client identifier invalid',
    ]);
  });

  it('reads the older formats and sf own errors', () => {
    expect(
      parseLoginLog(
        'ERROR running force:auth:jwt:grant:  Error authenticating with JWT config due to: invalid assertion',
      ).attempts[0],
    ).to.include({ description: 'invalid assertion' });
    const oauth = parseLoginLog(
      'This org appears to have a problem with its OAuth configuration. Reason: invalid_grant - invalid assertion',
    );
    expect(oauth.attempts[0]).to.include({ error: 'invalid_grant', description: 'invalid assertion' });
    const missing = parseLoginLog(
      "Error (JwtGrantError): We encountered a JSON web token error, which is likely not an issue with Salesforce CLI. Here's the error: Error::ENOENT: no such file or directory, open '/tmp/ci/server.key'",
    );
    expect(missing.keyMissing).to.equal('/tmp/ci/server.key');
  });

  it('tells an empty log (blank lines, CI noise only) from a log without sf output', () => {
    for (const blank of ['', '\n  \r\n', '\u001b[0m\n2026-03-01T10:00:00.123Z ']) {
      expect(parseLoginLog(blank), JSON.stringify(blank)).to.deep.equal({ format: 'none', attempts: [], empty: true });
    }
    const other = parseLoginLog('npm ci\nadded 812 packages in 14s\n');
    expect(other.format).to.equal('none');
    expect(other.empty).to.equal(undefined);
  });

  it('reads the username of a success line without its command line', () => {
    const log = parseLoginLog('Successfully authorized ci@acme.com with org ID 00Drw000000hyABEAY\n');
    expect(log).to.deep.include({
      format: 'success',
      success: { username: 'ci@acme.com', orgId: '00Drw000000hyABEAY' },
    });
    expect(log.command).to.equal(undefined);
  });

  it('never keeps a secret the log holds', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOWFiY2RlZmdoaWprbG1ub3AifQ.c2lnbmF0dXJlc2lnbmF0dXJlc2ln';
    const log = parseLoginLog(HUMAN.replace("user hasn't approved this consumer\naudience", `${jwt}\naudience`));
    expect(JSON.stringify(log)).not.to.include(jwt);
  });

  it('places the attempts on sf’s login/audience pairs', () => {
    const { pairs } = attemptPairs(parseLoginLog(HUMAN).attempts, 'https://acme.my.salesforce.com/', undefined);
    expect(pairs.map((p) => p?.loginUrl)).to.deep.equal([
      'https://acme.my.salesforce.com/',
      'https://test.salesforce.com',
      'https://login.salesforce.com',
      'https://acme.my.salesforce.com/',
      'https://acme.my.salesforce.com/',
    ]);
  });
});

// seeds/003 and reference/field-reports-and-platform-2025-2026.md §1: every text explained, or shown as unknown.
const TEXTS: Array<[string, string]> = [
  ['expired access/refresh token', 'elsewhere'],
  ['authentication failure - invalid client credentials', 'elsewhere'],
  ['redirect uri does not match configuration', 'elsewhere'],
  ["user hasn't approved this consumer", 'USER_NOT_APPROVED'],
  ['user is locked', 'USER_INACTIVE'],
  ['user is not admin approved to access this app', 'USER_NOT_PREAUTHORIZED'],
  ['invalid assertion', 'CERT_MISMATCH'],
  ['PEM_read_bio:no start line', 'KEY_INVALID'],
  ['audience is invalid', 'AUDIENCE_INVALID'],
  ['External client app is not installed in this org', 'MY_DOMAIN_REQUIRED'],
  ['Login rate exceeded', 'LOGIN_RATE_EXCEEDED'],
  ['The REST API is not enabled for this organization', 'API_DISABLED'],
  ['OAUTH_APP_BLOCKED', 'APP_BLOCKED'],
  ['OAUTH_APPROVAL_ERROR_GENERIC', 'APP_NOT_INSTALLED'],
  ['unable to get local issuer certificate', 'ORG_UNREACHABLE'],
  ['write EPROTO 1234:error:0A00010B:SSL routines', 'ORG_UNREACHABLE'],
  ["Cannot read properties of undefined (reading 'setContentsFromObject')", 'elsewhere'],
  ['Failed to decipher auth data', 'elsewhere'],
  ["ENOENT: no such file or directory, open '/tmp/secretFiles/server.key'", 'KEY_FILE_MISSING'],
  ['versions.map is not a function', 'elsewhere'],
  ['Cannot create an AuthInfo instance that will overwrite existing auth data', 'elsewhere'],
  ['Access token has expired. Updating...', 'elsewhere'],
  ['Login Limit Reached', 'elsewhere'],
  ['C-1016 RemoteOrgSignupFailed', 'elsewhere'],
  ['the flux capacitor is out of sync', 'unknown'],
];

describe('doctor/logTexts: every error text a log can hold', () => {
  for (const [raw, expected] of TEXTS) {
    it(`"${raw}" → ${expected}`, () => {
      const e = explainText(raw);
      const got = e.kind === 'answer' ? e.entry.code : e.kind === 'sf' ? e.code : e.kind;
      expect(got).to.equal(expected);
    });
  }
});
