/*
 * --fix: the smallest set of org changes that repairs the diagnosed cause, planned from what the inspector read —
 * before anything is touched. Additive first: reuse a permission set that already grants the app, else create one
 * with a fixed name; assign it. Idempotent: every create step names the fields by which a record already there is that
 * step's record (`reuse`), so a run after a partial one reuses what it made instead of failing on it. Causes the org cannot fix (key, certificate upload, clock, URL, username) get their
 * manual steps, never a pretend fix. Pure: no I/O.
 */
import type { CauseCode } from '../types.js';
import { text } from '../text.js';
import type { OrgInspection } from '../../salesforce/inspection.js';

export type FieldValue = string | { ref: string };

export type FixStep = {
  /** Name other steps refer to (`{ ref: 'permissionSet' }` is that step's new record id). */
  id: string;
  action: 'create' | 'delete';
  sobject: 'PermissionSet' | 'SetupEntityAccess' | 'PermissionSetAssignment';
  fields?: Record<string, FieldValue>;
  /** For delete: the record, found at apply time by these field values (a read, before any write). */
  match?: Record<string, string>;
  /** For create: a record with these field values (looked up before the write) is this step's record, reused. */
  reuse?: Record<string, FieldValue>;
  description: string;
};

export type FixPlan = {
  cause: CauseCode;
  /** True when the steps, once applied, repair the cause. */
  fixable: boolean;
  steps: FixStep[];
  /** Why not, or what else a person must do (texts for the human report). */
  notes: string[];
  /** For a self-authorize app: the one-time approval URL (--open opens it). */
  approvalUrl?: string;
};

/** A permission set API name: letters, digits, single underscores, starting with a letter, at most 80 characters. */
export function permissionSetName(appName: string): string {
  const base = `JWT_Login_${appName}`
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return base.slice(0, 80).replace(/_$/, '');
}

function preauthorizePlan(org: OrgInspection): FixPlan {
  const user = org.user!;
  const app = org.app!;
  const notes: string[] = [];
  // A permission set (not a profile) that already grants the app: reuse it — one assignment is the smallest change.
  const granting = (org.grants ?? []).find((g) => !g.isOwnedByProfile && g.permissionSetName);
  if (granting) {
    const existing = org.assignments.find((a) => a.permissionSetId === granting.parentId);
    const steps: FixStep[] = [];
    if (existing && !existing.effective) {
      steps.push({
        id: 'expiredAssignment',
        action: 'delete',
        sobject: 'PermissionSetAssignment',
        match: { AssigneeId: user.id, PermissionSetId: granting.parentId },
        description: text('fixPlan.step.removeExpiredAssignment', {
          username: user.username,
          permissionSet: granting.permissionSetName,
        }),
      });
    }
    steps.push({
      id: 'assignment',
      action: 'create',
      sobject: 'PermissionSetAssignment',
      fields: { AssigneeId: user.id, PermissionSetId: granting.parentId },
      reuse: { AssigneeId: user.id, PermissionSetId: granting.parentId },
      description: text('fixPlan.step.assignGrantingSet', {
        permissionSet: granting.permissionSetName,
        appName: app.label ?? app.name,
        username: user.username,
      }),
    });
    return { cause: 'USER_NOT_PREAUTHORIZED', fixable: true, steps, notes };
  }
  const name = permissionSetName(app.name);
  return {
    cause: 'USER_NOT_PREAUTHORIZED',
    fixable: true,
    notes,
    steps: [
      {
        id: 'permissionSet',
        action: 'create',
        sobject: 'PermissionSet',
        fields: { Name: name, Label: `JWT login: ${app.label ?? app.name}`.slice(0, 80) },
        // The fixed API name: an earlier run's permission set is this one.
        reuse: { Name: name },
        description: text('fixPlan.step.createPermissionSet', { permissionSet: name }),
      },
      {
        id: 'grant',
        action: 'create',
        sobject: 'SetupEntityAccess',
        fields: { ParentId: { ref: 'permissionSet' }, SetupEntityId: app.id! },
        reuse: { ParentId: { ref: 'permissionSet' }, SetupEntityId: app.id! },
        description: text('fixPlan.step.grantApp', { appName: app.label ?? app.name, permissionSet: name }),
      },
      {
        id: 'assignment',
        action: 'create',
        sobject: 'PermissionSetAssignment',
        fields: { AssigneeId: user.id, PermissionSetId: { ref: 'permissionSet' } },
        reuse: { AssigneeId: user.id, PermissionSetId: { ref: 'permissionSet' } },
        description: text('fixPlan.step.assignNewSet', { permissionSet: name, username: user.username }),
      },
    ],
  };
}

export function planFix(cause: CauseCode | undefined, org: OrgInspection | undefined, approvalUrl: string): FixPlan {
  const code = cause ?? 'UNKNOWN';
  const none = (notes: string[]): FixPlan => ({ cause: code, fixable: false, steps: [], notes });
  if (!org) return none([text('fixPlan.note.notInspected')]);
  // Never change an org other than the one the login goes to (a production admin for a sandbox login, say).
  if (org.otherOrg) return none([text('fixPlan.note.otherOrg', { reason: org.otherOrg })]);
  switch (code) {
    case 'USER_NOT_PREAUTHORIZED':
      if (!org.user || !org.app?.id) return none([text('fixPlan.note.unreadable')]);
      if (!org.app.adminApproved) return none([text('fixPlan.note.selfAuthorize')]);
      return preauthorizePlan(org);
    case 'USER_NOT_APPROVED':
      return {
        cause: code,
        fixable: false,
        steps: [],
        approvalUrl,
        notes: [
          text('fixPlan.note.approveOnce', { username: org.user?.username ?? text('phrase.otherOrg.theUser') }),
          text('fixPlan.note.lastingFix'),
        ],
      };
    case 'REFRESH_SCOPE_MISSING':
      return none([text('fixPlan.note.refreshScope')]);
    default:
      return none([text('fixPlan.note.notFixable', { code })]);
  }
}

/** `ids`: the record ids earlier steps made or found, once known; an id not known yet reads `<id of …>`. */
function pairs(values: Record<string, FieldValue>, ids?: ReadonlyMap<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      const value = typeof v === 'string' ? v : (ids?.get(v.ref) ?? text('fixPlan.idOf', { ref: v.ref }));
      // sf data … --values takes space-separated pairs; a value with spaces goes in single quotes.
      return `${k}=${/\s/.test(value) ? `'${value.replace(/'/g, "\\'")}'` : value}`;
    })
    .join(' ');
}

/** The plan as sf commands a person could run instead (for --dry-run and the undo list). */
export function describeStep(step: FixStep, adminOrg: string, ids?: ReadonlyMap<string, string>): string {
  const fields = pairs(step.fields ?? step.match ?? {}, ids);
  return step.action === 'create'
    ? `sf data create record --sobject ${step.sobject} --values "${fields}" --target-org ${adminOrg}`
    : `sf data delete record --sobject ${step.sobject} --where "${fields}" --target-org ${adminOrg}`;
}

/** Undo of a record whose id is not known (its write's answer never arrived): found by the fields it was made with. */
export function undoWhere(sobject: string, values: Record<string, string>, adminOrg: string): string {
  return `sf data delete record --sobject ${sobject} --where "${pairs(values)}" --target-org ${adminOrg}`;
}

export function undoCommand(sobject: string, recordId: string, adminOrg: string): string {
  return `sf data delete record --sobject ${sobject} --record-id ${recordId} --target-org ${adminOrg}`;
}
