/*
 * probe.token: what the token endpoint's answers say, combined over all of sf's attempts (causes.ts), corrected by
 * local evidence: a sandbox URL with an unsuffixed username turns "user hasn't approved this consumer" into a likely
 * USER_NOT_FOUND; External Client App "not installed" answers from login/test only mean "use the My Domain".
 */
import { proposing, type Check, type CauseProposal, type CheckOutcome } from '../check.js';
import { classifyAnswer, mostSpecific, type Classified } from '../causes.js';
import type { CauseCode } from '../types.js';
import type { AttemptDetail } from '../../salesforce/probe.js';
import type { UrlClassification } from '../../knowledge/instanceUrl.js';
import { describeTransport, transportFix } from './networkTokenEndpoint.js';
import { likelyIntended } from '../../knowledge/username.js';
import { has, text } from '../text.js';
import { apiRefused } from './probeApi.js';

const GENERIC_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/**
 * How much an attempt's answer says about the org. The host the user gave speaks for the org (2); a generic login
 * host of the realm the URL implies speaks for it too (1); the other realm's generic host only says the user is not
 * there (0) — its "user hasn't approved this consumer" is noise. With a generic host given, both realms count.
 */
function authority(d: AttemptDetail, givenHost: string | undefined, orgKind: string | undefined): number {
  const host = hostOf(d.loginUrl);
  if (!GENERIC_HOSTS.has(givenHost ?? '') && host === givenHost) return 2;
  if (!GENERIC_HOSTS.has(host)) return 1;
  if (GENERIC_HOSTS.has(givenHost ?? '') || orgKind === undefined || orgKind === 'unknown') return 1;
  const realm = orgKind === 'sandbox' || orgKind === 'scratch' ? 'test.salesforce.com' : 'login.salesforce.com';
  return host === realm ? 1 : 0;
}

/** The answer to explain: the most specific among the most authoritative; audience errors only if nothing else. */
function pickAnswer(
  answered: AttemptDetail[],
  givenHost: string | undefined,
  orgKind: string | undefined,
): Classified<AttemptDetail> | undefined {
  for (const tier of [2, 1, 0]) {
    const best = mostSpecific(answered.filter((d) => authority(d, givenHost, orgKind) === tier));
    if (best && best.entry.id !== 'audience-invalid') return best;
  }
  return mostSpecific(answered);
}

function tally(details: AttemptDetail[]): string[] {
  const counts = new Map<string, number>();
  for (const d of details) {
    const line =
      d.outcome === 'success'
        ? text('phrase.probeToken.tokenIssued')
        : [d.errorDescription || d.error, d.error && d.errorDescription ? `(${d.error})` : '']
            .filter(Boolean)
            .join(' ');
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => `  ${n} × ${line}`);
}

/**
 * What a token issued for exactly this username, consumer key and key disproves: the user exists, is active and may use
 * the app, the consumer key is known and the key matches the app's certificate — whatever a local guess said.
 */
const PROVEN_BY_TOKEN: CauseCode[] = [
  'USER_NOT_FOUND',
  'USER_INACTIVE',
  'USER_NOT_APPROVED',
  'USER_NOT_PREAUTHORIZED',
  'CLIENT_ID_INVALID',
  'WRONG_APP',
  'CERT_MISMATCH',
];

function successOutcome(details: AttemptDetail[], url: UrlClassification | undefined, usable = true): CheckOutcome {
  const index = details.findIndex((d) => d.outcome === 'success');
  const ok = details[index];
  // A token the API refuses (probe.api) is no working login: the verdict is left to that check.
  const loginWorks = usable;
  if (index === 0) {
    return {
      status: 'pass',
      detail: text('detail.probeToken.firstPair', { loginUrl: ok.loginUrl, audience: ok.audience }),
      rulesOut: PROVEN_BY_TOKEN,
      loginWorks,
    };
  }
  const first = details[0];
  const failed = details.slice(0, index);
  const given = first.loginUrl.replace(/\/$/, '');
  // Which advice fits: sf always tries [URL, URL] first, so a pair that differs only in aud cannot be made first, and
  // a first host that failed in transport (a maintenance page, a reset) is no reason to leave the org's own URL.
  const sameHost = hostOf(ok.loginUrl) === hostOf(first.loginUrl);
  // A retired host (one with a current form) is no passing fault: its current URL is the advice.
  // (Only the first host's attempts count: the other realm's generic host refuses the user whatever happens.)
  const atFirst = failed.filter((d) => hostOf(d.loginUrl) === hostOf(first.loginUrl));
  const transport = atFirst.every((d) => d.network || d.nonJson || d.throttled) && !url?.suggestedUrl;
  const fix = sameHost ? 'fallback-audience' : transport ? 'fallback-transient' : 'fallback-only';
  return {
    status: 'warn',
    rulesOut: PROVEN_BY_TOKEN,
    loginWorks,
    detail: [
      text('detail.probeToken.laterAttempt', {
        attempt: index + 1,
        loginUrl: ok.loginUrl,
        audience: ok.audience,
        failedCount: index,
      }),
      ...tally(failed),
    ].join('\n'),
    // The URL is not wrong, only not the one sf's first pair needs: advice, so `likely`, with what the refused pairs
    // answered (an audience Salesforce rejected, say) as the alternatives.
    cause: {
      code: 'INSTANCE_URL_INVALID',
      confidence: 'likely',
      alternatives: [
        ...new Set(failed.filter((d) => !d.network && !d.nonJson && !d.throttled).map((d) => classifyAnswer(d).code)),
      ].filter((c) => c !== 'INSTANCE_URL_INVALID' && c !== 'UNKNOWN'),
      weight: 10,
      fix,
      params: {
        suggestedUrl: fix === 'fallback-only' ? (url?.suggestedUrl ?? ok.loginUrl.replace(/\/$/, '')) : given,
        workingLoginUrl: ok.loginUrl,
        workingAudience: ok.audience,
        firstAudience: first.audience,
        attempt: String(index + 1),
        failedCount: String(atFirst.length),
        firstFailure: failed.map((d) => d.errorDescription || d.error || d.code || '').find(Boolean) ?? '',
      },
      summary: text('summary.probeToken.fallbackOnly', { loginUrl: ok.loginUrl, audience: ok.audience }),
    },
  };
}

const hostnameOf = (url: string): string => hostOf(url).replace(/:\d+$/, '');

/** The given URL is likely the cause: its host gave no token endpoint answer (http, a retired or unknown host). */
function wrongUrl(
  detail: string,
  others: CauseCode[],
  { fix, summary }: { fix: string; summary: string },
  params: Record<string, string>,
): CheckOutcome {
  const alternatives = others.filter((c) => c !== 'INSTANCE_URL_INVALID');
  return {
    status: 'fail',
    detail,
    cause: { code: 'INSTANCE_URL_INVALID', confidence: 'likely', weight: 55, alternatives, fix, params, summary },
  };
}

/**
 * The org's own host (the one given) never gave an OAuth answer, and only login/test.salesforce.com did: their
 * "user hasn't approved this consumer" speaks for no org in particular (a My-Domain-only org refuses every user
 * there), so the reason the given host did not answer is the finding: a retired pre-enhanced-domains host or a name
 * that does not resolve is a wrong URL; anything else (5xx, HTML, reset, timeout) leaves the diagnosis inconclusive.
 */
function givenHostDown(
  details: AttemptDetail[],
  answered: AttemptDetail[],
  url: UrlClassification | undefined,
  answer: AttemptDetail,
  code: CauseCode,
): CheckOutcome | undefined {
  const givenHost = url?.hostname?.toLowerCase();
  if (!givenHost || GENERIC_HOSTS.has(givenHost) || url?.isLoopback) return undefined;
  const atGiven = details.filter((d) => hostnameOf(d.loginUrl) === givenHost);
  if (atGiven.length === 0 || answered.some((d) => hostnameOf(d.loginUrl) === givenHost)) return undefined;
  const first = atGiven[0];
  const detail = text('detail.probeToken.givenHostDown', {
    givenHost,
    transport: describeTransport(first),
    fallbackAnswer: answer.errorDescription ?? answer.error,
  });
  const params = {
    host: givenHost,
    code: first.code ?? String(first.httpStatus ?? first.error ?? ''),
    suggestedUrl: url?.suggestedUrl ?? '',
  };
  if (url?.insecure && url.href) {
    // http: Salesforce serves OAuth over https only; whatever came back on http is no token endpoint.
    const https = url.href.replace(/^http:/, 'https:').replace(/\/$/, '');
    const summary = text('summary.probeToken.http', { urlHref: url.href, https });
    return wrongUrl(detail, [code], { fix: 'url-http', summary }, { ...params, suggestedUrl: https });
  }
  if (first.network === 'dns' || (first.network && url?.suggestedUrl)) {
    const retired = Boolean(url?.suggestedUrl);
    const summary = retired
      ? text('summary.probeToken.retiredHost', { givenHost, suggestedUrl: url!.suggestedUrl })
      : text('summary.probeToken.hostNotResolved', { givenHost });
    return wrongUrl(
      detail,
      [code, 'MY_DOMAIN_REQUIRED'],
      { fix: retired ? 'url-legacy-domain' : 'unreachable-dns', summary },
      params,
    );
  }
  return {
    status: 'fail',
    inconclusive: true,
    detail,
    cause: {
      code: 'ORG_UNREACHABLE',
      confidence: 'likely',
      alternatives: [code],
      fix: transportFix(first),
      params,
      summary: text('summary.probeToken.givenHostUnreachable', { givenHost, transport: describeTransport(first) }),
    },
  };
}

/** HTTP 420 with a page instead of the token endpoint: what Salesforce answers for a dead org (an expired scratch org). */
export function deadOrg(details: AttemptDetail[], answer: AttemptDetail | undefined): CheckOutcome | undefined {
  const dead = details.filter((d) => d.httpStatus === 420 && d.nonJson);
  if (dead.length === 0) return undefined;
  const hosts = [...new Set(dead.map((d) => hostnameOf(d.loginUrl)))].join(', ');
  const others = answer
    ? ' ' + text('detail.probeToken.deadOrgOthers', { answer: answer.errorDescription ?? answer.error })
    : '';
  const summary = text('summary.probeToken.deadOrg', { hosts });
  return proposing('fail', text('detail.probeToken.deadOrg', { hosts, others }), 'ORG_INACTIVE', 'likely', 60, {
    alternatives: ['ORG_UNREACHABLE'],
    params: { host: hosts },
    summary,
  });
}

export const probeTokenCheck: Check = {
  id: 'probe.token',
  group: 'token',
  needs: ['network.token-endpoint'],
  mode: 'network',
  // observed: the token endpoint's own answers to sf's login/audience pairs.
  evidence: 'observed',
  probe: 'answers',
  run(ctx) {
    const report = ctx.facts.probe;
    if (!report) return undefined;
    if (report.details.some((d) => d.outcome === 'success'))
      return successOutcome(report.details, ctx.facts.url, !apiRefused(report.use));

    const answered = report.details.filter((d) => d.outcome === 'error' && !d.nonJson && !d.network && !d.throttled);
    const url = ctx.facts.url;
    const givenHost = url?.hostname?.toLowerCase();
    const best = pickAnswer(answered, givenHost, url?.orgKind);
    const dead = deadOrg(report.details, best?.answer);
    if (dead) return dead;
    if (!best) return undefined;
    const { entry, answer } = best;
    const down = givenHostDown(report.details, answered, url, answer, entry.code);
    if (down) return down;
    // A CI log (--from-log) may keep the description without its error code, or the code alone.
    const raw = text(
      answer.error && answer.errorDescription
        ? 'phrase.answer.withCode'
        : answer.errorDescription
          ? 'phrase.answer.textOnly'
          : 'phrase.answer.codeOnly',
      { error: answer.error, errorDescription: answer.errorDescription },
    );
    const proposal: CauseProposal = {
      code: entry.code,
      confidence: entry.confidence,
      alternatives: entry.alternatives,
      fix: entry.fix,
      weight: 50,
      params: {
        error: answer.error ?? '',
        errorDescription: answer.errorDescription ?? '',
        answer: raw,
        loginUrl: answer.loginUrl || text('phrase.fromLog.unknownLoginUrl'),
      },
      summary:
        entry.id === 'unknown'
          ? text('summary.probeToken.unknownError', { raw })
          : // The cause in plain words, with where and what Salesforce answered; the symptom alone where none is written.
            has(`summary.answer.${entry.id}`)
            ? text(`summary.answer.${entry.id}`, {
                raw,
                host: hostnameOf(answer.loginUrl) || text('phrase.fromLog.unknownLoginUrl'),
                username: ctx.inputs.username?.value.trim() || text('phrase.answer.theUser'),
              })
            : text('summary.probeToken.answered', {
                raw,
                // An attempt a CI log shows without its pair (--from-log): unknown, said so.
                loginUrl: answer.loginUrl || text('phrase.fromLog.unknownLoginUrl'),
                audience: answer.audience || text('phrase.fromLog.unknownAudience'),
              }),
    };
    // Salesforce's "https required" names no URL: the fix's step names the one to use.
    if (entry.fix === 'url-http') proposal.params!.suggestedUrl = answer.loginUrl.replace(/^http:/, 'https:');
    if (entry.id === 'token-unusable')
      proposal.summary = text('summary.tokenUnusable', {
        loginUrl: answer.loginUrl,
        fields: answer.errorDescription ?? '',
      });

    const username = ctx.inputs.username?.value ?? '';
    const genericGiven = GENERIC_HOSTS.has(givenHost ?? '');
    if (
      genericGiven &&
      !proposal.alternatives?.includes('MY_DOMAIN_REQUIRED') &&
      proposal.code !== 'MY_DOMAIN_REQUIRED'
    ) {
      // Only login/test.salesforce.com was asked: an org whose My Domain policy blocks them answers like this too.
      proposal.alternatives = [...(proposal.alternatives ?? []), 'MY_DOMAIN_REQUIRED'];
    }
    if (entry.id === 'authentication-failure' && genericGiven) {
      Object.assign(proposal, {
        code: 'MY_DOMAIN_REQUIRED',
        alternatives: ['HIGH_ASSURANCE_REQUIRED', 'IP_RESTRICTED', 'UNKNOWN'],
        fix: 'url-use-my-domain',
        summary: text('summary.probeToken.genericHostRefused', {
          loginUrl: answer.loginUrl,
          host: hostOf(answer.loginUrl),
        }),
      });
    }
    if (entry.id === 'hasnt-approved' && url) {
      const intended = likelyIntended(username, url)?.suggestedUsername;
      if (intended && intended !== username) {
        Object.assign(proposal, {
          code: 'USER_NOT_FOUND',
          alternatives: ['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED'],
          fix: 'username-sandbox-suffix',
          params: { ...proposal.params, suggestedUsername: intended, sandboxName: url.sandboxName ?? '' },
          summary: text('summary.probeToken.sandboxUser', { username, intended }),
        });
      } else if (username.trim() !== username.trim().toLowerCase()) {
        const lower = username.trim().toLowerCase();
        Object.assign(proposal, {
          code: 'USER_NOT_FOUND',
          alternatives: ['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED'],
          fix: 'username-case',
          params: { ...proposal.params, suggestedUsername: lower },
          summary: text('summary.probeToken.upperCaseUser', { username, lower }),
        });
      }
    }
    if (entry.id === 'eca-not-installed') {
      const myDomainSaidSo = answered.some(
        (d) => !GENERIC_HOSTS.has(hostOf(d.loginUrl)) && (d.error ?? '').includes('app_not_found'),
      );
      if (myDomainSaidSo) {
        Object.assign(proposal, {
          code: 'CLIENT_ID_INVALID',
          alternatives: ['APP_NOT_INSTALLED', 'WRONG_APP'],
          fix: 'eca-not-in-org',
          summary: text('summary.probeToken.ecaUnknown', { clientId: ctx.inputs.clientId?.value }),
        });
      }
    }
    if (entry.id === 'audience-invalid' && ctx.inputs.audienceUrl) {
      Object.assign(proposal, {
        fix: 'audience-override',
        params: {
          ...proposal.params,
          audienceOrigin: ctx.inputs.audienceUrl.origin,
          audienceValue: ctx.inputs.audienceUrl.value,
        },
      });
    }

    const noise = answered.filter((d) => d.errorDescription !== answer.errorDescription).length;
    const detail = [
      text('detail.probeToken.noToken', { attempts: report.details.length }),
      ...tally(report.details),
      noise > 0 ? text('detail.probeToken.mostSpecific', { answer: answer.errorDescription, noise }) : '',
    ].filter(Boolean);
    return { status: 'fail', detail: detail.join('\n'), cause: proposal };
  },
};
