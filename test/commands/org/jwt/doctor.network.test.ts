/*
 * Network faults on the token endpoint, made by the simulated org: each is named (never just "fetch failed"), ends
 * within the deadline as `inconclusive` / ORG_UNREACHABLE / exit 3 (or a named cause), and valid JSON. Also: the
 * probe's round-trip depth, and that the assertion is never sent to a host that is neither Salesforce nor loopback.
 */
import { expect } from 'chai';
import { startSimulator, type FaultSpec, type Simulator } from '../../../../simulator/index.js';
import { runInProcess } from '../../../helpers/cli.js';
import { schemaErrors } from '../../../helpers/schema.js';
import { roundTripDepth } from '../../../helpers/roundTrips.js';
import { loginArgs } from '../../../helpers/loginArgs.js';

const args = (sim: Simulator, extra: string[] = []): string[] => loginArgs(sim, '--json', ...extra);

type FaultCase = { name: string; fault: FaultSpec; detail: RegExp; fix: RegExp; timeout?: string };
const TOKEN = { pathPrefix: '/services/oauth2/token' };

const CASES: FaultCase[] = [
  {
    name: 'connection refused',
    fault: { kind: 'refuse', match: TOKEN },
    detail: /refused|reset|ECONN|socket/i,
    fix: /Reach the org/,
  },
  {
    name: 'connection reset mid-request',
    fault: { kind: 'reset', match: TOKEN },
    detail: /reset|socket|closed/i,
    fix: /Reach the org/,
  },
  {
    name: 'untrusted TLS certificate',
    fault: { kind: 'tls-untrusted' },
    detail: /not trusted/,
    fix: /Trust the certificate/,
  },
  {
    name: 'TLS certificate for another name',
    fault: { kind: 'tls-wrong-name' },
    detail: /another host name/,
    fix: /real host name/,
  },
  { name: 'expired TLS certificate', fault: { kind: 'tls-expired' }, detail: /expired/, fix: /expired certificate/ },
  {
    name: 'a hung token endpoint',
    fault: { kind: 'hang', match: TOKEN },
    detail: /no answer in time/,
    fix: /in time/,
    timeout: '4',
  },
  {
    name: 'a slow drip',
    fault: { kind: 'slow-drip', match: TOKEN, intervalMs: 1000 },
    detail: /no answer in time/,
    fix: /in time/,
    timeout: '4',
  },
  {
    name: 'an HTML maintenance page (503)',
    fault: { kind: 'html-500', match: TOKEN },
    detail: /HTTP 503 .*html/i,
    fix: /real token endpoint/,
  },
  {
    name: 'malformed JSON',
    fault: { kind: 'malformed-json', match: TOKEN },
    detail: /not the token endpoint's JSON/,
    fix: /real token endpoint/,
  },
  {
    name: 'a truncated body',
    fault: { kind: 'truncated-body', match: TOKEN },
    detail: /not the token endpoint's JSON|reset|terminated|socket/i,
    fix: /Reach|real token endpoint/,
  },
  { name: 'HTTP 429', fault: { kind: 'rate-limit-429', match: TOKEN }, detail: /429/, fix: /rate limit/ },
];

describe('sf org jwt doctor: network faults on the token endpoint', function () {
  this.timeout(120_000);

  for (const c of CASES) {
    it(`${c.name}: named, inconclusive, exit 3, within the deadline`, async () => {
      const sim = await startSimulator({ scenario: 'healthy-production', faults: [c.fault] });
      try {
        const started = Date.now();
        const run = await runInProcess(args(sim, ['--timeout', c.timeout ?? '20']), { env: sim.env });
        const elapsed = Date.now() - started;
        expect(run.json, run.stdout + run.stderr).to.not.equal(undefined);
        const result = run.json!.result;
        expect(schemaErrors(result)).to.deep.equal([]);
        expect(result.verdict).to.equal('inconclusive');
        expect(run.code).to.equal(3);
        expect(result.cause?.code).to.equal('ORG_UNREACHABLE');
        const check = result.checks.find((x) => x.id === 'network.token-endpoint');
        expect(check?.status).to.equal('fail');
        expect(check?.detail).to.match(c.detail);
        expect(result.fixes[0]?.title).to.match(c.fix);
        expect(run.stderr).to.not.match(/\n\s+at .+:\d+:\d+/);
        if (c.timeout) expect(elapsed).to.be.below(Number(c.timeout) * 1000 + 8000);
      } finally {
        await sim.stop();
      }
    });
  }

  it('a host that does not resolve is named by the DNS check (no routing, no network)', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      // Route only login/test; the My Domain below is routed nowhere and this machine has no DNS for it.
      const run = await runInProcess(
        args(sim).map((a) => (a === sim.login!.instanceUrl ? 'https://no-such-org-xyz.my.salesforce.com' : a)),
        {
          env: {
            ...sim.env,
            SF_JWT_DOCTOR_CONNECT_TO: 'login.salesforce.com:443:127.0.0.1:9,test.salesforce.com:443:127.0.0.1:9',
          },
        },
      );
      const result = run.json!.result;
      expect(result.checks.find((x) => x.id === 'network.dns')?.status).to.equal('fail');
      expect(result.verdict).to.equal('inconclusive');
      expect(result.cause?.code).to.equal('ORG_UNREACHABLE');
      expect(run.code).to.equal(3);
    } finally {
      await sim.stop();
    }
  });

  it('a refused SF_JWT_DOCTOR_CONNECT_TO target that is not loopback is a usage error, before any request', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      const run = await runInProcess(args(sim), {
        env: { ...sim.env, SF_JWT_DOCTOR_CONNECT_TO: 'acme.my.salesforce.com:443:10.1.2.3:443' },
      });
      expect(run.code).to.equal(2);
      expect(run.json?.message ?? run.stdout).to.match(/not a loopback address/);
      expect(sim.requests).to.have.length(0);
    } finally {
      await sim.stop();
    }
  });

  it('the probe takes at most 2 sequential round trips, even when sf would need 5 attempts', async () => {
    const sim = await startSimulator({ scenario: 'self-authorize-never-approved', latencyMs: 150 });
    try {
      const run = await runInProcess(args(sim), { env: sim.env });
      expect(run.json!.result.attempts).to.have.length(5);
      const tokenPosts = sim.requests.filter((r) => r.path.endsWith('/services/oauth2/token'));
      expect(tokenPosts).to.have.length(5);
      expect(roundTripDepth(sim.requests)).to.be.at.most(2);
    } finally {
      await sim.stop();
    }
  });

  it('using the token and revoking it costs at most one more round trip: depth 3 (first pair works)', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production', latencyMs: 150 });
    try {
      const run = await runInProcess(args(sim), { env: sim.env });
      expect(run.json!.result.verdict).to.equal('pass');
      // sf's first call after a login, then the revoke: one after the other (the revoke must not race the call).
      expect(sim.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
        'POST /services/oauth2/token',
        'GET /services/data/v51.0/query',
        'POST /services/oauth2/revoke',
      ]);
      expect(sim.requests[1].queryKeys).to.deep.equal(['q']);
      expect(roundTripDepth(sim.requests)).to.equal(3);
      expect(sim.state.tokens.size).to.equal(0);
    } finally {
      await sim.stop();
    }
  });

  it('a token from a fallback pair: the call and every revoke go together, depth 3, no session left', async () => {
    // My Domain audience rejected: sf's first pair fails, its fallback pairs at login.salesforce.com and the My Domain
    // (aud login) both get a token in the probe's parallel batch; sf would keep the first.
    const sim = await startSimulator({
      scenario: 'healthy-production',
      latencyMs: 150,
      behaviour: { myDomainAudience: 'rejected' },
    });
    try {
      const run = await runInProcess(args(sim), { env: sim.env });
      expect(run.json!.result.verdict).to.equal('warn');
      const issued = sim.requests.filter((r) => r.path.endsWith('/oauth2/token') && r.status === 200).length;
      expect(issued).to.be.greaterThan(1);
      expect(sim.requests.filter((r) => r.revoke === 'access-token')).to.have.length(issued);
      expect(sim.requests.filter((r) => r.path === '/services/data/v51.0/query')).to.have.length(1);
      expect(roundTripDepth(sim.requests)).to.be.at.most(3);
      expect(sim.state.tokens.size).to.equal(0);
    } finally {
      await sim.stop();
    }
  });

  it('a working login costs one request, as it does for sf', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      const run = await runInProcess(args(sim), { env: sim.env });
      expect(run.json!.result.verdict).to.equal('pass');
      expect(sim.requests.filter((r) => r.path.endsWith('/services/oauth2/token'))).to.have.length(1);
    } finally {
      await sim.stop();
    }
  });
});
