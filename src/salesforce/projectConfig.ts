/*
 * sf's login URL default without --instance-url, found as plugin-auth's getLoginUrl finds it: core's SfProject from
 * the current directory upwards, its resolved `sfdcLoginUrl` (the project file's, else config org-instance-url); no
 * project, or one core refuses (an sfdcLoginUrl that is not a Salesforce URL), gives https://login.salesforce.com.
 * Read-only.
 */
import { SfProject } from '@salesforce/core';

export type ProjectLoginUrl = { url: string; file: string } | undefined;

export async function findProjectLoginUrl(cwd = process.cwd()): Promise<ProjectLoginUrl> {
  try {
    const project = await SfProject.resolve(cwd);
    const url = (await project.resolveProjectConfig()).sfdcLoginUrl;
    if (typeof url !== 'string' || !url.trim()) return undefined;
    // Where core took it from: the project file itself, else sf's config (core's own default needs no naming).
    const own = project.getSfProjectJson().getContents().sfdcLoginUrl;
    if (typeof own === 'string' && own.trim()) return { url: url.trim(), file: 'sfdx-project.json' };
    return url.trim() === 'https://login.salesforce.com'
      ? undefined
      : { url: url.trim(), file: 'sf config org-instance-url' };
  } catch {
    return undefined;
  }
}
