/*
 * store.stale: a stored login for the same username whose instance URL or org id is not what the org's token endpoint
 * answered in this run (instance_url, and the org id in the identity URL). After a sandbox refresh the org has a new
 * id and often a new host; after a My Domain change the old host is gone — since Spring '26 old hostnames no longer
 * redirect for any org (help "domain name redirections"; reference/field-reports-and-platform-2025-2026.md §1 rows 24,
 * 25 and §2). Every command using the stored login then fails ("versions.map is not a function", cli#1687).
 */
import type { Check } from '../check.js';
import { text } from '../text.js';
import { orgIdOfIdUrl, staleness } from '../../knowledge/authStore.js';
import { storedLogin, storeParams, storeWarning } from './store.js';

export const storeStale: Check = {
  id: 'store.stale',
  group: 'store',
  // Not `needs: ['probe.token']`: without a token there is nothing to compare, and nothing to report (no skip line).
  needs: [],
  mode: 'network',
  // observed: the org's token endpoint named its instance and id in this run.
  evidence: 'observed',
  run(ctx) {
    const login = storedLogin(ctx);
    const token = ctx.facts.probe?.details.find((d) => d.outcome === 'success' && !d.unusable?.length);
    if (!login || !token) return undefined;
    const current = { instanceUrl: token.instanceUrl, orgId: orgIdOfIdUrl(token.idUrl) };
    const stale = staleness({ instanceUrl: login.instanceUrl, orgId: login.orgId }, current);
    const params = {
      ...storeParams(ctx, login),
      storedUrl: login.instanceUrl ?? '',
      currentUrl: current.instanceUrl ?? '',
      storedOrgId: login.orgId ?? '',
      currentOrgId: current.orgId ?? '',
    };
    if (!stale) return { status: 'pass', detail: text('detail.storeStale.ok', params) };
    const what = [
      stale.orgId ? text('phrase.storeStale.orgId', params) : '',
      stale.instanceUrl ? text('phrase.storeStale.instanceUrl', params) : '',
    ]
      .filter(Boolean)
      .join(' ');
    return storeWarning(text('detail.storeStale.stale', { ...params, what }), {
      weight: 60,
      fix: 'store-stale',
      params,
      summary: text('summary.storeStale', { ...params, what }),
    });
  },
};
