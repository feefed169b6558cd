/*
 * Cells of the unverified-behaviour matrix (unverified.test.ts) known to fail today, as `option=value | scenario |
 * mode`. The matrix fails on any failing cell not listed here, and on any listed cell that now holds or no longer
 * runs: the list can only shrink. Empty it as the diagnosis learns to weigh evidence (issue 10, point 1).
 */
export const KNOWN_OPEN: readonly string[] = [];
