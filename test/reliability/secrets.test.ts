/*
 * Safety rule 3 (DESIGN.md §2) over every scenario and every run of this mocha process: no assertion, access token,
 * refresh token, private key material or consumer secret in stdout, stderr, the --json result, or the log files under
 * the temporary HOME (~/.sf/*.log). Secrets are planted where the doctor reads (the stored login it is pointed at with
 * --from-org, a web login next to it) and issued by the simulated org (admin sessions, tokens from working logins).
 */
import { expect } from 'chai';
import { ALL_RUNS } from '../helpers/cli.js';
import { leakedKeyMaterial } from '../helpers/keys.js';
import { PLANTED, scenarioMatrix, type Matrix } from '../helpers/scenarioMatrix.js';
import { ACCESS_TOKEN, JWT, PEM_PRIVATE } from '../helpers/secretPatterns.js';

/** Every way a secret could show in one text; returns what leaked (short labels, never the secret itself). */
function leaks(text: string, m: Matrix): string[] {
  const found: string[] = [];
  if (JWT.test(text)) found.push('a JWT (assertion)');
  if (ACCESS_TOKEN.test(text)) found.push('an access token');
  if (PEM_PRIVATE.test(text)) found.push('a PEM private key');
  for (const [name, value] of Object.entries(PLANTED)) if (text.includes(value)) found.push(`planted ${name}`);
  for (const token of m.issuedTokens) if (text.includes(token)) found.push('a token the org issued');
  const flat = text.replace(/\s+/g, '');
  for (const body of m.keyBodies) {
    for (let i = 64; i + 40 <= body.length; i += 200) {
      if (flat.includes(body.slice(i, i + 40))) {
        found.push('private key material');
        break;
      }
    }
  }
  return found;
}

describe('reliability: no secret in any output or log file', function () {
  this.timeout(900_000);
  let m: Matrix;

  before(async () => {
    m = await scenarioMatrix();
  });

  it('every scenario, --json (with --admin-org where the scenario has an admin) and human (--from-org)', () => {
    const problems: string[] = [];
    let outputs = 0;
    let logFiles = 0;
    for (const r of m.runs) {
      const texts: Array<[string, string]> = [
        ['stdout', r.run.stdout],
        ['stderr', r.run.stderr],
        ...r.logs.map((l, i): [string, string] => [`~/.sf log ${i + 1}`, l]),
      ];
      outputs += 2;
      logFiles += r.logs.length;
      for (const [where, text] of texts) for (const leak of leaks(text, m)) problems.push(`${r.scenario} (${r.mode}) ${where}: ${leak}`);
      expect(r.run.code, `${r.scenario} (${r.mode}) ended: ${r.run.stderr.slice(0, 300)}`).to.be.oneOf([0, 1, 3]);
    }
    console.log(`      checked ${m.runs.length} runs over ${m.scenarios.length} scenarios, ${outputs} outputs, ${logFiles} log files, ${m.issuedTokens.length} issued tokens, ${m.keyBodies.length} keys: ${problems.length} leaks (${m.seconds.toFixed(1)} s)`);
    expect(m.runs.length).to.be.at.least(2 * 30);
    expect(problems).to.deep.equal([]);
  });

  it('every other run of the real command in this mocha process', () => {
    const others = ALL_RUNS.filter((run) => !m.runs.some((r) => r.run === run));
    const problems = others.flatMap((run, i) => leaks(`${run.stdout}\n${run.stderr}`, m).map((l) => `run ${i}: ${l}`));
    const keyLeaks = leakedKeyMaterial(others.flatMap((r) => [r.stdout, r.stderr]));
    console.log(`      checked ${others.length} further runs from the other suites, ${2 * others.length} outputs: ${problems.length + keyLeaks.length} leaks`);
    expect(problems).to.deep.equal([]);
    expect(keyLeaks).to.deep.equal([]);
  });
});
