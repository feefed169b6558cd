/*
 * network.dns: the instance URL's host resolves (or is routed to the simulated org). A My Domain name that does not
 * resolve is usually a typo or a sandbox that no longer exists; sf only says "fetch failed".
 */
import type { Check } from '../check.js';
import { text } from '../text.js';

export const networkDnsCheck: Check = {
  id: 'network.dns',
  group: 'network',
  needs: ['url.salesforce-domain'],
  mode: 'network',
  // observed: DNS's (or the routing's) own answer for the host.
  evidence: 'observed',
  async run(ctx) {
    const url = ctx.facts.url;
    if (!url?.hostname || !ctx.adapters.lookup || url.isLoopback) return undefined;
    const host = url.hostname;
    const found = await ctx.adapters.lookup(host, ctx.deadline);
    if (found.status === 'routed') {
      return { status: 'pass', detail: text('detail.networkDns.routed', { host, target: found.target }) };
    }
    if (found.status === 'resolved') {
      return {
        status: 'pass',
        detail: text('detail.networkDns.resolved', { host, addresses: found.addresses.join(', ') }),
      };
    }
    return {
      status: 'fail',
      inconclusive: true,
      detail: text('detail.networkDns.notResolved', { host, code: found.code }),
      cause: {
        code: 'ORG_UNREACHABLE',
        confidence: 'likely',
        alternatives: ['INSTANCE_URL_INVALID'],
        fix: 'unreachable-dns',
        params: { host: host },
        summary: text('summary.networkDns.notResolved', { host }),
      },
    };
  },
};
