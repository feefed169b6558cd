/*
 * The check graph, in order: inputs and key, URL, then (online) network and token endpoint, then (with --admin-org)
 * the org's setup. sf's local auth store (store.*) after the local checks; its staleness once the probe has answered. A check runs after the checks it needs; the order here is also the report's order.
 */
import type { Check } from '../check.js';
import { fromOrgCheck } from './fromOrg.js';
import { localChecks } from './local.js';
import { networkDnsCheck } from './networkDns.js';
import { networkTokenEndpointCheck } from './networkTokenEndpoint.js';
import { networkClockCheck } from './networkClock.js';
import { probeTokenCheck } from './probeToken.js';
import { probeApiCheck } from './probeApi.js';
import { adminChecks } from './admin.js';
import { storeLocalChecks } from './storeLocal.js';
import { storeStale } from './storeStale.js';
import { logRead } from './logRead.js';
import { logSfError } from './logSfError.js';

export const allChecks: Check[] = [
  fromOrgCheck,
  logRead,
  logSfError,
  ...localChecks,
  ...storeLocalChecks,
  networkDnsCheck,
  networkTokenEndpointCheck,
  networkClockCheck,
  probeTokenCheck,
  probeApiCheck,
  storeStale,
  ...adminChecks,
];
