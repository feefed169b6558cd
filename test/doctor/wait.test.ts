import { expect } from 'chai';
import { waitUntilWorks } from '../../src/doctor/wait.js';
import type { JwtDoctorResult, Verdict } from '../../src/doctor/types.js';

const result = (verdict: Verdict): JwtDoctorResult => ({
  verdict,
  cause: null,
  checks: [],
  fixes: [],
  attempts: [],
  loginCommand: null,
  inputs: [],
  ignoredFlags: [],
});

function clock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe('--wait: polling until the login works', () => {
  it('stops at the first working run', async () => {
    const verdicts: Verdict[] = ['fail', 'fail', 'pass', 'fail'];
    const c = clock();
    const progress: number[] = [];
    const out = await waitUntilWorks(async () => result(verdicts.shift()!), {
      until: 100_000,
      intervalMs: 10_000,
      ...c,
      onProgress: (n) => progress.push(n),
    });
    expect(out.result.verdict).to.equal('pass');
    expect(out.attempts).to.equal(3);
    expect(progress).to.deep.equal([1, 2]);
    expect(c.now()).to.equal(20_000);
  });

  it('does not poll a confirmed cause in the local inputs (a missing key file does not appear by waiting)', async () => {
    const c = clock();
    const missing: JwtDoctorResult = {
      ...result('fail'),
      cause: { code: 'KEY_FILE_MISSING', summary: '', confidence: 'confirmed', alternatives: [] },
    };
    const out = await waitUntilWorks(async () => missing, { until: 100_000, intervalMs: 10_000, ...c });
    expect(out.attempts).to.equal(1);
    expect(c.now()).to.equal(0);
    // An org-side cause is what --wait is for: it keeps polling.
    const notApproved: JwtDoctorResult = {
      ...result('fail'),
      cause: { code: 'USER_NOT_APPROVED', summary: '', confidence: 'confirmed', alternatives: [] },
    };
    expect(
      (await waitUntilWorks(async () => notApproved, { until: 25_000, intervalMs: 10_000, ...clock() })).attempts,
    ).to.equal(4);
  });

  it('gives up when time runs out, with the last result', async () => {
    const c = clock();
    const out = await waitUntilWorks(async () => result('fail'), { until: 25_000, intervalMs: 10_000, ...c });
    expect(out.result.verdict).to.equal('fail');
    expect(out.attempts).to.equal(4); // t=0, 10 s, 20 s, 25 s
    expect(c.now()).to.equal(25_000);
  });

  it('does not wait at all when the first run works (warn counts as working)', async () => {
    const c = clock();
    const out = await waitUntilWorks(async () => result('warn'), { until: 60_000, intervalMs: 10_000, ...c });
    expect(out.attempts).to.equal(1);
    expect(c.now()).to.equal(0);
  });
});
