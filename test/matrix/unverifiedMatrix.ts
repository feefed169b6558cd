/*
 * The unverified-behaviour matrix (issue 10, point 4): every scenario under every value of every unverified option of
 * the simulator (simulator/behaviour.ts BEHAVIOUR_VARIANTS), one option at a time over the scenario's own
 * `server.behaviour`. The org is the same in every cell; only Salesforce's unsettled answer changes.
 *
 * Per scenario, once under its own behaviour (the baseline), in this order on one simulated org:
 *   A. @salesforce/core's own JWT login (coreLogin, in-process),
 *   B. the doctor with the login flags (--json, in-process),
 *   C. an admin connection stored the way sf stores it (storeAdminAuth), then the doctor with --admin-org.
 * Every request the org received is kept (as the handlers saw it). Which variants can change anything is decided by
 * replaying those requests, in order, against two fresh orgs in this process — one with the scenario's behaviour,
 * one with the variant — and comparing every answer (status, content type, body; tokens and times masked). Core and
 * the doctor decide only from these answers, so when every answer is the same both runs would be the same: the cell
 * is counted as unchanged and not run. Otherwise the cell is run for real (A, B, C against a simulator started with
 * the variant) and judged:
 *   1. the verdict agrees with core's login: login works ⇔ verdict pass/warn ⇔ exit code 0;
 *   2. the cause is the scenario's `expect.cause`, or `likely` with it among the alternatives (a login that works
 *      may also name no cause, or a `likely` one: the advice of its warning, nothing blocks it);
 *   3. never a `confirmed` cause other than the scenario's.
 */
import {
  answer,
  BEHAVIOUR_VARIANTS,
  behaviourOf,
  loadScenario,
  OrgState,
  startSimulator,
  type Behaviour,
  type Scenario,
  type SimRequest,
  type Simulator,
} from '../../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from '../helpers/cli.js';
import { coreLogin, type CoreLogin } from '../helpers/coreLogin.js';

export type Option = keyof typeof BEHAVIOUR_VARIANTS;
export type Mode = 'no admin' | '--admin-org';

/** One judged run: which Salesforce, which org, with or without the admin connection. */
export type Cell = {
  key: string;
  option: Option | 'base';
  value: string;
  scenario: string;
  mode: Mode;
  core: CoreLogin;
  doctor: string;
  problems: string[];
};

export type ScenarioMatrix = {
  scenario: string;
  /** The scenario's own behaviour, judged like every other cell. */
  baseline: Cell[];
  /** Cells of variants whose answers differ from the baseline's. */
  cells: Cell[];
  /** `option=value` pairs under which the org answered every request of the baseline exactly as before. */
  unchanged: string[];
  /** `option=value` → the first request answered differently (for the report). */
  changedBy: Record<string, string>;
  seconds: number;
};

export const OPTIONS = Object.keys(BEHAVIOUR_VARIANTS) as Option[];

export function cellKey(option: Option | 'base', value: unknown, scenario: string, mode: Mode): string {
  return option === 'base' ? `base | ${scenario} | ${mode}` : `${option}=${String(value)} | ${scenario} | ${mode}`;
}

/** The values of each option other than the scenario's own: the variants of that scenario. */
export function variantsOf(scenario: Scenario): Array<{ option: Option; value: unknown }> {
  const own = behaviourOf(scenario.server?.behaviour) as Record<Option, unknown>;
  return OPTIONS.flatMap((option) =>
    (BEHAVIOUR_VARIANTS[option] as readonly unknown[])
      .filter((v) => v !== own[option])
      .map((value) => ({ option, value })),
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Running A, B, C against one simulated org

type Runs = { core: CoreLogin; doctor: Record<Mode, CliRun> };

function loginArgs(sim: Simulator): string[] {
  const l = sim.login!;
  const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId];
  if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
  if (l.audienceUrl) args.push('--audience-url', l.audienceUrl);
  return [...args, '--json', '--timeout', '30'];
}

async function runAll(sim: Simulator, phase: (name: 'A' | 'B' | 'C') => void = () => undefined): Promise<Runs> {
  const l = sim.login!;
  const env = { ...sim.env, ...KEYCHAIN_ENV };
  phase('A');
  // plugin-auth passes --instance-url as URL.href; SF_AUDIENCE_URL is how a user sets sf's aud.
  const core = await coreLogin(sim, {
    ...l,
    loginUrl: l.instanceUrl ? new URL(l.instanceUrl).href : undefined,
    audienceUrl: l.audienceUrl,
  });
  phase('B');
  const plain = await runInProcess(loginArgs(sim), { env });
  phase('C');
  const home = tempHome();
  try {
    await storeAdminAuth(sim, home, { alias: 'admin' });
    const admin = await runInProcess([...loginArgs(sim), '--admin-org', 'admin'], { env, home });
    return { core, doctor: { 'no admin': plain, '--admin-org': admin } };
  } finally {
    removeDir(home);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The "can change" gate: the baseline's requests replayed against the default org and the variant org

type Recording = { requests: SimRequest[]; tokens: OrgState['tokens'] };

const MASKS: Array<[RegExp, string]> = [
  [/00D[0-9A-Za-z]{12,15}![0-9A-Za-z._-]+/g, '<token>'],
  [/"signature":"[^"]*"/g, '"signature":"<sig>"'],
  [/"issued_at":"\d+"/g, '"issued_at":"<t>"'],
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>'],
];

function masked(text: string): string {
  return MASKS.reduce((t, [re, to]) => t.replace(re, to), text);
}

/** Every answer the org gives to the recorded requests, in order, from a fresh org with this scenario. */
function replay(scenario: Scenario, recording: Recording): string[] {
  const state = new OrgState(scenario);
  // The sessions the baseline's requests carry (the admin's, the probe's) exist in the replayed org too.
  for (const [token, issued] of recording.tokens) state.tokens.set(token, { ...issued });
  return recording.requests.map((req) => {
    // The live requests came milliseconds apart; here they would share a millisecond (and LoginHistory's order by
    // LoginTime would tie): each replayed request is a millisecond later on the org's clock.
    state.clockOffsetSeconds += 0.001;
    const copy: SimRequest = { ...req, query: new URLSearchParams(req.query), body: Buffer.from(req.body) };
    try {
      const res = answer(state, copy);
      return `${res.status} ${String(res.headers['content-type'] ?? '')} ${masked(res.body)}`;
    } catch (e) {
      return `throws ${(e as Error).message}`;
    }
  });
}

function withBehaviour(scenario: Scenario, behaviour: Behaviour): Scenario {
  return { ...scenario, server: { ...scenario.server, behaviour: { ...scenario.server?.behaviour, ...behaviour } } };
}

// ---------------------------------------------------------------------------------------------------------------------
// Judging a cell

function describeCore(core: CoreLogin): string {
  return core.ok ? 'works' : `fails (${(core.message ?? '').split('\n')[0].slice(0, 120)})`;
}

function describeDoctor(run: CliRun): string {
  const r = run.json?.result;
  if (!r) return `no JSON (exit ${String(run.code)}): ${run.stderr.split('\n')[0].slice(0, 160)}`;
  const c = r.cause;
  const cause = c
    ? `${c.code} ${c.confidence}${c.alternatives.length ? ` [${c.alternatives.join(', ')}]` : ''}`
    : 'no cause';
  return `${r.verdict}, exit ${String(run.code)}, ${cause}`;
}

export function judge(expected: string | null, core: CoreLogin, run: CliRun): string[] {
  const r = run.json?.result;
  if (!r) return [`no JSON result (exit ${String(run.code)})`];
  const problems: string[] = [];
  const works = r.verdict === 'pass' || r.verdict === 'warn';
  if (works !== core.ok) problems.push(`verdict ${r.verdict} but core's login ${core.ok ? 'works' : 'fails'}`);
  if ((run.code === 0) !== core.ok)
    problems.push(`exit code ${String(run.code)} but core's login ${core.ok ? 'works' : 'fails'}`);
  const c = r.cause;
  // A login that works may carry a `likely` cause: the warning's advice (a fallback pair did it), never a finding.
  const advice = core.ok && expected === null && c?.confidence === 'likely';
  const right =
    c === null
      ? expected === null || core.ok
      : advice ||
        c.code === expected ||
        (expected !== null && c.confidence === 'likely' && c.alternatives.includes(expected as never));
  if (!right) {
    const org = expected ?? 'none';
    problems.push(
      c?.confidence === 'confirmed'
        ? `wrong confirmed cause ${c.code} (the org's: ${org})`
        : `cause ${c ? `${c.code} ${c.confidence}` : 'none'}, the org's ${org} not among the alternatives`,
    );
  }
  return problems;
}

function cellsOf(option: Option | 'base', value: unknown, scenario: Scenario, runs: Runs): Cell[] {
  const name = scenario.name!;
  const expected = scenario.expect?.cause ?? null;
  return (['no admin', '--admin-org'] as Mode[]).map((mode) => ({
    key: cellKey(option, value, name, mode),
    option,
    value: String(value),
    scenario: name,
    mode,
    core: runs.core,
    doctor: describeDoctor(runs.doctor[mode]),
    problems: judge(expected, runs.core, runs.doctor[mode]),
  }));
}

// ---------------------------------------------------------------------------------------------------------------------

/** The whole matrix of one scenario: baseline, gate, and every variant cell that can change. */
export async function scenarioMatrix(name: string): Promise<ScenarioMatrix> {
  const started = Date.now();
  const scenario = loadScenario(name);
  const recording: Recording = { requests: [], tokens: new Map() };
  const live: { tokens?: OrgState['tokens'] } = {};
  const sim = await startSimulator({
    scenario: name,
    onRequest: (req) => {
      // Tokens issued by earlier requests (or for the admin) before this one uses them.
      for (const [token, issued] of live.tokens ?? []) recording.tokens.set(token, issued);
      recording.requests.push({ ...req, query: new URLSearchParams(req.query), body: Buffer.from(req.body) });
    },
  });
  live.tokens = sim.state.tokens;
  let base: Runs;
  try {
    base = await runAll(sim);
  } finally {
    await sim.stop();
  }
  const out: ScenarioMatrix = {
    scenario: name,
    baseline: cellsOf('base', '', scenario, base),
    cells: [],
    unchanged: [],
    changedBy: {},
    seconds: 0,
  };

  const reference = replay(scenario, recording);
  const again = replay(scenario, recording);
  const noisy = reference.findIndex((a, i) => a !== again[i]);
  if (noisy >= 0)
    throw new Error(
      `${name}: the replay is not deterministic at ${recording.requests[noisy].method} ${recording.requests[noisy].path}?${recording.requests[noisy].query.toString()}\n${reference[noisy]}\n${again[noisy]}`,
    );

  for (const { option, value } of variantsOf(scenario)) {
    const answers = replay(withBehaviour(scenario, { [option]: value }), recording);
    const at = answers.findIndex((a, i) => a !== reference[i]);
    const pair = `${option}=${String(value)}`;
    if (at < 0) {
      out.unchanged.push(pair);
      continue;
    }
    const req = recording.requests[at];
    out.changedBy[pair] = `${req.method} ${req.host} ${req.path}`;
    const variant = await startSimulator({ scenario: name, behaviour: { [option]: value } });
    try {
      out.cells.push(...cellsOf(option, value, scenario, await runAll(variant)));
    } finally {
      await variant.stop();
    }
  }
  out.seconds = (Date.now() - started) / 1000;
  return out;
}

/** A failing cell in one line: the Salesforce, the org, core's login, the doctor's answer and what is wrong. */
export function describeCell(cell: Cell): string {
  return `${cell.key}: core ${describeCore(cell.core)}; doctor ${cell.doctor} — ${cell.problems.join('; ')}`;
}
