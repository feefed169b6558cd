/*
 * Cells of the unverified-behaviour matrix (unverified.test.ts) known to fail today, as `option=value | scenario |
 * mode`. The matrix fails on any failing cell not listed here, and on any listed cell that now holds or no longer
 * runs: the list can only shrink. Empty it as the diagnosis learns to weigh evidence (issue 10, point 1).
 */
export const KNOWN_OPEN: readonly string[] = [
  // sf's first pair (aud = the My Domain URL, with or without the trailing slash sf sends) is refused, a later pair
  // works: core's login works and the doctor warns with a confirmed INSTANCE_URL_INVALID although the org has no
  // cause (healthy) or another one (audience-invalid: AUDIENCE_INVALID).
  'myDomainAudience=rejected | audience-invalid | no admin',
  'myDomainAudience=rejected | audience-invalid | --admin-org',
  'audienceTrailingSlash=rejected | audience-invalid | no admin',
  'audienceTrailingSlash=rejected | audience-invalid | --admin-org',
  'myDomainAudience=rejected | healthy-developer | no admin',
  'myDomainAudience=rejected | healthy-developer | --admin-org',
  'audienceTrailingSlash=rejected | healthy-developer | no admin',
  'audienceTrailingSlash=rejected | healthy-developer | --admin-org',
  'myDomainAudience=rejected | healthy-eca | no admin',
  'myDomainAudience=rejected | healthy-eca | --admin-org',
  'audienceTrailingSlash=rejected | healthy-eca | no admin',
  'audienceTrailingSlash=rejected | healthy-eca | --admin-org',
  'myDomainAudience=rejected | healthy-production | no admin',
  'myDomainAudience=rejected | healthy-production | --admin-org',
  'audienceTrailingSlash=rejected | healthy-production | no admin',
  'audienceTrailingSlash=rejected | healthy-production | --admin-org',
  'myDomainAudience=rejected | healthy-sandbox | no admin',
  'myDomainAudience=rejected | healthy-sandbox | --admin-org',
  'audienceTrailingSlash=rejected | healthy-sandbox | no admin',
  'audienceTrailingSlash=rejected | healthy-sandbox | --admin-org',
  'myDomainAudience=rejected | large-org | no admin',
  'myDomainAudience=rejected | large-org | --admin-org',
  'audienceTrailingSlash=rejected | large-org | no admin',
  'audienceTrailingSlash=rejected | large-org | --admin-org',
];
