/*
 * probe.api: what the org says when the token is used. The probe makes sf's first call after a login (core's
 * determineIfDevHub query) with the token sf would get, then revokes it. A token the API refuses is a login sf cannot
 * use: the org or the user has no API access (403 API_DISABLED_FOR_ORG), or the session is refused outright (401: a
 * High Assurance requirement, an app API Access Control does not allow). sf's own login "works" in both cases — core
 * swallows the errors of its first calls — and every command after it fails.
 */
import type { Check, CheckOutcome } from '../check.js';
import { text } from '../text.js';
import type { ApiUse } from '../../salesforce/probe.js';

/** The REST API's answer for an org or a user without API access (salesforcedx-vscode#2387). */
export function apiDisabled(use: ApiUse): boolean {
  return use.errorCode === 'API_DISABLED_FOR_ORG' || /api is not enabled/i.test(use.message ?? '');
}

/** The API refused the session and the doctor's own revoke cannot have caused it. */
export function apiRefused(use: ApiUse | undefined): boolean {
  if (use?.outcome !== 'refused') return false;
  return apiDisabled(use) || !use.raced;
}

export const probeApiCheck: Check = {
  id: 'probe.api',
  group: 'token',
  needs: ['probe.token'],
  mode: 'network',
  // observed: the org's own answer to the session.
  evidence: 'observed',
  probe: 'answers',
  run(ctx): CheckOutcome | undefined {
    const use = ctx.facts.probe?.use;
    if (!use) return undefined;
    const params = {
      host: use.host ?? '',
      status: String(use.httpStatus ?? ''),
      errorCode: use.errorCode ?? '',
      message: use.message ?? '',
      username: ctx.inputs.username?.value ?? '',
    };
    if (use.outcome === 'ok')
      return { status: 'pass', detail: text(use.isDevHub ? 'detail.apiUsableDevHub' : 'detail.apiUsable', params) };
    if (use.outcome === 'not-sent') return { status: 'skip', detail: text('detail.apiNotSent', params) };
    if (use.outcome === 'refused' && apiDisabled(use)) {
      return {
        status: 'fail',
        detail: text('detail.apiDisabled', params),
        cause: {
          code: 'API_DISABLED',
          confidence: 'confirmed',
          alternatives: [],
          weight: 70,
          params,
          summary: text('summary.apiDisabled', params),
        },
      };
    }
    if (use.outcome === 'refused' && !use.raced) {
      return {
        status: 'fail',
        detail: text('detail.apiRefused', params),
        cause: {
          code: 'TOKEN_UNUSABLE',
          confidence: 'likely',
          alternatives: ['HIGH_ASSURANCE_REQUIRED', 'API_DISABLED'],
          weight: 70,
          fix: 'api-refused',
          params,
          summary: text('summary.apiRefused', params),
        },
      };
    }
    // A 401 while the revoke went out too, an unexpected status, or no answer: the call decides nothing.
    return {
      status: 'warn',
      detail: text(use.outcome === 'refused' ? 'detail.apiRaced' : 'detail.apiUnclear', params),
    };
  },
};
