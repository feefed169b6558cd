/*
 * probe.token: what the token endpoint's answers say, combined over all of sf's attempts (causes.ts), corrected by
 * local evidence: a sandbox URL with an unsuffixed username turns "user hasn't approved this consumer" into a likely
 * USER_NOT_FOUND; External Client App "not installed" answers from login/test only mean "use the My Domain".
 */
import type { Check, CauseProposal, CheckOutcome } from '../check.js';
import { mostSpecific } from '../causes.js';
import type { CauseCode } from '../types.js';
import type { AttemptDetail } from '../../salesforce/probe.js';
import { likelyIntended } from '../../salesforce/username.js';

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
function pickAnswer(answered: AttemptDetail[], givenHost: string | undefined, orgKind: string | undefined) {
  for (const tier of [2, 1, 0]) {
    const best = mostSpecific(answered.filter((d) => authority(d, givenHost, orgKind) === tier));
    if (best && best.entry.id !== 'audience-invalid') return best;
  }
  return mostSpecific(answered);
}

function tally(details: AttemptDetail[]): string[] {
  const counts = new Map<string, number>();
  for (const d of details) {
    const line = d.outcome === 'success' ? 'token issued' : [d.errorDescription || d.error, d.error && d.errorDescription ? `(${d.error})` : ''].filter(Boolean).join(' ');
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => `  ${n} × ${line}`);
}

/**
 * What a token issued for exactly this username, consumer key and key disproves: the user exists, is active and may use
 * the app, the consumer key is known and the key matches the app's certificate — whatever a local guess said.
 */
const PROVEN_BY_TOKEN: CauseCode[] = ['USER_NOT_FOUND', 'USER_INACTIVE', 'USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED', 'CLIENT_ID_INVALID', 'WRONG_APP', 'CERT_MISMATCH'];

function successOutcome(details: AttemptDetail[]): CheckOutcome {
  const index = details.findIndex((d) => d.outcome === 'success');
  const ok = details[index];
  if (index === 0) {
    return { status: 'pass', detail: `sf's first attempt gets a token: login ${ok.loginUrl}, aud ${ok.audience}.`, rulesOut: PROVEN_BY_TOKEN, loginWorks: true };
  }
  return {
    status: 'warn',
    rulesOut: PROVEN_BY_TOKEN,
    loginWorks: true,
    detail: `sf gets a token only at its attempt ${index + 1} (login ${ok.loginUrl}, aud ${ok.audience}); the ${index} attempt(s) before it fail:\n${tally(details.slice(0, index)).join('\n')}`,
    cause: {
      code: 'INSTANCE_URL_INVALID',
      confidence: 'confirmed',
      weight: 10,
      fix: 'fallback-only',
      params: { suggestedUrl: ok.loginUrl.replace(/\/$/, ''), workingAudience: ok.audience },
      summary: `The login works only through one of sf's fallback login/audience pairs (${ok.loginUrl}, aud ${ok.audience}).`,
    },
  };
}

export const probeTokenCheck: Check = {
  id: 'probe.token',
  group: 'token',
  needs: ['network.token-endpoint'],
  mode: 'network',
  run(ctx) {
    const report = ctx.facts.probe;
    if (!report) return undefined;
    if (report.details.some((d) => d.outcome === 'success')) return successOutcome(report.details);

    const answered = report.details.filter((d) => d.outcome === 'error' && !d.nonJson && !d.network && !d.throttled);
    const url = ctx.facts.url;
    const givenHost = url?.hostname?.toLowerCase();
    const best = pickAnswer(answered, givenHost, url?.orgKind);
    if (!best) return undefined;
    const { entry, answer } = best;
    const raw = `${answer.error}: ${answer.errorDescription}`;
    const proposal: CauseProposal = {
      code: entry.code,
      confidence: entry.confidence,
      alternatives: entry.alternatives,
      fix: entry.fix,
      weight: 50,
      params: { error: answer.error ?? '', errorDescription: answer.errorDescription ?? '', loginUrl: answer.loginUrl },
      summary: entry.id === 'unknown' ? `The token endpoint answered an error the doctor does not know: ${raw}.` : `The token endpoint answered "${raw}" (at ${answer.loginUrl}, aud ${answer.audience}).`,
    };

    const username = ctx.inputs.username?.value ?? '';
    // Only login/test.salesforce.com answered: they were the URL given, or the given host never answered (a retired
    // sandbox or My Domain host) and sf's fallback pairs were all that reached Salesforce.
    const givenSilent = Boolean(givenHost) && !GENERIC_HOSTS.has(givenHost!) && !answered.some((d) => hostOf(d.loginUrl).replace(/:\d+$/, '') === givenHost);
    const genericGiven = GENERIC_HOSTS.has(givenHost ?? '') || (givenSilent && answered.every((d) => GENERIC_HOSTS.has(hostOf(d.loginUrl))));
    if (genericGiven && !proposal.alternatives?.includes('MY_DOMAIN_REQUIRED') && proposal.code !== 'MY_DOMAIN_REQUIRED') {
      // An org whose My Domain policy blocks login/test.salesforce.com answers like this too.
      proposal.alternatives = [...(proposal.alternatives ?? []), 'MY_DOMAIN_REQUIRED'];
    }
    if (givenSilent && proposal.code !== 'INSTANCE_URL_INVALID' && !proposal.alternatives?.includes('INSTANCE_URL_INVALID')) {
      // The URL given never reached a token endpoint: with the org's current login URL the answer may differ.
      proposal.alternatives = [...(proposal.alternatives ?? []), 'INSTANCE_URL_INVALID'];
    }
    if (entry.id === 'authentication-failure' && genericGiven) {
      Object.assign(proposal, {
        code: 'MY_DOMAIN_REQUIRED',
        alternatives: ['HIGH_ASSURANCE_REQUIRED', 'IP_RESTRICTED', 'UNKNOWN'],
        fix: 'url-use-my-domain',
        summary: `${answer.loginUrl} refused the login without naming a reason ("authentication failure"): orgs whose My Domain login policy blocks ${hostOf(answer.loginUrl)} answer so. Use the org's My Domain URL.`,
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
          summary: `"${username}" probably does not exist in this org (Salesforce answers "user hasn't approved this consumer" for unknown users too); the sandbox username is likely ${intended}.`,
        });
      } else if (username.trim() !== username.trim().toLowerCase()) {
        const lower = username.trim().toLowerCase();
        Object.assign(proposal, {
          code: 'USER_NOT_FOUND',
          alternatives: ['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED'],
          fix: 'username-case',
          params: { ...proposal.params, suggestedUsername: lower },
          summary: `"${username}" has upper-case letters and Salesforce answers "user hasn't approved this consumer" for unknown users too: the user is likely ${lower}.`,
        });
      }
    }
    if (entry.id === 'eca-not-installed') {
      const myDomainSaidSo = answered.some((d) => !GENERIC_HOSTS.has(hostOf(d.loginUrl)) && /app_not_found/.test(d.error ?? ''));
      if (myDomainSaidSo) {
        Object.assign(proposal, {
          code: 'CLIENT_ID_INVALID',
          alternatives: ['APP_NOT_INSTALLED', 'WRONG_APP'],
          fix: 'eca-not-in-org',
          summary: `The org's own My Domain does not know an External Client App with consumer key ${ctx.inputs.clientId?.value}: the key belongs to another org, or the app is not (yet) installed here.`,
        });
      }
    }
    if (entry.id === 'audience-invalid' && ctx.inputs.audienceUrl) {
      Object.assign(proposal, {
        fix: 'audience-override',
        params: { ...proposal.params, audienceOrigin: ctx.inputs.audienceUrl.origin, audienceValue: ctx.inputs.audienceUrl.value },
      });
    }

    const noise = answered.filter((d) => d.errorDescription !== answer.errorDescription).length;
    const detail = [
      `${report.details.length} attempt(s), no token. Answers:`,
      ...tally(report.details),
      noise > 0 ? `Most specific answer: "${answer.errorDescription}"; the other ${noise} come from sf's fallback pairs.` : '',
    ].filter(Boolean);
    return { status: 'fail', detail: detail.join('\n'), cause: proposal };
  },
};
