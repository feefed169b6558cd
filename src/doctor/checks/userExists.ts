/*
 * user.exists: a user whose username equals --username exactly (the `sub` claim is matched exactly). If none, the
 * likely intended one from the same query: trimmed, other case, with or without the sandbox suffix, or renamed.
 */
import { text } from '../text.js';
import type { UserFacts } from '../../salesforce/inspection.js';
import { inspectUsername } from '../../knowledge/username.js';
import { fail, orgCheck, skipFor } from './adminSupport.js';

function why(given: string, candidate: UserFacts): string {
  const cleaned = inspectUsername(given).cleaned ?? given.trim();
  if (candidate.username === cleaned) return text('reason.userCleaned');
  if (candidate.username.toLowerCase() === cleaned.toLowerCase()) return text('reason.userCase');
  if (candidate.username.toLowerCase().startsWith(`${cleaned.toLowerCase()}.`)) return text('reason.userSandboxSuffix');
  if (cleaned.toLowerCase().startsWith(`${candidate.username.toLowerCase()}.`))
    return text('reason.userNoSandboxSuffix');
  return text('reason.userRenamed');
}

function describe(u: UserFacts): string {
  return `${u.username} (${u.name ?? '?'}, ${u.isActive ? 'active' : 'inactive'}, profile ${u.profileName ?? '?'}, ${u.userType ?? '?'} user)`;
}

export const userExists = orgCheck(
  // documented: User rows by Username (Object Reference: User).
  { id: 'user.exists', group: 'user', needs: ['org.connection'], evidence: 'documented' },
  (ins) => skipFor(ins, ['user']),
  (ctx, ins) => {
    const given = ctx.inputs.username?.value ?? '';
    const orgName = ins.org?.name ?? ins.orgId ?? 'the org';
    if (ins.user)
      return {
        status: 'pass',
        detail: text('detail.userFound', { user: describe(ins.user) }),
        rulesOut: ['USER_NOT_FOUND'],
      };
    const best = ins.similarUsers[0];
    if (!best) {
      const params = { orgName, given };
      return fail(ctx, text('detail.userMissing', params), {
        code: 'USER_NOT_FOUND',
        fix: 'admin-user-missing',
        params,
        summary: text('summary.userExists.noUser', { givenUsername: JSON.stringify(given), orgName }),
      });
    }
    const reason = why(given, best);
    const whitespaceOnly =
      best.username === (inspectUsername(given).cleaned ?? given.trim()) && best.username !== given;
    const params = {
      orgName,
      given,
      suggestedUsername: best.username,
      reason,
      others: ins.similarUsers
        .slice(1, 4)
        .map((u) => u.username)
        .join(', '),
    };
    // The other similar usernames only when there are some.
    const detail = [
      text('detail.userDidYouMean', { ...params, user: describe(best) }),
      ...(params.others ? [text('detail.userOthers', params)] : []),
    ].join(' ');
    return fail(ctx, detail, {
      code: whitespaceOnly ? 'USERNAME_MALFORMED' : 'USER_NOT_FOUND',
      fix: 'admin-user-did-you-mean',
      params,
      summary: text('summary.userExists.didYouMean', {
        givenUsername: JSON.stringify(given),
        orgName,
        username: best.username,
        reason,
      }),
    });
  },
);
