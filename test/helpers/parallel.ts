/*
 * Small helpers for the reliability suites: run async jobs a few at a time (each CLI run is a Node process of ~1 s),
 * and the checks every run of the real command must pass (exit code from the verdict, no stack trace).
 */
import type { Verdict } from '../../src/doctor/types.js';

/** Runs `jobs` with at most `width` in flight; results keep the order of `jobs`. */
export async function inGroups<T>(jobs: Array<() => Promise<T>>, width = 4): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}

/** DESIGN.md §2: 0 works (pass, warn), 1 cause found, 2 usage error, 3 inconclusive. */
export function exitCodeOf(verdict: Verdict): number {
  return { pass: 0, warn: 0, fail: 1, inconclusive: 3 }[verdict];
}

/** A JavaScript stack frame ("    at fn (file.js:1:2)"). */
export const STACK_FRAME = /\n\s+at (?:async )?\S.*:\d+:\d+\)?/;

/**
 * The text of a run where a stack trace must not appear. The sf error envelope (--json usage errors) carries sf's
 * own `stack` and `cause` fields by design (sf-plugins-core SfCommandError.toJson); everything else must be clean.
 */
export function textWithoutEnvelopeStack(stdout: string): string {
  try {
    const parsed = JSON.parse(stdout) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object' && 'stack' in parsed) {
      const rest = { ...parsed };
      delete rest.stack;
      delete rest.cause;
      return JSON.stringify(rest, null, 2);
    }
  } catch {
    // not JSON: check the text as it is
  }
  return stdout;
}

/** A seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
