/*
 * network.dns: the instance URL's host resolves (or is routed to the simulated org). A My Domain name that does not
 * resolve is usually a typo or a sandbox that no longer exists; sf only says "fetch failed".
 */
import type { Check } from '../check.js';

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
      return { status: 'pass', detail: `${host} is routed to ${found.target} by SF_JWT_DOCTOR_CONNECT_TO (DNS not asked).` };
    }
    if (found.status === 'resolved') {
      return { status: 'pass', detail: `${host} resolves to ${found.addresses.join(', ')}.` };
    }
    return {
      status: 'fail',
      inconclusive: true,
      detail: `${host} does not resolve (${found.code}). sf reports this as "fetch failed".`,
      cause: {
        code: 'ORG_UNREACHABLE',
        confidence: 'likely',
        alternatives: ['INSTANCE_URL_INVALID'],
        fix: 'unreachable-dns',
        params: { host: host },
        summary: `The instance URL's host ${host} does not resolve: a mistyped My Domain, a deleted sandbox, or no network/DNS here.`,
      },
    };
  },
};
