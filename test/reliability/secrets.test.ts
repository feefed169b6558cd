/*
 * Safety rule 3 (DESIGN.md §2) over every scenario and every run of this mocha process: no assertion, access token,
 * refresh token, private key material or consumer secret in stdout, stderr, the --json result, or the log files under
 * the temporary HOME (~/.sf/*.log). Secrets are planted where the doctor reads (the stored login it is pointed at with
 * --from-org, a web login next to it) and issued by the simulated org (admin sessions, tokens from working logins).
 * Every other run of the command in the suite is checked by test/helpers/rootHooks.ts; core's log files by the NUTs.
 */
import { expect } from 'chai';
import { keyLeaks, leaks } from '../helpers/leaks.js';
import { pastedKeyMatrix, PLANTED, scenarioMatrix, type Matrix } from '../helpers/scenarioMatrix.js';

/** Every way a secret of the matrix could show in one text; returns what leaked (short labels, never the secret). */
function leaksOf(text: string, m: Matrix): string[] {
  return leaks(text, { secrets: PLANTED, issuedTokens: m.issuedTokens, keyBodies: m.keyBodies });
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
      for (const [where, text] of texts)
        for (const leak of leaksOf(text, m)) problems.push(`${r.scenario} (${r.mode}) ${where}: ${leak}`);
      expect(r.run.code, `${r.scenario} (${r.mode}) ended: ${r.run.stderr.slice(0, 300)}`).to.be.oneOf([0, 1, 3]);
    }
    console.log(
      `      checked ${m.runs.length} runs over ${m.scenarios.length} scenarios, ${outputs} outputs, ${logFiles} log files, ${m.issuedTokens.length} issued tokens, ${m.keyBodies.length} keys: ${problems.length} leaks (${m.seconds.toFixed(1)} s)`,
    );
    expect(m.runs.length).to.be.at.least(2 * 30);
    expect(problems).to.deep.equal([]);
  });
});

describe('reliability: a private key pasted into any flag or variable is never echoed', function () {
  this.timeout(900_000);

  it('every string flag, every variable the doctor reads, stored auth fields × every encoding: stdout, stderr, --json, report, trace', async () => {
    const m = await pastedKeyMatrix();
    const problems: string[] = [];
    let outputs = 0;
    for (const r of m.runs) {
      const texts: Array<[string, string]> = [['stdout', r.run.stdout], ['stderr', r.run.stderr], ...r.files];
      outputs += texts.length;
      for (const [where, text] of texts) {
        for (const leak of [...keyLeaks(text, m.pem), ...leaks(text)])
          problems.push(`${r.where} (${r.encoding}, ${r.mode}) ${where}: ${leak}`);
      }
      // A usage error or a diagnosis, never a crash; --json always parses.
      expect(r.run.code, `${r.where} (${r.encoding}): ${r.run.stderr.slice(0, 300)}`).to.be.oneOf([0, 1, 2, 3]);
      if (r.mode === 'json')
        expect(r.run.json, `${r.where} (${r.encoding}): --json output parses`).to.not.equal(undefined);
    }
    const usage = m.runs.filter((r) => r.run.code === 2).length;
    console.log(
      `      planted a key in ${m.flags.length} flags (${m.flags.map((f) => `--${f}`).join(' ')}), ${m.env.length} variables (${m.env.join(' ')}) and 4 stored auth fields, 14 encodings: ${m.runs.length} runs (${usage} usage errors), ${outputs} outputs incl. ${m.runs.reduce((n, r) => n + r.files.length, 0)} report/trace files: ${problems.length} leaks (${m.seconds.toFixed(1)} s)`,
    );
    expect(m.runs.length).to.be.at.least(14 * (m.flags.length + m.env.length));
    expect(problems).to.deep.equal([]);
  });
});
