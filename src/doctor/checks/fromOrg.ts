/*
 * --from-org: the stored authorization exists, is a JWT one, and still points at a key file that exists. A key that
 * moved is the classic cause of a JWT org that "suddenly" fails in every command (sf refreshes with the stored path).
 */
import type { Check, CheckOutcome } from '../check.js';
import { text } from '../text.js';

/** The stored authorization cannot serve the login: a confirmed STORED_AUTH_INVALID with its fix. */
function storedAuthInvalid(
  detail: string,
  { fix, summary }: { fix: string; summary: string },
  params: Record<string, string>,
): CheckOutcome {
  return {
    status: 'fail',
    detail,
    cause: { code: 'STORED_AUTH_INVALID', confidence: 'confirmed', weight: 95, fix, params, summary },
  };
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
    if (!auth.found) {
      return storedAuthInvalid(
        text('detail.fromOrg.notFound', { requested: auth.requested }),
        {
          fix: 'from-org-not-found',
          summary: text('summary.fromOrg.notFound', { requested: auth.requested }),
        },
        params,
      );
    }
    if (auth.error) {
      return storedAuthInvalid(
        text('detail.fromOrg.unreadable', { authFileDisplay: auth.authFileDisplay, error: auth.error }),
        {
          fix: 'from-org-not-found',
          summary: text('summary.fromOrg.damaged', { authFileDisplay: auth.authFileDisplay }),
        },
        params,
      );
    }
    if (!auth.isJwt) {
      return storedAuthInvalid(
        text('detail.fromOrg.notJwt', { username: auth.username }),
        {
          fix: 'from-org-not-jwt',
          summary: text('summary.fromOrg.notJwt', { username: auth.username }),
        },
        params,
      );
    }
    if (auth.keyPathExists === false) {
      return {
        status: 'fail',
        detail: text('detail.fromOrg.keyFileGone', {
          authFileDisplay: auth.authFileDisplay,
          privateKeyPath: auth.privateKeyPath,
        }),
        cause: {
          code: 'KEY_FILE_MISSING',
          confidence: 'confirmed',
          weight: 95,
          fix: 'from-org-stale-key',
          params,
          summary: text('summary.fromOrg.KEY_FILE_MISSING', { username: auth.username }),
        },
      };
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
