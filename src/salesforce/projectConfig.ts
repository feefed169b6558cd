/*
 * sf's login URL default without --instance-url: the `sfdcLoginUrl` of the sfdx-project.json found from the current
 * directory upwards, else https://login.salesforce.com (plugin-auth `getLoginUrl`). Read-only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ProjectLoginUrl = { url: string; file: string } | undefined;

export function findProjectLoginUrl(cwd = process.cwd()): ProjectLoginUrl {
  let dir = cwd;
  for (;;) {
    const file = join(dir, 'sfdx-project.json');
    if (existsSync(file)) {
      try {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { sfdcLoginUrl?: unknown };
        return typeof json.sfdcLoginUrl === 'string' && json.sfdcLoginUrl.trim()
          ? { url: json.sfdcLoginUrl.trim(), file: 'sfdx-project.json' }
          : undefined;
      } catch {
        return undefined;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
