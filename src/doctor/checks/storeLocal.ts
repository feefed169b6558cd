/* The store.* checks that need no network, in run order (also what the sf doctor hook runs). */
import type { Check } from '../check.js';
import { storeDecrypt } from './storeDecrypt.js';
import { storeKeyPath } from './storeKeyPath.js';
import { storeKeychain } from './storeKeychain.js';

export const storeLocalChecks: Check[] = [storeKeychain, storeDecrypt, storeKeyPath];
