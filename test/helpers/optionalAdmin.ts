/*
 * The --admin-org helpers (test/helpers/adminOrg.ts: a stored admin authorization made by @salesforce/core in a child
 * process) loaded only when they exist, so the reliability suites also run on a tree where org inspection has not
 * landed yet: the admin cases then skip with a reason instead of failing to import.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../simulator/index.js';
import { ROOT } from './cli.js';

export const KEYCHAIN_ENV = { SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true', SF_SKIP_SCRATCH_ORG_CHECK: 'true' };

export type StoreAdminAuth = (sim: Simulator, home: string, options?: { username?: string; alias?: string }) => Promise<string>;

/** storeAdminAuth from adminOrg.ts, or undefined when that helper is not in this tree. */
export async function loadStoreAdminAuth(): Promise<StoreAdminAuth | undefined> {
  if (!existsSync(join(ROOT, 'test', 'helpers', 'adminOrg.ts'))) return undefined;
  const specifier = ['./adminOrg', 'js'].join('.'); // computed: type-checks on a tree without the file
  const mod = (await import(specifier)) as { storeAdminAuth?: StoreAdminAuth };
  return mod.storeAdminAuth;
}

/** The org inspector is built: its module reads the org, and the org.* checks exist in lib/. */
export function inspectorBuilt(): boolean {
  const src = join(ROOT, 'src', 'salesforce', 'inspector.ts');
  return existsSync(src) && /export (async )?function inspectOrg/.test(readFileSync(src, 'utf8')) && existsSync(join(ROOT, 'lib', 'doctor', 'checks', 'orgConnection.js'));
}
