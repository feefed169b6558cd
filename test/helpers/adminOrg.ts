/*
 * An admin connection for --admin-org made the way `sf org login access-token` makes one: @salesforce/core's own
 * AuthInfo.create({ accessTokenOptions: { accessToken, instanceUrl, loginUrl } }) and save(), in this process, with a
 * temporary HOME set in process.env (core finds ~/.sfdx, its keychain and its caches through it) and restored after.
 * The URLs are stored as the real command stores them: the flag's URL.href, "https://host/" with its trailing slash.
 */
import { join } from 'node:path';
import { AuthInfo, StateAggregator } from '@salesforce/core';
import type { Simulator } from '../../simulator/index.js';
import { installConnectTo } from '../../src/salesforce/connectTo.js';
import { exclusive } from './cli.js';

export const KEYCHAIN_ENV = {
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_SKIP_SCRATCH_ORG_CHECK: 'true',
};
/**
 * Only while storing: core would look the routed host up in DNS and retry for seconds (`sf org login access-token`
 * against a real org finds it at once). The doctor's own runs keep core's defaults.
 */
const STORE_ENV = { SF_DISABLE_DNS_CHECK: 'true', SF_DOMAIN_RETRY: '0' };

export type StoreAdminAuthOptions = {
  username?: string;
  alias?: string;
  /** false: store "https://host" (what the helper used to store); default: "https://host/", as the real sf does. */
  trailingSlash?: boolean;
};

/** What `sf org login access-token --instance-url <url>` stores for instanceUrl and loginUrl. */
export function storedInstanceUrl(url: string, trailingSlash = true): string {
  const href = new URL(url).href; // plugin-auth passes flags['instance-url'].href
  return trailingSlash ? href : href.replace(/\/+$/, '');
}

/** Runs `fn` with these variables in process.env, then puts every one back as it was. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Sets HOME, the environment and the routing for a moment: in turn with the in-process runs (cli.ts `exclusive`). */
export function storeAdminAuth(sim: Simulator, home: string, options: StoreAdminAuthOptions = {}): Promise<string> {
  return exclusive(() => storeAdminAuthNow(sim, home, options));
}

async function storeAdminAuthNow(sim: Simulator, home: string, options: StoreAdminAuthOptions): Promise<string> {
  const adminUsername = options.username ?? sim.scenario.admin;
  if (!adminUsername) throw new Error(`scenario ${sim.scenario.name ?? ''} names no admin user`);
  const issued = sim.issueAccessToken(adminUsername);
  // A plain-HTTP scenario serves no TLS: the admin logged in over http too.
  const base = sim.protocol === 'http' ? issued.instanceUrl.replace(/^https:/, 'http:') : issued.instanceUrl;
  const instanceUrl = storedInstanceUrl(base, options.trailingSlash !== false);
  // The admin logged in before the org broke: a scenario's faults (maintenance pages …) apply to the doctor's run only.
  sim.setFaults([]);
  try {
    return await withEnv({ HOME: home, ...KEYCHAIN_ENV, ...STORE_ENV, ...sim.env }, async () => {
      installConnectTo(process.env);
      try {
        const authInfo = await AuthInfo.create({
          accessTokenOptions: { accessToken: issued.accessToken, instanceUrl, loginUrl: instanceUrl },
        });
        await authInfo.save();
        const username = authInfo.getUsername() ?? '';
        if (options.alias) {
          const state = await StateAggregator.getInstance();
          await state.aliases.setAndSave(options.alias, username);
        }
        return username;
      } finally {
        // core caches its state per ~/.sfdx: nothing of this HOME may answer for another one later.
        await StateAggregator.clearInstanceAsync(join(home, '.sfdx'));
      }
    });
  } finally {
    installConnectTo(process.env);
    sim.setFaults(sim.scenario.server?.faults ?? []);
  }
}
