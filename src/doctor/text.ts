/*
 * Every user-facing sentence lives in messages/*.md, split by concern: org.jwt.doctor.md (the command's help and
 * errors, named after the command as sf does), checks.md (check titles and details), fixes.md (cause summaries and fix
 * texts) and render.md (human output, report, fleet, wait, hook). Keys are unique across the files. This reads them
 * through @salesforce/core's Messages and fills `{name}` placeholders (named, so a translator can reorder them;
 * util.format's %s cannot — only the error.* texts core's createError formats keep %s).
 */
import { Messages } from '@salesforce/core';
import type { MessageKey } from './messageKeys.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const PACKAGE = '@jwt-doctor/plugin-org-jwt-doctor';
/** The command's own bundle: help, flags and errors (createError). */
export const messages = Messages.loadMessages(PACKAGE, 'org.jwt.doctor');
export const BUNDLES = ['org.jwt.doctor', 'checks', 'fixes', 'render'] as const;
const bundles = [messages, ...BUNDLES.slice(1).map((name) => Messages.loadMessages(PACKAGE, name))];
const owner = new Map<string, Messages<string> | null>();

function bundleOf(key: string): Messages<string> | undefined {
  if (!owner.has(key)) {
    owner.set(
      key,
      bundles.find((b) => {
        try {
          b.getMessage(key);
          return true;
        } catch {
          return false;
        }
      }) ?? null,
    );
  }
  return owner.get(key) ?? undefined;
}

/** Named values; numbers print as String() prints them. */
export type Params = Record<string, string | number | undefined>;

/**
 * Fills `{name}` with its value, and `{name:one|other}` with `one` when the value is 1, else `other` (a count's noun:
 * "{count} {count:attempt|attempts}"), so no text says "attempt(s)".
 */
export function fill(template: string, params: Params = {}): string {
  // A branch of a count's choice may hold plain placeholders ("{count:one app|all {count} apps}"): filled in turn.
  const branch = '[^|{}]*(?:\\{[a-zA-Z]\\w*\\}[^|{}]*)*';
  return template.replace(
    new RegExp(`\\{([a-zA-Z]\\w*)(?::(${branch})\\|(${branch}))?\\}`, 'g'),
    (whole, name: string, one: string | undefined, other: string | undefined) => {
      const value = params[name];
      if (value === undefined) return whole;
      if (one === undefined) return String(value);
      return fill(Number(value) === 1 ? one : other!, params);
    },
  );
}

/**
 * A key as written: a literal must be a key of the messages (a typo does not compile); a key built at run time
 * (`check.${id}`) is a string, checked by test/doctor/messages.test.ts instead.
 */
export type Key<K extends string> = K & (string extends K ? K : K extends MessageKey ? K : never);

export function has<K extends string>(key: Key<K>): boolean {
  return bundleOf(key) !== undefined;
}

/** Throws, as core's getMessage does, when no file has the key. */
function find(key: string): Messages<string> {
  return bundleOf(key) ?? messages;
}

export function text<K extends string>(key: Key<K>, params?: Params): string {
  return fill(find(key).getMessage(key), params);
}

export function list<K extends string>(key: Key<K>, params?: Params): string[] {
  if (!has(key)) return [];
  return find(key)
    .getMessages(key)
    .map((line) => fill(line, params));
}

export function checkTitle(id: string): string {
  return has(`check.${id}`) ? text(`check.${id}`) : id;
}
