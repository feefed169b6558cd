/*
 * The --fix flow after a diagnosis: plan, show (the diagnosis, then the plan), (dry run | confirm | apply), then verify
 * by diagnosing again; the result keeps the cause the fix set out from under fix.before.
 * Nothing changes in the org unless the user confirmed or passed --no-prompt; --dry-run never changes anything.
 */
import type { DoctorRun } from '../doctor.js';
import { authorizeUrl } from '../doctor.js';
import { describeStep, planFix, type FixPlan } from './plan.js';
import type { FixReport, JwtDoctorResult } from '../types.js';
import { text } from '../text.js';

export type FixFlowOptions = {
  adminOrg: string;
  dryRun: boolean;
  noPrompt: boolean;
  /** The plan about to be confirmed or applied (not for a dry run or a cause the org cannot fix): show it first. */
  show?: (plan: FixReport) => void;
  /** Asked only without --no-prompt, after `show`. */
  confirm: (plan: FixReport) => Promise<boolean>;
  rediagnose: () => Promise<JwtDoctorResult>;
  apply: (plan: FixPlan, adminOrg: string) => Promise<FixReport>;
};

const works = (r: JwtDoctorResult): boolean => r.verdict === 'pass' || r.verdict === 'warn';

export async function fixFlow(run: DoctorRun, options: FixFlowOptions): Promise<JwtDoctorResult> {
  const { result, facts } = run;
  if (works(result)) {
    return {
      ...result,
      fix: { mode: 'not-fixable', steps: [], undo: [], notes: [text('fix.nothingToFix')] },
    };
  }
  // The admin org's My Domain and callback URL belong to the login's org only when it is that org.
  const sameOrg = facts.org?.otherOrg ? undefined : facts.org;
  const login =
    facts.probe?.recommendedLoginUrl ??
    sameOrg?.myDomainUrl ??
    result.inputs.find((i) => i.name === 'instance-url')?.value ??
    '';
  const clientId = result.inputs.find((i) => i.name === 'client-id')?.value?.trim() ?? '';
  const plan = planFix(result.cause?.code, facts.org, authorizeUrl(login, clientId, sameOrg?.callbackUrl));
  const planned: FixReport = {
    mode: plan.fixable ? 'dry-run' : 'not-fixable',
    steps: plan.steps.map((s) => ({
      description: s.description,
      command: describeStep(s, options.adminOrg),
      status: 'planned',
    })),
    undo: [],
    notes: plan.notes,
    ...(plan.approvalUrl ? { approvalUrl: plan.approvalUrl } : {}),
  };
  if (!plan.fixable || options.dryRun) return { ...result, fix: planned };
  options.show?.(planned);
  if (!options.noPrompt && !(await options.confirm(planned)))
    return { ...result, fix: { ...planned, mode: 'declined' } };

  const before = { verdict: result.verdict, cause: result.cause };
  const applied = await options.apply(plan, options.adminOrg);
  if (applied.mode !== 'applied') return { ...result, fix: { ...applied, before } };
  const after = await options.rediagnose();
  // Both diagnoses' token requests count against the user's hourly login limit.
  const tokenRequests = result.tokenRequests + after.tokenRequests;
  // Without the key nothing can log in to verify: the re-diagnosis reads the setup only, and says what a key would add.
  const notes = after.keyless ? [...applied.notes, text('fix.keylessNotVerified')] : applied.notes;
  return { ...after, tokenRequests, fix: { ...applied, notes, verified: works(after), before } };
}
