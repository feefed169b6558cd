/*
 * Which (login URL, aud) pairs `sf org login jwt` tries, in order — @salesforce/core 9.4.0's getJwtAudienceUrl and
 * getLoginAudienceCombos reproduced rule for rule, quirks included (reference/sf-cli-internals.md §1.3–1.4).
 * getLoginAudienceCombos is not exported by core, hence this copy of its behaviour.
 */

export const PRODUCTION_URL = 'https://login.salesforce.com';
export const SANDBOX_URL = 'https://test.salesforce.com';
const GS1_URL = 'https://gs1.salesforce.com';

export type LoginAudiencePair = [login: string, audience: string];

/**
 * SfdcUrl.getJwtAudienceUrl: SF_AUDIENCE_URL (or --audience-url) verbatim when non-empty; the gs1 rule; else
 * login.salesforce.com. A sandbox or My Domain login URL does not change it.
 */
export function jwtAudienceUrl(loginUrl: string, overrideAudience?: string, createdOrgInstance = ''): string {
  if (overrideAudience) return overrideAudience;
  const instance = createdOrgInstance.trim().toLowerCase();
  // core tests the origin with the unescaped regex /(gs1.my.salesforce.com)/i: the dots match any character.
  if (/^gs1/i.test(instance) || /(gs1.my.salesforce.com)/i.test(new URL(loginUrl).origin)) return GS1_URL;
  return PRODUCTION_URL;
}

/**
 * getLoginAudienceCombos: eleven candidates, the two prod/sandbox cross pairs dropped by *exact string* comparison
 * (so `https://test.salesforce.com/` with a slash slips through), then de-duplicated by
 * `${loginOrigin}:${audOrigin}` in a Map — a repeated key keeps its first position but takes the later value.
 */
export function loginAudienceCombos(audienceUrl: string, loginUrl: string): LoginAudiencePair[] {
  const candidates: LoginAudiencePair[] = [
    [loginUrl, loginUrl],
    [SANDBOX_URL, SANDBOX_URL],
    [PRODUCTION_URL, PRODUCTION_URL],
    [audienceUrl, audienceUrl],
    [audienceUrl, PRODUCTION_URL],
    [audienceUrl, SANDBOX_URL],
    [loginUrl, audienceUrl],
    [loginUrl, PRODUCTION_URL],
    [loginUrl, SANDBOX_URL],
    [PRODUCTION_URL, audienceUrl],
    [SANDBOX_URL, audienceUrl],
  ];
  const filtered = candidates.filter(
    ([login, aud]) =>
      !(login === PRODUCTION_URL && aud === SANDBOX_URL) && !(login === SANDBOX_URL && aud === PRODUCTION_URL),
  );
  const byOrigins = new Map<string, LoginAudiencePair>();
  for (const pair of filtered) byOrigins.set(`${new URL(pair[0]).origin}:${new URL(pair[1]).origin}`, pair);
  return [...byOrigins.values()];
}
