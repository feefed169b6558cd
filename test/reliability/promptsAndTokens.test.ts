/*
 * Trust issue, items 5 and 8 (the parts not in adminOtherOrg.test.ts): --fix with no terminal to answer its prompt is
 * a usage error before any request, never a crash or a prompt in --json; a 200 token answer sf could not use (no id,
 * no instance_url) is never a pass.
 */
import { expect } from 'chai';
import { startSimulator } from '../../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome } from '../helpers/cli.js';
import { STACK_FRAME } from '../helpers/parallel.js';
import { schemaErrors } from '../helpers/schema.js';
import { loginArgs } from '../helpers/loginArgs.js';

describe('reliability: prompts without a terminal, tokens sf could not use', function () {
  this.timeout(60_000);

  it('--fix without --no-prompt and without a terminal: exit 2 before any request, in human and --json output', async () => {
    const sim = await startSimulator({ scenario: 'permset-granted-not-assigned' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      sim.clearLog();
      const human = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      const json = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--json'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      console.log(
        `      --fix with no terminal: exit ${human.code} (human), ${json.code} (--json), ${sim.requests.length} requests`,
      );
      expect(sim.requests).to.deep.equal([]);
      expect(human.code).to.equal(2);
      expect(human.stderr).to.match(/--no-prompt/);
      expect(human.stdout + human.stderr).to.not.match(STACK_FRAME);
      expect(json.code).to.equal(2);
      expect(json.json).to.include({ name: 'FixNeedsTerminalError', exitCode: 2 });
      expect(json.stdout, 'nothing but the JSON envelope').to.match(/^\s*\{[\s\S]*\}\s*$/);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it('a 200 token answer without id and instance_url: a failure (TOKEN_UNUSABLE), never a pass', async () => {
    const sim = await startSimulator({ scenario: 'healthy-production', faults: [{ kind: 'token-incomplete' }] });
    try {
      const run = await runInProcess([...loginArgs(sim), '--json'], { env: sim.env });
      const r = run.json!.result;
      console.log(
        `      token without id/instance_url: verdict ${r.verdict}, cause ${r.cause?.code}, exit ${run.code}`,
      );
      expect(schemaErrors(r)).to.deep.equal([]);
      expect(r.verdict).to.equal('fail');
      expect(r.cause?.code).to.equal('TOKEN_UNUSABLE');
      expect(run.code).to.equal(1);
    } finally {
      await sim.stop();
    }
  });
});
