/*
 * url.salesforce-domain: a signed assertion is a bearer credential — whoever receives it can trade it for an access
 * token as the user for as long as it is valid. sf sends it wherever --instance-url points; the doctor refuses to
 * send it anywhere but a Salesforce domain or loopback (the simulated org, a local tunnel).
 */
import { text } from '../text.js';
import { parsedUrlCheck } from './url.js';

// documented: Salesforce's published domains (Help: My Domain URL Formats); the refusal is the doctor's own safety rule.
export const urlSalesforceDomain = parsedUrlCheck('url.salesforce-domain', ['url.parse'], (_ctx, url) => {
  const host = url.hostname!;
  if (url.isLoopback) {
    return { status: 'pass', detail: text('detail.urlSalesforceDomain.loopback', { host }) };
  }
  if (!url.isSalesforceDomain) {
    return {
      status: 'fail',
      detail: text('detail.urlSalesforceDomain.notSalesforce', { host }),
      cause: {
        code: 'INSTANCE_URL_INVALID',
        confidence: 'confirmed',
        weight: 85,
        summary: text('summary.urlSalesforceDomain.INSTANCE_URL_INVALID', { host }),
        fix: 'url-not-salesforce',
        params: { host },
      },
    };
  }
  const coreNote = url.coreSalesforceDomain ? '' : ' ' + text('phrase.urlSalesforceDomain.notOnCoreList');
  return { status: 'pass', detail: text('detail.urlSalesforceDomain.salesforce', { host, coreNote }) };
});
