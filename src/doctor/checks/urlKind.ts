/*
 * url.kind: what kind of org the URL implies, and the (login URL, aud) pairs sf would post to for it, in sf's order —
 * so a reader of sf's error list knows which line belongs to which attempt. Also flags login hosts that work today
 * but are fragile for CI (generic login/test hosts, instance names, pre-enhanced-domain hosts). A punycode (`xn--`)
 * label names no org: My Domain names are ASCII, so it is an internationalized look-alike of one.
 */
import { proposing, type CheckOutcome, type ProposalRest } from '../check.js';
import { parsedUrlCheck } from './url.js';
import type { CauseCode } from '../types.js';
import type { UrlClassification, UrlKind } from '../../knowledge/instanceUrl.js';
import { jwtAudienceUrl, loginAudienceCombos, type LoginAudiencePair } from '../../knowledge/loginAudience.js';
import { text } from '../text.js';

/** What each kind of host is called (messages/checks.md). */
const KIND_TEXT: Partial<Record<UrlKind, string>> = {
  login: 'phrase.urlKind.kind.login',
  test: 'phrase.urlKind.kind.test',
  'production-my-domain': 'phrase.urlKind.kind.productionMyDomain',
  'sandbox-my-domain': 'phrase.urlKind.kind.sandboxMyDomain',
  'sandbox-legacy': 'phrase.urlKind.kind.sandboxLegacy',
  'developer-edition': 'phrase.urlKind.kind.developerEdition',
  scratch: 'phrase.urlKind.kind.scratch',
  patch: 'phrase.urlKind.kind.patch',
  demo: 'phrase.urlKind.kind.demo',
  trailblaze: 'phrase.urlKind.kind.trailblaze',
  free: 'phrase.urlKind.kind.free',
  gov: 'phrase.urlKind.kind.gov',
  china: 'phrase.urlKind.kind.china',
  instance: 'phrase.urlKind.kind.instance',
  loopback: 'phrase.urlKind.kind.loopback',
};

/** A URL sf cannot log in with as given (its shape says so, whatever the org answers). */
function confirmedWrong(detail: string, code: CauseCode, rest: ProposalRest): CheckOutcome {
  return proposing('fail', detail, code, 'confirmed', 80, rest);
}

function describe(url: UrlClassification): string {
  const names = [
    url.myDomainName && text('phrase.urlKind.myDomainName', { name: url.myDomainName }),
    url.sandboxName && text('phrase.urlKind.sandboxName', { name: url.sandboxName }),
    url.instanceName && text('phrase.urlKind.instanceName', { name: url.instanceName }),
  ]
    .filter(Boolean)
    .join(', ');
  const kind = KIND_TEXT[url.kind];
  return text('phrase.urlKind.describe', {
    hostname: url.hostname,
    kind: kind ? text(kind) : url.kind,
    names: names ? ` (${names})` : '',
    orgKind:
      url.orgKind === 'unknown'
        ? text('phrase.urlKind.unknownOrg')
        : text('phrase.urlKind.org', { orgKind: url.orgKind }),
  });
}

function pairsText(pairs: LoginAudiencePair[]): string {
  return pairs.map(([login, aud], i) => text('phrase.urlKind.pair', { n: i + 1, login, aud })).join('; ');
}

function warn(
  code: 'MY_DOMAIN_REQUIRED' | 'INSTANCE_URL_INVALID',
  fix: string,
  weight: number,
  summary: string,
  detail: string,
  url: UrlClassification,
): CheckOutcome {
  return {
    status: 'warn',
    detail,
    cause: { code, confidence: 'likely', weight, summary, fix, params: { suggestedUrl: url.suggestedUrl ?? '' } },
  };
}

// documented: org kind and sf's login/audience pairs from Salesforce's domain formats (Help: My Domain URL Formats) and sf's own code.
export const urlKind = parsedUrlCheck('url.kind', ['url.salesforce-domain'], (ctx, url) => {
  const input = ctx.inputs.instanceUrl;
  // sf passes --instance-url (and sfdcLoginUrl) as URL.href; its built-in default has no trailing slash.
  const loginUrl = input.source === 'default' ? input.value : url.href!;
  const override = ctx.inputs.audienceUrl?.value;
  if (override !== undefined && override !== '') {
    const valid = URL.canParse(override);
    if (!valid || !/^https?:\/\//i.test(override)) {
      const origin = ctx.inputs.audienceUrl!.origin;
      const detail = text(valid ? 'detail.urlKind.audienceHostOnly' : 'detail.urlKind.audienceUnparsable', {
        override,
        origin,
      });
      return confirmedWrong(detail, 'AUDIENCE_INVALID', {
        summary: text('summary.urlKind.AUDIENCE_INVALID'),
        fix: 'audience-not-url',
        params: { audience: override },
      });
    }
  }
  if (url.punycodeLabels) {
    const label = url.punycodeLabels.join(', ');
    const unicode =
      url.unicodeHostname && url.unicodeHostname !== url.hostname
        ? ' ' + text('phrase.urlKind.decoded', { unicodeHostname: url.unicodeHostname })
        : '';
    const detail = text('detail.urlKind.punycode', { hostname: url.hostname, label, unicode });
    return confirmedWrong(detail, 'INSTANCE_URL_INVALID', {
      summary: text('summary.urlKind.punycode', { hostname: url.hostname }),
      fix: 'url-punycode',
      params: { host: url.hostname! },
    });
  }
  const pairs = loginAudienceCombos(jwtAudienceUrl(loginUrl, override), loginUrl);
  const tries = text(pairs.length === 1 ? 'phrase.urlKind.triesOne' : 'phrase.urlKind.tries', {
    count: pairs.length,
    pairs: pairsText(pairs),
  });
  const about = text('phrase.urlKind.about', { describe: describe(url), tries });
  // url.parse has named what is wrong with these hosts (sf still posts to them); here only the pairs sf tries.
  if (url.kind === 'setup' || url.kind === 'visualforce' || url.kind === 'experience')
    return { status: 'warn', detail: about };
  if (url.kind === 'other-salesforce') {
    const summary = text('summary.urlKind.notLoginHost', { hostname: url.hostname });
    return confirmedWrong(text('detail.urlKind.notLoginHost', { hostname: url.hostname }), 'INSTANCE_URL_INVALID', {
      summary,
      fix: 'url-not-login-host',
      params: { suggestedUrl: '' },
    });
  }
  if (url.kind === 'login' || url.kind === 'test') {
    // Advice, not a warning: sf's own default, and it works unless a My Domain login policy blocks it — which the
    // token probe then shows (MY_DOMAIN_REQUIRED among the alternatives) and --admin-org confirms.
    return { status: 'pass', detail: text('detail.urlKind.genericLoginHost', { about, hostname: url.hostname }) };
  }
  if (url.kind === 'instance') {
    return warn(
      'INSTANCE_URL_INVALID',
      'url-instance',
      20,
      text('summary.urlKind.instanceHost', { hostname: url.hostname }),
      text('detail.urlKind.instanceHost', { about }),
      url,
    );
  }
  if (url.suggestedUrl && url.kind !== 'loopback') {
    return warn(
      'INSTANCE_URL_INVALID',
      'url-legacy-domain',
      25,
      text('summary.urlKind.legacyDomain', { hostname: url.hostname }),
      text('detail.urlKind.legacyDomain', { about, suggestedUrl: url.suggestedUrl }),
      url,
    );
  }
  const govNote = url.kind === 'gov' ? ' ' + text('detail.urlKind.govCloud') : '';
  return { status: 'pass', detail: `${about}${govNote}` };
});
