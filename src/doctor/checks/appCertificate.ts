/*
 * app.certificate: the certificate on the app found against the private key being used (public-key fingerprints),
 * and its expiry. A mismatch while another app holds this key's certificate means the key and the client id belong
 * to different apps (WRONG_APP); otherwise the certificate on the app is not this key's (CERT_MISMATCH).
 */
import type { Check } from '../check.js';
import { text } from '../text.js';
import type { AppCertificate, AppFacts, AppUse, OrgInspection } from '../../salesforce/inspection.js';
import { appUse, usable } from '../../knowledge/appUse.js';
import { appParams, fail, inspection, warn } from './adminSupport.js';
import { certificateHolder, keyUnreadableReason } from './appFound.js';

const EXPIRY_WARNING_DAYS = 30;

/**
 * The key file's certificate is on another app than the client id's: which pairing works for this user, by the org's
 * data (pre-authorized or approved for which app), picks the fix — never "replace the certificate" first, since other
 * logins may sign with the key of the certificate the app has now.
 */
function pairing(
  ins: OrgInspection,
  app: AppFacts,
  holder: AppCertificate,
): { fix: string; params: Record<string, string> } {
  const holderApp = ins.apps?.find((a) => a.name === holder.name && a.kind === holder.kind);
  const useApp = appUse(ins, app);
  const useHolder: AppUse = holderApp ? appUse(ins, holderApp) : 'unknown';
  const words = (use: AppUse): string => text(`use.${use}`);
  const params: Record<string, string> = {
    rightApp: holder.name,
    rightAppLabel: holder.label ?? holder.name,
    username: ins.user?.username ?? text('phrase.answer.theUser'),
    appUse: words(useApp),
    rightAppUse: words(useHolder),
  };
  params.bothUses =
    useApp === useHolder
      ? text('use.both', { use: words(useApp) })
      : text('use.each', { ...params, appName: app.name });
  const [a, b] = [usable(useApp), usable(useHolder)];
  const { fix } =
    a && b
      ? { fix: 'admin-wrong-app-either' }
      : b
        ? { fix: 'admin-wrong-app-use-client' }
        : a
          ? { fix: 'admin-wrong-app-use-key' }
          : { fix: 'admin-wrong-app-neither' };
  // This key file with the holder's consumer key, where that pairing works and the org let the key be read: the
  // login line then is the one to run.
  if ((fix === 'admin-wrong-app-either' || fix === 'admin-wrong-app-use-client') && holderApp?.consumerKey)
    params.suggestedClientId = holderApp.consumerKey;
  return { fix, params };
}

export const appCertificate: Check = {
  id: 'app.certificate',
  group: 'app',
  needs: ['app.found'],
  mode: 'admin',
  // documented: the certificate on the app (Metadata API: ConnectedAppOauthConfig.certificate) against this key's public key.
  evidence: 'documented',
  run(ctx) {
    const app = inspection(ctx)?.app;
    const ins = inspection(ctx);
    if (!app || !ins) return undefined;
    const keyPrint = ctx.facts.key?.fingerprint;
    const params = {
      ...appParams(app),
      clientId: (ctx.inputs.clientId?.value ?? '').trim(),
      keyFingerprint: keyPrint ?? 'unknown',
    };
    const holder = certificateHolder(ins, keyPrint, app.name);
    const cert = app.certificate;
    if (!cert && app.keyUnreadable) {
      // Found only as the likely owner of an unreadable key: its certificate came back no more than its key did.
      return {
        status: 'skip',
        detail: text('detail.certNotRead', { ...params, reason: keyUnreadableReason(ins, app).reason }),
      };
    }
    if (!cert || cert.parseError) {
      const detail = cert
        ? text('detail.certUnreadable', { ...params, error: cert.parseError ?? '' })
        : text('detail.certNone', params);
      if (holder) {
        return fail(ctx, detail, {
          code: 'WRONG_APP',
          fix: 'admin-wrong-app-cert',
          params: { ...params, rightApp: holder.name, rightAppLabel: holder.label ?? holder.name },
          summary: text('summary.appCertificate.certificateOnOtherApp', { name: app.name, holderName: holder.name }),
        });
      }
      return fail(ctx, detail, {
        code: 'CERT_MISMATCH',
        fix: 'admin-cert-missing',
        params,
        summary: text('summary.appCertificate.noCertificate', { name: app.name }),
      });
    }
    const certParams = {
      ...params,
      certFingerprint: cert.fingerprint ?? '',
      subject: cert.subject ?? '',
      notAfter: (cert.notAfter ?? '').slice(0, 10),
      daysLeft: String(cert.daysLeft ?? ''),
    };
    if (keyPrint && cert.fingerprint !== keyPrint) {
      const detail = text('detail.certMismatch', certParams);
      if (holder) {
        const pair = pairing(ins, app, holder);
        const lines = [
          detail,
          text('detail.certHolder', { rightApp: holder.name }),
          text('detail.certPairing', { ...certParams, ...pair.params }),
        ];
        return fail(ctx, lines.join('\n'), {
          code: 'WRONG_APP',
          fix: pair.fix,
          params: { ...certParams, ...pair.params },
          alternatives: ['CERT_MISMATCH'],
          summary: text('summary.appCertificate.keyOfOtherApp', { name: app.name, holderName: holder.name }),
        });
      }
      return fail(ctx, detail, {
        code: 'CERT_MISMATCH',
        fix: 'admin-cert-mismatch',
        params: certParams,
        summary: text('summary.appCertificate.certificateMismatch', { name: app.name, subject: cert.subject }),
      });
    }
    const noKey = ctx.inputs.keyless ? 'detail.certNoKeyGiven' : 'detail.certNoKey';
    const matched = keyPrint ? text('detail.certMatches', certParams) : text(noKey, certParams);
    if ((cert.daysLeft ?? 0) < 0) {
      return fail(ctx, `${matched}\n${text('detail.certExpired', certParams)}`, {
        code: 'CERT_EXPIRED',
        fix: 'admin-cert-expired',
        params: certParams,
        summary: text('summary.appCertificate.expired', { name: app.name, notAfter: certParams.notAfter }),
      });
    }
    if ((cert.daysLeft ?? Infinity) < EXPIRY_WARNING_DAYS) {
      return warn(
        `${matched}\n${text('detail.certExpiring', certParams)}`,
        {
          code: 'CERT_EXPIRED',
          fix: 'admin-cert-expiring',
          params: certParams,
          summary: text('summary.appCertificate.expiresSoon', {
            name: app.name,
            daysLeft: certParams.daysLeft,
            notAfter: certParams.notAfter,
          }),
        },
        15,
      );
    }
    // The certificate on this app is the key's and current: a mismatch, an expired certificate or another app's key
    // are disproved.
    return { status: 'pass', detail: matched, rulesOut: ['CERT_MISMATCH', 'CERT_EXPIRED', 'WRONG_APP'] };
  },
};
