/* Injected faults and latency, as a client sees them (undici fetch through the routing seam). */
import { expect } from 'chai';
import { fetch } from 'undici';
import { installConnectTo } from '../../src/salesforce/connectTo.js';
import type { Simulator } from '../../simulator/index.js';
import { jwtLogin, routedSimulator } from './helpers.js';

const URL_DATA = 'https://acme.my.salesforce.com/services/data';

async function outcome(p: Promise<Response | import('undici').Response>): Promise<string> {
  try {
    const r = await p;
    const text = await r.text();
    return `${r.status} ${r.headers.get('content-type') ?? ''} ${text.slice(0, 200)}`;
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return `error ${cause?.code ?? ''} ${cause?.message ?? (e as Error).message}`;
  }
}

describe('simulator faults', function () {
  this.timeout(20_000);
  let sim: Simulator;
  before(async () => {
    sim = await routedSimulator({ scenario: 'healthy-production' });
  });
  after(async () => sim.stop());
  afterEach(() => {
    sim.setFaults([]);
    installConnectTo({ ...process.env, ...sim.env });
  });

  it('refuse a whole host: its route points at a closed port (ECONNREFUSED); other hosts still answer', async () => {
    sim.setFaults([{ kind: 'refuse', match: { host: 'login.salesforce.com' } }]);
    installConnectTo({ ...process.env, ...sim.env });
    expect(await outcome(fetch('https://login.salesforce.com/services/data'))).to.match(/ECONNREFUSED/);
    expect(await outcome(fetch(URL_DATA))).to.match(/^200/);
  });

  it('refuse/reset per request close the socket; `times` limits a fault', async () => {
    sim.setFaults([{ kind: 'reset', match: { pathPrefix: '/services/data' }, times: 1 }]);
    expect(await outcome(fetch(URL_DATA))).to.match(/^error/);
    expect(await outcome(fetch(URL_DATA))).to.match(/^200/);
    sim.setFaults([{ kind: 'refuse', match: { pathPrefix: '/services/oauth2/token' } }]);
    expect(await outcome(fetch('https://acme.my.salesforce.com/services/oauth2/token', { method: 'POST' }))).to.match(
      /^error/,
    );
    expect(sim.requests.at(-1)).to.deep.include({ fault: 'refuse', status: 0 });
  });

  it('TLS: untrusted CA, wrong name and expired certificate fail verification', async () => {
    for (const [kind, code] of [
      ['tls-untrusted', /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/i],
      ['tls-wrong-name', /ERR_TLS_CERT_ALTNAME_INVALID|altnames/i],
      ['tls-expired', /CERT_HAS_EXPIRED|expired/i],
    ] as const) {
      sim.setFaults([{ kind, match: { host: 'acme.my.salesforce.com' }, times: 1 }]);
      installConnectTo({ ...process.env, ...sim.env }); // fresh connections: the handshake is where the fault lives
      expect(await outcome(fetch(URL_DATA)), kind).to.match(code);
    }
  });

  it('hang never answers (the client times out); latency delays every answer', async () => {
    sim.setFaults([{ kind: 'hang', match: { pathPrefix: '/services/data' }, times: 1 }]);
    expect(await outcome(fetch(URL_DATA, { signal: AbortSignal.timeout(300) }))).to.match(
      /^error|TimeoutError|aborted/,
    );
    const slow = await routedSimulator({ scenario: 'healthy-production', latencyMs: 250 });
    try {
      const t0 = Date.now();
      await (await fetch(URL_DATA)).text();
      expect(Date.now() - t0).to.be.greaterThanOrEqual(240);
    } finally {
      await slow.stop();
      installConnectTo({ ...process.env, ...sim.env });
    }
  });

  it('html-500, malformed JSON, truncated body, 429, REQUEST_LIMIT_EXCEEDED, wrong content type', async () => {
    sim.setFaults([{ kind: 'html-500', times: 1 }]);
    expect(await outcome(fetch(URL_DATA))).to.match(/^503 text\/html <!DOCTYPE html>/);
    sim.setFaults([{ kind: 'malformed-json', times: 1 }]);
    const bad = await fetch(URL_DATA);
    expect(bad.headers.get('content-type')).to.match(/json/);
    let parsed = true;
    await bad.json().catch(() => (parsed = false));
    expect(parsed).to.equal(false);
    sim.setFaults([{ kind: 'truncated-body', times: 1 }]);
    expect(await outcome(fetch(URL_DATA))).to.match(/^error/);
    sim.setFaults([{ kind: 'rate-limit-429', times: 1 }]);
    expect(await outcome(fetch(URL_DATA))).to.match(/^429 .*REQUEST_LIMIT_EXCEEDED/);
    sim.setFaults([{ kind: 'request-limit-exceeded', times: 1 }]);
    expect(await outcome(fetch(URL_DATA))).to.match(/^403 .*REQUEST_LIMIT_EXCEEDED/);
    sim.setFaults([{ kind: 'wrong-content-type', match: { pathPrefix: '/services/oauth2/token' }, times: 1 }]);
    const r = await jwtLogin(sim);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^text\/html/);
  });

  it('slow-drip sends the body a byte at a time', async () => {
    sim.setFaults([{ kind: 'slow-drip', intervalMs: 5, times: 1 }]);
    const t0 = Date.now();
    const res = await fetch('https://acme.my.salesforce.com/nothing-here');
    // The log shows the fault while the body is still dripping: a client that gives up mid-drip still sees it there.
    expect(sim.requests.filter((r) => r.fault === 'slow-drip').map((r) => r.path)).to.deep.equal(['/nothing-here']);
    const text = await res.text();
    expect(JSON.parse(text)).to.deep.equal([
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
    ]);
    expect(Date.now() - t0).to.be.greaterThan(text.length * 4);
  });

  it('every logged request came over loopback', () => {
    expect(sim.requests.length).to.be.greaterThan(5);
    expect(sim.requests.every((r) => r.loopback && /^(::ffff:)?127\./.test(r.remoteAddress))).to.equal(true);
  });
});
