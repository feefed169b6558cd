/*
 * store.keychain: the generic keychain's key file (~/.sfdx/key.json, used on Linux without libsecret, or with
 * SF_USE_GENERIC_UNIX_KEYCHAIN=true) must have mode 600. core's GenericUnixKeychainAccess refuses any other mode
 * (GenericKeychainInvalidPermsError "Invalid file permissions for secret file"), and it reads the keychain when
 * AuthInfo opens the store — before sf's first token request — so `sf org login jwt` fails whatever the org says.
 * Older cores swallowed that error into "Cannot read properties of undefined (reading 'setContentsFromObject')".
 * Sources: forcedotcom/cli#3231, #3201, #2773, sfdx-core PR#1175 (reference/field-reports-and-platform-2025-2026.md
 * §1 row 21); @salesforce/core 9.4.0 lib/crypto/keyChainImpl.js and stateAggregator/accessors/orgAccessor.js `read`.
 * The repair: `chmod 600 ~/.sfdx/key.json`.
 */
import type { Check } from '../check.js';
import { text } from '../text.js';
import { keychainModeOk, octalMode } from '../../knowledge/authStore.js';

export const storeKeychain: Check = {
  id: 'store.keychain',
  group: 'store',
  needs: [],
  mode: 'local',
  // observed: the key file's mode as the file system reports it, judged by core's own rule.
  evidence: 'observed',
  run(ctx) {
    const keychain = ctx.facts.authStore?.keychain;
    // Only the generic Unix keychain checks the mode; without its key file, sf makes one with mode 600.
    if (keychain?.kind !== 'generic-unix' || !keychain.keyFileExists || keychain.mode === undefined) return undefined;
    const mode = octalMode(keychain.mode);
    if (keychainModeOk(keychain.mode)) return { status: 'pass', detail: text('detail.storeKeychain.ok', { mode }) };
    return {
      status: 'fail',
      detail: text('detail.storeKeychain.mode', { mode }),
      stopsSf: true,
      cause: {
        code: 'LOCAL_AUTH_STORE',
        confidence: 'confirmed',
        alternatives: [],
        weight: 99,
        fix: 'store-keychain-mode',
        params: { mode },
        summary: text('summary.storeKeychain.mode', { mode }),
      },
    };
  },
};
