/*
 * Every user-facing sentence lives in messages/org.jwt.doctor.md. This reads it through @salesforce/core's Messages
 * and fills `{name}` placeholders (named, so a translator can reorder them; util.format's %s cannot).
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const messages = Messages.loadMessages('@jwt-doctor/plugin-org-jwt-doctor', 'org.jwt.doctor');

export type Params = Record<string, string | undefined>;

export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{([a-zA-Z][\w]*)\}/g, (whole, name: string) => params[name] ?? whole);
}

export function has(key: string): boolean {
  try {
    messages.getMessage(key);
    return true;
  } catch {
    return false;
  }
}

export function text(key: string, params?: Params): string {
  return fill(messages.getMessage(key), params);
}

export function list(key: string, params?: Params): string[] {
  if (!has(key)) return [];
  return messages.getMessages(key).map((line) => fill(line, params));
}

export function checkTitle(id: string): string {
  return has(`check.${id}`) ? text(`check.${id}`) : id;
}
