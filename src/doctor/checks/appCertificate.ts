/*
 * app.certificate: the certificate on the app found against the private key being used (public-key fingerprints),
 * and its expiry. A mismatch while another app holds this key's certificate means the key and the client id belong
 * to different apps (WRONG_APP); otherwise the certificate on the app is not this key's (CERT_MISMATCH).
 */
import type { Check } from '../check.js';
import { text } from '../text.js';
import { appParams, fail, inspection, warn } from './adminSupport.js';
import { certificateHolder } from './appFound.js';

const EXPIRY_WARNING_DAYS = 30;

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
    const params = { ...appParams(app), clientId: (ctx.inputs.clientId?.value ?? '').trim(), keyFingerprint: keyPrint ?? 'unknown' };
    const holder = certificateHolder(ins, keyPrint, app.name);
    const cert = app.certificate;
    if (!cert || cert.parseError) {
      const detail = cert ? text('detail.certUnreadable', { ...params, error: cert.parseError ?? '' }) : text('detail.certNone', params);
      if (holder) {
        return fail(ctx, detail, { code: 'WRONG_APP', fix: 'admin-wrong-app-cert', params: { ...params, rightApp: holder.name }, summary: `${app.name} has no usable certificate; ${holder.name} holds this key's certificate — the client id is the wrong app's.` });
      }
      return fail(ctx, detail, { code: 'CERT_MISMATCH', fix: 'admin-cert-missing', params, summary: `${app.name} has no usable certificate, so JWT bearer cannot verify any assertion for it.` });
    }
    const certParams = { ...params, certFingerprint: cert.fingerprint ?? '', subject: cert.subject ?? '', notAfter: (cert.notAfter ?? '').slice(0, 10), daysLeft: String(cert.daysLeft ?? '') };
    if (keyPrint && cert.fingerprint !== keyPrint) {
      const detail = text('detail.certMismatch', certParams);
      if (holder) {
        return fail(ctx, `${detail}\n${text('detail.certHolder', { rightApp: holder.name })}`, { code: 'WRONG_APP', fix: 'admin-wrong-app-cert', params: { ...certParams, rightApp: holder.name }, alternatives: ['CERT_MISMATCH'], summary: `--client-id is ${app.name}'s consumer key, but this private key belongs to ${holder.name}.` });
      }
      return fail(ctx, detail, { code: 'CERT_MISMATCH', fix: 'admin-cert-mismatch', params: certParams, summary: `The certificate on ${app.name} (${cert.subject}) is not the certificate of this private key.` });
    }
    const matched = keyPrint ? text('detail.certMatches', certParams) : text('detail.certNoKey', certParams);
    if ((cert.daysLeft ?? 0) < 0) {
      return fail(ctx, `${matched}\n${text('detail.certExpired', certParams)}`, { code: 'CERT_EXPIRED', fix: 'admin-cert-expired', params: certParams, summary: `The certificate on ${app.name} expired on ${certParams.notAfter}.` });
    }
    if ((cert.daysLeft ?? Infinity) < EXPIRY_WARNING_DAYS) {
      return warn(`${matched}\n${text('detail.certExpiring', certParams)}`, { code: 'CERT_EXPIRED', fix: 'admin-cert-expiring', params: certParams, summary: `The certificate on ${app.name} expires in ${certParams.daysLeft} day(s), on ${certParams.notAfter}.` }, 15);
    }
    return { status: 'pass', detail: matched };
  },
};
