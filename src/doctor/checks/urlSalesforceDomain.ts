/*
 * url.salesforce-domain: a signed assertion is a bearer credential — whoever receives it can trade it for an access
 * token as the user for as long as it is valid. sf sends it wherever --instance-url points; the doctor refuses to
 * send it anywhere but a Salesforce domain or loopback (the simulated org, a local tunnel).
 */
import type { Check } from '../check.js';

export const urlSalesforceDomain: Check = {
  id: 'url.salesforce-domain',
  group: 'url',
  needs: ['url.parse'],
  mode: 'local',
  // documented: Salesforce's published domains (Help: My Domain URL Formats); the refusal is the doctor's own safety rule.
  evidence: 'documented',
  run(ctx) {
    const url = ctx.facts.url;
    if (!url?.valid) return undefined;
    const host = url.hostname!;
    if (url.isLoopback) {
      return { status: 'pass', detail: `${host} is a loopback address (a simulated org or a local tunnel); allowed.` };
    }
    if (!url.isSalesforceDomain) {
      return {
        status: 'fail',
        detail: `${host} is not a Salesforce domain. The JWT assertion is a bearer credential: whoever receives it can log in as the user, so the doctor refuses to send it there (sf itself would send it).`,
        cause: {
          code: 'INSTANCE_URL_INVALID',
          confidence: 'confirmed',
          weight: 85,
          summary: `${host} is not a Salesforce domain; an assertion must not be sent there.`,
          fix: 'url-not-salesforce',
          params: { host },
        },
      };
    }
    const coreNote = url.coreSalesforceDomain ? '' : ' (not on @salesforce/core\'s list, so sf rejects it as sfdcLoginUrl in sfdx-project.json)';
    return { status: 'pass', detail: `${host} is a Salesforce domain${coreNote}.` };
  },
};
