/*
 * key.file: the file sf reads with fs.readFile(path, 'utf8'). A missing file makes sf print a raw ENOENT line; an empty
 * one "secretOrPrivateKey must have a value". Permissions do not break the login but expose the key (warn).
 * A pipe (`--jwt-key-file <(echo "$KEY")`) is fine when its data arrives; one that gives nothing would hang sf, and a
 * device (/dev/null, /dev/zero) is named for what it is rather than taken for an empty file.
 */
import { KEY_REMOVED } from '../../knowledge/mask.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Check, CheckOutcome } from '../check.js';
import type { CauseCode } from '../types.js';
import type { KeyFileFacts } from '../../salesforce/keyFile.js';
import { HUGE_KEY_FILE_BYTES } from '../../knowledge/privateKey.js';
import { text } from '../text.js';

function fail(code: CauseCode, fix: string, summary: string, detail: string): CheckOutcome {
  return { status: 'fail', detail, cause: { code, confidence: 'confirmed', weight: 90, summary, fix } };
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

const SPECIAL_NAMES: Record<string, string> = {
  fifo: 'a pipe (FIFO)',
  'character-device': 'a character device',
  'block-device': 'a block device',
  socket: 'a socket',
  other: 'not a regular file',
};

/** The key.file outcome for a path that is not a regular file or directory, or undefined to carry on as for a file. */
function special(path: string, facts: KeyFileFacts): CheckOutcome | undefined {
  const type = facts.fileType;
  if (!type || type === 'file' || type === 'directory') return undefined;
  const what = SPECIAL_NAMES[type];
  if (type === 'socket' || type === 'other') {
    return fail(
      'KEY_FILE_MISSING',
      'key-file-special',
      `The key file ${path} is ${what}.`,
      `${path} is ${what}, not a file holding the private key${facts.errorCode ? ` (${facts.errorCode})` : ''}.`,
    );
  }
  if (!facts.readable) return undefined;
  if (facts.noData) {
    const seconds = Math.round((facts.waitedMs ?? 0) / 1000);
    const got = facts.size ? `stopped after ${facts.size} bytes` : 'gave no data';
    return fail(
      'KEY_INVALID',
      'key-file-no-data',
      `The key file ${path} is ${what} that gave no data.`,
      `${path} is ${type === 'fifo' ? 'a pipe' : 'a device'} that ${got} within ${seconds} s (the doctor stopped waiting; sf would wait forever). A pipe such as <(echo "$KEY") works when its writer sends the whole key at once.`,
    );
  }
  if (facts.endless) {
    return fail(
      'KEY_INVALID',
      'key-file-special',
      `The key file ${path} is ${what}, not a key file.`,
      `${path} is ${what} that gave more than ${HUGE_KEY_FILE_BYTES / 1024} KiB (reading stopped there); a private key is under 4 KiB${type === 'fifo' ? '' : ', and sf would read this device until memory runs out'}.`,
    );
  }
  if (type !== 'fifo' && !facts.text?.trim()) {
    return fail(
      'KEY_INVALID',
      'key-file-special',
      `The key file ${path} is ${what}, not a key file.`,
      `${path} is ${what}, not a file holding the private key; it reads as empty (${facts.size ?? 0} bytes), so sf would print "secretOrPrivateKey must have a value".`,
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
  async run(ctx) {
    const path = ctx.inputs.keyFile?.value;
    if (!path?.trim()) {
      return fail(
        'KEY_FILE_MISSING',
        'key-file-not-given',
        'No key file was given.',
        'No key file: sf needs --jwt-key-file, the private key whose certificate is on the app.',
      );
    }
    if (/-----\s*BEGIN/.test(path) || path === KEY_REMOVED) {
      // The key itself instead of its path (`--jwt-key-file "$KEY"`): say so without ever echoing it.
      return fail(
        'KEY_FILE_MISSING',
        'key-pasted-as-path',
        '--jwt-key-file was given the key itself, not the path of a file holding it.',
        '--jwt-key-file holds PEM text, not a path: sf takes the path of a file. (The value is not shown: it is key material.)',
      );
    }
    const facts = await ctx.adapters.readKeyFile(path);
    ctx.facts.keyFile = facts;
    if (!facts.exists && /^~[\\/]/.test(path)) {
      // "~/server.key" in quotes (or from a config file) reaches sf unexpanded: only a shell expands ~, unquoted.
      const expanded = join(homedir(), path.slice(2));
      if ((await ctx.adapters.readKeyFile(expanded)).exists) {
        return {
          status: 'fail',
          detail: text('detail.keyFile', { path, expanded }),
          cause: {
            code: 'KEY_FILE_MISSING',
            confidence: 'confirmed',
            weight: 90,
            summary: text('summary.keyFile.KEY_FILE_MISSING', { path, expanded }),
            fix: 'key-file-tilde',
            params: { suggestedKeyFile: expanded },
          },
        };
      }
    }
    if (!facts.exists) {
      const link = facts.isSymlink ? ' (a symbolic link whose target is missing)' : '';
      return fail(
        'KEY_FILE_MISSING',
        'key-file-missing',
        `The key file ${path} does not exist.`,
        `No file at ${path}${link}; sf would fail with "ENOENT: no such file or directory". Relative paths resolve against the directory sf runs in.`,
      );
    }
    const specialOutcome = special(path, facts);
    if (specialOutcome) return specialOutcome;
    if (facts.isDirectory) {
      return fail(
        'KEY_FILE_MISSING',
        'key-file-directory',
        `The key file ${path} is a directory.`,
        `${path} is a directory, not the private key file (sf would fail with EISDIR).`,
      );
    }
    if (!facts.readable) {
      return fail(
        'KEY_FILE_MISSING',
        'key-file-unreadable',
        `The key file ${path} cannot be read.`,
        `${path} exists but cannot be read by this user (${facts.errorCode ?? 'error'}).`,
      );
    }
    if (facts.huge) {
      return fail(
        'KEY_INVALID',
        'key-file-huge',
        `The key file ${path} is far too large for a private key.`,
        `${path} is ${facts.size} bytes; a PEM private key is under 4 KiB and this one is over ${HUGE_KEY_FILE_BYTES / 1024} KiB, so it is not the key (not read).`,
      );
    }
    if (!facts.text || facts.text.trim() === '') {
      return fail(
        'KEY_INVALID',
        'key-file-empty',
        `The key file ${path} is empty.`,
        `${path} is ${facts.size ? 'only whitespace' : 'empty (0 bytes)'}; sf would print "secretOrPrivateKey must ${facts.size ? 'be an asymmetric key when using RS256' : 'have a value'}". A CI secret that was not set writes an empty file.`,
      );
    }
    const mode = facts.mode === undefined ? '' : `, mode ${octal(facts.mode)}`;
    if (facts.groupOrWorldReadable) {
      return { status: 'warn', detail: text('detail.keyFile.2', { path, mode }) };
    }
    const kind = facts.fileType && facts.fileType !== 'file' ? `${SPECIAL_NAMES[facts.fileType]}, ` : '';
    return { status: 'pass', detail: `${path}: ${kind}${facts.size} bytes${mode}.` };
  },
};
