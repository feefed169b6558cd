/*
 * Safety rules 1, 2 and 4 (DESIGN.md §2) over every scenario: nothing persisted in a HOME that already holds logins
 * (auth files, aliases, config, keychain key — log files aside), no request that changes the org (the simulator marks
 * them: sobject writes, Metadata deploys, token revocation), and no request to a host that is neither a Salesforce
 * domain nor loopback, every request arriving over loopback.
 */
import { expect } from 'chai';
import { scenarioMatrix, type Matrix } from '../helpers/scenarioMatrix.js';

const SALESFORCE_DOMAIN =
  /(^|\.)(salesforce\.com|force\.com|salesforce-setup\.com|sfcrmproducts\.cn|sfcrmapps\.cn|cloudforce\.com|database\.com|salesforce\.mil|force\.mil|cloudforce\.mil|salesforce-hub\.com|crmforce\.mil|sfdcopens\.com)$/i;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

describe('reliability: no side effects', function () {
  this.timeout(900_000);
  let m: Matrix;

  before(async () => {
    m = await scenarioMatrix();
  });

  it('persists nothing: auth files, aliases, config and keychain key are byte-for-byte unchanged', () => {
    const changed: string[] = [];
    let files = 0;
    for (const r of m.runs) {
      files += Object.keys(r.homeBefore).length;
      expect(Object.keys(r.homeBefore).length, 'the HOME holds logins').to.be.at.least(5);
      const keys = new Set([...Object.keys(r.homeBefore), ...Object.keys(r.homeAfter)]);
      for (const k of keys)
        if (r.homeBefore[k] !== r.homeAfter[k])
          changed.push(
            `${r.scenario} (${r.mode}): ${k} ${r.homeBefore[k] ? (r.homeAfter[k] ? 'changed' : 'deleted') : 'created'}`,
          );
    }
    console.log(
      `      checked ${m.runs.length} runs, ${files} stored files before and after: ${changed.length} changes`,
    );
    expect(changed).to.deep.equal([]);
  });

  it('makes no request that changes the org', () => {
    const mutating = m.runs.flatMap((r) =>
      r.requests.filter((q) => q.mutating).map((q) => `${r.scenario} (${r.mode}): ${q.method} ${q.host}${q.path}`),
    );
    const total = m.runs.reduce((n, r) => n + r.requests.length, 0);
    console.log(`      checked ${m.runs.length} runs, ${total} requests: ${mutating.length} mutating`);
    expect(total).to.be.greaterThan(m.runs.length);
    expect(mutating).to.deep.equal([]);
  });

  it('talks only to Salesforce domains and loopback, over loopback', () => {
    const foreign: string[] = [];
    let total = 0;
    for (const r of m.runs) {
      for (const q of r.requests) {
        total++;
        if (!SALESFORCE_DOMAIN.test(q.host) && !LOOPBACK.test(q.host))
          foreign.push(`${r.scenario} (${r.mode}): ${q.method} ${q.host}${q.path}`);
        if (!q.loopback) foreign.push(`${r.scenario} (${r.mode}): from ${q.remoteAddress}`);
      }
    }
    const hosts = new Set(m.runs.flatMap((r) => r.requests.map((q) => q.host)));
    console.log(
      `      checked ${total} requests to ${hosts.size} hosts (${[...hosts].sort().join(', ')}): ${foreign.length} foreign`,
    );
    expect(foreign).to.deep.equal([]);
  });
});
