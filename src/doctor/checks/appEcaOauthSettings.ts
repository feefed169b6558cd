/*
 * app.eca-oauth-settings: every External Client App in the org has its OAuth settings. After a sandbox refresh an ECA
 * can exist without them — no OAuth settings, no global OAuth settings, so no consumer key (Salesforce known issue
 * a02Ka00000mn8S6; sfdx-hardis#1994; src/knowledge/platform.ts). A client id the org does not know, in a sandbox
 * where such an ECA exists, is most likely that ECA's key: its settings must be recreated (or deployed) there.
 */
import type { Check, CheckOutcome } from '../check.js';
import type { DoctorContext } from '../context.js';
import type { OrgInspection } from '../../salesforce/inspection.js';
import { text } from '../text.js';
import { ADMIN_WEIGHT, fail, otherOrgSkip, probeAnswer, skipFor } from './adminSupport.js';

function run(ctx: DoctorContext, ins: OrgInspection): CheckOutcome | undefined {
  const ecas = (ins.apps ?? []).filter((a) => a.kind === 'ExternalClientApp');
  if (ecas.length === 0) return undefined;
  const lost = ecas.filter((a) => a.oauthSettingsMissing);
  // The inspection may have taken a keyless ECA for this login's app (appFound's guess): then it is that one.
  const likely = ins.app?.oauthSettingsMissing ? ins.app : lost[0];
  const params = {
    apps: lost.map((a) => a.name).join(', '),
    appName: likely?.name ?? '',
    orgName: ins.org?.name ?? '',
    clientId: ctx.inputs.clientId?.value.trim() ?? '',
    count: String(ecas.length),
  };
  if (lost.length === 0) return { status: 'pass', detail: text('detail.ecaOauthSettings.present', params) };
  // The key in use belongs to an app the org found: the lost settings are another app's problem (a note).
  if (ins.app && !ins.app.oauthSettingsMissing)
    return { status: 'warn', detail: text('detail.ecaOauthSettings.otherApp', params) };
  const sandbox = ins.org?.isSandbox === true;
  // The org's own token endpoint did not know the key: the lost settings explain it (documented known issue).
  const answer = probeAnswer(ctx);
  const unknownKey = answer === 'client-id-invalid' || answer === 'eca-not-installed';
  return fail(ctx, text(sandbox ? 'detail.ecaOauthSettings.lost' : 'detail.ecaOauthSettings.lostNotSandbox', params), {
    code: 'CLIENT_ID_INVALID',
    fix: 'eca-oauth-settings-lost',
    confidence: sandbox && unknownKey ? 'confirmed' : 'likely',
    alternatives: ['WRONG_APP'],
    // Above app.found's "no app has this key": this finding names which app and how to bring its key back.
    weight: ADMIN_WEIGHT + 5,
    params,
    summary: text('summary.ecaOauthSettingsLost', params),
  });
}

export const appEcaOauthSettings: Check = {
  id: 'app.eca-oauth-settings',
  group: 'app',
  needs: ['org.connection'],
  mode: 'admin',
  // documented: the ECA metadata types (Metadata API Developer Guide) and the known issue a02Ka00000mn8S6.
  evidence: 'documented',
  run(ctx) {
    const ins = ctx.facts.org;
    if (!ins) return undefined;
    return otherOrgSkip(ins) ?? skipFor(ins, ['apps']) ?? run(ctx, ins);
  },
};
