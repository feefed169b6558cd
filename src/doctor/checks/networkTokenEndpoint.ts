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

/** What each transport failure is called (messages/checks.md). */
const NETWORK_TEXT: Record<NetworkFailure, string> = {
  dns: 'phrase.transport.dns',
  refused: 'phrase.transport.refused',
  reset: 'phrase.transport.reset',
  'tls-untrusted': 'phrase.transport.tlsUntrusted',
  'tls-wrong-name': 'phrase.transport.tlsWrongName',
  'tls-expired': 'phrase.transport.tlsExpired',
  'tls-other': 'phrase.transport.tlsOther',
  timeout: 'phrase.transport.timeout',
  'not-allowed': 'phrase.transport.notAllowed',
  redirect: 'phrase.transport.redirect',
  other: 'phrase.transport.other',
};

/** A login URL's host; a log that does not show the URL gives none (text('phrase.fromLog.unknownHost')). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return text('phrase.fromLog.unknownHost');
  }
}

export function describeTransport(d: AttemptDetail): string {
  // An attempt a CI log shows without its pair (--from-log): its URL is said to be unknown, never left blank.
  const loginUrl = d.loginUrl || text('phrase.fromLog.unknownLoginUrl');
  if (d.network)
    return text('detail.transport.network', {
      loginUrl,
      failure: text(NETWORK_TEXT[d.network]),
      code: d.code ?? d.error,
    });
  if (d.throttled)
    return text('detail.transport.throttled', {
      loginUrl,
      httpStatus: d.httpStatus,
      error: d.error ? `, ${d.error}` : '',
    });
  if (d.nonJson)
    // A log shows the page but not its HTTP status.
    return text(d.httpStatus === undefined ? 'detail.transport.notJsonNoStatus' : 'detail.transport.notJson', {
      loginUrl,
      httpStatus: d.httpStatus,
      contentType: d.nonJson.contentType || text('phrase.transport.noContentType'),
      snippet: d.nonJson.snippet,
    });
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
  probe: 'key',
  async run(ctx) {
    const { inputs, facts, adapters } = ctx;
    // --from-log: the log's attempts are the answers; they need neither the key nor the inputs sf had.
    const replay = Boolean(inputs.fromLog);
    if (!adapters.probe || (!replay && (!facts.key || !inputs.username || !inputs.clientId))) return undefined;
    const loginUrl = sfLoginUrl(inputs.instanceUrl);
    const audienceOverride = inputs.audienceUrl?.value;
    try {
      loginAudienceCombos(jwtAudienceUrl(loginUrl, audienceOverride), loginUrl);
    } catch {
      // sf builds its pairs with new URL() and throws "Invalid URL" before any request: there is nothing to send.
      return {
        status: 'skip',
        detail: text('detail.networkTokenEndpoint.invalidAudience', { audience: audienceOverride ?? '' }),
      };
    }
    facts.probeStartedAt = adapters.now();
    const report = await adapters.probe({
      username: inputs.username?.value ?? '',
      clientId: inputs.clientId?.value ?? '',
      key: facts.key,
      loginUrl,
      audienceOverride,
      deadline: ctx.deadline,
    });
    facts.probe = report;
    const isBroken = (d: AttemptDetail): boolean => Boolean(d.network || d.nonJson || d.throttled);
    const answered = report.details.filter((d) => !isBroken(d));
    const broken = report.details.filter(isBroken);
    const hosts = [...new Set(report.details.map((d) => hostOf(d.loginUrl)))].join(', ');
    if (broken.length === 0) {
      return {
        status: 'pass',
        detail: text('detail.networkTokenEndpoint.allAnswered', { detailsLength: report.details.length, hosts }),
      };
    }
    const lines = [...new Set(broken.map(describeTransport))];
    if (answered.length > 0) {
      return { status: 'warn', detail: [text('detail.networkTokenEndpoint.someUnanswered'), ...lines].join('\n') };
    }
    const first = broken[0];
    // Every answer an HTML page with HTTP 420: not a network fault but a dead org (probe.token says which).
    if (broken.every((d) => d.httpStatus === 420 && d.nonJson)) {
      return {
        status: 'warn',
        detail: [text('detail.networkTokenEndpoint.deadOrg'), ...lines].join('\n'),
      };
    }
    const outcome: CheckOutcome = {
      status: 'fail',
      inconclusive: true,
      detail: [
        text(
          report.timedOut
            ? 'detail.networkTokenEndpoint.noneAnsweredInTime'
            : 'detail.networkTokenEndpoint.noneAnswered',
        ),
        ...lines,
      ].join('\n'),
      cause: {
        code: 'ORG_UNREACHABLE',
        confidence: 'likely',
        alternatives: first.network === 'dns' ? ['INSTANCE_URL_INVALID'] : [],
        fix: transportFix(first),
        params: { host: hostOf(first.loginUrl), code: first.code ?? first.error ?? '' },
        summary: text('summary.networkTokenEndpoint.unreachable', { transport: describeTransport(first) }),
      },
    };
    return outcome;
  },
};
