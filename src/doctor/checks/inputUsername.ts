/*
 * input.username: the `sub` claim must equal a username exactly, so anything a copy-paste or a CI variable added to it
 * (whitespace, quotes, zero-width characters, look-alike letters, %40) makes Salesforce answer with an unrelated error.
 */
import { proposing, type Check, type CheckOutcome } from '../check.js';
import { inspectUsername, visibleUsername, type CharFinding } from '../../knowledge/username.js';
import { text, type Params } from '../text.js';

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
  return proposing('fail', detail, 'USERNAME_MALFORMED', 'confirmed', WEIGHT, { summary, fix, params });
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
    if (username === undefined && ctx.inputs.fromLog)
      return { status: 'skip', sfGoesOn: true, detail: text('detail.fromLog.notInLog', { input: '--username' }) };
    const f = inspectUsername(username);
    const shown = visibleUsername(username ?? '');
    const params = { suggestedUsername: f.cleaned ?? '' };
    // One finding of the username: its texts are `summary.inputUsername.<kind>` and `detail.inputUsername.<kind>`.
    const finding = (
      kind: string,
      fix: string,
      detail: Params = {},
      extra: Record<string, string> = {},
    ): CheckOutcome =>
      fail(
        fix,
        text(`summary.inputUsername.${kind}`, { shown }),
        text(`detail.inputUsername.${kind}`, { shown, ...detail }),
        { ...params, ...extra },
      );
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
      return finding('invisible', 'username-invisible', { characters: chars }, { characters: chars });
    }
    if (f.lookalikes.length > 0) {
      const chars = listChars(f.lookalikes);
      return finding('lookalike', 'username-lookalike', { characters: chars }, { characters: chars });
    }
    if (f.quoted) {
      return finding('quoted', 'username-quoted');
    }
    if (f.leadingOrTrailingWhitespace) {
      return finding('whitespace', 'username-whitespace');
    }
    if (f.urlEscaped) {
      return finding('urlEscaped', 'username-url-escaped', { cleaned: JSON.stringify(f.cleaned) });
    }
    if (f.looksLikeAlias) {
      return finding('alias', 'username-is-alias');
    }
    if (!f.wellShaped) {
      return finding('shape', 'username-shape');
    }
    if (username !== username?.toLowerCase()) {
      // Salesforce keeps usernames in lower case; a case-insensitive match of `sub` is not documented (reference §1.4:
      // treat it as no match). A token issued to this spelling rules this out (probe.token).
      const lower = username!.trim().toLowerCase();
      const summary = text('summary.inputUsername.USER_NOT_FOUND', { shown, lower });
      const detail = text('detail.inputUsername.upperCase', { shown, lower });
      return proposing('warn', detail, 'USER_NOT_FOUND', 'likely', 30, {
        summary,
        fix: 'username-case',
        params: { suggestedUsername: lower },
      });
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
