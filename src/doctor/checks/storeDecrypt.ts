/*
 * store.decrypt: the stored login's encrypted fields (accessToken, refreshToken …) decrypt with the keychain's key,
 * through core's own Crypto (src/salesforce/authStore.ts, read-only). A store out of step with its keychain (key.json
 * deleted or replaced, a HOME copied between machines) fails every command that uses the login with "Failed to
 * decipher auth data" or a RefreshTokenAuthError (sfpowerscripts#73; cli#1615, #1652).
 */
import { text } from '../text.js';
import { storedLoginCheck, storeParams, storeWarning } from './store.js';

// observed: core's own decrypt answered.
export const storeDecrypt = storedLoginCheck('store.decrypt', (ctx, login) => {
  if (login.decrypt === 'none') return undefined;
  const keychain = ctx.facts.authStore?.keychain;
  // A key file with the wrong mode is store.keychain's finding: it is why the keychain could not be read.
  if (login.decrypt === 'keychain-error' && keychain?.kind === 'generic-unix' && login.decryptError?.includes('Perms'))
    return undefined;
  const params = { ...storeParams(ctx, login), fields: login.encryptedFields.join(', ') };
  if (login.decrypt === 'ok') return { status: 'pass', detail: text('detail.storeDecrypt.ok', params) };
  const reason = login.decrypt === 'no-key' ? 'noKey' : login.decrypt === 'failed' ? 'failed' : 'keychain';
  const detail = text(`detail.storeDecrypt.${reason}`, { ...params, error: login.decryptError ?? '' });
  return storeWarning(detail, {
    weight: 60,
    fix: 'store-undecryptable',
    params,
    summary: text('summary.storeDecrypt', params),
  });
});
