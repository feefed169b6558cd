/*
 * --all: every stored JWT login, diagnosed in parallel with bounded concurrency; one row each, and the worst verdict
 * decides the exit code. Pure: the per-login diagnosis is injected.
 */
import type { FleetEntry, JwtDoctorResult, Verdict } from './types.js';

export type JwtDoctorFleetEntry = FleetEntry;

/** Worst first: a found cause outranks an unreachable org, which outranks warnings. */
const SEVERITY: Record<Verdict, number> = { pass: 0, warn: 1, inconclusive: 2, fail: 3 };

export function worstVerdict(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, v) => (SEVERITY[v] > SEVERITY[worst] ? v : worst), 'pass');
}

/**
 * The one JSON shape: --all returns a result like any other (scripts read `.result.verdict` either way) with the
 * logins under `fleet`. No stored JWT login at all decides nothing: inconclusive, never a silent pass in CI.
 */
export function fleetResult(entries: FleetEntry[]): JwtDoctorResult {
  return {
    verdict: entries.length === 0 ? 'inconclusive' : worstVerdict(entries.map((e) => e.result.verdict)),
    cause: null,
    checks: [],
    fixes: [],
    attempts: [],
    // The whole run's logins: every entry's token requests together.
    tokenRequests: entries.reduce((sum, e) => sum + e.result.tokenRequests, 0),
    loginCommand: null,
    inputs: [],
    ignoredFlags: [],
    fleet: entries,
  };
}

export async function runFleet<T>(
  items: T[],
  run: (item: T) => Promise<JwtDoctorFleetEntry>,
  concurrency: number,
): Promise<JwtDoctorFleetEntry[]> {
  const out = new Array<JwtDoctorFleetEntry>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      // eslint-disable-next-line no-await-in-loop -- each worker takes the next login when it is done with one.
      out[index] = await run(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return out;
}

/** One line of fix for the table: the first fix's title and its first command, if any. */
export function oneLineFix(result: JwtDoctorResult): string {
  const fix = result.fixes[0];
  if (!fix) return '';
  return fix.commands[0] ? `${fix.title}: ${fix.commands[0]}` : fix.title;
}

/** The cause as the table shows it: the code, marked when it is not confirmed ("likely"). */
export function causeCell(result: JwtDoctorResult): string {
  const cause = result.cause;
  if (!cause) return '';
  return cause.confidence === 'confirmed' ? cause.code : `${cause.code} (${cause.confidence})`;
}

/** The name a person passes to --from-org for one entry: its alias, else its username. */
export function fleetName(entry: FleetEntry): string {
  return entry.alias ?? entry.username;
}

/**
 * The table's rows and, apart from it, each entry's first fix command: a command is never wrapped or cut inside a
 * cell (a command broken over lines cannot be pasted), so it gets a line of its own under the table.
 */
export function fleetRows(entries: FleetEntry[]): {
  rows: Array<{ org: string; verdict: string; cause: string; fix: string }>;
  commands: Array<{ org: string; command: string }>;
} {
  return {
    rows: entries.map((e) => ({
      org: e.alias ? `${e.alias} (${e.username})` : e.username,
      verdict: e.result.verdict,
      cause: causeCell(e.result),
      fix: e.result.fixes[0]?.title ?? '',
    })),
    commands: entries.flatMap((e) => {
      const command = e.result.fixes[0]?.commands[0];
      return command ? [{ org: fleetName(e), command }] : [];
    }),
  };
}
