/*
 * Which org answers at a host, and which audiences it accepts.
 * login.salesforce.com serves production (and Developer Edition) orgs, test.salesforce.com sandboxes and scratch
 * orgs, and a My Domain host its own org. A CA of a production org (or Dev Hub) exists with the same key and
 * certificate in the other realm too (sandbox copies, scratch replication) — so there the key is known but the user
 * is not: "user hasn't approved this consumer" at the wrong host (reference E1 (b)).
 */
import { PRODUCTION_HOST, SANDBOX_HOST, type AppDetail, type OrgState } from '../state.js';
import { E, reject } from './errors.js';

export type HostRole = 'org' | 'own-realm' | 'foreign-realm';

export function hostRole(state: OrgState, host: string): HostRole {
  const h = host.toLowerCase();
  // A direct loopback address (`--instance-url https://127.0.0.1:PORT`) reaches the org like its My Domain.
  if (state.orgHosts.includes(h) || h === 'localhost' || h === '127.0.0.1' || h === '::1') return 'org';
  if (h === PRODUCTION_HOST) return state.isSandboxRealm ? 'foreign-realm' : 'own-realm';
  if (h === SANDBOX_HOST) return state.isSandboxRealm ? 'own-realm' : 'foreign-realm';
  return 'foreign-realm';
}

/** Step "iss lookup": the app whose consumer key is iss, as seen from this host. */
export function lookupApp(state: OrgState, role: HostRole, iss: unknown): AppDetail {
  const app = typeof iss === 'string' ? state.appByKey(iss) : undefined;
  if (!app) return reject(E.CLIENT_ID_INVALID, 'iss-unknown');
  // The ECA's OAuth settings are gone (known issue a02Ka00000mn8S6): the org no longer holds the key. Unverified answer.
  if (!app.oauthSettings)
    return reject(
      state.behaviour.ecaOauthSettingsLostError === 'app_not_found' ? E.ECA_NOT_INSTALLED : E.CLIENT_ID_INVALID,
      'eca-oauth-settings-lost',
    );
  if (role === 'foreign-realm') {
    // ECAs are org-local: not found outside their org.
    if (app.type === 'ExternalClientApp') return reject(E.ECA_NOT_INSTALLED, 'eca-other-realm');
    if (app.origin !== 'production') return reject(E.CLIENT_ID_INVALID, 'iss-not-in-realm');
  }
  return app;
}

/** The realm audience for this org: test.salesforce.com for sandboxes and scratch orgs, else login. */
export function realmAudience(state: OrgState): string {
  return state.isSandboxRealm ? `https://${SANDBOX_HOST}` : `https://${PRODUCTION_HOST}`;
}

/** Normalises an aud value to an origin, or undefined if it is not a bare https URL. */
export function audienceOrigin(aud: unknown, trailingSlash: 'ignored' | 'rejected'): string | undefined {
  if (typeof aud !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(aud);
  } catch {
    return undefined; // host only, no scheme → invalid
  }
  if (url.protocol !== 'https:' || url.search || url.hash || url.username) return undefined;
  const rawPath = aud.replace(/^https:\/\/[^/]+/i, '');
  if (rawPath !== '' && !(rawPath === '/' && trailingSlash === 'ignored')) return undefined;
  return url.origin.toLowerCase();
}

/** Step "aud": the audiences accepted at this host. */
export function checkAudience(state: OrgState, role: HostRole, host: string, aud: unknown, authority = host): void {
  const origin = audienceOrigin(aud, state.behaviour.audienceTrailingSlash);
  const h = host.toLowerCase();
  const accepted = new Set<string>();
  if (role === 'org') {
    accepted.add(realmAudience(state));
    if (state.behaviour.myDomainAudience === 'accepted') {
      accepted.add(`https://${authority.toLowerCase()}`);
      accepted.add(state.myDomainUrl);
    }
  } else if (h === PRODUCTION_HOST || h === SANDBOX_HOST) {
    accepted.add(`https://${h}`);
  }
  if (!origin || !accepted.has(origin)) reject(E.AUDIENCE_INVALID, 'aud');
}
