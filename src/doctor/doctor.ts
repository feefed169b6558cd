/*
 * One diagnosis: run the check graph, pick the root cause, build the fixes and the result the command returns.
 */
import type { Adapters, DoctorInputs, Facts } from './context.js';
import type { Check } from './check.js';
import { keyWithheld, runChecks, type CheckRun } from './engine.js';
import { diagnose } from './diagnosis.js';
import { fixesFor } from './fixes.js';
import { loginCommand, provenance, urlNotInLog } from './inputs.js';
import { checkTitle, text } from './text.js';
import type { JwtDoctorResult, KeylessReport } from './types.js';
import { onlyProbeDecides, SETUP_CHECK_CAUSES } from './causes.js';
import { asTyped, withoutCredentials } from '../knowledge/instanceUrl.js';
import { PRODUCTION_URL } from '../knowledge/loginAudience.js';
import { maskDeep, removeKeyMaterial } from '../knowledge/mask.js';

export type DoctorRun = {
  result: JwtDoctorResult;
  facts: Facts;
};

/** The one-time approval URL (user-agent flow, with refresh_token) for a self-authorize app. */
/** The one-time approval URL; a value not known shows as what to put there (`<consumer key>`), not encoded. */
export function authorizeUrl(loginUrl: string, clientId: string | undefined, callbackUrl?: string): string {
  let origin = PRODUCTION_URL;
  try {
    origin = new URL(loginUrl).origin;
  } catch {
    // keep the production default
  }
  const client = clientId ? encodeURIComponent(clientId) : text('phrase.input.clientId');
  const redirect = callbackUrl ? encodeURIComponent(callbackUrl) : text('phrase.input.callbackUrl');
  const query = `response_type=token&client_id=${client}&redirect_uri=${redirect}&scope=api%20refresh_token`;
  return `${origin}/services/oauth2/authorize?${query}`;
}

/** What a run without the key left to a run with it: the checks it skipped, the causes only the probe decides. */
function keylessReport(runs: CheckRun[], inputs: DoctorInputs, given: Facts): KeylessReport {
  const skipped = runs.filter((r) => !r.outcome && keyWithheld(r.check, inputs, given)).map((r) => r.result.id);
  // A setup check that did not run to a finding (a permission the admin user lacks) leaves its causes open.
  const unread = runs
    .filter((r) => r.result.status === 'skip' && r.check.mode === 'admin')
    .flatMap((r) => SETUP_CHECK_CAUSES[r.check.id] ?? []);
  const open = [...unread, ...runs.flatMap((r) => r.outcome?.undecided ?? [])];
  return { reason: 'no-key', skipped, onlyProbeDecides: onlyProbeDecides(open) };
}

export async function runDoctor(options: {
  checks: Check[];
  inputs: DoctorInputs;
  adapters: Adapters;
  ignoredFlags: string[];
  initialFacts?: Facts;
}): Promise<DoctorRun> {
  const { inputs } = options;
  const { runs, facts } = await runChecks({
    checks: options.checks,
    inputs,
    adapters: options.adapters,
    initialFacts: options.initialFacts,
    title: checkTitle,
    skipReason: (_needed, neededTitle) => text('skip.needs', { check: neededTitle }),
    noKeyReason: text('skip.noKey'),
  });
  const diagnosis = diagnose(runs, { keyless: inputs.keyless });

  // The login line: with the URL the probe proved (or the org's My Domain), else the one given. An admin org that is
  // another org (production for a sandbox login) says nothing about this org's URL or app.
  const org = facts.org?.otherOrg ? undefined : facts.org;
  // A retired or Lightning host given: its current login form (url.suggestedUrl) serves an approval URL better.
  // An http URL (Salesforce serves OAuth over https only): its https form.
  const httpsForm =
    facts.url?.insecure && !facts.url.isLoopback && facts.url.href
      ? facts.url.href.replace(/^http:/, 'https:').replace(/\/$/, '')
      : undefined;
  const workingUrl = withoutCredentials(
    asTyped(facts.probe?.recommendedLoginUrl, inputs.instanceUrl.value) ??
      org?.myDomainUrl ??
      facts.url?.suggestedUrl ??
      httpsForm ??
      (urlNotInLog(inputs) ? text('phrase.input.instanceUrl') : inputs.instanceUrl.value),
  );
  // A value nobody gave (a CI log without a command line, a keyless run) shows as what to put there, never as blank.
  const givenClientId = inputs.clientId?.value.trim();
  const params = {
    authorizeUrl: authorizeUrl(workingUrl, givenClientId, org?.callbackUrl),
    username: inputs.username?.value.trim() || text('phrase.input.username'),
    clientId: givenClientId || text('phrase.input.clientId'),
    keyFile: inputs.keyFile?.value ?? text('phrase.input.keyFile'),
    // A log that never showed the login URL: what to put there, not sf's default.
    instanceUrl: urlNotInLog(inputs) ? text('phrase.input.instanceUrl') : withoutCredentials(inputs.instanceUrl.value),
    adminOrg: inputs.adminOrg?.value,
  };
  // A login that works keeps its values: an inferred reading never suggests replacing one Salesforce just accepted.
  const lead = diagnosis.proposals[0];
  const suggested = lead && !(diagnosis.works && lead.evidence === 'inferred') ? (lead.params ?? {}) : {};
  const result: JwtDoctorResult = {
    verdict: diagnosis.verdict,
    cause: diagnosis.cause,
    checks: runs.map((r) => r.result),
    fixes: fixesFor(diagnosis.proposals, params),
    attempts: facts.probe?.attempts ?? [],
    tokenRequests: facts.probe?.tokenRequests ?? 0,
    loginCommand: loginCommand({
      username: suggested.suggestedUsername ?? params.username,
      clientId: suggested.suggestedClientId ?? suggested.cleanedClientId ?? params.clientId,
      keyFile: suggested.suggestedKeyFile ?? params.keyFile,
      instanceUrl: suggested.suggestedUrl ?? workingUrl,
    }),
    inputs: provenance(inputs),
    ignoredFlags: options.ignoredFlags,
    // Only when user.login-history read it (and the admin org is this org).
    ...(facts.loginHistory && !facts.org?.otherOrg ? { loginHistory: facts.loginHistory } : {}),
    ...(inputs.keyless ? { keyless: keylessReport(runs, inputs, options.initialFacts ?? {}) } : {}),
  };
  // Safety rule 3, enforced once for every output: a key pasted into a flag (or any secret-shaped text an input or an
  // answer carried) never reaches the renderers or --json.
  return { result: maskDeep(result, removeKeyMaterial), facts };
}
