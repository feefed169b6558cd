/*
 * probe.token: what the token endpoint's answers say, combined over all of sf's attempts (causes.ts), corrected by
 * local evidence: a sandbox URL with an unsuffixed username turns "user hasn't approved this consumer" into a likely
 * USER_NOT_FOUND; External Client App "not installed" answers from login/test only mean "use the My Domain".
 */
import type { Check, CauseProposal, CheckOutcome } from '../check.js';
import { mostSpecific } from '../causes.js';
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

function tally(details: AttemptDetail[]): string[] {
  const counts = new Map<string, number>();
  for (const d of details) {
    const line = d.outcome === 'success' ? 'token issued' : [d.errorDescription || d.error, d.error && d.errorDescription ? `(${d.error})` : ''].filter(Boolean).join(' ');
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => `  ${n} × ${line}`);
}

function successOutcome(details: AttemptDetail[]): CheckOutcome {
  const index = details.findIndex((d) => d.outcome === 'success');
  const ok = details[index];
  if (index === 0) {
    return { status: 'pass', detail: `sf's first attempt gets a token: login ${ok.loginUrl}, aud ${ok.audience}.` };
  }
  return {
    status: 'warn',
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

    const answered = report.details.filter((d) => d.outcome === 'error' && !d.nonJson && !d.network);
    const best = mostSpecific(answered);
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

    const url = ctx.facts.url;
    const username = ctx.inputs.username?.value ?? '';
    if (entry.id === 'hasnt-approved' && url) {
      const intended = likelyIntended(username, url)?.suggestedUsername;
      if (intended && intended !== username) {
        Object.assign(proposal, {
          code: 'USER_NOT_FOUND',
          alternatives: ['USER_NOT_APPROVED', 'USER_NOT_PREAUTHORIZED'],
          fix: 'USER_NOT_FOUND-suffix',
          params: { ...proposal.params, suggestedUsername: intended },
          summary: `"${username}" probably does not exist in this org (Salesforce answers "user hasn't approved this consumer" for unknown users too); the sandbox username is likely ${intended}.`,
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

    const noise = answered.length - answered.filter((d) => d.errorDescription === answer.errorDescription).length;
    const detail = [
      `${report.details.length} attempt(s), no token. Answers:`,
      ...tally(report.details),
      noise > 0 ? `Most specific answer: "${answer.errorDescription}"; the other ${noise} come from sf's fallback pairs.` : '',
    ].filter(Boolean);
    return { status: 'fail', detail: detail.join('\n'), cause: proposal };
  },
};
