/*
 * key.file: the file sf reads with fs.readFile(path, 'utf8'). A missing file makes sf print a raw ENOENT line; an empty
 * one "secretOrPrivateKey must have a value". Permissions do not break the login but expose the key (warn).
 * A pipe (`--jwt-key-file <(echo "$KEY")`) is fine when its data arrives; one that gives nothing would hang sf, and a
 * device (/dev/null, /dev/zero) is named for what it is rather than taken for an empty file.
 */
import { KEY_REMOVED } from '../../knowledge/mask.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { proposing, type Check, type CheckOutcome } from '../check.js';
import type { CauseCode } from '../types.js';
import type { KeyFileFacts } from '../../salesforce/keyFile.js';
import { HUGE_KEY_FILE_BYTES } from '../../knowledge/privateKey.js';
import { text } from '../text.js';

function fail(
  code: CauseCode,
  fix: string,
  summary: string,
  detail: string,
  params?: Record<string, string>,
): CheckOutcome {
  return proposing('fail', detail, code, 'confirmed', 90, { summary, fix, params });
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

/** What each kind of non-file is called (messages/checks.md). */
const SPECIAL_NAMES: Record<string, string> = {
  fifo: 'phrase.keyFile.fifo',
  'character-device': 'phrase.keyFile.characterDevice',
  'block-device': 'phrase.keyFile.blockDevice',
  socket: 'phrase.keyFile.socket',
  other: 'phrase.keyFile.notRegular',
};

/** The key.file outcome for a path that is not a regular file or directory, or undefined to carry on as for a file. */
function special(path: string, facts: KeyFileFacts): CheckOutcome | undefined {
  const type = facts.fileType;
  if (!type || type === 'file' || type === 'directory') return undefined;
  const what = text(SPECIAL_NAMES[type]);
  if (type === 'socket' || type === 'other') {
    return fail(
      'KEY_FILE_MISSING',
      'key-file-special',
      text('summary.keyFile.special', { path, what }),
      text('detail.keyFile.special', { path, what, errorCode: facts.errorCode ? ` (${facts.errorCode})` : '' }),
    );
  }
  if (!facts.readable) return undefined;
  if (facts.noData) {
    const seconds = Math.round((facts.waitedMs ?? 0) / 1000);
    const got = facts.size
      ? text('phrase.keyFile.stoppedAfter', { bytes: facts.size })
      : text('phrase.keyFile.gaveNoData');
    return fail(
      'KEY_INVALID',
      'key-file-no-data',
      text('summary.keyFile.noData', { path, what }),
      text('detail.keyFile.noData', {
        path,
        what: text(type === 'fifo' ? 'phrase.keyFile.pipe' : 'phrase.keyFile.device'),
        got,
        seconds,
      }),
    );
  }
  if (facts.endless) {
    return fail(
      'KEY_INVALID',
      'key-file-special',
      text('summary.keyFile.notKeyFile', { path, what }),
      text(type === 'fifo' ? 'detail.keyFile.endlessPipe' : 'detail.keyFile.endlessDevice', {
        path,
        what,
        kib: HUGE_KEY_FILE_BYTES / 1024,
      }),
    );
  }
  if (type !== 'fifo' && !facts.text?.trim()) {
    return fail(
      'KEY_INVALID',
      'key-file-special',
      text('summary.keyFile.notKeyFile', { path, what }),
      text('detail.keyFile.emptyDevice', { path, what, bytes: facts.size ?? 0 }),
    );
  }
  return undefined;
}

export const keyFile: Check = {
  id: 'key.file',
  group: 'key',
  needs: [],
  mode: 'local',
  // observed: the file system's own answer to the read sf makes (ENOENT, EISDIR, EACCES, size).
  evidence: 'observed',
  probe: 'key',
  async run(ctx) {
    const path = ctx.inputs.keyFile?.value;
    // --from-log: the key stays in CI (a path the log shows is CI's): sf's answers in the log go on without it.
    if (ctx.inputs.fromLog && ctx.inputs.keyFile?.source !== 'flag') {
      return { status: 'skip', sfGoesOn: true, detail: text('detail.fromLog.keyNotRead') };
    }
    if (!path?.trim()) {
      return fail(
        'KEY_FILE_MISSING',
        'key-file-not-given',
        text('summary.keyFile.notGiven'),
        text('detail.keyFile.notGiven'),
      );
    }
    if (/-----\s*BEGIN/.test(path) || path === KEY_REMOVED) {
      // The key itself instead of its path (`--jwt-key-file "$KEY"`): say so without ever echoing it.
      return fail(
        'KEY_FILE_MISSING',
        'key-pasted-as-path',
        text('summary.keyFile.pastedKey'),
        text('detail.keyFile.pastedKey'),
      );
    }
    const facts = await ctx.adapters.readKeyFile(path);
    ctx.facts.keyFile = facts;
    if (!facts.exists && /^~[\\/]/.test(path)) {
      // "~/server.key" in quotes (or from a config file) reaches sf unexpanded: only a shell expands ~, unquoted.
      const expanded = join(homedir(), path.slice(2));
      if ((await ctx.adapters.readKeyFile(expanded)).exists) {
        const summary = text('summary.keyFile.KEY_FILE_MISSING', { path, expanded });
        const detail = text('detail.keyFile.tilde', { path, expanded });
        return fail('KEY_FILE_MISSING', 'key-file-tilde', summary, detail, { suggestedKeyFile: expanded });
      }
    }
    if (!facts.exists) {
      const link = facts.isSymlink ? ' ' + text('phrase.keyFile.danglingLink') : '';
      return fail(
        'KEY_FILE_MISSING',
        'key-file-missing',
        text('summary.keyFile.missing', { path }),
        text('detail.keyFile.missing', { path, link }),
      );
    }
    const specialOutcome = special(path, facts);
    if (specialOutcome) return specialOutcome;
    if (facts.isDirectory) {
      return fail(
        'KEY_FILE_MISSING',
        'key-file-directory',
        text('summary.keyFile.directory', { path }),
        text('detail.keyFile.directory', { path }),
      );
    }
    if (!facts.readable) {
      return fail(
        'KEY_FILE_MISSING',
        'key-file-unreadable',
        text('summary.keyFile.unreadable', { path }),
        text('detail.keyFile.unreadable', { path, errorCode: facts.errorCode ?? 'error' }),
      );
    }
    if (facts.huge) {
      return fail(
        'KEY_INVALID',
        'key-file-huge',
        text('summary.keyFile.huge', { path }),
        text('detail.keyFile.huge', { path, bytes: facts.size, kib: HUGE_KEY_FILE_BYTES / 1024 }),
      );
    }
    if (!facts.text || facts.text.trim() === '') {
      return fail(
        'KEY_INVALID',
        'key-file-empty',
        text('summary.keyFile.empty', { path }),
        text(facts.size ? 'detail.keyFile.onlyWhitespace' : 'detail.keyFile.empty', { path }),
      );
    }
    const mode = facts.mode === undefined ? '' : `, mode ${octal(facts.mode)}`;
    if (facts.groupOrWorldReadable) {
      return { status: 'warn', detail: text('detail.keyFile.readableByOthers', { path, mode }) };
    }
    const kind = facts.fileType && facts.fileType !== 'file' ? `${text(SPECIAL_NAMES[facts.fileType])}, ` : '';
    return { status: 'pass', detail: text('detail.keyFile.readable', { path, kind, bytes: facts.size, mode }) };
  },
};
