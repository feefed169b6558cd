/*
 * The hook inside the real `sf doctor` (the doctor command of @salesforce/plugin-info, run by oclif): a throw-away CLI
 * in a temporary folder lists plugin-info and this plugin (compiled, lib/) as its plugins, the way sf does, so oclif
 * finds the hook through package.json `oclif.hooks` and sf doctor prints and records what the hook reports.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_NAME } from '../../src/packageInfo.js';
import { noteProcessStart, removeDir, ROOT, tempHome } from '../helpers/cli.js';
import { rsaPem } from '../helpers/keys.js';

const CLIENT_ID = '3MVG9h2F28epHuRFzHPEliyhWngce3f8APNSxnGPbASqPADDtSeGePbStPnDbenJk';
const OFFLINE = ': key, URL and inputs (offline; sf org jwt doctor --all checks the org)';

/** A minimal sf: oclif root whose core plugins are plugin-info (sf doctor) and this plugin. */
function makeCli(dir: string): string {
  mkdirSync(join(dir, 'node_modules', '@salesforce'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@jwt-doctor'), { recursive: true });
  symlinkSync(
    join(ROOT, 'node_modules', '@salesforce', 'plugin-info'),
    join(dir, 'node_modules', '@salesforce', 'plugin-info'),
  );
  symlinkSync(ROOT, join(dir, 'node_modules', ...PACKAGE_NAME.split('/')));
  const plugins = ['@salesforce/plugin-info', PACKAGE_NAME];
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'mini-sf',
      version: '1.0.0',
      type: 'module',
      engines: { node: '>=22' },
      dependencies: Object.fromEntries(plugins.map((p) => [p, '*'])),
      oclif: { bin: 'sf', dirname: 'mini-sf', topicSeparator: ' ', plugins },
    }),
  );
  const oclif = pathToFileURL(join(ROOT, 'node_modules', '@oclif', 'core', 'lib', 'index.js')).href;
  writeFileSync(join(dir, 'run.js'), `import { execute } from '${oclif}';\nawait execute({ dir: import.meta.url });\n`);
  return join(dir, 'run.js');
}

function storeJwtAuth(home: string, username: string, privateKey: string): void {
  const auth = {
    username,
    clientId: CLIENT_ID,
    privateKey,
    loginUrl: 'https://acme.my.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    orgId: '00D5g000004XyZ1EAI',
  };
  writeFileSync(join(home, '.sfdx', `${username}.json`), JSON.stringify(auth), { mode: 0o600 });
}

function run(
  bin: string,
  args: string[],
  home: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  noteProcessStart(`sf ${args.join(' ')}`);
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    NO_COLOR: '1',
  };
  const child = spawn(process.execPath, [bin, ...args], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("sf doctor (plugin-info's command) runs the hook", function () {
  this.timeout(90_000);

  it('prints a diagnostic per stored JWT login and records suggestions and plugin data in the diagnosis file', async () => {
    const home = tempHome();
    try {
      const bin = makeCli(join(home, 'cli'));
      mkdirSync(join(home, '.sfdx'));
      mkdirSync(join(home, 'keys'));
      const key = join(home, 'keys', 'server.key');
      writeFileSync(key, rsaPem().pkcs8, { mode: 0o600 });
      storeJwtAuth(home, 'good@acme.com', key);
      storeJwtAuth(home, 'stale@acme.com', join(home, 'keys', 'moved.key'));

      const result = await run(bin, ['doctor', '--plugin', PACKAGE_NAME, '--output-dir', join(home, 'out')], home);

      expect(result.code, result.stderr).to.equal(0);
      // The name says what a pass covers (offline checks), so it never reads as "this login works".
      expect(result.stdout).to.include(`pass - [${PACKAGE_NAME}] JWT login good@acme.com${OFFLINE}`);
      expect(result.stdout).to.include(`fail - [${PACKAGE_NAME}] JWT login stale@acme.com`);
      expect(result.stdout).to.match(
        /\* JWT login stale@acme\.com: .*no longer exists.* Run: sf org jwt doctor --from-org stale@acme\.com/,
      );
      const [file] = readdirSync(join(home, 'out')).filter((f) => f.endsWith('-diagnosis.json'));
      const diagnosis = JSON.parse(readFileSync(join(home, 'out', file), 'utf8')) as {
        pluginSpecificData: Record<string, unknown[]>;
        diagnosticResults: unknown[];
      };
      expect(diagnosis.pluginSpecificData[PACKAGE_NAME]).to.deep.equal([
        { username: 'good@acme.com', verdict: 'pass', cause: null, flaggedChecks: [] },
        {
          username: 'stale@acme.com',
          verdict: 'fail',
          cause: 'KEY_FILE_MISSING',
          flaggedChecks: ['input.from-org', 'key.file'],
        },
      ]);
      expect(diagnosis.diagnosticResults).to.deep.equal([
        { testName: `[${PACKAGE_NAME}] JWT login good@acme.com${OFFLINE}`, status: 'pass' },
        { testName: `[${PACKAGE_NAME}] JWT login stale@acme.com${OFFLINE}`, status: 'fail' },
      ]);
    } finally {
      removeDir(home);
    }
  });
});
