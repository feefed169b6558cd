/*
 * The real adapters the engine runs with: file reads, URL classification, and (online) the token probe and the org
 * inspector. Heavy modules load only when a run needs them, so `--offline` and `--help` stay fast.
 */
import type { Adapters } from '../doctor/context.js';
import { analyzeKey, readKeyFile } from './keyFile.js';
import { classifyUrl } from './instanceUrl.js';

export function realAdapters(options: { offline: boolean }): Adapters {
  const adapters: Adapters = {
    readKeyFile,
    analyzeKey,
    classifyUrl,
    now: () => Date.now(),
  };
  if (options.offline) return adapters;
  return adapters;
}
