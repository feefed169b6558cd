/*
 * --fix against the simulated org, through the real command with a real stored admin auth: for each fixable cause
 * the applied changes are exactly the planned ones (the simulator's log shows only them), the re-run diagnosis passes,
 * and @salesforce/core's own JWT login then succeeds; --dry-run and a declined prompt change nothing.
 */
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../../../simulator/index.js';
import { removeDir, runInProcess, tempHome } from '../../../helpers/cli.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../../../helpers/adminOrg.js';
import { schemaErrors } from '../../../helpers/schema.js';
import { coreLogin } from '../../../helpers/coreLogin.js';
import { loginArgs } from '../../../helpers/loginArgs.js';

const FIXABLE: Record<string, string[]> = {
  // scenario → the mutating requests the plan must make, in order
  'not-preauthorized-profile': ['POST PermissionSet', 'POST SetupEntityAccess', 'POST PermissionSetAssignment'],
  'not-preauthorized-hasnt-approved': ['POST PermissionSet', 'POST SetupEntityAccess', 'POST PermissionSetAssignment'],
  'permset-granted-not-assigned': ['POST PermissionSetAssignment'],
  'permset-assignment-expired': ['DELETE PermissionSetAssignment', 'POST PermissionSetAssignment'],
};

function writes(sim: Simulator): string[] {
  return sim.requests
    .filter((r) => r.mutating)
    .map((r) => `${r.method} ${/\/sobjects\/(\w+)/.exec(r.path)?.[1] ?? r.path}`);
}

/** @salesforce/core's own JWT login with the scenario's login block, as sf org login jwt passes it. */
function sfLogin(sim: Simulator): ReturnType<typeof coreLogin> {
  const l = sim.login!;
  return coreLogin(sim, { ...l, loginUrl: new URL(l.instanceUrl!).href });
}

describe('sf org jwt doctor --fix', function () {
  this.timeout(120_000);

  for (const [scenario, expected] of Object.entries(FIXABLE)) {
    it(`${scenario}: applies exactly the plan, verifies, and sf's own login then works`, async () => {
      const sim = await startSimulator({ scenario });
      const home = tempHome();
      try {
        await storeAdminAuth(sim, home, { alias: 'admin' });
        expect((await sfLogin(sim)).ok).to.equal(false);

        // Dry run first: the plan, no change.
        sim.clearLog();
        const dry = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--dry-run', '--json'], {
          home,
          env: { ...sim.env, ...KEYCHAIN_ENV },
        });
        expect(writes(sim)).to.deep.equal([]);
        expect(dry.json!.result.fix?.mode).to.equal('dry-run');
        expect(dry.json!.result.fix?.steps.map((s) => s.command).join('\n')).to.match(
          /sf data (create|delete) record --sobject/,
        );
        expect(dry.code).to.equal(1);

        // Declined (no --no-prompt, no terminal to answer): no change.
        sim.clearLog();
        const declined = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--json'], {
          home,
          env: { ...sim.env, ...KEYCHAIN_ENV },
        });
        expect(writes(sim)).to.deep.equal([]);
        expect(sim.requests, 'refused before any request').to.deep.equal([]);
        expect(declined.code).to.equal(2);
        expect(declined.json).to.include({ name: 'FixNeedsTerminalError' });

        // Applied.
        sim.clearLog();
        const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--no-prompt', '--json'], {
          home,
          env: { ...sim.env, ...KEYCHAIN_ENV },
        });
        const result = run.json!.result;
        expect(schemaErrors(result)).to.deep.equal([]);
        expect(writes(sim)).to.deep.equal(expected);
        expect(result.fix?.mode).to.equal('applied');
        expect(result.fix?.steps.every((s) => s.status === 'applied')).to.equal(true);
        // Applied steps show the ids the earlier steps made, never the plan's "<id of …>".
        for (const s of result.fix?.steps ?? []) expect(s.command, s.description).to.not.include('<id of');
        expect(result.fix?.verified).to.equal(true);
        expect(result.verdict).to.be.oneOf(['pass', 'warn']);
        expect(run.code).to.equal(0);
        expect(result.fix?.undo.length).to.equal(expected.filter((w) => w.startsWith('POST')).length);
        expect(result.fix?.undo[0]).to.match(
          /^sf data delete record --sobject \w+ --record-id \w{15,18} --target-org admin$/,
        );
        expect(result.ignoredFlags).to.not.include('--no-prompt');

        const after = await sfLogin(sim);
        expect(after.ok, after.message).to.equal(true);
      } finally {
        removeDir(home);
        await sim.stop();
      }
    });
  }

  it('a cause the org cannot fix gets its manual steps, never a pretend fix', async () => {
    const sim = await startSimulator({ scenario: 'cert-mismatch' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      sim.clearLog();
      const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--no-prompt', '--json'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      expect(writes(sim)).to.deep.equal([]);
      expect(run.json!.result.fix?.mode).to.equal('not-fixable');
      expect(run.json!.result.fixes.length).to.be.greaterThan(0);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it("a self-authorize app: the approval URL (with this app's callback), no org change", async () => {
    const sim = await startSimulator({ scenario: 'self-authorize-never-approved' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      sim.clearLog();
      const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--no-prompt', '--json'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      expect(writes(sim)).to.deep.equal([]);
      expect(run.json!.result.fix?.approvalUrl).to.match(
        /^https:\/\/acme\.my\.salesforce\.com\/services\/oauth2\/authorize\?response_type=token&client_id=\w+&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&scope=api%20refresh_token$/,
      );
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  // Faults while changing the org: the run ends in time with a named step outcome, valid JSON and no stack trace, and
  // says the change may have been made (a cut answer can follow a committed write) instead of guessing either way.
  for (const fault of [
    {
      kind: 'truncated-body' as const,
      timeout: 20,
      error: /closed before the whole answer arrived/,
      writes: ['POST PermissionSetAssignment'],
    },
    // The simulated org commits a write before cutting its answer, and never acts on a request it hangs on.
    { kind: 'hang' as const, timeout: 6, error: /did not answer within/, writes: [] },
  ]) {
    it(`a ${fault.kind} answer to a write: a named failed step, in time, never a crash`, async () => {
      const sim = await startSimulator({ scenario: 'permset-granted-not-assigned' });
      const home = tempHome();
      try {
        await storeAdminAuth(sim, home, { alias: 'admin' });
        sim.setFaults([{ kind: fault.kind, match: { pathPrefix: '/services/data/', method: 'POST' }, times: 1 }]);
        sim.clearLog();
        const started = Date.now();
        const run = await runInProcess(
          [
            ...loginArgs(sim),
            '--admin-org',
            'admin',
            '--fix',
            '--no-prompt',
            '--timeout',
            String(fault.timeout),
            '--json',
          ],
          {
            home,
            env: { ...sim.env, ...KEYCHAIN_ENV },
            timeoutMs: 90_000,
          },
        );
        expect(Date.now() - started, 'ended within its deadline').to.be.below(fault.timeout * 1000 * 3 + 10_000);
        expect(run.stderr).to.not.match(/\n\s+at .+:\d+:\d+/);
        expect(run.json, run.stderr).to.not.equal(undefined);
        const result = run.json!.result;
        expect(schemaErrors(result)).to.deep.equal([]);
        expect(run.code).to.equal(1);
        expect(result.fix?.mode).to.equal('failed');
        const [step] = result.fix!.steps;
        expect(step.status).to.equal('may-have-been-made');
        expect(step.error).to.match(fault.error);
        expect(step.error).to.match(/may have been made/);
        // Its undo, found by the fields it was made with (its id never arrived).
        expect(result.fix!.undo).to.deep.equal([
          `sf data delete record --sobject PermissionSetAssignment --where "${step.command.split('"')[1]}" --target-org admin`,
        ]);
        expect(writes(sim)).to.deep.equal(fault.writes);
      } finally {
        removeDir(home);
        await sim.stop();
      }
    });
  }

  it('--fix without the key: applies the plan, and says the login could not be verified without a key', async () => {
    const sim = await startSimulator({ scenario: 'permset-granted-not-assigned' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      const keyless = loginArgs(sim).filter((a, i, all) => a !== '--jwt-key-file' && all[i - 1] !== '--jwt-key-file');
      const run = await runInProcess([...keyless, '--admin-org', 'admin', '--fix', '--no-prompt', '--json'], {
        home,
        env: { ...sim.env, ...KEYCHAIN_ENV },
      });
      const result = run.json!.result;
      expect(schemaErrors(result)).to.deep.equal([]);
      expect(result.fix?.mode).to.equal('applied');
      expect(writes(sim)).to.deep.equal(FIXABLE['permset-granted-not-assigned']);
      expect(result.fix?.verified).to.equal(false);
      expect(result.fix?.notes.join(' ')).to.match(/cannot log in to verify/);
      expect(result.fix?.before?.cause?.code).to.equal('USER_NOT_PREAUTHORIZED');
      // The org's setup no longer shows the cause; only a run with the key can show the login working.
      expect(result.cause?.code).to.not.equal('USER_NOT_PREAUTHORIZED');
      expect(sim.requests.filter((r) => r.path.includes('/services/oauth2/token'))).to.have.length(0);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });

  it('--fix needs --admin-org (usage error)', async () => {
    const run = await runInProcess(['--username', 'a@b.com', '--jwt-key-file', 'k', '--client-id', 'c', '--fix']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/admin-org/);
  });
});
