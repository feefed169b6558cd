/* Salesforce record ids: 15-char case-sensitive ids and the 18-char case-safe form with its checksum suffix. */
import { idChecksum } from '../src/knowledge/recordId.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Appends the 3-char checksum that makes a 15-char id case-insensitively unique (the documented algorithm). */
export function to18(id15: string): string {
  if (id15.length === 18) return id15;
  if (id15.length !== 15) throw new Error(`not a 15-char Salesforce id: ${id15}`);
  return id15 + idChecksum(id15);
}

function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** Hands out ids per key prefix: `<prefix><pod 2><0000><counter 6>` (15 chars) in 18-char form. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  public constructor(private readonly pod: string) {}

  public next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return to18(`${prefix}${this.pod}0000${base62(n, 6)}`);
  }
}

/** Key prefixes of the objects the simulator serves. */
export const PREFIX = {
  Organization: '00D',
  User: '005',
  Profile: '00e',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  PermissionSetGroup: '0PG',
  PermissionSetGroupComponent: '0PH',
  SetupEntityAccess: '0J0',
  ConnectedApplication: '0H4',
  AppMenuItem: '0DS',
  ExternalClientApplication: '0xI',
  ExtlClntAppOauthPlcyCnfg: '0xP',
  UserLogin: '060',
  LoginHistory: '0Ya',
  OrgDomainLog: '4Dl',
  Domain: '0I4',
  UserLicense: '100',
  QueryLocator: '01g',
} as const;
