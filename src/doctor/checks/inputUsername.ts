/*
 * input.username: the `sub` claim must equal a username exactly, so anything a copy-paste or a CI variable added to it
 * (whitespace, quotes, zero-width characters, look-alike letters, %40) makes Salesforce answer with an unrelated error.
 */
import type { Check, CheckOutcome } from '../check.js';
import { inspectUsername, visibleUsername, type CharFinding } from '../../knowledge/username.js';
import { text } from '../text.js';

const WEIGHT = 90;

function listChars(chars: CharFinding[]): string {
  return chars
    .map((c) =>
      text('phrase.inputUsername.character', {
        codePoint: c.codePoint,
        name: c.name,
        position: c.index + 1,
        looksLike: c.looksLike ? ' ' + text('phrase.inputUsername.looksLike', { char: c.looksLike }) : '',
      }),
    )
    .join('; ');
}

function fail(fix: string, summary: string, detail: string, params: Record<string, string>): CheckOutcome {
  return {
    status: 'fail',
    detail,
    cause: { code: 'USERNAME_MALFORMED', confidence: 'confirmed', weight: WEIGHT, summary, fix, params },
  };
}

export const inputUsername: Check = {
  id: 'input.username',
  group: 'inputs',
  needs: [],
  mode: 'local',
  // documented: `sub` must be the user's username (Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration); no source says Salesforce trims or folds it.
  evidence: 'documented',
  run(ctx) {
    const username = ctx.inputs.username?.value;
    const f = inspectUsername(username);
    const shown = visibleUsername(username ?? '');
    const params = { suggestedUsername: f.cleaned ?? '' };
    if (f.empty) {
      return fail(
        'username-missing',
        text('summary.inputUsername.missing'),
        text('detail.inputUsername.missing'),
        params,
      );
    }
    if (f.invisible.length > 0) {
      const chars = listChars(f.invisible);
      return fail(
        'username-invisible',
        text('summary.inputUsername.invisible', { shown }),
        text('detail.inputUsername.invisible', { shown, characters: chars }),
        { ...params, characters: chars },
      );
    }
    if (f.lookalikes.length > 0) {
      const chars = listChars(f.lookalikes);
      return fail(
        'username-lookalike',
        text('summary.inputUsername.lookalike', { shown }),
        text('detail.inputUsername.lookalike', { shown, characters: chars }),
        { ...params, characters: chars },
      );
    }
    if (f.quoted) {
      return fail(
        'username-quoted',
        text('summary.inputUsername.quoted', { shown }),
        text('detail.inputUsername.quoted', { shown }),
        params,
      );
    }
    if (f.leadingOrTrailingWhitespace) {
      return fail(
        'username-whitespace',
        text('summary.inputUsername.whitespace', { shown }),
        text('detail.inputUsername.whitespace', { shown }),
        params,
      );
    }
    if (f.urlEscaped) {
      return fail(
        'username-url-escaped',
        text('summary.inputUsername.urlEscaped', { shown }),
        text('detail.inputUsername.urlEscaped', { shown, cleaned: JSON.stringify(f.cleaned) }),
        params,
      );
    }
    if (f.looksLikeAlias) {
      return fail(
        'username-is-alias',
        text('summary.inputUsername.alias', { shown }),
        text('detail.inputUsername.alias', { shown }),
        params,
      );
    }
    if (!f.wellShaped) {
      return fail(
        'username-shape',
        text('summary.inputUsername.shape', { shown }),
        text('detail.inputUsername.shape', { shown }),
        params,
      );
    }
    if (username !== username?.toLowerCase()) {
      // Salesforce keeps usernames in lower case; a case-insensitive match of `sub` is not documented (reference §1.4:
      // treat it as no match). A token issued to this spelling rules this out (probe.token).
      const lower = username!.trim().toLowerCase();
      return {
        status: 'warn',
        detail: text('detail.inputUsername.upperCase', { shown, lower }),
        cause: {
          code: 'USER_NOT_FOUND',
          confidence: 'likely',
          weight: 30,
          summary: text('summary.inputUsername.USER_NOT_FOUND', { shown, lower }),
          fix: 'username-case',
          params: { suggestedUsername: lower },
        },
      };
    }
    if (f.otherNonAscii.length > 0) {
      return {
        status: 'warn',
        detail: text('detail.inputUsername.nonAscii', { shown, characters: listChars(f.otherNonAscii) }),
      };
    }
    return { status: 'pass', detail: text('detail.inputUsername.wellShaped', { username }) };
  },
};
