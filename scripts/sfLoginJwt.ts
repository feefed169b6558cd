/*
 * The real `sf org login jwt`: @salesforce/plugin-auth's LoginJwt command, loaded through its own oclif config and run
 * as sf runs it, with the simulator's routing (SF_JWT_DOCTOR_CONNECT_TO, as the tests route core's own login).
 * Used by scripts/captureLogs.ts, one process per login; stdout, stderr and the exit code are sf's.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Config } from '@oclif/core';
import { installConnectTo } from '../src/salesforce/connectTo.js';

// The package's main module is lib/index.js (its exports map hides package.json): the root is two levels up.
const root = dirname(dirname(createRequire(import.meta.url).resolve('@salesforce/plugin-auth')));
const config = await Config.load(root);
// After core and jsforce are loaded (as the tests route core's own login): the routing replaces their dispatcher.
await import('@salesforce/core');
installConnectTo(process.env);
try {
  await config.runCommand('org:login:jwt', process.argv.slice(2));
} catch (error) {
  // SfCommand has printed the error (human on stderr, --json on stdout) and set process.exitCode.
  if (typeof process.exitCode !== 'number') {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
