/*
 * Round-trip depth from the simulator's request log: the longest chain of requests in which each one started only
 * after the previous one ended (requests that overlap in time cost one round trip together).
 */
import type { LogEntry } from '../../simulator/index.js';

export function roundTripDepth(log: LogEntry[], slackMs = 5): number {
  const spans = log
    .map((e) => ({ start: Date.parse(e.time), end: Date.parse(e.time) + e.ms }))
    .sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  spans.forEach((s, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) if (spans[j].end <= s.start + slackMs) best = Math.max(best, depth[j]);
    depth[i] = best + 1;
  });
  return Math.max(0, ...depth);
}
