/*
 * Loaded before every test file (.mocharc.json `require`), in each parallel worker. Sets what a CLI process would have
 * before any module reads it (no colour, no telemetry, core's Logger in memory: see cli.ts), and after the tests checks
 * every run of the command they made for secrets (DESIGN.md §2, rule 3).
 */
import { ALL_RUNS } from './cli.js';
import { leaks } from './leaks.js';

Object.assign(process.env, {
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  SF_DISABLE_LOG_FILE: 'true',
  SF_DISABLE_TELEMETRY: 'true',
});

export const mochaHooks = {
  afterAll(): void {
    // In parallel mode this runs after each file (its worker's runs); in serial mode once, after all of them.
    const found = ALL_RUNS.flatMap((run, i) => leaks(`${run.stdout}\n${run.stderr}`).map((l) => `run ${i}: ${l}`));
    ALL_RUNS.length = 0;
    if (found.length > 0) throw new Error(`secrets in the output of the command: ${found.join('; ')}`);
  },
};
