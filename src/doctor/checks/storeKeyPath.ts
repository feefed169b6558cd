/*
 * store.key-path: the stored login's private key path (privateKey in ~/.sfdx/<username>.json, plain text) lies in a
 * temporary directory — a CI runner's secret file (RUNNER_TEMP, Azure's secure files, "secretFiles"). sf signs every
 * later token refresh with that path, so once the runner deletes it the login fails in whatever command runs next
 * ("ENOENT …secretFiles…key", cli#381, #81; reference/field-reports-and-platform-2025-2026.md §1 row 23).
 */
import { text } from '../text.js';
import { temporaryRoot } from '../../knowledge/authStore.js';
import { storedLoginCheck, storeParams, storeWarning } from './store.js';

// observed: the stored path as sf stored it, and where this machine keeps temporary files.
export const storeKeyPath = storedLoginCheck('store.key-path', (ctx, login) => {
  const store = ctx.facts.authStore;
  if (!login.isJwt || !login.privateKeyPath || !store) return undefined;
  const root = temporaryRoot(login.privateKeyPath, store.tempRoots, store.home);
  if (!root) return undefined;
  const params = { ...storeParams(ctx, login), keyPath: login.privateKeyPath, root };
  return storeWarning(text('detail.storeKeyPath.temporary', params), {
    weight: 20,
    fix: 'store-temp-key',
    params,
    summary: text('summary.storeKeyPath', params),
  });
});
