/*
 * Files created (issue 11 item 4; DESIGN.md §2 safety rules 2 and 7): a run with --admin-org creates no sf state file —
 * not alias.json for an org that is not stored, not a keychain key (key.json) for a stored authorization without one,
 * not alias.json for a HOME without one. core writes these as a side effect of opening an authorization; the doctor
 * asks ~/.sfdx first and opens core's AuthInfo without writes (src/salesforce/coreReadOnly.ts). The one core internal
 * that needs patching (the keychains' setPassword) is pinned here: a change to it fails this file.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { coreKeychains } from '../../src/salesforce/coreReadOnly.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome } from '../helpers/cli.js';
import { snapshotHome } from '../helpers/homeSnapshot.js';
import { loginArgs as scenarioLoginArgs } from '../helpers/loginArgs.js';

const loginArgs = (sim: Simulator): string[] => scenarioLoginArgs(sim, '--json', '--timeout', '20');

function changes(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k} ${before[k] ? (after[k] ? 'changed' : 'deleted') : 'created'}`);
}

/**
 * A new process knows no keychain key: core caches the one storeAdminAuth used (util/cache, keyed by the ~/.sfdx path),
 * so it is dropped here, as a process start would. Returns how many entries were dropped.
 */
function forgetCachedKey(home: string): number {
  const require = createRequire(import.meta.url);
  const { Cache } = require(join(dirname(require.resolve('@salesforce/core')), 'util', 'cache.js')) as {
    Cache: { instance(): Map<string, unknown> };
  };
  const cache = Cache.instance();
  const keys = [...cache.keys()].filter((k) => k.startsWith(`${join(home, '.sfdx')}:`));
  for (const k of keys) cache.delete(k);
  return keys.length;
}

const sfdxFiles = (home: string): string[] =>
  existsSync(join(home, '.sfdx')) ? readdirSync(join(home, '.sfdx')).sort() : [];

describe('reliability: a run creates no sf state file', function () {
  this.timeout(300_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ scenario: 'healthy-production' });
  });
  after(async () => {
    await sim.stop();
  });

  for (const setup of ['an empty HOME', 'a HOME with an empty ~/.sfdx']) {
    it(`--admin-org naming an org that is not stored, in ${setup}: no alias.json, no key.json`, async () => {
      const home = tempHome();
      try {
        if (setup.includes('empty ~/.sfdx')) mkdirSync(join(home, '.sfdx'));
        const before = sfdxFiles(home);
        const run = await runInProcess([...loginArgs(sim), '--admin-org', 'nobody'], {
          env: { ...sim.env, ...KEYCHAIN_ENV },
          home,
        });
        const after = sfdxFiles(home);
        const org = run.json?.result.checks.find((c) => c.id === 'org.connection');
        console.log(
          `      ${setup}: ~/.sfdx before [${before.join(', ')}], after [${after.join(', ')}]; org.connection ${org?.status}`,
        );
        expect(after).to.deep.equal(before);
        expect(existsSync(join(home, '.sfdx'))).to.equal(setup.includes('empty ~/.sfdx'));
        expect(org?.status).to.equal('fail');
        expect(org?.detail).to.match(/No stored authorization or alias named "nobody"/);
      } finally {
        removeDir(home);
      }
    });
  }

  it('a stored admin auth without key.json: no new key.json, the missing key is named', async () => {
    const home = tempHome();
    try {
      await storeAdminAuth(sim, home, { alias: 'admin' });
      rmSync(join(home, '.sfdx', 'key.json'));
      expect(forgetCachedKey(home), 'the key core cached while storing').to.equal(1);
      const before = snapshotHome(home);
      const run = await runInProcess([...loginArgs(sim), '--admin-org', 'admin'], {
        env: { ...sim.env, ...KEYCHAIN_ENV },
        home,
      });
      const after = snapshotHome(home);
      const org = run.json?.result.checks.find((c) => c.id === 'org.connection');
      console.log(
        `      key.json removed: ${changes(before, after).length} change(s) in ~/.sf and ~/.sfdx (${changes(before, after).join(', ') || 'none'}); org.connection ${org?.status}`,
      );
      expect(changes(before, after)).to.deep.equal([]);
      expect(existsSync(join(home, '.sfdx', 'key.json'))).to.equal(false);
      expect(org?.status).to.equal('fail');
      expect(org?.detail).to.match(/no keychain key/);
      expect(run.json?.result.verdict).to.be.oneOf(['pass', 'warn']);
    } finally {
      removeDir(home);
    }
  });

  it('a stored admin auth in a HOME without alias.json: no alias.json, the org is still read', async () => {
    const home = tempHome();
    try {
      const username = await storeAdminAuth(sim, home);
      rmSync(join(home, '.sfdx', 'alias.json'), { force: true });
      const before = snapshotHome(home);
      const run = await runInProcess([...loginArgs(sim), '--admin-org', username], {
        env: { ...sim.env, ...KEYCHAIN_ENV },
        home,
      });
      const after = snapshotHome(home);
      const org = run.json?.result.checks.find((c) => c.id === 'org.connection');
      console.log(
        `      alias.json removed: ${changes(before, after).length} change(s) (${changes(before, after).join(', ') || 'none'}); org.connection ${org?.status}`,
      );
      expect(changes(before, after)).to.deep.equal([]);
      expect(org?.status, org?.detail).to.equal('pass');
    } finally {
      removeDir(home);
    }
  });

  it("pins the core internals the guard relies on: the keychains' setPassword and the public fs seam", () => {
    const names = coreKeychains()
      .map(([name]) => name)
      .sort();
    const require = createRequire(import.meta.url);
    const coreFs = require('@salesforce/core/fs') as { fs?: unknown; setFs?: unknown };
    console.log(
      `      keychains with setPassword: ${names.join(', ')}; @salesforce/core/fs setFs: ${typeof coreFs.setFs}`,
    );
    // If core renames or moves these, the guard would silently stop guarding: update coreReadOnly.ts with it.
    expect(names).to.deep.equal(['darwin', 'generic_unix', 'generic_windows', 'linux']);
    expect(typeof coreFs.setFs).to.equal('function');
    expect(coreFs.fs).to.be.an('object');
  });
});
