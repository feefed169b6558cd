/* The org the admin check tests start from: production org Acme, its CI user, nothing read about an app yet. */
import type { OrgInspection } from '../../../src/salesforce/inspection.js';

export function orgInspection(over: Partial<OrgInspection> = {}): OrgInspection {
  return {
    adminOrg: 'admin',
    adminUsername: 'admin@acme.com',
    orgId: '00D000000000001AAA',
    org: {
      id: '00D000000000001AAA',
      name: 'Acme',
      isSandbox: false,
      kind: 'production',
      organizationType: 'Enterprise Edition',
    },
    myDomainUrl: 'https://acme.my.salesforce.com',
    user: {
      id: '005000000000002AAA',
      username: 'ci@acme.com',
      isActive: true,
      userType: 'Standard',
      profileName: 'Integration User',
      isFrozen: false,
      isPasswordLocked: false,
    },
    similarUsers: [],
    assignments: [],
    groupComponents: [],
    certificates: [],
    appKeys: [],
    appsSearched: { connectedApps: 1, externalClientApps: 0 },
    approvals: [],
    approvalsComplete: true,
    errors: {},
    rounds: 3,
    requests: 16,
    ...over,
  };
}
