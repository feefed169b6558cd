import { expect } from 'chai';
import { waitUntilWorks } from '../../src/doctor/wait.js';
import type { JwtDoctorResult, Verdict } from '../../src/doctor/types.js';
import { resultOf } from '../helpers/results.js';

const result = resultOf;

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
    expect(c.now(), 'the second pause is twice the first').to.equal(30_000);
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
    ).to.equal(3);
  });

  it('gives up when time runs out, with the last result', async () => {
    const c = clock();
    const out = await waitUntilWorks(async () => result('fail'), { until: 25_000, intervalMs: 10_000, ...c });
    expect(out.result.verdict).to.equal('fail');
    expect(out.attempts).to.equal(3); // t=0, 10 s, 25 s (the 20 s pause cut short by the end)
    expect(c.now()).to.equal(25_000);
  });

  it('does not wait at all when the first run works (warn counts as working)', async () => {
    const c = clock();
    const out = await waitUntilWorks(async () => result('warn'), { until: 60_000, intervalMs: 10_000, ...c });
    expect(out.attempts).to.equal(1);
    expect(c.now()).to.equal(0);
  });

  it('backs off between rounds (the login budget): each pause doubles, up to the cap', async () => {
    const c = clock();
    const pauses: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      pauses.push(ms);
      await c.sleep(ms);
    };
    const out = await waitUntilWorks(async () => ({ ...result('fail'), tokenRequests: 5 }), {
      until: 600_000,
      intervalMs: 20_000,
      now: c.now,
      sleep,
    });
    expect(pauses.slice(0, 5)).to.deep.equal([20_000, 40_000, 80_000, 80_000, 80_000]);
    // A fixed 20 s interval would have asked 31 times in 10 minutes; the back-off asks 10 times.
    expect(out.attempts).to.equal(10);
    console.log(
      `      --wait 10 with a 20 s interval: ${out.attempts} rounds, ${out.result.tokenRequests} token requests`,
    );
    expect(out.result.tokenRequests, "every round's token requests, summed").to.equal(5 * out.attempts);
  });

  it('does not poll a login rate limit: every round would be one more login against it', async () => {
    const limited: JwtDoctorResult = {
      ...result('fail'),
      tokenRequests: 1,
      cause: { code: 'LOGIN_RATE_EXCEEDED', summary: '', confidence: 'confirmed', alternatives: [] },
    };
    const out = await waitUntilWorks(async () => limited, { until: 600_000, intervalMs: 20_000, ...clock() });
    expect(out.attempts).to.equal(1);
    expect(out.result.tokenRequests).to.equal(1);
  });
});
