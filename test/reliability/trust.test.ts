/*
 * Issue 11, items 9 and 11: what the doctor prints can be trusted. Remote text (the token endpoint's error and
 * error_description, API error messages, SOAP faults, record names the org returns) reaches the terminal and the
 * result without control characters, so a server cannot print a fake verdict; a --json usage error carries no stack;
 * a corrupt stored auth file is a named finding (--all, --admin-org), never a silent skip or ERR_INVALID_URL.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Scenario, type Simulator } from '../../simulator/index.js';
import { TERMINAL_INJECTION } from '../../simulator/server.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runDoctor, tempHome, type CliRun } from '../helpers/cli.js';

const SCENARIOS = fileURLToPath(new URL('../../simulator/scenarios/', import.meta.url));
// Control characters other than the line breaks and tabs of the doctor's own layout.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A scenario whose org names (org, profile, app label) carry the injection: an admin may name things so. */
function hostileScenario(name: string): Scenario {
  let text = readFileSync(join(SCENARIOS, `${name}.json`), 'utf8');
  for (const value of ['Acme Corp', 'Integration User', 'CI Deploy App']) {
    text = text.split(JSON.stringify(value)).join(JSON.stringify(`${value}${TERMINAL_INJECTION}`));
  }
  return { ...(JSON.parse(text) as Scenario), name: `${name} (hostile text)` } as Scenario;
}

function controlsIn(run: CliRun): string[] {
  const found: string[] = [];
  for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    const m = CONTROL.exec(text);
    if (m) found.push(`${where}: U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 10))}`);
  }
  return found;
}

/** A line that reads as the doctor's own verdict (the fake one the injection tries to print). */
function fakeVerdictLine(run: CliRun): string | undefined {
  return run.stdout.split('\n').find((line) => /^\s*✓ The JWT login works/.test(line));
}

describe('reliability: remote text cannot drive the terminal (issue 11, item 9)', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let home: string;

  afterEach(async () => {
    await sim?.stop();
    if (home) removeDir(home);
  });

  for (const scenario of ['not-preauthorized-profile', 'admin-without-view-setup']) {
    it(`${scenario}: ESC/CSI/OSC 8/BEL/C1/CR in error_description, API errors, SOAP faults and record names`, async () => {
      sim = await startSimulator({ scenario: hostileScenario(scenario) });
      home = tempHome();
      await storeAdminAuth(sim, home, { alias: 'admin' });
      // After the admin's login (storing it clears faults): every error answer of the run carries the injection.
      sim.setFaults([{ kind: 'terminal-injection' }]);
      const l = sim.login!;
      const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId, '--instance-url', l.instanceUrl!, '--admin-org', 'admin', '--timeout', '20'];
      const env = { ...sim.env, ...KEYCHAIN_ENV };
      const human = await runDoctor(args, { env, home });
      const json = await runDoctor([...args, '--json'], { env, home });
      const result = json.json!.result;
      const strings = JSON.stringify(result);
      // The injected text arrived (its printable part is shown inline), so the test went through the path it guards.
      expect(human.stdout, 'the printable remnant of the injection is shown').to.include('INJECTED');
      expect(controlsIn(human), 'human output').to.deep.equal([]);
      expect(controlsIn(json), '--json output').to.deep.equal([]);
      expect(CONTROL.test(JSON.parse(strings) && Object.values(result).map((v) => JSON.stringify(v)).join('')), 'result strings').to.equal(false);
      expect(result.attempts.map((a) => a.errorDescription ?? '').join('\n')).to.not.match(CONTROL);
      expect(fakeVerdictLine(human), 'a fake verdict line').to.equal(undefined);
      expect(human.code).to.equal(1);
      expect(result.verdict).to.equal('fail');
      const injectedChecks = result.checks.filter((c) => c.detail.includes('INJECTED')).map((c) => c.id);
      console.log(`      ${scenario}: ${sim.requests.filter((r) => r.status >= 400).length} error answers and the org's names carried injected text; it reached ${injectedChecks.length} check details (${injectedChecks.join(', ')}) and ${result.attempts.filter((a) => (a.errorDescription ?? '').includes('INJECTED')).length} attempts, cleaned; no control character in stdout/stderr/--json, no fake verdict line`);
    });
  }
});
