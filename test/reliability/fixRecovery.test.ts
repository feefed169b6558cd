/*
 * --fix recovers from its own partial run (issue 11, item 6): a step that fails after an earlier one was applied
 * leaves a result that says exactly what was applied, what may have been made (with its undo command) and what was
 * not reached; the same --fix run again completes, reusing the earlier run's records by name instead of failing on
 * them ("API name already in use").
 */
import { expect } from 'chai';
import { startSimulator, type FaultSpec, type Simulator } from '../../simulator/index.js';
import type { JwtDoctorResult } from '../../src/doctor/types.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../helpers/cli.js';
import { STACK_FRAME } from '../helpers/parallel.js';
import { schemaErrors } from '../helpers/schema.js';
import { loginArgs } from '../helpers/loginArgs.js';

function writes(sim: Simulator): string[] {
  return sim.requests
    .filter((r) => r.mutating)
    .map((r) => `${r.method} ${/\/sobjects\/(\w+)/.exec(r.path)?.[1] ?? r.path}`);
}

async function fix(sim: Simulator, home: string): Promise<{ run: CliRun; result: JwtDoctorResult }> {
  sim.clearLog();
  const run = await runInProcess(
    [...loginArgs(sim), '--admin-org', 'admin', '--fix', '--no-prompt', '--json', '--timeout', '10'],
    { home, env: { ...sim.env, ...KEYCHAIN_ENV } },
  );
  expect(run.json?.result, run.stderr).to.not.equal(undefined);
  expect(`${run.stdout}${run.stderr}`).to.not.match(STACK_FRAME);
  const result = run.json!.result;
  expect(schemaErrors(result)).to.deep.equal([]);
  return { run, result };
}

/** The REST base the admin connection uses (from a dry run's reads), so a fault can match one sobject's path. */
async function restBase(sim: Simulator, home: string): Promise<string> {
  sim.clearLog();
  await runInProcess([...loginArgs(sim), '--admin-org', 'admin', '--fix', '--dry-run', '--json'], {
    home,
    env: { ...sim.env, ...KEYCHAIN_ENV },
  });
  const path = sim.requests.map((r) => /^\/services\/data\/v\d+\.\d\//.exec(r.path)?.[0]).find(Boolean);
  expect(path, 'the dry run read the org through REST').to.be.a('string');
  return path!;
}

const statuses = (r: JwtDoctorResult): string[] => r.fix!.steps.map((s) => s.status);

describe('reliability: --fix recovers from its own partial run', function () {
  this.timeout(240_000);

  const CASES: Array<{ name: string; fault: (base: string) => FaultSpec; rerunWrites: string[]; rerun: string[] }> = [
    {
      // The connection is cut before the simulated org acts on the grant: nothing was made, the client cannot know.
      name: 'step 2 (the grant) is cut off unanswered after step 1 (the permission set) was created',
      fault: (base) => ({
        kind: 'reset',
        match: { pathPrefix: `${base}sobjects/SetupEntityAccess`, method: 'POST' },
        times: 1,
      }),
      rerunWrites: ['POST SetupEntityAccess', 'POST PermissionSetAssignment'],
      rerun: ['already-there', 'applied', 'applied'],
    },
    {
      // The simulated org acts on the request, then answers an HTML 503 (a 5xx may follow a committed write).
      name: 'step 2 (the grant) answers 503 after the org made it',
      fault: (base) => ({
        kind: 'html-500',
        match: { pathPrefix: `${base}sobjects/SetupEntityAccess`, method: 'POST' },
        times: 1,
      }),
      // The permission set now grants the app: the plan is the one assignment.
      rerunWrites: ['POST PermissionSetAssignment'],
      rerun: ['applied'],
    },
    {
      // The simulated org commits a write before cutting its answer: the grant exists, its answer never arrived.
      name: 'step 2 (the grant) is committed but its answer is cut',
      fault: (base) => ({
        kind: 'truncated-body',
        match: { pathPrefix: `${base}sobjects/SetupEntityAccess`, method: 'POST' },
        times: 1,
      }),
      rerunWrites: ['POST PermissionSetAssignment'],
      rerun: ['applied'],
    },
  ];

  for (const c of CASES) {
    it(c.name, async () => {
      const sim = await startSimulator({ scenario: 'not-preauthorized-profile' });
      const home = tempHome();
      try {
        await storeAdminAuth(sim, home, { alias: 'admin' });
        sim.setFaults([c.fault(await restBase(sim, home))]);

        const first = await fix(sim, home);
        // The grant's request reached the org every time (the reset one before the org acted on it).
        expect(
          sim.requests
            .filter((r) => r.method === 'POST' && r.path.includes('/sobjects/'))
            .map((r) => /\/sobjects\/(\w+)/.exec(r.path)?.[1]),
        ).to.deep.equal(['PermissionSet', 'SetupEntityAccess']);
        expect(first.run.code).to.equal(1);
        expect(first.result.fix?.mode).to.equal('failed');
        expect(statuses(first.result)).to.deep.equal(['applied', 'may-have-been-made', 'skipped']);
        const [made, grant] = first.result.fix!.steps;
        expect(made.recordId).to.match(/^0PS\w{12,15}$/);
        expect(grant.error).to.match(/may have been made/);
        // Newest first: the grant that may exist (found by its fields), then the permission set (by its id).
        expect(first.result.fix!.undo).to.have.length(2);
        expect(first.result.fix!.undo[0]).to.match(
          new RegExp(
            `^sf data delete record --sobject SetupEntityAccess --where "ParentId=${made.recordId!} SetupEntityId=\\w+" --target-org admin$`,
          ),
        );
        expect(first.result.fix!.undo[1]).to.equal(
          `sf data delete record --sobject PermissionSet --record-id ${made.recordId!} --target-org admin`,
        );

        const second = await fix(sim, home);
        expect(writes(sim), 'no second permission set, no duplicate grant').to.deep.equal(c.rerunWrites);
        expect(statuses(second.result)).to.deep.equal(c.rerun);
        if (c.rerun[0] === 'already-there') expect(second.result.fix!.steps[0].recordId).to.equal(made.recordId);
        expect(second.result.fix?.mode).to.equal('applied');
        expect(second.result.fix?.verified).to.equal(true);
        expect(second.run.code).to.equal(0);
        // Only what this run made is undone by its list.
        expect(second.result.fix!.undo).to.have.length(c.rerun.filter((s) => s === 'applied').length);
        console.log(
          `      ${c.name}: first run ${statuses(first.result).join('/')}, re-run ${statuses(second.result).join('/')} (writes: ${c.rerunWrites.join(', ')}), verified`,
        );
      } finally {
        removeDir(home);
        await sim.stop();
      }
    });
  }

  it('a run after a complete fix changes nothing and says so', async () => {
    const sim = await startSimulator({ scenario: 'not-preauthorized-profile' });
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      const first = await fix(sim, home);
      expect(first.result.fix?.verified).to.equal(true);
      const again = await fix(sim, home);
      expect(writes(sim)).to.deep.equal([]);
      expect(again.result.fix?.notes.join(' ')).to.match(/nothing to fix/);
      console.log(`      complete fix then --fix again: ${writes(sim).length} writes, verdict ${again.result.verdict}`);
    } finally {
      removeDir(home);
      await sim.stop();
    }
  });
});
