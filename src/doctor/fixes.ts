/*
 * Turns the diagnosis' ordered cause proposals into fix objects: numbered steps a person can follow, the exact
 * commands, and links — texts from `# fix.<id>.*`, placeholders filled from the cause's params and the inputs.
 */
import type { CauseProposal } from './check.js';
import type { Fix } from './types.js';
import { has, list, text, type Params } from './text.js';

export function fixFor(proposal: CauseProposal, inputParams: Params): Fix | undefined {
  const id = proposal.fix ?? proposal.code;
  if (!has(`fix.${id}.title`)) return undefined;
  const params = { ...inputParams, ...proposal.params };
  const why = has(`fix.${id}.why`) ? text(`fix.${id}.why`, params) : undefined;
  const steps = list(`fix.${id}.steps`, params);
  return {
    title: text(`fix.${id}.title`, params),
    ...(why ? { why } : {}),
    steps: why ? [why, ...steps] : steps,
    commands: list(`fix.${id}.commands`, params),
    links: list(`fix.${id}.links`, params),
  };
}

export function fixesFor(proposals: CauseProposal[], inputParams: Params): Fix[] {
  return proposals.map((p) => fixFor(p, inputParams)).filter((f): f is Fix => f !== undefined);
}
