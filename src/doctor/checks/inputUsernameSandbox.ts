/*
 * input.username-sandbox: a sandbox copies production users with the sandbox name appended (user@acme.com becomes
 * user@acme.com.uat), so a production username against a sandbox URL, or the reverse, names a user that does not
 * exist there. Salesforce then answers with an error that does not say so; this check says which username is likely.
 */
import type { Check } from '../check.js';
import { likelyIntended } from '../../knowledge/username.js';
import { text } from '../text.js';

export const inputUsernameSandbox: Check = {
  id: 'input.username-sandbox',
  group: 'inputs',
  needs: ['input.username', 'url.parse'],
  mode: 'local',
  // documented: a sandbox appends .<sandbox name> to copied usernames (Help: Sandbox Licenses and Storage Limits by Type / Create a Sandbox).
  evidence: 'documented',
  run(ctx) {
    const username = ctx.inputs.username?.value.trim();
    const url = ctx.facts.url;
    if (!username || !url?.valid || url.orgKind === 'unknown' || url.orgKind === 'scratch') return undefined;
    const intended = likelyIntended(username, url);
    if (!intended) {
      const detail = url.sandboxName
        ? text('detail.inputUsernameSandbox.endsWithSandbox', { username, sandboxName: url.sandboxName })
        : text('detail.inputUsernameSandbox.fits', { username });
      return { status: 'pass', detail };
    }
    const params = {
      suggestedUsername: intended.suggestedUsername ?? '',
      suggestedUrl: intended.suggestedUrl ?? 'https://test.salesforce.com',
    };
    if (intended.reason === 'production-url-suffixed-username') {
      const orUrl = intended.suggestedUrl
        ? text('phrase.inputUsernameSandbox.orUrl', { suggestedUrl: intended.suggestedUrl })
        : '';
      return {
        status: 'warn',
        detail: text('detail.inputUsernameSandbox.suffixedOnProduction', {
          username,
          hostname: url.hostname,
          orgKind: url.orgKind,
          suggestedUsername: intended.suggestedUsername,
          orUrl,
        }),
        cause: {
          code: 'USER_NOT_FOUND',
          confidence: 'likely',
          weight: 35,
          summary: text('summary.inputUsernameSandbox.suffixedOnProduction', { username, orgKind: url.orgKind }),
          fix: 'username-production-suffix',
          params,
        },
      };
    }
    const detail =
      intended.reason === 'sandbox-suffix-mismatch'
        ? text('detail.inputUsernameSandbox.otherSandbox', {
            username,
            hostname: url.hostname,
            sandboxName: url.sandboxName,
            suggestedUsername: intended.suggestedUsername,
          })
        : text('detail.inputUsernameSandbox.missingSuffix', {
            hostname: url.hostname,
            sandboxName: url.sandboxName,
            suggestedUsername: intended.suggestedUsername,
          });
    return {
      status: 'warn',
      detail,
      cause: {
        code: 'USER_NOT_FOUND',
        confidence: 'likely',
        weight: 35,
        summary: text('summary.inputUsernameSandbox.otherSandbox', {
          username,
          sandboxName: url.sandboxName,
          suggestedUsername: intended.suggestedUsername,
        }),
        fix:
          intended.reason === 'sandbox-suffix-mismatch'
            ? 'username-sandbox-suffix-mismatch'
            : 'username-sandbox-suffix',
        params,
      },
    };
  },
};
