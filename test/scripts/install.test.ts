/*
 * A quiet install on the machines this project meets (Node 20 with npm 11): npm skips the root project's `engines`
 * check when the root declares `devEngines` (@npmcli/arborist build-ideal-tree, npm ≥ 10.9), so the project's own
 * EBADENGINE goes while `engines` still tells sf users what the plugin needs; the Node the scripts run on is the node
 * devDependency; the build does not nag about oclif updates.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';

type Pkg = {
  engines: { node: string };
  devEngines?: { packageManager?: { name: string; version: string; onFail?: string }; runtime?: unknown };
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Pkg;
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version: string }>;
};

describe('install: engines for users, devEngines for developers', () => {
  it('the plugin needs Node ≥ 22 (sf, core 9, sf-plugins-core 13)', () => {
    expect(pkg.engines.node).to.equal('>=22.0.0');
  });

  it('declares devEngines with npm only: a runtime entry would be checked against the machine Node npm runs on', () => {
    expect(pkg.devEngines?.packageManager).to.include({ name: 'npm', onFail: 'warn' });
    expect(pkg.devEngines).not.to.have.property('runtime');
  });

  it('the scripts run on the pinned node devDependency, which meets engines', () => {
    const pinned = lock.packages['node_modules/node'].version;
    expect(Number(pinned.split('.')[0])).to.be.at.least(22);
    expect(process.versions.node.split('.')[0], 'this test runs on it').to.equal(pinned.split('.')[0]);
  });

  it('the build runs oclif without its update check', () => {
    expect(pkg.scripts.build).to.match(/OCLIF_SKIP_NEW_VERSION_CHECK=true oclif manifest/);
  });
});
