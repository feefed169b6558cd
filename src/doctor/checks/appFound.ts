/*
 * app.found: the Connected App or External Client App whose consumer key is --client-id, found by every independent
 * route the org offers, each named in the detail: its consumer key in its metadata (readMetadata returns it only for
 * apps created in this org, and for ECAs only with "Allow Access to OAuth Consumer Secrets via Metadata API"); its
 * ConnectedApplication / ExternalClientApplication row (the id, by query); the user's OauthToken rows naming it; the
 * token endpoint at the org's own host, whose answer says whether the org knows the key at all.
 * Not found: a key that differs from an app's key in a few characters is a copy error (CLIENT_ID_INVALID); a key of no
 * app, while some app holds this private key's certificate, is the wrong app's key (WRONG_APP); otherwise the key is
 * not this org's. Those are `confirmed` only when the org's own token endpoint said "client identifier invalid".
 */
import type { CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import { text } from '../text.js';
import type { AppCertificate, AppFacts, OrgInspection } from '../../salesforce/inspection.js';
import {
  appGuessed,
  fail,
  keyAtOrgHost,
  type KeyAtOrgHost,
  kindName,
  list,
  orgCheck,
  skipFor,
} from './adminSupport.js';

/** Shares most of its characters, at the ends, with the given key: a truncated, extended or mistyped copy. */
export function nearlySame(a: string, b: string): boolean {
  if (!a || !b || a === b) return false;
  let prefix = 0;
  while (prefix < Math.min(a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < Math.min(a.length, b.length) - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix])
    suffix++;
  return prefix + suffix >= 0.6 * Math.max(a.length, b.length) && Math.abs(a.length - b.length) <= 12;
}

/** The app holding the certificate of the key being used, if any. */
export function certificateHolder(
  ins: OrgInspection,
  fingerprint: string | undefined,
  except?: string,
): AppCertificate | undefined {
  return fingerprint ? ins.certificates.find((c) => c.fingerprint === fingerprint && c.name !== except) : undefined;
}

/** The routes that found the app, in words (messages: route.*). */
function routes(ins: OrgInspection, app: AppFacts, key: KeyAtOrgHost | undefined): string {
  const params = {
    appId: app.id ?? '?',
    record: app.kind === 'ConnectedApp' ? 'ConnectedApplication' : 'ExternalClientApplication',
    username: ins.user?.username ?? 'the user',
    host: key?.host ?? '',
    answer: key?.answer ?? '',
  };
  const found = [...(app.foundBy ?? []), ...(key?.knows ? ['tokenEndpoint'] : [])];
  return found.map((r) => text(`route.${r}`, params)).join('; ');
}

/** Why an app's consumer key could not be read, and what would let the doctor read it. */
export function keyUnreadableReason(ins: OrgInspection, app: AppFacts): { reason: string; unlock: string } {
  const why = app.keyUnreadable ?? 'not-returned';
  const params = {
    appName: app.name,
    appLabel: app.label ?? app.name,
    namespace: app.namespacePrefix ? ` (namespace ${app.namespacePrefix})` : '',
    adminUser: ins.adminUsername ?? ins.adminOrg,
  };
  const unlock =
    why === 'eca-setting'
      ? 'unlock.ecaSetting'
      : app.kind === 'ExternalClientApp'
        ? 'unlock.ecaPackaged'
        : 'unlock.packaged';
  return { reason: text(`reason.keyUnreadable.${why}`, params), unlock: text(unlock, params) };
}

function foundDetail(ctx: DoctorContext, ins: OrgInspection, app: AppFacts, searched: string): CheckOutcome {
  const key = keyAtOrgHost(ctx, ins);
  const params = {
    appName: app.name,
    appLabel: app.label ?? app.name,
    appKind: kindName(app),
    appId: app.id ?? '?',
    searched,
    routes: routes(ins, app, key),
    clientId: (ctx.inputs.clientId?.value ?? '').trim(),
  };
  if (!appGuessed(ins)) return { status: 'pass', detail: text('detail.appFound', params) };
  const { reason, unlock } = keyUnreadableReason(ins, app);
  // Only the org's own answer makes the guess safe to build on; without it the app is named, not vouched for.
  return {
    status: key?.knows ? 'pass' : 'warn',
    evidence: key?.knows ? 'observed' : 'inferred',
    detail: text('detail.appFoundLikely', { ...params, reason, unlock }),
  };
}

export const appFound = orgCheck(
  // documented: an app's consumer key from metadata (Metadata API: ConnectedAppOauthConfig.consumerKey,
  // ExtlClntAppGlobalOauthSettings.consumerKey); a key found nowhere is weighed against the org's own token endpoint.
  { id: 'app.found', group: 'app', needs: ['org.connection'], evidence: 'documented' },
  (ins) => (ins.app ? undefined : skipFor(ins, ['apps'])),
  (ctx, ins) => {
    const clientId = (ctx.inputs.clientId?.value ?? '').trim();
    const searched = text('phrase.appFound.searched', {
      connectedApps: ins.appsSearched.connectedApps,
      externalClientApps: ins.appsSearched.externalClientApps,
    });
    const key = keyAtOrgHost(ctx, ins);
    if (ins.app && !(key && !key.knows && appGuessed(ins))) return foundDetail(ctx, ins, ins.app, searched);
    // The org's own token endpoint does not know the key: no keyless app can be its owner.
    if (ins.app) ins.app = undefined;
    const orgName = ins.org?.name ?? ins.orgId ?? 'the org';
    const observed =
      key && !key.knows ? `\n${text('detail.appKeyUnknownAtHost', { host: key.host, answer: key.answer })}` : '';
    const keyless = ins.keylessApps ?? [];
    const unread = keyless.length
      ? `\n${text('detail.appKeysUnread', { apps: list(keyless.map((a) => `${a.name} (${keyUnreadableReason(ins, a).reason})`)) })}`
      : '';
    if (key?.knows) {
      // The org knows the key, yet no key read is it: it is one of the apps whose key could not be read (or unlisted).
      const detail =
        text('detail.appKeyKnownNotRead', { clientId, host: key.host, answer: key.answer, searched }) + unread;
      return { status: 'warn', evidence: 'observed', rulesOut: ['CLIENT_ID_INVALID'], detail };
    }
    // observed: the org's own token endpoint said "client identifier invalid"; without its answer, metadata alone is
    // no proof (packaged apps and gated ECAs show no key), so the finding is inferred and likely.
    const confidence = observed ? 'confirmed' : 'likely';
    const evidence = observed ? ('observed' as const) : ('inferred' as const);
    const hint = `${observed}${unread}` || `\n${text('detail.appNotObserved')}`;
    const close = findClose(ins, clientId);
    if (close) {
      const params = { appName: close, clientId, orgName };
      return {
        ...fail(ctx, text('detail.appKeyTypo', { ...params, searched }) + hint, {
          code: 'CLIENT_ID_INVALID',
          fix: 'admin-client-id-typo',
          params,
          confidence,
          summary: text('summary.appFound.closeKey', { orgName, clientId, close }),
        }),
        evidence,
      };
    }
    const holder = certificateHolder(ins, ctx.facts.key?.fingerprint);
    if (holder) {
      const params = {
        rightApp: holder.name,
        rightAppLabel: holder.label ?? holder.name,
        rightAppKind: holder.kind === 'ConnectedApp' ? 'Connected App' : 'External Client App',
        clientId,
        orgName,
      };
      // The holder's own key unread: --client-id may be a damaged copy of it as well as another app's key.
      const holderKeyless = keyless.some((a) => a.name === holder.name && a.kind === holder.kind);
      const [code, alternatives] = holderKeyless
        ? (['CLIENT_ID_INVALID', ['WRONG_APP']] as const)
        : (['WRONG_APP', ['CLIENT_ID_INVALID']] as const);
      // documented (the certificate on another app) once the org's own endpoint said the key is unknown; else inferred.
      return {
        ...fail(ctx, text('detail.appKeyWrongApp', { ...params, searched }) + hint, {
          code,
          fix: 'admin-wrong-app',
          params,
          confidence,
          alternatives: [...alternatives],
          summary: text('summary.appFound.keyHolder', { orgName, clientId, name: holder.name }),
        }),
        evidence: observed ? 'documented' : 'inferred',
      };
    }
    const params = { clientId, orgName };
    return {
      ...fail(ctx, text('detail.appKeyUnknown', { ...params, searched }) + hint, {
        code: 'CLIENT_ID_INVALID',
        fix: 'admin-client-id-unknown',
        params,
        confidence,
        alternatives: observed ? [] : ['WRONG_APP', 'INSTANCE_URL_INVALID'],
        summary: text('summary.appFound.noApp', { orgName, clientId }),
      }),
      evidence,
    };
  },
);

/** The name of an app whose (known) consumer key is a near copy of the given one. */
function findClose(ins: OrgInspection, clientId: string): string | undefined {
  return ins.appKeys?.find((k) => nearlySame(k.consumerKey, clientId))?.name;
}
