/*
 * The 2025–2026 Salesforce platform changes a JWT doctor must know, each with its date and public source (reference
 * notes "field reports and the 2025–2026 platform" §1–2). Pure data: the fixes (messages/fixes.md) and the checks cite
 * these; the simulator's rules follow them. `unverified` marks what no public source settles (a simulator option).
 */

export type PlatformFact = {
  /** When it took effect, as Salesforce dated it. */
  since: string;
  /** What changed, in one line. */
  fact: string;
  /** Public sources: help article ids, forcedotcom/cli issues (cli#N), other repositories. */
  sources: string[];
  unverified?: string;
};

export const PLATFORM_FACTS = {
  uninstalledAppsBlocked: {
    since: '2025-08-28/2025-09-17 (new orgs by 2025-09-01; existing orgs in phases)',
    fact: 'Uninstalled connected apps are blocked for users who did not authorize them before; device flow with the default CLI app is blocked from Aug 28.',
    sources: ['help 005132365', 'cli#3368', 'SalesforceMobileSDK-Package#314'],
    unverified: 'the JWT token endpoint answer for an uninstalled app (seen only on the authorize redirect)',
  },
  approveUninstalledPermission: {
    since: '2025-08-28',
    fact: 'The "Approve Uninstalled Connected Apps" permission lets its holders use uninstalled connected apps; it lands only on the standard System Administrator profile, not on custom clones.',
    sources: ['help 005132365'],
    unverified: 'that the permission also lets a JWT bearer login through (documented for the approval, not for JWT)',
  },
  useAnyApiClientNoSelfAuthorize: {
    since: '2025-12-08 (week of)',
    fact: '"Use Any API Client" no longer lets users self-authorize uninstalled apps.',
    sources: ['help 005228838'],
  },
  connectedAppCreationBlocked: {
    since: "Winter '26 (off by default in new orgs); Spring '26 (blocked)",
    fact: 'New connected apps cannot be created through the UI or the APIs, Metadata API included, except by package install or a Support request; existing connected apps keep working. New integrations use External Client Apps.',
    sources: ['help 005228017'],
  },
  devHubNeedsConnectedApp: {
    since: "2025 (reported with the Spring '26 DX guide change)",
    fact: 'A Dev Hub logged in through an External Client App cannot create scratch orgs or sandboxes (C-1016 / RemoteOrgSignupFailed): scratch signup needs a connected app.',
    sources: ['cli#3515', 'cli#3638'],
  },
  apiAccessControl: {
    since: 'enabled per org through Support',
    fact: 'Only allowlisted apps may use the API, and turning it on makes every app admin-approved.',
    sources: ['help "API Access Control"', 'cli#3428', 'cli#3327', 'cli#3260'],
    unverified: 'whether an app off the allowlist is refused at the token endpoint or gets a token the API refuses',
  },
  ecaOauthSettingsLostOnRefresh: {
    since: '2025 (known issue, open)',
    fact: 'After a sandbox refresh an External Client App can exist in the sandbox without its OAuth settings (no consumer key): recreate or redeploy the settings.',
    sources: ['known issue a02Ka00000mn8S6', 'sfdx-hardis#1994'],
    unverified:
      'what the token endpoint answers for the lost consumer key (an unknown key is "client identifier invalid")',
  },
} as const satisfies Record<string, PlatformFact>;

export type PlatformFactId = keyof typeof PLATFORM_FACTS;

/**
 * Advice to make a connected app, in any phrasing ("create a connected app", "a new connected app", "new Connected
 * App"). Since Spring '26 (help 005228017) such advice must come with the External Client App path.
 */
export const CREATE_CONNECTED_APP =
  /\b(?:create|creating|make|register|set up|build|add)\s+(?:(?:a|an|one|another|the|your|new|own)\s+)*connected\s+apps?\b|\bnew\s+connected\s+apps?\b|\bconnected\s+apps?\b[^.\n]{0,20}\b(?:newly\s+)?created\b/i;

export const EXTERNAL_CLIENT_APP_PATH = /external client app/i;

/** True when the text advises making a connected app without naming the External Client App path. */
export function adviceWithoutEcaPath(textOfOneFix: string): boolean {
  return CREATE_CONNECTED_APP.test(textOfOneFix) && !EXTERNAL_CLIENT_APP_PATH.test(textOfOneFix);
}
