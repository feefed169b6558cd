/*
 * Admin pre-authorization, evaluated from the inspection: which of the user's profile and permission sets (active,
 * unexpired assignments; the sets inside assigned permission set groups too) are granted the app.
 */
import type { AppFacts, AssignmentFacts, OrgInspection } from '../../salesforce/inspection.js';

export type Preauthorization = {
  profileName?: string;
  /** Granted through the profile. */
  viaProfile: boolean;
  /** The user's effective permission sets that are granted the app (`Set` or `Set (group G)`). */
  viaSets: string[];
  /** Every effective permission set of the user (not profile-owned), for the fix text. */
  userSets: string[];
  /** Granted sets the user has only through an inactive or expired assignment. */
  lapsed: Array<{ name: string; expirationDate?: string | null; isActive: boolean; group?: string }>;
  /** Granted sets the user is not assigned at all. */
  unassigned: string[];
};

export function preauthorization(ins: OrgInspection, app: AppFacts): Preauthorization {
  const profileName = ins.user?.profileName;
  const granted = new Set(app.grantedPermissionSets.map((n) => n.toLowerCase()));
  const own = ins.assignments.filter((a) => !a.isOwnedByProfile && !a.groupId);
  const groups = ins.assignments.filter((a) => a.groupId);
  const inGroup = (groupId: string): string[] =>
    ins.groupComponents.filter((c) => c.groupId === groupId).map((c) => c.name);
  const effective = [
    ...own.filter((a) => a.effective).map((a) => ({ name: a.name, shown: a.name })),
    ...groups
      .filter((a) => a.effective)
      .flatMap((a) => inGroup(a.groupId!).map((n) => ({ name: n, shown: `${n} (group ${a.groupName ?? a.name})` }))),
  ];
  const lapsedRows = [...own, ...groups].filter((a) => !a.effective);
  const lapsed = lapsedRows
    .flatMap((a): Array<AssignmentFacts & { group?: string }> =>
      a.groupId ? inGroup(a.groupId).map((n) => ({ ...a, name: n, group: a.groupName ?? a.name })) : [a],
    )
    .filter((a) => granted.has(a.name.toLowerCase()))
    .map((a) => ({
      name: a.name,
      expirationDate: a.expirationDate,
      isActive: a.isActive,
      ...(a.group ? { group: a.group } : {}),
    }));
  const known = new Set([...effective.map((e) => e.name.toLowerCase()), ...lapsed.map((l) => l.name.toLowerCase())]);
  return {
    profileName,
    viaProfile: Boolean(profileName && app.grantedProfiles.some((p) => p.toLowerCase() === profileName.toLowerCase())),
    viaSets: effective.filter((e) => granted.has(e.name.toLowerCase())).map((e) => e.shown),
    userSets: [...new Set(effective.map((e) => e.shown))],
    lapsed,
    unassigned: app.grantedPermissionSets.filter((n) => !known.has(n.toLowerCase())),
  };
}

export function isPreauthorized(p: Preauthorization): boolean {
  return p.viaProfile || p.viaSets.length > 0;
}
