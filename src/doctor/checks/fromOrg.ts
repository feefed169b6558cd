/*
 * --from-org: the stored authorization exists, is a JWT one, and still points at a key file that exists. A key that
 * moved is the classic cause of a JWT org that "suddenly" fails in every command (sf refreshes with the stored path).
 */
import type { Check } from '../check.js';

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
    const params = { fromOrg: auth.requested, authFile: auth.authFileDisplay ?? '', keyPath: auth.privateKeyPath ?? '' };
    if (!auth.found) {
      return {
        status: 'fail',
        detail: `No stored authorization named "${auth.requested}" (no alias or auth file for it under ~/.sfdx).`,
        cause: { code: 'STORED_AUTH_INVALID', confidence: 'confirmed', weight: 95, fix: 'from-org-not-found', params, summary: `--from-org ${auth.requested} names no stored authorization.` },
      };
    }
    if (auth.error) {
      return {
        status: 'fail',
        detail: `${auth.authFileDisplay} cannot be read: ${auth.error}.`,
        cause: { code: 'STORED_AUTH_INVALID', confidence: 'confirmed', weight: 95, fix: 'from-org-not-found', params, summary: `The stored authorization ${auth.authFileDisplay} is damaged.` },
      };
    }
    if (!auth.isJwt) {
      return {
        status: 'fail',
        detail: `${auth.username} is stored as a web or refresh-token login, not a JWT one: it has no key file and client id to diagnose.`,
        cause: { code: 'STORED_AUTH_INVALID', confidence: 'confirmed', weight: 95, fix: 'from-org-not-jwt', params, summary: `${auth.username} is not a JWT authorization.` },
      };
    }
    if (auth.keyPathExists === false) {
      return {
        status: 'fail',
        detail: `${auth.authFileDisplay} points at the key file ${auth.privateKeyPath}, which no longer exists. sf re-signs with that path on every token refresh, so every command for this org fails.`,
        cause: { code: 'KEY_FILE_MISSING', confidence: 'confirmed', weight: 95, fix: 'from-org-stale-key', params, summary: `The stored JWT login for ${auth.username} points at a key file that no longer exists.` },
      };
    }
    return {
      status: 'pass',
      detail: `${auth.username}${auth.alias ? ` (alias ${auth.alias})` : ''}: JWT login with client id ${auth.clientId}, key ${auth.privateKeyPath}, login URL ${auth.loginUrl}.`,
    };
  },
};
