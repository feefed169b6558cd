/*
 * The fault suite: faults the simulated org injects on the token endpoint (the kinds and shapes that
 * doctor.network.test.ts does not cover: REQUEST_LIMIT_EXCEEDED, a wrong content type, faults on only some hosts,
 * faults that hit the first attempt only) and on each request kind of the org inspector (--admin-org: REST query,
 * Tooling query, Metadata SOAP, userinfo). Every run ends within its deadline with a named, schema-valid result; an
 * inspector failure never turns into a wrong cause and degrades only the checks that needed the failed reads.
 */
import { expect } from 'chai';
import { startSimulator, type FaultSpec, type Simulator } from '../../simulator/index.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../helpers/cli.js';
import { exitCodeOf, inGroups, STACK_FRAME } from '../helpers/parallel.js';
import { schemaErrors } from '../helpers/schema.js';
import { loginArgs as scenarioLoginArgs } from '../helpers/loginArgs.js';

const loginArgs = (sim: Simulator, timeout: number): string[] =>
  scenarioLoginArgs(sim, '--json', '--timeout', String(timeout));

const TOKEN = '/services/oauth2/token';

type Observed = { run: CliRun; ms: number; requests: Simulator['requests']; timeout: number };

/** Shared assertions for every faulted run: in time, JSON, schema, exit code from verdict, no stack trace. */
function assertNamed(o: Observed): JwtDoctorResult {
  expect(o.run.code, `killed? ${o.run.stderr.slice(0, 500)}`).to.not.equal(null);
  expect(o.ms, 'ended within its deadline').to.be.below(o.timeout * 1000 + 8000);
  expect(o.run.json, o.run.stdout.slice(0, 1000) + o.run.stderr.slice(0, 1000)).to.not.equal(undefined);
  const result = o.run.json!.result;
  expect(result, o.run.json!.message).to.not.equal(undefined);
  expect(schemaErrors(result)).to.deep.equal([]);
  expect(o.run.code).to.equal(exitCodeOf(result.verdict));
  expect(o.run.stdout + o.run.stderr).to.not.match(STACK_FRAME);
  for (const c of result.checks) expect(c.detail, c.id).to.not.match(/^\s*$|undefined|\[object Object\]/);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Token endpoint

type TokenCase = {
  name: string;
  scenario: string;
  faults: FaultSpec[];
  timeout?: number;
  verify: (result: JwtDoctorResult, o: Observed) => void;
};

const detail = (r: JwtDoctorResult, id: string): string => r.checks.find((c) => c.id === id)?.detail ?? '';

const TOKEN_CASES: TokenCase[] = [
  {
    name: 'REQUEST_LIMIT_EXCEEDED (403) on every token request: transient, inconclusive, named',
    scenario: 'healthy-production',
    faults: [{ kind: 'request-limit-exceeded', match: { pathPrefix: TOKEN } }],
    verify: (r) => {
      expect(r.verdict).to.equal('inconclusive');
      expect(`${detail(r, 'probe.token')} ${detail(r, 'network.token-endpoint')}`).to.match(
        /REQUEST_LIMIT_EXCEEDED|limit|throttl/i,
      );
    },
  },
  {
    name: 'a JSON answer labelled text/html: still read, or named as not the token endpoint',
    scenario: 'self-authorize-never-approved',
    faults: [{ kind: 'wrong-content-type', match: { pathPrefix: TOKEN } }],
    verify: (r) => {
      expect(r.verdict).to.be.oneOf(['fail', 'inconclusive']);
      if (r.verdict === 'fail')
        expect([r.cause?.code, ...(r.cause?.alternatives ?? [])]).to.include('USER_NOT_APPROVED');
      else expect(detail(r, 'network.token-endpoint')).to.match(/html|content type|not the token endpoint/i);
    },
  },
  {
    name: 'wrong content type on a working login: the login still works or is inconclusive, never a cause',
    scenario: 'healthy-production',
    faults: [{ kind: 'wrong-content-type', match: { pathPrefix: TOKEN } }],
    verify: (r) => expect(r.verdict).to.be.oneOf(['pass', 'warn', 'inconclusive']),
  },
  {
    name: 'login.salesforce.com and test.salesforce.com refused, the My Domain answers: its answer decides',
    scenario: 'self-authorize-never-approved',
    faults: [
      { kind: 'refuse', match: { host: 'login.salesforce.com' } },
      { kind: 'refuse', match: { host: 'test.salesforce.com' } },
    ],
    verify: (r) => {
      expect(r.verdict).to.equal('fail');
      expect([r.cause?.code, ...(r.cause?.alternatives ?? [])]).to.include('USER_NOT_APPROVED');
      expect(r.attempts.some((a) => a.outcome === 'network-error')).to.equal(true);
    },
  },
  {
    name: 'an HTML 503 from test.salesforce.com only: the My Domain answer still decides',
    scenario: 'not-preauthorized-profile',
    faults: [{ kind: 'html-500', match: { host: 'test.salesforce.com', pathPrefix: TOKEN } }],
    verify: (r) => {
      expect(r.verdict).to.equal('fail');
      expect([r.cause?.code, ...(r.cause?.alternatives ?? [])]).to.include('USER_NOT_PREAUTHORIZED');
    },
  },
  {
    name: 'an expired TLS certificate on login.salesforce.com only (a fallback host)',
    scenario: 'healthy-production',
    faults: [{ kind: 'tls-expired', match: { host: 'login.salesforce.com' } }],
    verify: (r) => expect(r.verdict).to.be.oneOf(['pass', 'warn']),
  },
  {
    name: 'the first token request is reset, later ones work (times: 1)',
    scenario: 'healthy-production',
    faults: [{ kind: 'reset', match: { pathPrefix: TOKEN }, times: 1 }],
    verify: (r) => {
      expect(r.attempts[0]?.outcome).to.equal('network-error');
      expect(r.verdict, JSON.stringify(r.cause)).to.be.oneOf(['pass', 'warn', 'inconclusive']);
      if (r.attempts.some((a) => a.outcome === 'success')) expect(r.verdict).to.be.oneOf(['pass', 'warn']);
    },
  },
  {
    name: 'the first token request gets a 503 page, later ones work (times: 1)',
    scenario: 'healthy-production',
    faults: [{ kind: 'html-500', match: { pathPrefix: TOKEN }, times: 1 }],
    verify: (r) => {
      expect(r.attempts[0]?.httpStatus ?? 503).to.equal(503);
      expect(r.verdict).to.be.oneOf(['pass', 'warn', 'inconclusive']);
    },
  },
  {
    name: 'the first token request hangs, later ones work (times: 1, --timeout 8)',
    scenario: 'healthy-production',
    faults: [{ kind: 'hang', match: { pathPrefix: TOKEN }, times: 1 }],
    timeout: 8,
    verify: (r) => expect(r.verdict).to.be.oneOf(['pass', 'warn', 'inconclusive']),
  },
  {
    name: 'two 429s then answers (times: 2) on a failing login: the real cause is still found',
    scenario: 'cert-mismatch',
    faults: [{ kind: 'rate-limit-429', match: { pathPrefix: TOKEN }, times: 2 }],
    verify: (r) => {
      expect(r.verdict).to.be.oneOf(['fail', 'inconclusive']);
      if (r.verdict === 'fail') expect([r.cause?.code, ...(r.cause?.alternatives ?? [])]).to.include('CERT_MISMATCH');
    },
  },
  {
    name: 'malformed JSON from the My Domain only, the fallback hosts answer',
    scenario: 'user-inactive',
    faults: [{ kind: 'malformed-json', match: { host: 'acme.my.salesforce.com', pathPrefix: TOKEN } }],
    verify: (r) => expect(r.verdict).to.be.oneOf(['fail', 'inconclusive']),
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Inspector (--admin-org)

type RequestKind = { name: string; pathPrefix: string; method?: string; unaffected: string[] };

/** Each inspector request kind, and checks that do not depend on it (they must keep their fault-free status). */
const REQUEST_KINDS: RequestKind[] = [
  {
    name: 'REST query',
    pathPrefix: '/services/data/v62.0/query',
    unaffected: ['probe.token', 'app.found', 'app.certificate', 'app.scopes'],
  },
  { name: 'Tooling query', pathPrefix: '/services/data/v62.0/tooling', unaffected: ['probe.token'] },
  {
    name: 'Metadata SOAP',
    pathPrefix: '/services/Soap/m/',
    method: 'POST',
    unaffected: ['probe.token', 'user.exists', 'user.active'],
  },
  {
    name: 'userinfo',
    pathPrefix: '/services/oauth2/userinfo',
    unaffected: ['probe.token', 'user.exists', 'user.active', 'app.found', 'app.certificate'],
  },
];

type FaultKindCase = { kind: FaultSpec['kind']; extra?: Partial<FaultSpec>; timeout?: number };
const INSPECTOR_FAULTS: FaultKindCase[] = [
  { kind: 'refuse' },
  { kind: 'reset' },
  { kind: 'html-500' },
  { kind: 'malformed-json' },
  { kind: 'truncated-body' },
  { kind: 'rate-limit-429' },
  { kind: 'request-limit-exceeded' },
  { kind: 'wrong-content-type' },
  { kind: 'hang', timeout: 8 },
  { kind: 'slow-drip', extra: { intervalMs: 400 }, timeout: 8 },
];
/** No Tooling request is made today: two kinds prove the fault is inert there without spending a full row. */
const TOOLING_FAULTS: FaultKindCase[] = [{ kind: 'html-500' }, { kind: 'hang', timeout: 8 }];

type AdminObserved = Observed & { kind: RequestKind; fault: FaultKindCase; hits: number };

describe('reliability: faults from the simulated org', function () {
  this.timeout(600_000);

  describe('on the token endpoint', () => {
    const observed = new Map<string, Observed>();
    before(async () => {
      const started = Date.now();
      await inGroups(
        TOKEN_CASES.map((c) => async () => {
          const sim = await startSimulator({ scenario: c.scenario, faults: c.faults });
          try {
            const timeout = c.timeout ?? 20;
            const run = await runInProcess(loginArgs(sim, timeout), {
              env: sim.env,
              timeoutMs: timeout * 1000 + 12_000,
            });
            observed.set(c.name, { run, ms: run.ms, requests: [...sim.requests], timeout });
          } finally {
            await sim.stop();
          }
        }),
        4,
      );
      console.log(
        `      token endpoint: ${TOKEN_CASES.length} faulted runs in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    });

    for (const c of TOKEN_CASES) {
      it(c.name, () => {
        const o = observed.get(c.name)!;
        const result = assertNamed(o);
        expect(
          o.requests.some((r) => r.fault) || c.faults.some((f) => f.kind.startsWith('tls') || f.kind === 'refuse'),
          'the fault was injected',
        ).to.equal(true);
        c.verify(result, o);
        if (result.verdict === 'inconclusive')
          expect(result.cause?.code ?? 'ORG_UNREACHABLE').to.be.oneOf(['ORG_UNREACHABLE', 'UNKNOWN']);
      });
    }
  });

  describe('on each request kind of the org inspector (--admin-org)', () => {
    const observed: AdminObserved[] = [];
    let baseline: JwtDoctorResult | undefined;

    before(async () => {
      const started = Date.now();
      // One simulated org and one admin HOME per request kind, run side by side; faults change between runs.
      await inGroups(
        REQUEST_KINDS.map((kind, index) => async () => {
          const sim = await startSimulator({ scenario: 'healthy-production' });
          const home = tempHome();
          try {
            await storeAdminAuth!(sim, home, { alias: 'admin' });
            const env = { ...sim.env, ...KEYCHAIN_ENV };
            if (index === 0) {
              const run = await runInProcess([...loginArgs(sim, 20), '--admin-org', 'admin'], { env, home });
              baseline = run.json?.result;
            }
            for (const fault of kind.name === 'Tooling query' ? TOOLING_FAULTS : INSPECTOR_FAULTS) {
              const timeout = fault.timeout ?? 20;
              sim.setFaults([
                { kind: fault.kind, match: { pathPrefix: kind.pathPrefix, method: kind.method }, ...fault.extra },
              ]);
              sim.clearLog();
              const run = await runInProcess([...loginArgs(sim, timeout), '--admin-org', 'admin'], {
                env,
                home,
                timeoutMs: timeout * 1000 + 12_000,
              });
              const requests = [...sim.requests];
              observed.push({
                run,
                ms: run.ms,
                requests,
                timeout,
                kind,
                fault,
                hits: requests.filter((r) => r.fault).length,
              });
            }
          } finally {
            removeDir(home);
            await sim.stop();
          }
        }),
        4,
      );
      console.log(
        `      inspector: ${observed.length} faulted runs over ${REQUEST_KINDS.length} request kinds in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    });

    it('has a fault-free baseline in which the org-side checks ran', () => {
      expect(baseline?.verdict).to.be.oneOf(['pass', 'warn']);
      expect(
        baseline!.checks.filter((c) => /^(org|app|user|approval)\./.test(c.id) && c.status === 'pass').length,
      ).to.be.at.least(5);
    });

    for (const kind of REQUEST_KINDS) {
      for (const fault of kind.name === 'Tooling query' ? TOOLING_FAULTS : INSPECTOR_FAULTS) {
        it(`${kind.name}: ${fault.kind} — in time, named, degrades only what needed it`, () => {
          const o = observed.find((x) => x.kind === kind && x.fault === fault);
          expect(o, 'the run happened').to.not.equal(undefined);
          const result = assertNamed(o!);
          // The token works in this org: an inspector failure must never become a cause.
          expect(result.verdict, JSON.stringify(result.cause)).to.be.oneOf(['pass', 'warn']);
          for (const c of result.checks) {
            const before = baseline!.checks.find((b) => b.id === c.id);
            if (!before) continue;
            if (kind.unaffected.includes(c.id))
              expect(c.status, `${c.id} does not need ${kind.name}: ${c.detail}`).to.equal(before.status);
            else expect(c.status, `${c.id}: ${c.detail}`).to.be.oneOf([before.status, 'skip', 'warn']);
          }
          const degraded = result.checks.filter(
            (c) => c.status !== baseline!.checks.find((b) => b.id === c.id)?.status,
          );
          if (o!.hits === 0) {
            // Nothing of this kind was requested (Tooling today): the fault is inert, the result is the baseline's.
            expect(degraded.map((c) => c.id)).to.deep.equal([]);
          } else if (fault.kind !== 'wrong-content-type') {
            expect(degraded.length, 'a failed read shows in the checks that needed it').to.be.greaterThan(0);
            const text = degraded.map((c) => c.detail).join(' ');
            expect(text).to.match(
              /could not|cannot|not read|failed|unavailable|did not answer|error|timed? ?out|deadline|limit|HTTP|\d{3}/i,
            );
          }
        });
      }
    }
  });
});
