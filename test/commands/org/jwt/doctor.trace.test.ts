/*
 * --trace and its replay (issue 10, point 5): a run against the simulated org is recorded with --trace, the trace is
 * served by the simulator's replay (startReplay, what `npm run sim -- --replay FILE` runs), and the doctor run again
 * with the same inputs reaches the same result: verdict, cause, confidence, alternatives, every check's id, status and
 * evidence, every attempt's outcome and error. The trace holds no token, assertion, key material or session id
 * (the patterns of secrets.test.ts, the tokens the simulated org issued, the admin's session, the key's body).
 * For --admin-org the replay run starts from a fresh HOME whose admin connection was stored against the replay, as
 * whoever reproduces a shared trace would.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startReplay, startSimulator, type Replay, type Simulator } from '../../../../simulator/index.js';
import { parseTrace, type TraceFile } from '../../../../src/salesforce/traceFormat.js';
import type { JwtDoctorResult } from '../../../../src/doctor/types.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../../../helpers/cli.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../../helpers/adminOrg.js';
import { snapshotHome } from '../../../helpers/homeSnapshot.js';
import { pemBody } from '../../../helpers/keys.js';
import { STACK_FRAME } from '../../../helpers/parallel.js';
import { ACCESS_TOKEN, JWT, PEM_PRIVATE } from '../../../helpers/leaks.js';

type Case = { scenario: string; admin: boolean; why: string };

const CASES: Case[] = [
  {
    scenario: 'self-authorize-never-approved',
    admin: false,
    why: 'a failing login, no admin: likely cause with alternatives',
  },
  { scenario: 'cert-mismatch', admin: false, why: 'a failing login, no admin: invalid assertion' },
  { scenario: 'maintenance', admin: false, why: 'an org answering HTML 503 pages' },
  { scenario: 'healthy-production', admin: false, why: 'a login that works: a fresh token of the recorded shape' },
  { scenario: 'clock-skew', admin: false, why: "a login that works, the org's clock off: the Date header replayed" },
  {
    scenario: 'not-preauthorized-profile',
    admin: true,
    why: 'with --admin-org: REST, Tooling and Metadata (SOAP) reads',
  },
  { scenario: 'cert-mismatch', admin: true, why: "with --admin-org: the app's certificate compared with the key" },
  { scenario: 'healthy-production', admin: true, why: 'with --admin-org, a login that works' },
];

/** What must be the same between the live run and its replay. */
function outcome(result: JwtDoctorResult): unknown {
  return {
    verdict: result.verdict,
    cause: result.cause && {
      code: result.cause.code,
      confidence: result.cause.confidence,
      alternatives: result.cause.alternatives,
    },
    // evidence: on every check once issue 10's evidence model has landed (DESIGN.md §2)
    checks: result.checks.map((c) => `${c.id} ${c.status} ${(c as { evidence?: string }).evidence ?? ''}`),
    attempts: result.attempts.map(
      (a) => `${a.loginUrl} ${a.audience} ${a.outcome} ${a.error ?? ''} ${a.httpStatus ?? ''}`,
    ),
  };
}

/** Every way a secret could show in the trace; returns what leaked (labels only). */
function leaks(text: string, secrets: { tokens: string[]; keyBody: string }): string[] {
  const found: string[] = [];
  if (JWT.test(text)) found.push('a JWT (assertion)');
  if (ACCESS_TOKEN.test(text)) found.push('an access token / session id');
  if (PEM_PRIVATE.test(text)) found.push('a PEM private key');
  if (/Bearer (?!\[removed\])/.test(text)) found.push('an Authorization header');
  if (/sessionId>(?!\[removed\]<|<)/.test(text)) found.push('a SOAP sessionId');
  for (const token of secrets.tokens) {
    if (text.includes(token)) found.push('a token the org issued');
    if (text.includes(token.split('!')[1] ?? token)) found.push("a token's secret part");
  }
  const flat = text.replace(/\\n|\s+/g, '');
  for (let i = 64; i + 40 <= secrets.keyBody.length; i += 200) {
    if (flat.includes(secrets.keyBody.slice(i, i + 40))) {
      found.push('private key material');
      break;
    }
  }
  return found;
}

function loginArgs(sim: Simulator, keyFile: string): string[] {
  const l = sim.login!;
  return [
    '--username',
    l.username,
    '--jwt-key-file',
    keyFile,
    '--client-id',
    l.clientId,
    ...(l.instanceUrl ? ['--instance-url', l.instanceUrl] : []),
    ...(l.audienceUrl ? ['--audience-url', l.audienceUrl] : []),
  ];
}

/** An admin connection stored against the replay, the way the CLI's replay output tells a user to. */
async function storeReplayAdmin(replay: Replay, home: string, instanceUrl: string): Promise<void> {
  const standIn = {
    scenario: { admin: 'admin' },
    protocol: 'https',
    env: replay.env,
    issueAccessToken: () => ({ accessToken: `${replay.orgId ?? '00DXX0MASK00001'}!replay`, instanceUrl }),
    setFaults: () => undefined,
  } as unknown as Simulator;
  await storeAdminAuth(standIn, home, { alias: 'admin' });
}

describe('org jwt doctor --trace, replayed by the simulator', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-trace-'));
  after(() => removeDir(dir));

  for (const [n, c] of CASES.entries()) {
    it(`${c.scenario}${c.admin ? ' --admin-org' : ''}: the replay gives the same result; the trace holds no secret (${c.why})`, async () => {
      const traceFile = join(dir, `${n}-${c.scenario}.trace.json`);
      const keyFile = join(dir, `${n}.key`);
      const sim = await startSimulator({ scenario: c.scenario });
      const liveHome = tempHome();
      let live: CliRun;
      let args: string[];
      let tokens: string[];
      const instanceUrl = sim.url();
      try {
        copyFileSync(sim.login!.keyFile, keyFile);
        args = [...loginArgs(sim, keyFile), ...(c.admin ? ['--admin-org', 'admin'] : []), '--json', '--timeout', '20'];
        if (c.admin) await storeAdminAuth(sim, liveHome, { alias: 'admin' });
        live = await runInProcess([...args, '--trace', traceFile], {
          home: liveHome,
          env: { ...sim.env, ...KEYCHAIN_ENV },
        });
        tokens = [...sim.state.tokens.keys()];
      } finally {
        await sim.stop();
        removeDir(liveHome);
      }
      expect(live.json?.result, live.stderr).to.not.equal(undefined);
      expect(statSync(traceFile).mode & 0o777).to.equal(0o600);

      const text = readFileSync(traceFile, 'utf8');
      const trace: TraceFile = parseTrace(text);
      expect(trace.entries.length).to.be.at.least(1);
      expect(trace.result?.verdict).to.equal(live.json!.result.verdict);
      if (c.admin) {
        expect(tokens.length, 'the admin session and any token the probe got').to.be.at.least(1);
        expect(trace.entries.some((e) => e.request.headers.authorization === 'Bearer [removed]')).to.equal(true);
        expect(trace.entries.some((e) => e.request.soap)).to.equal(true);
      }
      expect(leaks(text, { tokens, keyBody: pemBody(readFileSync(keyFile, 'utf8')) })).to.deep.equal([]);

      const replay = await startReplay({ trace: traceFile });
      const home = tempHome();
      try {
        if (c.admin) await storeReplayAdmin(replay, home, instanceUrl);
        const before = snapshotHome(home);
        const filesBefore = readdirSync(dir).sort();
        const asked = replay.requests.length; // storing the admin connection asked its own questions
        const again = await runInProcess(args, { home, env: { ...replay.env, ...KEYCHAIN_ENV } });
        expect(again.json?.result, again.stderr).to.not.equal(undefined);
        const unanswered = replay.requests.slice(asked).filter((r) => r.matched === null);
        expect(
          unanswered.map((r) => `${r.method} ${r.host}${r.path}`),
          'requests the trace had no answer for',
        ).to.deep.equal([]);
        expect(outcome(again.json!.result)).to.deep.equal(outcome(live.json!.result));
        expect(again.code).to.equal(live.code);
        expect(replay.requests.length - asked).to.equal(trace.entries.length);
        // Without --trace nothing is written: not in HOME, not next to the trace.
        expect(snapshotHome(home)).to.deep.equal(before);
        expect(readdirSync(dir).sort()).to.deep.equal(filesBefore);
      } finally {
        await replay.stop();
        removeDir(home);
      }
    });
  }

  it('the human output says where the trace went', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      const keyFile = join(dir, 'human.key');
      copyFileSync(sim.login!.keyFile, keyFile);
      const traceFile = join(dir, 'human.trace.json');
      const run = await runInProcess([...loginArgs(sim, keyFile), '--trace', traceFile], { env: { ...sim.env } });
      expect(run.code).to.equal(0);
      expect(run.stderr).to.include(`Trace written to ${traceFile} (3 requests; secrets removed, record ids masked).`);
      const text = readFileSync(traceFile, 'utf8');
      // The token, sf's first API call with it, and its revoke — the token itself in none of them.
      expect(
        parseTrace(text).entries.map(
          (e) => `${e.request.method} ${e.request.host}${e.request.path.replace(/\?.*/, '')} ${e.response?.status}`,
        ),
      ).to.deep.equal([
        'POST acme.my.salesforce.com/services/oauth2/token 200',
        'GET acme.my.salesforce.com/services/data/v51.0/query 400',
        'POST acme.my.salesforce.com/services/oauth2/revoke 200',
      ]);
      expect(text).to.not.match(/00D\w{12,15}![\w.]{20,}/);
    } finally {
      await sim.stop();
    }
  });

  it('a trace path that cannot be written is a usage error before any request, with no stack trace', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production' });
    try {
      const keyFile = join(dir, 'bad-path.key');
      copyFileSync(sim.login!.keyFile, keyFile);
      const missingDir = join(dir, 'no-such-dir', 'run.trace.json');
      sim.clearLog();
      const human = await runInProcess([...loginArgs(sim, keyFile), '--trace', missingDir], { env: { ...sim.env } });
      expect(human.code).to.equal(2);
      expect(human.stderr).to.include('Cannot write the trace file');
      expect(human.stderr).to.include('its directory does not exist');
      expect(human.stderr).to.not.match(STACK_FRAME);
      // The key file itself: refused, and left as it was.
      const keyBefore = readFileSync(keyFile, 'utf8');
      const json = await runInProcess([...loginArgs(sim, keyFile), '--trace', keyFile, '--json'], {
        env: { ...sim.env },
      });
      expect(json.code).to.equal(2);
      expect(json.json?.name).to.equal('TraceFileInvalidError');
      expect(json.json?.message).to.include("one of the run's input files");
      expect(readFileSync(keyFile, 'utf8')).to.equal(keyBefore);
      expect(sim.requests, 'no request before the path was checked').to.deep.equal([]);
    } finally {
      await sim.stop();
    }
  });
});
