/*
 * Runs local checks the way the engine does, with the real local adapters (file reads, key analysis, URL
 * classification) and no network, so each test states inputs and reads back results and proposed causes.
 */
import type { DoctorInputs } from '../../../src/doctor/context.js';
import { runChecks, type CheckRun } from '../../../src/doctor/engine.js';
import type { InputValue } from '../../../src/doctor/types.js';
import { localChecks } from '../../../src/doctor/checks/local.js';
import { analyzeKey, readKeyFile } from '../../../src/salesforce/keyFile.js';
import { classifyUrl } from '../../../src/knowledge/instanceUrl.js';

export type LocalInputs = {
  username?: string;
  clientId?: string;
  keyFile?: string;
  instanceUrl?: string;
  audienceUrl?: string;
};

function flag(value: string | undefined, origin: string): InputValue | undefined {
  return value === undefined ? undefined : { value, source: 'flag', origin };
}

export function doctorInputs(i: LocalInputs): DoctorInputs {
  return {
    username: flag(i.username, '--username'),
    clientId: flag(i.clientId, '--client-id'),
    keyFile: flag(i.keyFile, '--jwt-key-file'),
    instanceUrl:
      i.instanceUrl === undefined
        ? { value: 'https://login.salesforce.com', source: 'default', origin: 'default' }
        : { value: i.instanceUrl, source: 'flag', origin: '--instance-url' },
    audienceUrl:
      i.audienceUrl === undefined ? undefined : { value: i.audienceUrl, source: 'env', origin: 'SF_AUDIENCE_URL' },
    offline: true,
    timeoutMs: 10_000,
  };
}

export type LocalRun = { runs: CheckRun[]; byId(id: string): CheckRun | undefined; text: string };

export async function runLocal(i: LocalInputs): Promise<LocalRun> {
  const { runs } = await runChecks({
    checks: localChecks,
    inputs: doctorInputs(i),
    adapters: { readKeyFile, analyzeKey, classifyUrl, now: () => Date.now() },
    title: (id) => id,
    skipReason: (needed) => `needs ${needed}`,
  });
  return {
    runs,
    byId: (id) => runs.find((r) => r.check.id === id),
    // Everything a check hands on to renderers: details, summaries, params.
    text: JSON.stringify(runs.map((r) => ({ result: r.result, outcome: r.outcome }))),
  };
}

/** Valid inputs; tests override one thing at a time. */
export function goodInputs(keyFile: string): LocalInputs {
  return {
    username: 'ci@acme.com',
    clientId: '3MVG9abcdefghijklmnopqrstuvwxyz.ABCDEFGHIJ_0123456789',
    keyFile,
    instanceUrl: 'https://acme.my.salesforce.com',
  };
}
