/*
 * The demo's scripted fixes: for a scenario, the change a person makes to fix its cause, applied to the simulated org
 * as Setup (or the user's own browser) would make it. A scenario describes an org, never its answer: the fixes live
 * here, keyed by scenario, and a scenario without one gets none (the demo then shows the doctor's own steps).
 */
import type { Simulator } from '../simulator/index.js';
import { PREFIX } from '../simulator/ids.js';

export type ScriptedFix = {
  /** What a person does, in a line (the demo prints it before applying). */
  what: (username: string) => string;
  /** Applies it to the simulated org; returns a line saying what changed. */
  apply: (sim: Simulator, username: string) => string;
};

function userId(sim: Simulator, username: string): string {
  const user = sim.state.userByUsername(username);
  if (!user) throw new Error(`the scenario has no user ${username}`);
  return user.Id as string;
}

function userLogin(sim: Simulator, username: string): Record<string, unknown> {
  const row = sim.state.userLogin(userId(sim, username));
  if (!row) throw new Error(`no UserLogin for ${username}`);
  return row;
}

export const SCRIPTED_FIXES: Record<string, ScriptedFix> = {
  // Seed 000's accepted fix.
  'self-authorize-never-approved': {
    what: (u) => `The fix from seed 000: ${u} approves the app once in a browser, with the refresh_token scope`,
    apply: (sim, u) => {
      const approval = sim.approve(u, sim.scenario.login!.app!, ['api', 'refresh_token']);
      return `approved: ${approval.approved}, scopes: ${approval.scopes?.join(' ') ?? ''}`;
    },
  },
  'user-frozen': {
    what: (u) => `An admin unfreezes ${u} (Setup → Users → ${u} → Unfreeze)`,
    apply: (sim, u) => {
      userLogin(sim, u).IsFrozen = false;
      return `UserLogin.IsFrozen of ${u}: false`;
    },
  },
  'user-password-locked': {
    what: (u) => `An admin unlocks ${u} (Setup → Users → ${u} → Unlock)`,
    apply: (sim, u) => {
      userLogin(sim, u).IsPasswordLocked = false;
      return `UserLogin.IsPasswordLocked of ${u}: false`;
    },
  },
  'user-inactive': {
    what: (u) => `An admin reactivates ${u} (Setup → Users → ${u} → Edit → Active)`,
    apply: (sim, u) => {
      sim.state.userByUsername(u)!.IsActive = true;
      return `User.IsActive of ${u}: true`;
    },
  },
  'permset-granted-not-assigned': {
    what: (u) => `An admin assigns the permission set that grants the app to ${u} (sf org assign permset)`,
    apply: (sim, u) => {
      const app = sim.state.appByName(sim.scenario.login!.app!)!;
      const granting = new Set(
        sim.state
          .table('SetupEntityAccess')
          .filter((s) => s.SetupEntityId === app.id)
          .map((s) => s.ParentId),
      );
      const ps = sim.state.table('PermissionSet').find((p) => granting.has(p.Id) && p.IsOwnedByProfile !== true);
      if (!ps) throw new Error(`no permission set grants ${app.name}`);
      sim.state.insert('PermissionSetAssignment', {
        Id: sim.state.ids.next(PREFIX.PermissionSetAssignment),
        AssigneeId: userId(sim, u),
        PermissionSetId: ps.Id,
        PermissionSetGroupId: null,
        IsActive: true,
        ExpirationDate: null,
        IsRevoked: false,
      });
      return `PermissionSetAssignment: ${String(ps.Name)} → ${u}`;
    },
  },
};
