/*
 * network.token-endpoint: runs the token probe (sf's login/audience pairs) and judges only the transport: did the
 * token endpoint answer with its JSON? DNS, refused connections, TLS, timeouts, HTML pages, 5xx and 429 are named here
 * instead of sf's "fetch failed"; what the answers *say* is probe.token's job.
 */
import type { Check, CheckOutcome } from '../check.js';
import { sfLoginUrl } from '../inputs.js';
import type { AttemptDetail, NetworkFailure } from '../../salesforce/probe.js';
import { jwtAudienceUrl, loginAudienceCombos } from '../../knowledge/loginAudience.js';
import { text } from '../text.js';

const NETWORK_TEXT: Record<NetworkFailure, string> = {
  dns: 'the host name does not resolve',
  refused: 'the connection was refused',
  reset: 'the connection was reset',
  'tls-untrusted': 'the TLS certificate is not trusted (a proxy or firewall intercepting TLS?)',
  'tls-wrong-name': 'the TLS certificate is for another host name',
  'tls-expired': 'the TLS certificate has expired',
  'tls-other': 'TLS failed',
  timeout: 'no answer in time',
  'not-allowed': 'not a Salesforce host, or plain http away from loopback: the assertion was not sent',
  redirect: 'a redirect, not followed: the assertion was not re-sent',
  other: 'the request failed',
};

export function describeTransport(d: AttemptDetail): string {
  if (d.network) return `${d.loginUrl}: ${NETWORK_TEXT[d.network]} (${d.code ?? d.error}).`;
  if (d.throttled)
    return `${d.loginUrl}: throttled (HTTP ${d.httpStatus}${d.error ? `, ${d.error}` : ''}): too many logins or API requests.`;
  if (d.nonJson)
    return `${d.loginUrl}: HTTP ${d.httpStatus} ${d.nonJson.contentType || 'without content type'}, not the token endpoint's JSON: "${d.nonJson.snippet}".`;
  return '';
}

export function transportFix(d: AttemptDetail): string {
  if (d.network) return `unreachable-${d.network}`;
  if (d.throttled) return 'rate-limited';
  return 'unreachable-http';
}

export const networkTokenEndpointCheck: Check = {
  id: 'network.token-endpoint',
  group: 'network',
  needs: ['input.username', 'input.client-id', 'key.parse', 'url.salesforce-domain'],
  mode: 'network',
  // observed: the transport of sf's own token requests: what the hosts answered, or failed to.
  evidence: 'observed',
  async run(ctx) {
    const { inputs, facts, adapters } = ctx;
    if (!adapters.probe || !facts.key || !inputs.username || !inputs.clientId) return undefined;
    const loginUrl = sfLoginUrl(inputs.instanceUrl);
    const audienceOverride = inputs.audienceUrl?.value;
    try {
      loginAudienceCombos(jwtAudienceUrl(loginUrl, audienceOverride), loginUrl);
    } catch {
      // sf builds its pairs with new URL() and throws "Invalid URL" before any request: there is nothing to send.
      return {
        status: 'skip',
        detail: `sf stops with "Invalid URL" before sending anything: the audience override "${audienceOverride ?? ''}" is not a URL (the Instance URL checks name it).`,
      };
    }
    facts.probeStartedAt = adapters.now();
    const report = await adapters.probe({
      username: inputs.username.value,
      clientId: inputs.clientId.value,
      key: facts.key,
      loginUrl,
      audienceOverride,
      deadline: ctx.deadline,
    });
    facts.probe = report;
    const isBroken = (d: AttemptDetail): boolean => Boolean(d.network || d.nonJson || d.throttled);
    const answered = report.details.filter((d) => !isBroken(d));
    const broken = report.details.filter(isBroken);
    const hosts = [...new Set(report.details.map((d) => new URL(d.loginUrl).host))].join(', ');
    if (broken.length === 0) {
      return {
        status: 'pass',
        detail: text('detail.networkTokenEndpoint', { detailsLength: report.details.length, hosts }),
      };
    }
    const lines = [...new Set(broken.map(describeTransport))];
    if (answered.length > 0) {
      return { status: 'warn', detail: [`Some of sf's attempts never reached a token endpoint:`, ...lines].join('\n') };
    }
    const first = broken[0];
    // Every answer an HTML page with HTTP 420: not a network fault but a dead org (probe.token says which).
    if (broken.every((d) => d.httpStatus === 420 && d.nonJson)) {
      return {
        status: 'warn',
        detail: [`Every token request got HTTP 420 with a page, Salesforce's answer for a dead org:`, ...lines].join(
          '\n',
        ),
      };
    }
    const outcome: CheckOutcome = {
      status: 'fail',
      inconclusive: true,
      detail: [
        `No token request got an answer from Salesforce${report.timedOut ? ' before the deadline' : ''}:`,
        ...lines,
      ].join('\n'),
      cause: {
        code: 'ORG_UNREACHABLE',
        confidence: 'likely',
        alternatives: first.network === 'dns' ? ['INSTANCE_URL_INVALID'] : [],
        fix: transportFix(first),
        params: { host: new URL(first.loginUrl).host, code: first.code ?? first.error ?? '' },
        summary: `The token endpoint could not be reached: ${describeTransport(first)}`,
      },
    };
    return outcome;
  },
};
