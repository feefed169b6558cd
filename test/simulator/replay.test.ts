/*
 * The simulator's replay of a trace, in-process: which recorded answer a request gets (exact, then looser, in order,
 * token requests by aud), fresh tokens for removed ones, the recorded clock offset, and recorded network errors
 * replayed as the same errors a client sees (refused, reset, untrusted TLS).
 */
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { request } from 'undici';
import { startReplay, type Replay } from '../../simulator/index.js';
import { getDispatcher, installConnectTo } from '../../src/salesforce/connectTo.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceEntry, type TraceFile } from '../../src/salesforce/traceFormat.js';
import { makeTestKeys } from '../helpers/keys.js';

const ORG = '00DXX0MASK00001';

function entry(
  seq: number,
  req: Partial<TraceEntry['request']>,
  res?: TraceEntry['response'],
  error?: TraceEntry['error'],
): TraceEntry {
  return {
    seq,
    at: seq,
    ms: 3,
    request: {
      method: 'GET',
      scheme: 'https',
      host: 'acme.my.salesforce.com',
      path: '/',
      query: [],
      headers: {},
      ...req,
    },
    ...(res ? { response: res } : {}),
    ...(error ? { error } : {}),
  };
}

const tokenForm = (aud: string): TraceEntry['request'] => ({
  method: 'POST',
  scheme: 'https',
  host: 'acme.my.salesforce.com',
  path: '/services/oauth2/token',
  query: [],
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: {
    form: [
      ['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
      ['assertion', '[removed]'],
    ],
    claims: { iss: '3MVG9key', sub: 'ci@acme.com', aud },
  },
});

const TRACE: TraceFile = {
  format: TRACE_FORMAT,
  version: TRACE_VERSION,
  createdAt: new Date().toISOString(),
  tool: { name: 'test', version: '0' },
  removed: '',
  masking: '',
  entries: [
    entry(1, tokenForm('https://acme.my.salesforce.com/'), {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: { json: { error: 'invalid_grant', error_description: 'audience is invalid' } },
    }),
    entry(2, tokenForm('https://login.salesforce.com'), {
      status: 200,
      headers: { 'content-type': 'application/json' },
      dateOffsetSeconds: 3600,
      body: {
        json: {
          access_token: '[removed]',
          signature: '[removed]',
          instance_url: 'https://acme.my.salesforce.com',
          id: `https://login.salesforce.com/id/${ORG}AAA/005XX0MASK00001AAA`,
          token_type: 'Bearer',
        },
      },
    }),
    entry(
      3,
      { path: '/services/data/v62.0/query', query: [['q', "SELECT Id FROM User WHERE Username = 'ci@acme.com'"]] },
      { status: 200, headers: { 'content-type': 'application/json' }, body: { json: { records: [{ Id: 'first' }] } } },
    ),
    entry(
      4,
      { path: '/services/data/v62.0/query', query: [['q', "SELECT Id FROM User WHERE Username = 'other@acme.com'"]] },
      { status: 200, headers: { 'content-type': 'application/json' }, body: { json: { records: [{ Id: 'second' }] } } },
    ),
    entry(5, { host: 'gone.my.salesforce.com', path: '/services/oauth2/token', method: 'POST' }, undefined, {
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED',
    }),
    entry(6, { host: 'test.salesforce.com', path: '/services/oauth2/token', method: 'POST' }, undefined, {
      code: 'ECONNRESET',
      message: 'socket hang up',
    }),
    entry(7, { host: 'proxy.my.salesforce.com', path: '/services/oauth2/token', method: 'POST' }, undefined, {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      message: 'unable to verify the first certificate',
    }),
  ],
};

async function post(
  url: string,
  body?: string,
): Promise<{ status: number; json: Record<string, unknown>; date: string }> {
  const res = await request(url, {
    method: body === undefined ? 'GET' : 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    dispatcher: getDispatcher(),
  });
  return {
    status: res.statusCode,
    json: (await res.body.json()) as Record<string, unknown>,
    date: String(res.headers.date),
  };
}

async function failure(url: string): Promise<string> {
  try {
    await (await request(url, { method: 'POST', body: 'x=1', dispatcher: getDispatcher() })).body.text();
    return 'answered';
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code ?? 'ERROR';
  }
}

describe('simulator: replay of a trace', function () {
  this.timeout(30_000);
  const keys = makeTestKeys();
  let replay: Replay;
  const assertion = (aud: string): string =>
    jwt.sign({ iss: '3MVG9key', sub: 'ci@acme.com', aud, exp: Date.now() + 300 }, keys.privateKey, {
      algorithm: 'RS256',
    });

  before(async () => {
    replay = await startReplay({ trace: TRACE });
    installConnectTo({ ...process.env, ...replay.env });
  });
  after(() => replay.stop());

  it('answers token requests by their aud, whatever the order, with a fresh token of the recorded shape and the recorded clock', async () => {
    const form = (aud: string): string =>
      new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: assertion(aud),
      }).toString();
    const login = await post(
      'https://acme.my.salesforce.com/services/oauth2/token',
      form('https://login.salesforce.com'),
    );
    const myDomain = await post(
      'https://acme.my.salesforce.com/services/oauth2/token',
      form('https://acme.my.salesforce.com/'),
    );
    expect(myDomain.json).to.deep.equal({ error: 'invalid_grant', error_description: 'audience is invalid' });
    expect(login.status).to.equal(200);
    expect(login.json.access_token).to.match(new RegExp(`^${ORG}!AQ[\\w]{40,}$`));
    expect(login.json.signature).to.not.equal('[removed]');
    const offset = (Date.parse(login.date) - Date.now()) / 1000;
    expect(offset).to.be.within(3598, 3602);
    // A second success is another token.
    const again = await post(
      'https://acme.my.salesforce.com/services/oauth2/token',
      form('https://login.salesforce.com'),
    );
    expect(again.json.access_token).to.not.equal(login.json.access_token);
  });

  it('answers a query by its text, then the same query about another record in order; unknown requests get 404', async () => {
    const q = (username: string): string =>
      `https://acme.my.salesforce.com/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM User WHERE Username = '${username}'`)}`;
    expect((await post(q('other@acme.com'))).json).to.deep.equal({ records: [{ Id: 'second' }] });
    expect((await post(q('someone@else.com'))).json).to.deep.equal({ records: [{ Id: 'first' }] });
    const missing = await request('https://acme.my.salesforce.com/services/data/v62.0/sobjects/Account', {
      dispatcher: getDispatcher(),
    });
    expect(missing.statusCode).to.equal(404);
    await missing.body.text();
    expect(replay.unmatched().map((r) => r.path)).to.deep.equal(['/services/data/v62.0/sobjects/Account']);
  });

  it('replays network errors: refused, reset, an untrusted certificate', async () => {
    expect(await failure('https://gone.my.salesforce.com/services/oauth2/token')).to.equal('ECONNREFUSED');
    expect(await failure('https://test.salesforce.com/services/oauth2/token')).to.be.oneOf([
      'ECONNRESET',
      'UND_ERR_SOCKET',
    ]);
    expect(await failure('https://proxy.my.salesforce.com/services/oauth2/token')).to.equal(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
  });
});
