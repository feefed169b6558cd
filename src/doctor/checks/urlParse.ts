/*
 * url.parse: is --instance-url a URL sf can post a token request to? sf refuses only Lightning hosts; a pasted page
 * or token URL keeps its path (jsforce appends /services/oauth2/token after it), and http sends the assertion in clear.
 * A URL with `user:password@` cannot work (fetch refuses it) and its password is never shown; a host typed with
 * look-alike letters becomes a punycode (`xn--`) host no org has; port 0 reaches nothing.
 */
import { proposing, type Check, type CheckOutcome } from '../check.js';
import type { UrlClassification } from '../../knowledge/instanceUrl.js';
import { listCharacters, visibleText } from '../../knowledge/username.js';
import { text } from '../text.js';
import { skipUrlNotInLog } from './url.js';

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
  return url.suggestedUrl ? ' ' + text('detail.urlParse.useInstead', { suggestedUrl: url.suggestedUrl }) : '';
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
    c.lookalikes.length ? text('phrase.urlParse.lookalikes', { characters: listCharacters(c.lookalikes) }) : '',
    c.invisible.length ? text('phrase.urlParse.invisible', { characters: listCharacters(c.invisible) }) : '',
    c.other.length ? text('phrase.urlParse.nonAscii', { characters: listCharacters(c.other) }) : '',
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
    const notInLog = skipUrlNotInLog(ctx);
    if (notInLog) return notInLog;
    const url = ctx.adapters.classifyUrl(ctx.inputs.instanceUrl.value);
    ctx.facts.url = url;
    // Shown instead of the input everywhere below: any `user:password@` is masked.
    const input = url.displayUrl;
    const host = url.hostname ?? '';
    // A URL of a page, not of the login: its texts are `summary.urlParse.<kind>` and `detail.urlParse.<kind>`.
    const page = (outcome: typeof fail, fix: string, kind: string): CheckOutcome =>
      outcome(
        fix,
        text(`summary.urlParse.${kind}`, { host }),
        text(`detail.urlParse.${kind}`, { host, instead: instead(url) }),
        url,
      );
    if (!url.valid) {
      const fix = url.suggestedUrl ? 'url-missing-scheme' : 'url-malformed';
      return fail(
        fix,
        text('summary.urlParse.malformed', { input }),
        text('detail.urlParse.malformed', { input, parseError: url.parseError, instead: instead(url) }),
        url,
      );
    }
    if (url.hasCredentials) {
      return fail(
        'url-credentials',
        text('summary.urlParse.credentials'),
        text('detail.urlParse.credentials', { input, instead: instead(url) }),
        url,
      );
    }
    if (url.punycodeLabels && url.hostCharacters) {
      const label = url.punycodeLabels.join(', ');
      return fail(
        'url-lookalike-host',
        text('summary.urlParse.lookalikeHost'),
        text('detail.urlParse.lookalikeHost', {
          typedHost: visibleText(url.hostCharacters.typedHost),
          characters: hostCharactersText(url),
          label,
          host,
          instead: instead(url),
        }),
        url,
      );
    }
    if (url.invalidPort !== undefined) {
      return fail(
        'url-port',
        text('summary.urlParse.port', { port: url.invalidPort }),
        text('detail.urlParse.port', { input, port: url.invalidPort, instead: instead(url) }),
        url,
      );
    }
    if (url.kind === 'lightning') {
      return page(fail, 'url-lightning', 'lightning');
    }
    if (url.kind === 'visualforce') {
      return page(failSfGoesOn, 'url-visualforce', 'visualforce');
    }
    if (url.kind === 'setup') {
      return page(failSfGoesOn, 'url-setup', 'setup');
    }
    if (url.kind === 'experience') {
      return page(failSfGoesOn, 'url-experience', 'experience');
    }
    if (url.kind === 'china' && url.suggestedUrl) {
      return page(fail, 'url-china-domain', 'chinaDomain');
    }
    if (url.pathJunk) {
      return failSfGoesOn(
        'url-path',
        text('summary.urlParse.path', { path: url.pathJunk }),
        text('detail.urlParse.path', {
          input,
          path: url.pathJunk,
          tokenUrl: sfTokenUrl(url.href!),
          instead: instead(url),
        }),
        url,
      );
    }
    const notes: string[] = [];
    if (url.hadWhitespace) notes.push(text('phrase.urlParse.whitespaceIgnored'));
    if (url.hostCharacters)
      notes.push(text('phrase.urlParse.hostMapped', { characters: hostCharactersText(url), host }));
    if (url.insecure && !url.isLoopback) {
      const detail = text('detail.urlParse.http', { urlHref: url.href });
      return proposing('warn', detail, 'INSTANCE_URL_INVALID', 'likely', 40, {
        summary: text('summary.urlParse.INSTANCE_URL_INVALID'),
        fix: 'url-http',
        params: { suggestedUrl: url.href!.replace(/^http:/, 'https:') },
      });
    }
    return {
      status: 'pass',
      detail: text('detail.urlParse.valid', {
        urlHref: url.href,
        tokenUrl: sfTokenUrl(url.href!),
        notes: notes.length ? `; ${notes.join('; ')}` : '',
      }),
    };
  },
};
