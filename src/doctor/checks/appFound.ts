/*
 * app.found: the Connected App or External Client App whose consumer key is --client-id. Not found: a key that
 * differs from an app's key in a few characters is a copy error (CLIENT_ID_INVALID); a key of no app, while some app
 * holds this private key's certificate, is the wrong app's key (WRONG_APP); otherwise the key is not this org's.
 */
import type { Check } from '../check.js';
import { text } from '../text.js';
import type { AppCertificate, OrgInspection } from '../../salesforce/inspection.js';
import { fail, inspection, kindName, otherOrgSkip, skipFor } from './adminSupport.js';

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
    const close = findClose(ins, clientId);
    if (close) {
      const params = { appName: close, clientId, orgName };
      return fail(ctx, text('detail.appKeyTypo', { ...params, searched }), { code: 'CLIENT_ID_INVALID', fix: 'admin-client-id-typo', params, summary: `No app in ${orgName} has consumer key ${clientId}; it differs in a few characters from ${close}'s key (a copy error).` });
    }
    const holder = certificateHolder(ins, ctx.facts.key?.fingerprint);
    if (holder) {
      const params = { rightApp: holder.name, rightAppKind: holder.kind === 'ConnectedApp' ? 'Connected App' : 'External Client App', clientId, orgName };
      return fail(ctx, text('detail.appKeyWrongApp', { ...params, searched }), { code: 'WRONG_APP', fix: 'admin-wrong-app', params, alternatives: ['CLIENT_ID_INVALID'], summary: `No app in ${orgName} has consumer key ${clientId}, but ${holder.name} holds the certificate of this private key: use ${holder.name}'s consumer key.` });
    }
    const params = { clientId, orgName };
    return fail(ctx, text('detail.appKeyUnknown', { ...params, searched }), { code: 'CLIENT_ID_INVALID', fix: 'admin-client-id-unknown', params, summary: `No Connected App or External Client App in ${orgName} has consumer key ${clientId}.` });
  },
};

/** The name of an app whose (known) consumer key is a near copy of the given one. */
function findClose(ins: OrgInspection, clientId: string): string | undefined {
  return ins.appKeys?.find((k) => nearlySame(k.consumerKey, clientId))?.name;
}
