/*
 * The org inspector (--admin-org): reads the org's setup through @salesforce/core's Connection. Filled in by the
 * org-inspection work; this is the shape the checks read.
 */
export type OrgInspection = {
  myDomainUrl?: string;
  callbackUrl?: string;
};
