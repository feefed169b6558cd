/*
 * Host safety (DESIGN.md §2, safety rules 4 and 6; issue 11 items 2 and 3): an assertion or the admin's session goes
 * only to the host it belongs to, over https, or to an address that is loopback — judged by the address connected to,
 * never by a name. Redirects from the token endpoint and from every inspector request are refused, never followed:
 * each points at a foreign host routed to a second loopback server (the trap) that records any connection at all. A
 * stored admin auth with a foreign URL never gets the session. Names that need a lookup get a test-only one that maps
 * them to TEST-NET (192.0.2.1): the connection must be refused before it is made, so no packet leaves the machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { fetch } from 'undici';
import { startSimulator, type FaultSpec, type Scenario, type Simulator } from '../../simulator/index.js';
import { getDispatcher, installConnectTo, isLoopbackAddress, setHostLookup } from '../../src/salesforce/connectTo.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { exclusive, removeDir, runInProcess, tempHome, type CliRun } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { STACK_FRAME } from '../helpers/parallel.js';
import { loginArgsAt } from '../helpers/loginArgs.js';

const TOKEN = '/services/oauth2/token';
const FOREIGN = 'evil.example.com';
const TEST_NET = '192.0.2.1';

type Trap = { port: number; hits: string[]; close: () => Promise<void> };

/** The foreign host: a raw TCP server on loopback that records every connection (a TLS handshake, a request, anything). */
async function startTrap(): Promise<Trap> {
  const hits: string[] = [];
  const server: Server = createServer((socket) => {
    hits.push(`connection from ${socket.remoteAddress ?? '?'}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { port, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The simulator's routes plus the foreign host's, to the trap. */
function routedEnv(sim: Simulator, trap: Trap, drop: RegExp = /^$/): Record<string, string> {
  const routes = sim.env.SF_JWT_DOCTOR_CONNECT_TO.split(',').filter((r) => !drop.test(r));
  routes.push(`${FOREIGN}:443:127.0.0.1:${trap.port}`, `${FOREIGN}:80:127.0.0.1:${trap.port}`);
  return { ...sim.env, ...KEYCHAIN_ENV, SF_JWT_DOCTOR_CONNECT_TO: routes.join(',') };
}

function loginArgs(sim: Simulator, instanceUrl?: string): string[] {
  return loginArgsAt(sim, instanceUrl ?? sim.login!.instanceUrl ?? sim.url(), '--json', '--timeout', '20');
}

function resultOf(run: CliRun): JwtDoctorResult {
  expect(run.json?.result, `${run.stdout.slice(0, 800)}${run.stderr.slice(0, 800)}`).to.not.equal(undefined);
  const result = run.json!.result;
  expect(schemaErrors(result)).to.deep.equal([]);
  expect(run.stdout + run.stderr).to.not.match(STACK_FRAME);
  return result;
}

const check = (r: JwtDoctorResult, id: string): JwtDoctorResult['checks'][number] | undefined =>
  r.checks.find((c) => c.id === id);

/** Runs with a lookup that maps every name it is asked for to `address`, recording the names. */
async function withLookup<T>(address: string, asked: string[], work: () => Promise<T>): Promise<T> {
  setHostLookup(async (name) => {
    asked.push(name);
    return [address];
  });
  try {
    return await work();
  } finally {
    setHostLookup();
  }
}

function scenarioFile(name: string): Scenario {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../simulator/scenarios/${name}.json`, import.meta.url)), 'utf8'),
  ) as Scenario;
}

describe('reliability: host safety (credentials go only to their own host, over https or loopback)', function () {
  this.timeout(600_000);
  let trap: Trap;

  before(async () => {
    trap = await startTrap();
  });
  after(async () => {
    await trap.close();
  });

  it('the trap catches a request that follows the route to the foreign host (control)', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      const before = trap.hits.length;
      await exclusive(async () => {
        installConnectTo({ ...process.env, ...routedEnv(sim, trap) });
        await fetch(`https://${FOREIGN}/services/oauth2/token`, { method: 'POST', dispatcher: getDispatcher() }).catch(
          () => undefined,
        );
      });
      console.log(`      a request routed to ${FOREIGN}: ${trap.hits.length - before} connection(s) at the trap`);
      expect(trap.hits.length - before).to.equal(1);
    } finally {
      trap.hits.length = 0;
      await sim.stop();
    }
  });

  describe('the connection itself: loopback is the address connected to, never a name', () => {
    it('plain http and non-Salesforce names are refused before connecting unless they land on loopback', async () => {
      const server = createHttpServer((req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      const asked: string[] = [];
      const outcome = async (url: string): Promise<string> =>
        fetch(url, { dispatcher: getDispatcher() }).then(
          async (res) => `HTTP ${res.status} ${await res.text()}`,
          (error: Error & { cause?: { code?: string; message?: string } }) =>
            `${error.cause?.code ?? 'ERROR'}: ${error.cause?.message ?? error.message}`,
        );
      try {
        const seen = await exclusive(async () => {
          installConnectTo({ ...process.env, SF_JWT_DOCTOR_CONNECT_TO: '' });
          const out: Record<string, string> = {};
          await withLookup(TEST_NET, asked, async () => {
            out['http://org.localhost → TEST-NET'] = await outcome(`http://org.localhost:${port}/`);
            out['https://org.localhost → TEST-NET'] = await outcome(`https://org.localhost:${port}/`);
            out['http://acme.my.salesforce.com → TEST-NET'] = await outcome(`http://acme.my.salesforce.com:${port}/`);
          });
          await withLookup('127.0.0.1', asked, async () => {
            out['http://org.localhost → 127.0.0.1'] = await outcome(`http://org.localhost:${port}/`);
          });
          out['http://127.0.0.1 (literal)'] = await outcome(`http://127.0.0.1:${port}/`);
          return out;
        });
        console.log(
          `      ${Object.entries(seen)
            .map(([k, v]) => `${k}: ${v.slice(0, 60)}`)
            .join('\n      ')}`,
        );
        expect(seen['http://org.localhost → TEST-NET']).to.match(
          /^NOT_LOOPBACK: refused before connecting: org\.localhost resolves to 192\.0\.2\.1/,
        );
        expect(seen['https://org.localhost → TEST-NET']).to.match(/^NOT_LOOPBACK: .*not a Salesforce domain/);
        expect(seen['http://acme.my.salesforce.com → TEST-NET']).to.match(/^NOT_LOOPBACK: .*plain http/);
        expect(seen['http://org.localhost → 127.0.0.1']).to.equal('HTTP 200 ok');
        expect(seen['http://127.0.0.1 (literal)']).to.equal('HTTP 200 ok');
        expect(asked).to.include.members(['org.localhost', 'acme.my.salesforce.com']);
        expect(['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '[::1]'].every(isLoopbackAddress)).to.equal(
          true,
        );
        expect(
          ['192.0.2.1', '10.0.0.1', '::ffff:192.0.2.1', '::2', 'localhost', 'a.localhost'].some(isLoopbackAddress),
        ).to.equal(false);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('redirects from the token endpoint', () => {
    for (const status of [301, 302, 307, 308]) {
      it(`HTTP ${status} to ${FOREIGN}: refused and named, never followed, nothing re-sent`, async () => {
        const location = `https://${FOREIGN}${TOKEN}`;
        const sim = await startSimulator({
          scenario: 'healthy-production',
          faults: [{ kind: 'redirect', status, location, match: { pathPrefix: TOKEN } }],
        });
        try {
          const run = await runInProcess(loginArgs(sim), { env: routedEnv(sim, trap) });
          const r = resultOf(run);
          const tokenRequests = sim.requests.filter((q) => q.path === TOKEN);
          console.log(
            `      HTTP ${status}: ${r.attempts.length} attempt(s), ${tokenRequests.length} token request(s) at the org, ${trap.hits.length} at ${FOREIGN}; verdict ${r.verdict}`,
          );
          expect(trap.hits).to.deep.equal([]);
          expect(r.attempts.length).to.be.greaterThan(0);
          expect(tokenRequests.length, 'each assertion sent once, to the host it was signed for').to.equal(
            r.attempts.length,
          );
          expect(tokenRequests.every((q) => q.fault === 'redirect')).to.equal(true);
          for (const a of r.attempts)
            expect(a).to.include({ outcome: 'network-error', error: 'REDIRECT', httpStatus: status });
          expect(r.attempts[0].errorDescription).to.contain(`https://${FOREIGN}`);
          expect(check(r, 'network.token-endpoint')?.detail).to.match(/redirect, not followed/);
          expect(r.verdict).to.equal('inconclusive');
          expect(r.fixes[0]?.title).to.match(/token endpoint/i);
        } finally {
          trap.hits.length = 0;
          await sim.stop();
        }
      });
    }
  });

  describe('redirects from every inspector call (--admin-org)', () => {
    const KINDS: Array<{ name: string; pathPrefix: string; method?: string }> = [
      { name: 'REST and Tooling', pathPrefix: '/services/data/' },
      { name: 'Metadata SOAP (carries <sessionId>)', pathPrefix: '/services/Soap/m/', method: 'POST' },
      { name: 'userinfo', pathPrefix: '/services/oauth2/userinfo' },
    ];
    for (const kind of KINDS) {
      it(`${kind.name}: 301/302/307/308 to ${FOREIGN} are refused, named in org.connection, never followed`, async () => {
        const sim = await startSimulator({ scenario: 'healthy-production' });
        const home = tempHome();
        try {
          await storeAdminAuth(sim, home, { alias: 'admin' });
          // Without a fault: how many requests of this kind the inspection makes (a retry or a follow would add some).
          sim.clearLog();
          await runInProcess([...loginArgs(sim), '--admin-org', 'admin'], { env: routedEnv(sim, trap), home });
          const baseline = sim.requests.filter((q) => q.path.startsWith(kind.pathPrefix)).length;
          const lines: string[] = [`baseline: ${baseline} request(s)`];
          for (const status of [301, 302, 307, 308]) {
            const fault: FaultSpec = {
              kind: 'redirect',
              status,
              location: `https://${FOREIGN}${kind.pathPrefix}`,
              match: { pathPrefix: kind.pathPrefix, method: kind.method },
            };
            sim.setFaults([fault]);
            sim.clearLog();
            const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin'], {
              env: routedEnv(sim, trap),
              home,
            });
            const r = resultOf(run);
            const redirected = sim.requests.filter((q) => q.fault === 'redirect');
            const org = check(r, 'org.connection');
            lines.push(
              `HTTP ${status}: ${redirected.length} redirected, ${trap.hits.length} at ${FOREIGN}, org.connection ${org?.status}, verdict ${r.verdict}`,
            );
            expect(trap.hits, `HTTP ${status}`).to.deep.equal([]);
            expect(redirected.length, 'the fault was hit').to.be.greaterThan(0);
            expect(org?.status).to.be.oneOf(['warn', 'fail']);
            expect(org?.detail).to.match(
              new RegExp(`REFUSED: .*redirect .*HTTP ${status} .*→ https://${FOREIGN.replace(/\./g, '\\.')}`),
            );
            // The login works in this org: a refused redirect never becomes its cause.
            expect(r.verdict, JSON.stringify(r.cause)).to.be.oneOf(['pass', 'warn']);
            // Each request sent once: no retry or follow carried the session again.
            expect(sim.requests.filter((q) => q.path.startsWith(kind.pathPrefix)).length).to.be.at.most(baseline);
          }
          console.log(`      ${kind.name}:\n        ${lines.join('\n        ')}`);
        } finally {
          trap.hits.length = 0;
          removeDir(home);
          await sim.stop();
        }
      });
    }
  });

  describe('a stored admin auth that points elsewhere never gets the session', () => {
    const cases: Array<{
      name: string;
      change: (auth: Record<string, unknown>) => void;
      lookup?: string;
      expect: RegExp;
    }> = [
      {
        name: `instanceUrl https://${FOREIGN}/`,
        change: (a) => (a.instanceUrl = `https://${FOREIGN}/`),
        expect: /evil\.example\.com is not a Salesforce domain.*nothing was sent/,
      },
      {
        name: `loginUrl https://${FOREIGN} (where a refresh would go)`,
        change: (a) => (a.loginUrl = `https://${FOREIGN}`),
        expect: /evil\.example\.com is not a Salesforce domain/,
      },
      {
        name: `instanceUrl http://${FOREIGN}`,
        change: (a) => (a.instanceUrl = `http://${FOREIGN}`),
        expect: /not a Salesforce domain/,
      },
      {
        name: 'instanceUrl https://org.localhost/, which resolves to TEST-NET',
        change: (a) => (a.instanceUrl = 'https://org.localhost/'),
        lookup: TEST_NET,
        expect: /NOT_LOOPBACK.*org\.localhost resolves to 192\.0\.2\.1/,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const sim = await startSimulator({ scenario: 'healthy-production' });
        const home = tempHome();
        const asked: string[] = [];
        try {
          const username = await storeAdminAuth(sim, home, { alias: 'admin' });
          const file = join(home, '.sfdx', `${username}.json`);
          const auth = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
          c.change(auth);
          writeFileSync(file, JSON.stringify(auth, null, 2));
          sim.clearLog();
          const go = (): Promise<CliRun> =>
            runInProcess([...loginArgs(sim), '--admin-org', 'admin'], { env: routedEnv(sim, trap), home });
          const run = c.lookup ? await withLookup(c.lookup, asked, go) : await go();
          const r = resultOf(run);
          const org = check(r, 'org.connection');
          // The probe's own token at work (sf's first API call, then its revoke) is no admin request.
          const probeOwn = (q: (typeof sim.requests)[number]): boolean =>
            q.revoke !== undefined || /\bFROM ScratchOrgInfo\b/i.test(q.soql ?? '');
          const adminRequests = sim.requests.filter((q) => !q.path.startsWith(TOKEN) && !probeOwn(q));
          console.log(
            `      ${c.name}: org.connection ${org?.status}, ${adminRequests.length} admin request(s) at the org, ${trap.hits.length} at ${FOREIGN}${c.lookup ? `, looked up ${asked.join(', ')}` : ''}`,
          );
          expect(trap.hits).to.deep.equal([]);
          expect(adminRequests.map((q) => `${q.method} ${q.host}${q.path}`)).to.deep.equal([]);
          expect(org?.status).to.equal('fail');
          expect(org?.detail).to.match(c.expect);
          expect(r.verdict, JSON.stringify(r.cause)).to.be.oneOf(['pass', 'warn']);
          if (c.lookup) expect(asked).to.include('org.localhost');
        } finally {
          trap.hits.length = 0;
          removeDir(home);
          await sim.stop();
        }
      });
    }
  });

  describe('http URLs and *.localhost names: no assertion in clear, no assertion to a name that is not loopback', () => {
    it('http://acme.my.salesforce.com resolving to TEST-NET: nothing posted over http, INSTANCE_URL_INVALID with the https URL', async () => {
      const org = scenarioFile('healthy-production');
      org.org.myDomainSettings = { canOnlyLoginWithMyDomainUrl: true, doesApiLoginRequireOrgDomain: true };
      const sim = await startSimulator({ scenario: org });
      const asked: string[] = [];
      try {
        // No route for the http port: the name must be looked up, and the lookup says TEST-NET.
        const env = routedEnv(sim, trap, /^acme\.my\.salesforce\.com:80:/);
        const run = await withLookup(TEST_NET, asked, () =>
          runInProcess(loginArgs(sim, 'http://acme.my.salesforce.com'), { env }),
        );
        const r = resultOf(run);
        const http = r.attempts.filter((a) => a.loginUrl.startsWith('http://'));
        const atHttp = sim.requests.filter((q) => q.host === 'acme.my.salesforce.com');
        console.log(
          `      ${http.length} http attempt(s): ${[...new Set(http.map((a) => a.error))].join(', ')}; ${atHttp.length} request(s) reached the org's host; looked up ${[...new Set(asked)].join(', ')}; cause ${r.cause?.code}`,
        );
        expect(http.length).to.be.greaterThan(0);
        for (const a of http) expect(a).to.include({ outcome: 'network-error', error: 'NOT_LOOPBACK' });
        expect(http[0].errorDescription).to.match(
          /refused before connecting: acme\.my\.salesforce\.com resolves to 192\.0\.2\.1.*plain http/,
        );
        expect(atHttp).to.deep.equal([]);
        expect(asked).to.include('acme.my.salesforce.com');
        expect(r.cause?.code).to.equal('INSTANCE_URL_INVALID');
        expect(r.loginCommand).to.contain('--instance-url https://acme.my.salesforce.com');
        expect(r.fixes.map((f) => f.steps.join(' ')).join(' ')).to.contain('https://acme.my.salesforce.com');
      } finally {
        await sim.stop();
      }
    });

    it('http://acme.my.salesforce.com routed to 127.0.0.1: allowed, the address connected to is loopback (control)', async () => {
      const org = scenarioFile('healthy-production');
      org.server = { ...org.server, protocol: 'http' };
      const sim = await startSimulator({ scenario: org });
      try {
        const run = await runInProcess(loginArgs(sim, 'http://acme.my.salesforce.com'), { env: routedEnv(sim, trap) });
        const r = resultOf(run);
        const atHttp = sim.requests.filter((q) => q.host === 'acme.my.salesforce.com' && q.path === TOKEN);
        console.log(
          `      routed to loopback: ${atHttp.length} token request(s) reached the simulated org over http; verdict ${r.verdict}`,
        );
        expect(atHttp.length).to.be.greaterThan(0);
        expect(atHttp.every((q) => q.loopback)).to.equal(true);
      } finally {
        await sim.stop();
      }
    });

    for (const url of ['https://acme.localhost', 'http://acme.localhost:8080']) {
      it(`${url} mapped to TEST-NET: refused before connecting, not loopback by name`, async () => {
        const sim = await startSimulator({ scenario: 'healthy-production' });
        const asked: string[] = [];
        try {
          const run = await withLookup(TEST_NET, asked, () =>
            runInProcess(loginArgs(sim, url), { env: routedEnv(sim, trap) }),
          );
          const r = resultOf(run);
          const given = r.attempts.filter((a) => a.loginUrl.startsWith(url));
          const reached = sim.requests.filter((q) => q.host.endsWith('localhost'));
          console.log(
            `      ${url}: ${given.length} attempt(s) at it, all ${[...new Set(given.map((a) => a.error))].join(', ')}; ${reached.length} reached a server; looked up ${[...new Set(asked)].join(', ')}`,
          );
          expect(given.length).to.be.greaterThan(0);
          for (const a of given) expect(a).to.include({ outcome: 'network-error', error: 'NOT_LOOPBACK' });
          expect(given[0].errorDescription).to.match(
            /acme\.localhost resolves to 192\.0\.2\.1, not a loopback address/,
          );
          expect(reached).to.deep.equal([]);
          expect(trap.hits).to.deep.equal([]);
          expect(asked).to.include('acme.localhost');
        } finally {
          trap.hits.length = 0;
          await sim.stop();
        }
      });
    }
  });
});
