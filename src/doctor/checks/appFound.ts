/*
 * app.found: the Connected App or External Client App whose consumer key is --client-id. Not found: a key that
 * differs from an app's key in a few characters is a copy error (CLIENT_ID_INVALID); a key of no app, while some app
 * holds this private key's certificate, is the wrong app's key (WRONG_APP); otherwise the key is not this org's.
 */
import type { Check } from '../check.js';
import { text } from '../text.js';
import type { AppCertificate, OrgInspection } from '../../salesforce/inspection.js';
import type { DoctorContext } from '../context.js';
import { mostSpecific } from '../causes.js';
import { answersAt, fail, inspection, kindName, otherOrgSkip, skipFor } from './adminSupport.js';

/** Shares most of its characters, at the ends, with the given key: a truncated, extended or mistyped copy. */
export function nearlySame(a: string, b: string): boolean {
  if (!a || !b || a === b) return false;
  let prefix = 0;
  while (prefix < Math.min(a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < Math.min(a.length, b.length) - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return prefix + suffix >= 0.6 * Math.max(a.length, b.length) && Math.abs(a.length - b.length) <= 12;
}

/** The app holding the certificate of the key being used, if any. */
export function certificateHolder(ins: OrgInspection, fingerprint: string | undefined, except?: string): AppCertificate | undefined {
  return fingerprint ? ins.certificates.find((c) => c.fingerprint === fingerprint && c.name !== except) : undefined;
}

export const appFound: Check = {
  id: 'app.found',
  group: 'app',
  needs: ['org.connection'],
  mode: 'admin',
  // documented: an app's consumer key from metadata (Metadata API: ConnectedAppOauthConfig.consumerKey, ExtlClntAppGlobalOauthSettings.consumerKey); a key found nowhere is weighed below.
  evidence: 'documented',
  run(ctx) {
    const ins = inspection(ctx);
    if (!ins) return undefined;
    const skipped = otherOrgSkip(ins) ?? (ins.app ? undefined : skipFor(ins, ['apps']));
    if (skipped) return skipped;
    const clientId = (ctx.inputs.clientId?.value ?? '').trim();
    const searched = `${ins.appsSearched.connectedApps} Connected App(s) and ${ins.appsSearched.externalClientApps} External Client App(s)`;
    const app = ins.app;
    if (app) {
      return { status: 'pass', detail: text('detail.appFound', { appName: app.name, appLabel: app.label ?? app.name, appKind: kindName(app), appId: app.id ?? '?', searched }) };
    }
    const orgName = ins.org?.name ?? ins.orgId ?? 'the org';
    // Metadata shows no consumer key for packaged apps, nor for External Client Apps without "Allow Access to OAuth
    // Consumer Secrets via Metadata API" (Metadata API: ConnectedApp, ExtlClntAppGlobalOauthSettings), so "no app
    // has this key" is only as good as what the org's own token endpoint said about the key.
    const own = ownAnswer(ctx, ins.myDomainUrl);
    if (own && !keyUnknown(own.id)) {
      return { status: 'warn', evidence: 'observed', rulesOut: ['CLIENT_ID_INVALID'], detail: text('detail.appKeyKnown', { clientId, orgName, answer: own.text, host: own.host, searched }) };
    }
    const close = findClose(ins, clientId);
    if (close) {
      const params = { appName: close, clientId, orgName };
      return fail(ctx, text('detail.appKeyTypo', { ...params, searched }), { code: 'CLIENT_ID_INVALID', fix: 'admin-client-id-typo', params, summary: `No app in ${orgName} has consumer key ${clientId}; it differs in a few characters from ${close}'s key (a copy error).` });
    }
    const holder = certificateHolder(ins, ctx.facts.key?.fingerprint);
    if (holder) {
      const params = { rightApp: holder.name, rightAppKind: holder.kind === 'ConnectedApp' ? 'Connected App' : 'External Client App', clientId, orgName };
      const outcome = fail(ctx, text('detail.appKeyWrongApp', { ...params, searched }), { code: 'WRONG_APP', fix: 'admin-wrong-app', params, alternatives: ['CLIENT_ID_INVALID'], summary: `No app in ${orgName} has consumer key ${clientId}, but ${holder.name} holds the certificate of this private key: use ${holder.name}'s consumer key.`, ...(own ? {} : { confidence: 'likely' as const }) });
      // documented (the certificate on another app) once the org's own endpoint said the key is unknown; else inferred.
      return own ? outcome : { ...outcome, evidence: 'inferred' };
    }
    const params = { clientId, orgName };
    const unknown = fail(ctx, text('detail.appKeyUnknown', { ...params, searched }), { code: 'CLIENT_ID_INVALID', fix: 'admin-client-id-unknown', params, summary: `No Connected App or External Client App in ${orgName} has consumer key ${clientId}.`, ...(own ? {} : { confidence: 'likely' as const, alternatives: ['WRONG_APP', 'INSTANCE_URL_INVALID'] }) });
    // observed: the org's own token endpoint said "client identifier invalid"; without its answer, metadata alone is inferred.
    return { ...unknown, evidence: own ? 'observed' : 'inferred' };
  },
};

/** Answers of the token endpoint (causes.ts catalogue ids) that say it knows no app with this consumer key. */
const keyUnknown = (id: string): boolean => id === 'client-id-invalid' || id === 'eca-not-installed';

/** The org's own token endpoint's (its My Domain's) most telling answer in this run, if it gave one. */
function ownAnswer(ctx: DoctorContext, myDomainUrl: string | undefined): { id: string; text: string; host: string } | undefined {
  const given = ctx.facts.url;
  const answers = answersAt(ctx, [myDomainUrl, given && !['login', 'test'].includes(given.kind) ? given.href : undefined]);
  const issued = answers.find((d) => d.outcome === 'success');
  if (issued) return { id: 'token', text: 'a token', host: new URL(issued.loginUrl).host };
  const best = mostSpecific(answers);
  return best ? { id: best.entry.id, text: `"${best.answer.errorDescription ?? best.answer.error ?? ''}"`, host: new URL(best.answer.loginUrl).host } : undefined;
}

/** The name of an app whose (known) consumer key is a near copy of the given one. */
function findClose(ins: OrgInspection, clientId: string): string | undefined {
  return ins.appKeys?.find((k) => nearlySame(k.consumerKey, clientId))?.name;
}
