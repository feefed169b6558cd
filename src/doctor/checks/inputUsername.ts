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
    .map(
      (c) =>
        `${c.codePoint} ${c.name} at position ${c.index + 1}${c.looksLike ? ` (looks like "${c.looksLike}")` : ''}`,
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
        'No username was given.',
        'No username: sf needs --username (the user the JWT logs in as).',
        params,
      );
    }
    if (f.invisible.length > 0) {
      const chars = listChars(f.invisible);
      return fail(
        'username-invisible',
        `The username ${shown} contains invisible characters.`,
        `${shown} contains invisible characters: ${chars}. Salesforce compares usernames exactly, so no user matches.`,
        { ...params, characters: chars },
      );
    }
    if (f.lookalikes.length > 0) {
      const chars = listChars(f.lookalikes);
      return fail(
        'username-lookalike',
        `The username ${shown} contains look-alike Unicode characters.`,
        `${shown} contains characters that only look like ASCII: ${chars}. Salesforce usernames are plain ASCII addresses, so no user matches.`,
        { ...params, characters: chars },
      );
    }
    if (f.quoted) {
      return fail(
        'username-quoted',
        `The username ${shown} includes quote characters.`,
        `${shown} starts and ends with quotes, which became part of the value (a quoted CI variable or YAML string).`,
        params,
      );
    }
    if (f.leadingOrTrailingWhitespace) {
      return fail(
        'username-whitespace',
        `The username ${shown} has leading or trailing whitespace.`,
        `${shown} has leading or trailing whitespace; sf sends it as-is in the JWT "sub" claim and Salesforce finds no such user.`,
        params,
      );
    }
    if (f.urlEscaped) {
      return fail(
        'username-url-escaped',
        `The username ${shown} is URL-escaped.`,
        `${shown} contains URL escapes (%40 is "@"); the "sub" claim needs the raw username ${JSON.stringify(f.cleaned)}.`,
        params,
      );
    }
    if (f.looksLikeAlias) {
      return fail(
        'username-is-alias',
        `${shown} is not a username.`,
        `${shown} has no "@": it looks like an alias or org name. sf org login jwt needs the Salesforce username (user@example.com), not an alias.`,
        params,
      );
    }
    if (!f.wellShaped) {
      return fail(
        'username-shape',
        `${shown} is not shaped like a Salesforce username.`,
        `${shown} is not shaped like a Salesforce username (local@domain.tld, optionally followed by a sandbox name such as .uat).`,
        params,
      );
    }
    if (username !== username?.toLowerCase()) {
      // Salesforce keeps usernames in lower case; a case-insensitive match of `sub` is not documented (reference §1.4:
      // treat it as no match). A token issued to this spelling rules this out (probe.token).
      const lower = username!.trim().toLowerCase();
      return {
        status: 'warn',
        detail: text('detail.inputUsername', { shown, lower }),
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
      return { status: 'warn', detail: text('detail.inputUsername.2', { shown, value: listChars(f.otherNonAscii) }) };
    }
    return { status: 'pass', detail: text('detail.inputUsername.3', { username }) };
  },
};
