/*
 * --from-org: the stored authorization exists, is a JWT one, and still points at a key file that exists. A key that
 * moved is the classic cause of a JWT org that "suddenly" fails in every command (sf refreshes with the stored path).
 */
import { proposing, type Check, type CheckOutcome } from '../check.js';
import type { StoredAuthFacts } from '../../salesforce/storedAuth.js';
import { text } from '../text.js';

/** The stored authorization cannot serve the login: a confirmed STORED_AUTH_INVALID with its fix. */
function storedAuthInvalid(
  detail: string,
  { fix, summary }: { fix: string; summary: string },
  params: Record<string, string>,
): CheckOutcome {
  return proposing('fail', detail, 'STORED_AUTH_INVALID', 'confirmed', 95, { fix, params, summary });
}

/** Why sf cannot use the stored authorization at all (`detail|summary.fromOrg.<kind>`), if it cannot. */
function unusableAuth(auth: StoredAuthFacts): { kind: string; fix: string } | undefined {
  if (!auth.found) return { kind: 'notFound', fix: 'from-org-not-found' };
  if (auth.error) return { kind: 'unreadable', fix: 'from-org-not-found' };
  if (!auth.isJwt) return { kind: 'notJwt', fix: 'from-org-not-jwt' };
  return undefined;
}

export const fromOrgCheck: Check = {
  id: 'input.from-org',
  group: 'inputs',
  needs: [],
  mode: 'local',
  // observed: the stored authorization is read the way sf reads it (alias file, auth file, key path on disk).
  evidence: 'observed',
  run(ctx) {
    const auth = ctx.facts.storedAuth;
    if (!ctx.inputs.fromOrg || !auth) return undefined;
    const params = {
      fromOrg: auth.requested,
      authFile: auth.authFileDisplay ?? '',
      keyPath: auth.privateKeyPath ?? '',
    };
    const unusable = unusableAuth(auth);
    if (unusable) {
      const values = { requested: auth.requested, authFileDisplay: auth.authFileDisplay, error: auth.error };
      return storedAuthInvalid(
        text(`detail.fromOrg.${unusable.kind}`, { ...values, username: auth.username }),
        {
          fix: unusable.fix,
          summary: text(`summary.fromOrg.${unusable.kind}`, { ...values, username: auth.username }),
        },
        params,
      );
    }
    if (auth.keyPathExists === false) {
      const detail = text('detail.fromOrg.keyFileGone', {
        authFileDisplay: auth.authFileDisplay,
        privateKeyPath: auth.privateKeyPath,
      });
      return proposing('fail', detail, 'KEY_FILE_MISSING', 'confirmed', 95, {
        fix: 'from-org-stale-key',
        params,
        summary: text('summary.fromOrg.KEY_FILE_MISSING', { username: auth.username }),
      });
    }
    return {
      status: 'pass',
      detail: text('detail.fromOrg.jwtLogin', {
        username: auth.username,
        alias: auth.alias ? ' ' + text('phrase.fromOrg.alias', { alias: auth.alias }) : '',
        clientId: auth.clientId,
        keyFile: auth.privateKeyPath,
        loginUrl: auth.loginUrl,
      }),
    };
  },
};
