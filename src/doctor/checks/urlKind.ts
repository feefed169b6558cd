/*
 * url.kind: what kind of org the URL implies, and the (login URL, aud) pairs sf would post to for it, in sf's order —
 * so a reader of sf's error list knows which line belongs to which attempt. Also flags login hosts that work today
 * but are fragile for CI (generic login/test hosts, instance names, pre-enhanced-domain hosts). A punycode (`xn--`)
 * label names no org: My Domain names are ASCII, so it is an internationalized look-alike of one.
 */
import type { Check, CheckOutcome } from '../check.js';
import type { UrlClassification, UrlKind } from '../../knowledge/instanceUrl.js';
import { jwtAudienceUrl, loginAudienceCombos, type LoginAudiencePair } from '../../knowledge/loginAudience.js';
import { text } from '../text.js';

const KIND_TEXT: Partial<Record<UrlKind, string>> = {
  login: 'the generic production login host',
  test: 'the generic sandbox and scratch-org login host',
  'production-my-domain': 'a production My Domain',
  'sandbox-my-domain': 'a sandbox My Domain',
  'sandbox-legacy': 'a sandbox My Domain in the pre-enhanced-domains format',
  'developer-edition': 'a Developer Edition My Domain',
  scratch: 'a scratch org My Domain',
  patch: 'a patch org My Domain',
  demo: 'a demo org My Domain',
  trailblaze: 'a Trailhead playground My Domain',
  free: 'a free org My Domain',
  gov: 'a Government Cloud My Domain',
  china: 'a Salesforce on Alibaba Cloud My Domain',
  instance: 'an instance host',
  loopback: 'a loopback address',
};

function describe(url: UrlClassification): string {
  const names = [
    url.myDomainName && `My Domain ${url.myDomainName}`,
    url.sandboxName && `sandbox ${url.sandboxName}`,
    url.instanceName && `instance ${url.instanceName}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${url.hostname} is ${KIND_TEXT[url.kind] ?? url.kind}${names ? ` (${names})` : ''}, implying a ${url.orgKind === 'unknown' ? 'org of unknown kind' : `${url.orgKind} org`}`;
}

function pairsText(pairs: LoginAudiencePair[]): string {
  return pairs.map(([login, aud], i) => `${i + 1}. ${login} with aud ${aud}`).join('; ');
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

export const urlKind: Check = {
  id: 'url.kind',
  group: 'url',
  needs: ['url.salesforce-domain'],
  mode: 'local',
  // documented: org kind and sf's login/audience pairs from Salesforce's domain formats (Help: My Domain URL Formats) and sf's own code.
  evidence: 'documented',
  run(ctx) {
    const url = ctx.facts.url;
    if (!url?.valid) return undefined;
    const input = ctx.inputs.instanceUrl;
    // sf passes --instance-url (and sfdcLoginUrl) as URL.href; its built-in default has no trailing slash.
    const loginUrl = input.source === 'default' ? input.value : url.href!;
    const override = ctx.inputs.audienceUrl?.value;
    if (override !== undefined && override !== '') {
      const valid = URL.canParse(override);
      if (!valid || !/^https?:\/\//i.test(override)) {
        return {
          status: 'fail',
          detail: `The audience override "${override}" (${ctx.inputs.audienceUrl!.origin}) is not a URL with a scheme; ${valid ? 'Salesforce rejects a host-only aud' : 'sf throws "Invalid URL" before sending anything'}.`,
          cause: {
            code: 'AUDIENCE_INVALID',
            confidence: 'confirmed',
            weight: 80,
            summary: text('summary.urlKind.AUDIENCE_INVALID'),
            fix: 'audience-not-url',
            params: { audience: override },
          },
        };
      }
    }
    if (url.punycodeLabels) {
      const label = url.punycodeLabels.join(', ');
      const unicode =
        url.unicodeHostname && url.unicodeHostname !== url.hostname ? ` ("${url.unicodeHostname}" when decoded)` : '';
      return {
        status: 'fail',
        detail: text('detail.urlKind', { hostname: url.hostname, label, unicode }),
        cause: {
          code: 'INSTANCE_URL_INVALID',
          confidence: 'confirmed',
          weight: 80,
          summary: text('summary.urlKind.INSTANCE_URL_INVALID', { hostname: url.hostname }),
          fix: 'url-punycode',
          params: { host: url.hostname! },
        },
      };
    }
    const pairs = loginAudienceCombos(jwtAudienceUrl(loginUrl, override), loginUrl);
    const tries = `sf would try ${pairs.length} login/audience pair${pairs.length === 1 ? '' : 's'} in order: ${pairsText(pairs)}.`;
    const about = `${describe(url)}. ${tries}`;
    // url.parse has named what is wrong with these hosts (sf still posts to them); here only the pairs sf tries.
    if (url.kind === 'setup' || url.kind === 'visualforce' || url.kind === 'experience')
      return { status: 'warn', detail: about };
    if (url.kind === 'other-salesforce') {
      return {
        status: 'fail',
        detail: text('detail.urlKind.2', { hostname: url.hostname }),
        cause: {
          code: 'INSTANCE_URL_INVALID',
          confidence: 'confirmed',
          weight: 80,
          summary: text('summary.urlKind.INSTANCE_URL_INVALID.2', { hostname: url.hostname }),
          fix: 'url-not-login-host',
          params: { suggestedUrl: '' },
        },
      };
    }
    if (url.kind === 'login' || url.kind === 'test') {
      // Advice, not a warning: sf's own default, and it works unless a My Domain login policy blocks it — which the
      // token probe then shows (MY_DOMAIN_REQUIRED among the alternatives) and --admin-org confirms.
      return { status: 'pass', detail: text('detail.urlKind.3', { about, hostname: url.hostname }) };
    }
    if (url.kind === 'instance') {
      return warn(
        'INSTANCE_URL_INVALID',
        'url-instance',
        20,
        `${url.hostname} is an instance host, which changes when the org moves.`,
        `${about} Instance hosts change when Salesforce moves the org to another instance; use the org's My Domain login URL.`,
        url,
      );
    }
    if (url.suggestedUrl && url.kind !== 'loopback') {
      return warn(
        'INSTANCE_URL_INVALID',
        'url-legacy-domain',
        25,
        `${url.hostname} is a pre-enhanced-domains host.`,
        `${about} Since enhanced domains (enforced Winter '24) this host only works while the org keeps legacy redirections; the current login URL is ${url.suggestedUrl}.`,
        url,
      );
    }
    const govNote =
      url.kind === 'gov'
        ? ' Government Cloud orgs take the token request at their My Domain with aud login.salesforce.com or test.salesforce.com, which sf includes.'
        : '';
    return { status: 'pass', detail: `${about}${govNote}` };
  },
};
