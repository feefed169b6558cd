/*
 * url.parse: is --instance-url a URL sf can post a token request to? sf refuses only Lightning hosts; a pasted page
 * or token URL keeps its path (jsforce appends /services/oauth2/token after it), and http sends the assertion in clear.
 * A URL with `user:password@` cannot work (fetch refuses it) and its password is never shown; a host typed with
 * look-alike letters becomes a punycode (`xn--`) host no org has; port 0 reaches nothing.
 */
import type { Check, CheckOutcome } from '../check.js';
import type { UrlClassification } from '../../knowledge/instanceUrl.js';
import { listCharacters, visibleText } from '../../knowledge/username.js';
import { text } from '../text.js';

/** Shown in fix steps when no specific login URL can be derived from the input. */
const GENERIC_MY_DOMAIN = 'https://MyDomainName.my.salesforce.com';

function fail(fix: string, summary: string, detail: string, url: UrlClassification): CheckOutcome {
  return {
    status: 'fail',
    detail,
    cause: {
      code: 'INSTANCE_URL_INVALID',
      confidence: 'confirmed',
      weight: 80,
      summary,
      fix,
      params: { suggestedUrl: url.suggestedUrl ?? GENERIC_MY_DOMAIN },
    },
  };
}

/** A URL sf still posts to (its first pair fails there, its fallback pairs may not): the probe says if the login works. */
function failSfGoesOn(fix: string, summary: string, detail: string, url: UrlClassification): CheckOutcome {
  return { ...fail(fix, summary, detail, url), sfGoesOn: true };
}

function instead(url: UrlClassification): string {
  return url.suggestedUrl ? ` Use ${url.suggestedUrl} instead.` : '';
}

/** The URL jsforce 3 posts the token request to for this login URL (it appends to the existing path). */
export function sfTokenUrl(loginUrl: string): string {
  const url = new URL(loginUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/services/oauth2/token`;
  return url.href;
}

function hostCharactersText(url: UrlClassification): string {
  const c = url.hostCharacters!;
  const parts = [
    c.lookalikes.length ? `characters that only look like ASCII: ${listCharacters(c.lookalikes)}` : '',
    c.invisible.length ? `invisible characters: ${listCharacters(c.invisible)}` : '',
    c.other.length ? `non-ASCII characters: ${listCharacters(c.other)}` : '',
  ].filter(Boolean);
  return parts.join('; ');
}

export const urlParse: Check = {
  id: 'url.parse',
  group: 'url',
  needs: [],
  mode: 'local',
  // documented: the URL is parsed as sf parses it; what a host is follows Salesforce's domain formats (Help: My Domain URL Formats).
  evidence: 'documented',
  run(ctx) {
    const url = ctx.adapters.classifyUrl(ctx.inputs.instanceUrl.value);
    ctx.facts.url = url;
    // Shown instead of the input everywhere below: any `user:password@` is masked.
    const input = url.displayUrl;
    const host = url.hostname ?? '';
    if (!url.valid) {
      const fix = url.suggestedUrl ? 'url-missing-scheme' : 'url-malformed';
      return fail(
        fix,
        `The instance URL "${input}" is not a valid URL.`,
        `"${input}" is not a valid https URL (${url.parseError}).${instead(url)}`,
        url,
      );
    }
    if (url.hasCredentials) {
      return fail(
        'url-credentials',
        'The instance URL contains a user name or password.',
        `${input} carries a user name or password before the host (not shown). sf cannot log in through it: fetch refuses a URL with credentials ("Request cannot be constructed from a URL that includes credentials"), and the JWT flow needs none.${instead(url)} Treat the password as exposed wherever this URL is stored.`,
        url,
      );
    }
    if (url.punycodeLabels && url.hostCharacters) {
      const label = url.punycodeLabels.join(', ');
      return fail(
        'url-lookalike-host',
        `The host of the instance URL contains look-alike or non-ASCII characters.`,
        `The host ${visibleText(url.hostCharacters.typedHost)} contains ${hostCharactersText(url)}. URL parsing turns it into the punycode label ${label} (${host}), a different host: a My Domain name is ASCII letters, digits and hyphens, so no org logs in there.${instead(url)}`,
        url,
      );
    }
    if (url.invalidPort !== undefined) {
      return fail(
        'url-port',
        `The instance URL has port ${url.invalidPort}.`,
        `${input} has port ${url.invalidPort}, which is out of range (1–65535) and reaches no server; Salesforce serves logins on the default https port.${instead(url)}`,
        url,
      );
    }
    if (url.kind === 'lightning') {
      return fail(
        'url-lightning',
        `${host} is a Lightning Experience host, not a login URL.`,
        `${host} is the Lightning Experience host of the org; sf refuses it ("Invalid instance URL. It should NOT be a lightning domain.") and sends nothing.${instead(url)}`,
        url,
      );
    }
    if (url.kind === 'visualforce') {
      return failSfGoesOn(
        'url-visualforce',
        `${host} is a Visualforce host, not a login URL.`,
        `${host} serves Visualforce pages, not the OAuth token endpoint.${instead(url)}`,
        url,
      );
    }
    if (url.kind === 'setup') {
      return failSfGoesOn(
        'url-setup',
        `${host} is a Setup host, not a login URL.`,
        `${host} serves the Setup pages, not the OAuth token endpoint.${instead(url)}`,
        url,
      );
    }
    if (url.kind === 'experience') {
      return failSfGoesOn(
        'url-experience',
        `${host} is an Experience Cloud site, not the org's login URL.`,
        `${host} is an Experience Cloud (community) site; its token endpoint is for site users and another audience. sf org login jwt needs the org's My Domain login URL.${instead(url)}`,
        url,
      );
    }
    if (url.kind === 'china' && url.suggestedUrl) {
      return fail(
        'url-china-domain',
        `${host} is not the China My Domain host.`,
        `${host} uses my.sfcrmapps.cn, which does not resolve; Salesforce on Alibaba Cloud logs in at my.sfcrmproducts.cn.${instead(url)}`,
        url,
      );
    }
    if (url.pathJunk) {
      return failSfGoesOn(
        'url-path',
        `The instance URL has a path (${url.pathJunk}).`,
        `${input} carries ${url.pathJunk}; sf would post the token request to ${sfTokenUrl(url.href!)}, which is not the token endpoint.${instead(url)}`,
        url,
      );
    }
    const notes: string[] = [];
    if (url.hadWhitespace) notes.push('surrounding whitespace ignored');
    if (url.hostCharacters)
      notes.push(`the host as typed has ${hostCharactersText(url)}, which URL parsing maps to ${host} (as sf does)`);
    if (url.insecure && !url.isLoopback) {
      return {
        status: 'warn',
        detail: text('detail.urlParse', { urlHref: url.href }),
        cause: {
          code: 'INSTANCE_URL_INVALID',
          confidence: 'likely',
          weight: 40,
          summary: text('summary.urlParse.INSTANCE_URL_INVALID'),
          fix: 'url-http',
          params: { suggestedUrl: url.href!.replace(/^http:/, 'https:') },
        },
      };
    }
    return {
      status: 'pass',
      detail: `${url.href} (token endpoint ${sfTokenUrl(url.href!)})${notes.length ? `; ${notes.join('; ')}` : ''}.`,
    };
  },
};
