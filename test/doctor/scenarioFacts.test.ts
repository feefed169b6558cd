/*
 * The fact rules the rendered-sentence test applies (test/helpers/scenarioFacts.ts) catch what they are for: a sentence
 * that says the opposite of the org — the inverted "…'s profile Integration User … is granted it" among them.
 */
import { expect } from 'chai';
import { loadScenario } from '../../simulator/index.js';
import { contradictions } from '../helpers/scenarioFacts.js';

const org = loadScenario('not-preauthorized-profile');

describe('scenario facts: sentences that negate the org', () => {
  it('flags a grant the app does not have, in the old inverted wording', () => {
    const said =
      "CI_Deploy_App is admin-approved and ci@acme.com's profile Integration User (the user has no permission sets) is granted it; it is granted to profile System Administrator.";
    expect(contradictions(org, said).map((v) => v.claim)).to.include(
      'CI_Deploy_App is granted to profile Integration User',
    );
  });

  it('passes the true sentence, and flags its negation', () => {
    const truth =
      "CI_Deploy_App is admin-approved and granted to profile System Administrator, but not to ci@acme.com's profile Integration User (the user has no permission sets).";
    expect(contradictions(org, truth)).to.deep.equal([]);
    const swapped =
      "CI_Deploy_App is admin-approved and granted to profile Integration User, but not to ci@acme.com's profile System Administrator.";
    expect(contradictions(org, swapped).map((v) => v.claim)).to.have.members([
      'CI_Deploy_App is granted to profile Integration User',
      'CI_Deploy_App is not granted to profile System Administrator',
    ]);
  });

  it('flags policy, user state and profile claims the org contradicts', () => {
    const claims = contradictions(
      org,
      'CI_Deploy_App is "All users may self-authorize", and ci@acme.com has never approved it.\n' +
        'ci@acme.com is frozen.\nci@acme.com has profile Standard User and no permission sets.',
    ).map((v) => v.claim);
    expect(claims).to.have.members([
      'CI_Deploy_App lets all users self-authorize',
      'ci@acme.com is frozen',
      'ci@acme.com has profile Standard User',
    ]);
  });

  it('flags "never approved" when the org holds the approval', () => {
    const approved = loadScenario('healthy-developer');
    const user = approved.login!.username;
    const app = approved.login!.app!;
    expect(
      approved.approvals?.some((a) => a.user === user && a.app === app),
      'the scenario approves',
    ).to.equal(true);
    expect(
      contradictions(approved, `${app} is "All users may self-authorize", and ${user} has never approved it.`),
    ).to.have.length.greaterThan(0);
  });
});
