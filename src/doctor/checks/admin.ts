/*
 * The org-side checks (--admin-org), in Salesforce's own order for a JWT request — realm and My Domain, app lookup,
 * signature, user, IP and session level, installation, scopes, prior approval — so that with equal weights the
 * earliest (most fundamental) finding is the root cause.
 */
import type { Check } from '../check.js';
import { appCertificate } from './appCertificate.js';
import { appDevHub } from './appDevHub.js';
import { appEcaOauthSettings } from './appEcaOauthSettings.js';
import { appFound } from './appFound.js';
import { appInstalled } from './appInstalled.js';
import { appPolicy } from './appPolicy.js';
import { appScopes } from './appScopes.js';
import { approvalPath } from './approvalPath.js';
import { orgConnection } from './orgConnection.js';
import { orgMyDomain } from './orgMyDomain.js';
import { orgSandboxRefresh } from './orgSandboxRefresh.js';
import { userActive } from './userActive.js';
import { userExists } from './userExists.js';
import { userLoginHistory } from './userLoginHistory.js';

export const adminChecks: Check[] = [
  orgConnection,
  orgMyDomain,
  appFound,
  appEcaOauthSettings,
  appCertificate,
  userExists,
  userActive,
  appPolicy,
  appInstalled,
  appScopes,
  approvalPath,
  appDevHub,
  // After the setup readings: with equal causes, their fix (naming the app, profile, permission set) is the one shown.
  userLoginHistory,
  orgSandboxRefresh,
];
