/* sf's login URL from the project, found by core's SfProject as plugin-auth finds it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { findProjectLoginUrl } from '../../src/salesforce/projectConfig.js';
import { removeDir } from '../helpers/cli.js';

describe('projectConfig.findProjectLoginUrl (core SfProject)', () => {
  const dirs: string[] = [];
  const project = (json: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-project-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'sfdx-project.json'), json);
    return dir;
  };
  after(() => dirs.forEach(removeDir));

  it("takes the project's sfdcLoginUrl, from a folder below the project too", async () => {
    const dir = project(
      JSON.stringify({
        packageDirectories: [{ path: 'force-app', default: true }],
        sfdcLoginUrl: 'https://acme.my.salesforce.com',
      }),
    );
    mkdirSync(join(dir, 'force-app', 'main'), { recursive: true });
    expect(await findProjectLoginUrl(join(dir, 'force-app', 'main'))).to.deep.equal({
      url: 'https://acme.my.salesforce.com',
      file: 'sfdx-project.json',
    });
  });

  it('no project, a corrupt one, or one core refuses: sf default (undefined)', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'jwt-doctor-noproject-'));
    dirs.push(outside);
    expect(await findProjectLoginUrl(outside)).to.equal(undefined);
    expect(await findProjectLoginUrl(project('{"packageDirectories": ['))).to.equal(undefined);
    expect(
      await findProjectLoginUrl(
        project(
          JSON.stringify({
            packageDirectories: [{ path: 'a', default: true }],
            sfdcLoginUrl: 'https://evil.example.com',
          }),
        ),
      ),
    ).to.equal(undefined);
  });
});
