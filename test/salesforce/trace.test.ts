/*
 * --trace, the parts below the command: what the recorder removes and masks (traceFormat.ts), that the one dispatcher
 * of connectTo.ts sees the probe's undici.request and the inspector's undici.fetch (bodies, streamed request bodies,
 * compressed answers), and how the file is opened (mode 0600, bad paths, files it must not overwrite).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { fetch, request } from 'undici';
import { getDispatcher, installConnectTo } from '../../src/salesforce/connectTo.js';
import { setTraceSink, type RawExchange } from '../../src/salesforce/traceCapture.js';
import { cleanExchange, IdMasker, parseTrace, sweepSecrets } from '../../src/salesforce/traceFormat.js';
import { idChecksum } from '../../src/knowledge/recordId.js';
import { openTrace, TraceFileError } from '../../src/salesforce/trace.js';
import { makeTestKeys } from '../helpers/keys.js';

const ORG18 = `00D5g000004XyZ1${idChecksum('00D5g000004XyZ1')}`;
const USER18 = `005Hn00000AbCdE${idChecksum('005Hn00000AbCdE')}`;
const SESSION = `${ORG18.slice(0, 15)}!AQ4AQFfakeSessionTokenValue.0123456789abcdefghijklmnopq`;

function exchange(partial: Partial<RawExchange>): RawExchange {
  return {
    method: 'GET',
    origin: 'https://acme.my.salesforce.com',
    path: '/',
    requestHeaders: {},
    startedAt: 1000,
    ms: 5,
    ...partial,
  };
}

describe('trace: secrets removed, ids masked', () => {
  const keys = makeTestKeys();
  const assertion = jwt.sign(
    { iss: '3MVG9consumerKeyValue', sub: 'ci@acme.com', aud: 'https://login.salesforce.com', exp: Date.now() + 300 },
    keys.privateKey,
    { algorithm: 'RS256' },
  );

  it('a token request keeps grant_type and the claims, never the assertion; a token answer loses every token', () => {
    const masker = new IdMasker();
    const entry = cleanExchange(
      exchange({
        method: 'POST',
        path: '/services/oauth2/token',
        requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
        requestBody: Buffer.from(
          new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
        ),
        status: 200,
        responseHeaders: { 'content-type': 'application/json', date: new Date(1000 + 62_000).toUTCString() },
        responseBody: Buffer.from(
          JSON.stringify({
            access_token: SESSION,
            refresh_token: '5Aep861refreshTokenValue0123456789',
            signature: 'c2lnbmF0dXJl',
            instance_url: 'https://acme.my.salesforce.com',
            id: `https://login.salesforce.com/id/${ORG18}/${USER18}`,
            token_type: 'Bearer',
          }),
        ),
      }),
      masker,
      0,
      1,
    );
    const text = JSON.stringify(entry);
    expect(text).to.not.include(assertion.split('.')[2]);
    expect(text).to.not.include('eyJ');
    expect(text).to.not.include('!AQ4');
    expect(text).to.not.include('refreshTokenValue');
    expect(entry.request.body).to.deep.equal({
      form: [
        ['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
        ['assertion', '[removed]'],
      ],
      claims: { iss: '3MVG9consumerKeyValue', sub: 'ci@acme.com', aud: 'https://login.salesforce.com' },
    });
    const json = (entry.response?.body as { json: Record<string, string> }).json;
    expect(json.access_token).to.equal('[removed]');
    expect(json.refresh_token).to.equal('[removed]');
    expect(json.signature).to.equal('[removed]');
    expect(json.id).to.match(/\/id\/00DXX0MASK00001[A-Z0-5]{3}\/005XX0MASK00001[A-Z0-5]{3}$/);
    expect(entry.response?.dateOffsetSeconds).to.be.within(61, 63);
  });

  it('a session in an Authorization header, a SOAP sessionId, a consumer secret and a private key are removed', () => {
    const pem = keys.file('k.pem', readFileSync(keys.pkcs8, 'utf8'));
    const soap = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="x"><soapenv:Header><SessionHeader><sessionId>${SESSION}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><readMetadata><type>ConnectedApp</type><fullNames>CI_App</fullNames></readMetadata></soapenv:Body></soapenv:Envelope>`;
    const answer = `<Envelope><Body><readMetadataResponse><result><records><fullName>CI_App</fullName><oauthConfig><consumerKey>3MVG9consumerKeyValue</consumerKey><consumerSecret>C0FFEE5EC2E7D00D0123456789ABCDEF</consumerSecret><certificate>-----BEGIN CERTIFICATE-----\nMIIBszCCARygAwIBAgIBATANBgkqhkiG9w0BAQsFADAA\n-----END CERTIFICATE-----</certificate></oauthConfig><description>${readFileSync(pem, 'utf8')}</description></records></result></readMetadataResponse></Body></Envelope>`;
    const entry = cleanExchange(
      exchange({
        method: 'POST',
        path: '/services/Soap/m/62.0',
        requestHeaders: { 'content-type': 'text/xml', authorization: `Bearer ${SESSION}`, soapaction: '""' },
        requestBody: Buffer.from(soap),
        status: 200,
        responseHeaders: { 'content-type': 'text/xml', 'content-encoding': 'gzip' },
        responseBody: gzipSync(answer),
      }),
      new IdMasker(),
      0,
      1,
    );
    const text = JSON.stringify(entry);
    expect(text).to.not.include('AQ4AQF');
    expect(text).to.not.include('C0FFEE5EC2E7');
    expect(text).to.not.include(keys.body.slice(100, 140));
    expect(entry.request.headers.authorization).to.equal('Bearer [removed]');
    expect(entry.request.soap).to.deep.equal({ operation: 'readMetadata', types: ['ConnectedApp'] });
    // Public and needed for a replay: the consumer key and the app's certificate stay.
    expect(text).to.include('3MVG9consumerKeyValue');
    expect(text).to.include('MIIBszCCARygAwIBAgIBATANBgkqhkiG9w0BAQsFADAA');
  });

  it('masks ids stably: the 15- and 18-character forms of one id get one mask (with a valid checksum)', () => {
    const masker = new IdMasker();
    const a = masker.text(`Id = '${USER18}' and '${USER18.slice(0, 15)}' /sobjects/User/${USER18} org ${ORG18}`);
    const b = masker.text(`{"Id":"${USER18}","Other":"005Hn00000ZzZzZ"}`);
    const masked = /005XX0MASK00001[A-Z0-5]{3}/.exec(a)![0];
    expect(idChecksum(masked.slice(0, 15))).to.equal(masked.slice(15));
    expect(a).to.equal(
      `Id = '${masked}' and '${masked.slice(0, 15)}' /sobjects/User/${masked} org 00DXX0MASK00001${idChecksum('00DXX0MASK00001')}`,
    );
    expect(b).to.include(`"Id":"${masked}"`);
    expect(b).to.match(/"Other":"005XX0MASK00002/);
    // Not ids: a consumer key's parts, a word, a number.
    const key = '3MVG9A2kN3Bn17hsWsLDatw._IVMEUBoPKv.7ksp0tz7xLX4tWhVg';
    expect(masker.text(`${key} ConnectedApp0abc 123456789012345`)).to.equal(`${key} ConnectedApp0abc 123456789012345`);
  });

  it('sweeps a token out of any text: URL fragments, codes, Bearer headers, JWTs, pasted keys', () => {
    const swept = sweepSecrets(
      `https://x/cb#access_token=${SESSION}&state=1 ?code=aPrxABC123&x=1 Bearer abcdefghijkl ${assertion}`,
    );
    expect(swept).to.not.include('AQ4AQF');
    expect(swept).to.not.include('aPrxABC123');
    expect(swept).to.not.include('abcdefghijkl');
    expect(swept).to.not.include('eyJ');
    expect(swept).to.include('state=1');
  });
});

describe('trace: the dispatcher sees every request', () => {
  let server: Server;
  let port = 0;
  const seen: RawExchange[] = [];

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const gz = gzipSync(JSON.stringify({ echo: Buffer.concat(chunks).length, Id: USER18 }));
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': gz.length,
          date: new Date().toUTCString(),
        });
        res.end(gz);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    installConnectTo({ SF_JWT_DOCTOR_CONNECT_TO: '' });
    setTraceSink((e) => seen.push(e));
  });

  after(async () => {
    setTraceSink(undefined);
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("records the probe's request() and the inspector's fetch() (streamed body, gzip answer), and nothing once stopped", async () => {
    const res1 = await request(`http://127.0.0.1:${port}/services/oauth2/token`, {
      method: 'POST',
      body: 'grant_type=x&assertion=secret',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      dispatcher: getDispatcher(),
    });
    await res1.body.text();
    const res2 = await fetch(`http://127.0.0.1:${port}/services/data/v62.0/query?q=SELECT+Id+FROM+User`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: `Bearer ${SESSION}` },
      dispatcher: getDispatcher(),
    });
    expect(((await res2.json()) as { echo: number }).echo).to.equal(7);
    expect(seen.map((e) => `${e.method} ${e.path} ${e.status}`)).to.deep.equal([
      'POST /services/oauth2/token 200',
      'POST /services/data/v62.0/query?q=SELECT+Id+FROM+User 200',
    ]);
    expect(seen[0].requestBody?.toString()).to.equal('grant_type=x&assertion=secret');
    expect(seen[1].requestBody?.toString()).to.equal('{"a":1}');
    const entry = cleanExchange(seen[1], new IdMasker(), 0, 2);
    expect(entry.request.headers.authorization).to.equal('Bearer [removed]');
    expect(entry.request.query).to.deep.equal([['q', 'SELECT Id FROM User']]);
    expect((entry.response?.body as { json: { Id: string } }).json.Id).to.match(/^005XX0MASK00001/);
    setTraceSink(undefined);
    await (await request(`http://127.0.0.1:${port}/x`, { dispatcher: getDispatcher() })).body.text();
    expect(seen).to.have.length(2);
  });

  it('records a refused connection as an error', async () => {
    const events: RawExchange[] = [];
    setTraceSink((e) => events.push(e));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await request(`http://127.0.0.1:${deadPort}/`, { dispatcher: getDispatcher() }).catch(() => undefined);
    setTraceSink(undefined);
    expect(events.map((e) => e.error?.code)).to.deep.equal(['ECONNREFUSED']);
  });
});

describe('trace: the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-trace-'));

  it('is created with mode 0600 before the run and holds a versioned trace', async () => {
    const file = join(dir, 'run.trace.json');
    writeFileSync(file, '', { mode: 0o644 });
    const session = await openTrace(file);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    session.recorder.add(exchange({ status: 204, responseHeaders: {} }));
    await session.finish(
      { username: 'ci@acme.com', 'jwt-key-file': '/somewhere/server.key' },
      { verdict: 'pass', cause: null },
    );
    const trace = parseTrace(readFileSync(file, 'utf8'));
    expect(trace.version).to.equal(1);
    expect(trace.run).to.deep.equal({ username: 'ci@acme.com', 'jwt-key-file': 'server.key' });
    expect(trace.entries).to.have.length(1);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    // A trace may be overwritten by the next one.
    await (await openTrace(file)).finish({});
  });

  it('refuses a missing directory, a directory, an input file and a file that is not a trace', async () => {
    const key = join(dir, 'server.key');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\n');
    const notTrace = join(dir, 'notes.txt');
    writeFileSync(notTrace, 'keep me');
    const cases: Array<[string, RegExp, string[]]> = [
      [join(dir, 'missing', 't.json'), /directory does not exist/, []],
      [dir, /is a directory/, []],
      [key, /input files/, [key]],
      [notTrace, /not a trace file/, []],
    ];
    for (const [path, reason, protect] of cases) {
      const error = await openTrace(path, protect).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, path).to.be.instanceOf(TraceFileError);
      expect((error as TraceFileError).reason).to.match(reason);
    }
    expect(readFileSync(key, 'utf8')).to.equal('-----BEGIN PRIVATE KEY-----\n');
    expect(readFileSync(notTrace, 'utf8')).to.equal('keep me');
  });
});
