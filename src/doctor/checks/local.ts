/*
 * Every check that needs no network, in run order: inputs first, then the key file, then the URL; the username/sandbox
 * cross-check last because it reads the URL classification url.parse leaves on the blackboard.
 */
import type { Check } from '../check.js';
import { inputClientId } from './inputClientId.js';
import { inputUsername } from './inputUsername.js';
import { inputUsernameSandbox } from './inputUsernameSandbox.js';
import { keyFile } from './keyFile.js';
import { keyParse } from './keyParse.js';
import { urlKind } from './urlKind.js';
import { urlParse } from './urlParse.js';
import { urlSalesforceDomain } from './urlSalesforceDomain.js';

export const localChecks: Check[] = [
  inputUsername,
  inputClientId,
  keyFile,
  keyParse,
  urlParse,
  urlSalesforceDomain,
  urlKind,
  inputUsernameSandbox,
];
