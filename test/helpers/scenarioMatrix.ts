/*
 * Every scenario of the simulated org, run through the real command the way a developer's machine would: a HOME that
 * already holds logins (a stored JWT login for the same user with a consumer secret and tokens in it, an alias, a
 * default org, a keychain key) plus, where the scenario names an admin, an --admin-org authorization. Per scenario:
 *   1. --json with the login flags (and --admin-org when there is an admin)
 *   2. human output with --from-org (the stored login), so stored secrets are one read away from the output
 * Each run records stdout, stderr, the log files under ~/.sf, the HOME fingerprint before and after, and the
 * simulator's request log. Computed once per mocha process and shared by secrets.test.ts and sideEffects.test.ts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listScenarios, startSimulator, type LogEntry, type Simulator } from '../../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from './adminOrg.js';
import { removeDir, runInProcess, tempHome, type CliRun } from './cli.js';
import { snapshotHome } from './homeSnapshot.js';
import { pemBody, rsaPem } from './keys.js';
import { keyEncodings } from './leaks.js';
import OrgJwtDoctor from '../../src/commands/org/jwt/doctor.js';
import { inGroups } from './parallel.js';

/** Planted secrets: none of these may ever appear in any output or log. */
export const PLANTED = {
  consumerSecret: 'C0FFEE5EC2E7D00DFEEDFACE0123456789ABCDEF0123456789ABCDEF01234567',
  storedAccessToken: '00D000000000001!AQPLANTEDaccessTOKENdoNotPrint.0123456789abcdefghij',
  storedRefreshToken: '5Aep861PLANTEDrefreshTOKENdoNotPrint0123456789abcdefghijklmnop',
};

export type MatrixRun = {
  scenario: string;
  mode: 'json+admin' | 'json' | 'human --from-org';
  run: CliRun;
  /** Contents of ~/.sf/*.log written during this run (all of them: each run has its own HOME). */
  logs: string[];
  homeBefore: Record<string, string>;
  homeAfter: Record<string, string>;
  requests: LogEntry[];
};

export type Matrix = {
  runs: MatrixRun[];
  scenarios: string[];
  /** Every access token the simulated orgs issued (admin sessions and successful token requests). */
  issuedTokens: string[];
  /** Base64 bodies of every private key the runs used. */
  keyBodies: string[];
  seconds: number;
};

function homeWithLogins(sim: Simulator): string {
  const home = tempHome();
  const l = sim.login!;
  mkdirSync(join(home, '.sfdx'), { recursive: true });
  mkdirSync(join(home, '.sf'), { recursive: true });
  const auth = {
    username: l.username,
    clientId: l.clientId,
    clientSecret: PLANTED.consumerSecret,
    privateKey: l.keyFile,
    loginUrl: l.instanceUrl ?? 'https://login.salesforce.com',
    instanceUrl: l.instanceUrl ?? sim.url(),
    orgId: '00D000000000001AAA',
    accessToken: PLANTED.storedAccessToken,
    refreshToken: undefined,
  };
  writeFileSync(join(home, '.sfdx', `${l.username}.json`), JSON.stringify(auth), { mode: 0o600 });
  writeFileSync(
    join(home, '.sfdx', 'web@acme.com.json'),
    JSON.stringify({
      username: 'web@acme.com',
      clientSecret: PLANTED.consumerSecret,
      refreshToken: PLANTED.storedRefreshToken,
      accessToken: PLANTED.storedAccessToken,
      instanceUrl: sim.url(),
    }),
    { mode: 0o600 },
  );
  writeFileSync(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: { ci: l.username, web: 'web@acme.com' } }));
  writeFileSync(
    join(home, '.sfdx', 'key.json'),
    JSON.stringify({ account: 'local', key: '0123456789abcdef0123456789abcdef', service: 'sfdx' }),
    { mode: 0o600 },
  );
  writeFileSync(join(home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'ci' }));
  return home;
}

function readLogs(home: string): string[] {
  const dir = join(home, '.sf');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

async function runScenario(name: string, out: Matrix): Promise<void> {
  const sim = await startSimulator({ scenario: name });
  try {
    const l = sim.login;
    if (!l) return;
    const keyPem = readFileSync(l.keyFile, 'utf8');
    out.keyBodies.push(pemBody(keyPem));
    const flags = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId];
    if (l.instanceUrl) flags.push('--instance-url', l.instanceUrl);
    const audience = l.audienceUrl ? ['--audience-url', l.audienceUrl] : [];
    const admin = sim.scenario.admin;
    const plans: Array<{ mode: MatrixRun['mode']; args: string[] }> = [
      {
        mode: admin ? 'json+admin' : 'json',
        args: [...flags, ...audience, ...(admin ? ['--admin-org', 'admin'] : []), '--json', '--timeout', '30'],
      },
      { mode: 'human --from-org', args: ['--from-org', 'ci', ...audience, '--timeout', '30'] },
    ];
    for (const plan of plans) {
      const home = homeWithLogins(sim);
      try {
        if (plan.mode === 'json+admin') {
          await storeAdminAuth(sim, home, { alias: 'admin' });
        }
        const homeBefore = snapshotHome(home);
        sim.clearLog();
        const run = await runInProcess(plan.args, { env: { ...sim.env, ...KEYCHAIN_ENV }, home, timeoutMs: 90_000 });
        out.runs.push({
          scenario: name,
          mode: plan.mode,
          run,
          logs: readLogs(home),
          homeBefore,
          homeAfter: snapshotHome(home),
          requests: [...sim.requests],
        });
      } finally {
        removeDir(home);
      }
    }
    out.issuedTokens.push(...sim.state.tokens.keys());
  } finally {
    await sim.stop();
  }
}

let pending: Promise<Matrix> | undefined;

/** Runs the matrix once per process (both suites share it). */
export function scenarioMatrix(): Promise<Matrix> {
  pending ??= (async (): Promise<Matrix> => {
    const started = Date.now();
    const scenarios = listScenarios().map((s) => s.name);
    const out: Matrix = { runs: [], scenarios, issuedTokens: [], keyBodies: [], seconds: 0 };
    await inGroups(
      scenarios.map((name) => () => runScenario(name, out)),
      4,
    );
    out.seconds = (Date.now() - started) / 1000;
    return out;
  })();
  return pending;
}

// ---------------------------------------------------------------------------------------------------------------------
// A private key pasted where a value was expected (issue 11, item 1)

/** Environment variables the doctor reads (and what makes it read them). */
export const READ_ENV: Array<{ name: string; args?: string[] }> = [
  { name: 'SF_AUDIENCE_URL' },
  { name: 'SFDX_AUDIENCE_URL' },
  { name: 'SF_JWT_DOCTOR_CONNECT_TO' },
  { name: 'NODE_EXTRA_CA_CERTS' },
  { name: 'SF_JWT_DOCTOR_WAIT_INTERVAL_MS', args: ['--wait', '1'] },
];

/** Every flag of the command that takes a value (the login flags, --admin-org, --sandbox, --report-file, --trace …). */
export function stringFlags(): string[] {
  return Object.entries({ ...OrgJwtDoctor.baseFlags, ...OrgJwtDoctor.flags })
    .filter(([, f]) => (f as { type: string }).type === 'option')
    .map(([name]) => name);
}

export type PastedRun = {
  /** Where the key was pasted (`--username`, `$SF_AUDIENCE_URL`, a stored auth field) and in which encoding. */
  where: string;
  encoding: string;
  mode: 'json' | 'human';
  run: CliRun;
  /** The Markdown report and the trace file, when the run wrote them. */
  files: Array<[string, string]>;
};

export type PastedMatrix = { pem: string; runs: PastedRun[]; flags: string[]; env: string[]; seconds: number };

/**
 * One scenario with an admin org (so the run reads the org, probes the token endpoint, writes a report and a trace),
 * a key planted in one string flag, one environment variable or one stored auth field at a time, in every encoding;
 * --json and human output alternate over the encodings.
 */
export async function pastedKeyMatrix(): Promise<PastedMatrix> {
  const started = Date.now();
  const pem = rsaPem().pkcs8;
  const encodings = Object.entries(keyEncodings(pem));
  const sim = await startSimulator({ scenario: 'healthy-production' });
  const out: PastedMatrix = { pem, runs: [], flags: stringFlags(), env: READ_ENV.map((e) => e.name), seconds: 0 };
  try {
    const l = sim.login!;
    const good: Record<string, string> = {
      username: l.username,
      'jwt-key-file': l.keyFile,
      'client-id': l.clientId,
      'instance-url': l.instanceUrl ?? sim.url(),
      'admin-org': 'admin',
    };
    const plant = async (
      where: string,
      encoding: string,
      mode: PastedRun['mode'],
      plan: (home: string) => { args: string[]; env?: Record<string, string> },
    ): Promise<void> => {
      const home = homeWithLogins(sim);
      try {
        await storeAdminAuth(sim, home, { alias: 'admin' });
        const report = join(home, 'report.md');
        const trace = join(home, 'run.trace.json');
        const { args, env } = plan(home);
        const files = [
          ...(args.includes('--report-file') ? [] : ['--report-file', report]),
          ...(args.includes('--trace') ? [] : ['--trace', trace]),
        ];
        const run = await runInProcess([...args, ...files, '--timeout', '20', ...(mode === 'json' ? ['--json'] : [])], {
          env: { ...sim.env, ...KEYCHAIN_ENV, ...env },
          home,
          timeoutMs: 90_000,
        });
        const written = (
          [
            ['report', report],
            ['trace', trace],
          ] as const
        )
          .filter(([, f]) => existsSync(f))
          .map(([n, f]): [string, string] => [n, readFileSync(f, 'utf8')]);
        out.runs.push({ where, encoding, mode, run, files: written });
      } finally {
        removeDir(home);
      }
    };
    const asArgs = (values: Record<string, string>): string[] =>
      Object.entries(values).flatMap(([f, v]) => [`--${f}`, v]);
    for (const [i, [encoding, value]] of encodings.entries()) {
      const mode = i % 2 === 0 ? 'json' : 'human';
      for (const flag of out.flags) {
        await plant(`--${flag}`, encoding, mode, () => {
          const values = { ...good, [flag]: value };
          // --from-org supplies the login flags: given alone, as a user would.
          return { args: flag === 'from-org' ? asArgs({ 'from-org': value, 'admin-org': 'admin' }) : asArgs(values) };
        });
      }
      for (const env of READ_ENV) {
        await plant(`$${env.name}`, encoding, mode, () => ({
          args: [...asArgs(good), ...(env.args ?? [])],
          env: {
            [env.name]:
              env.name === 'SF_JWT_DOCTOR_CONNECT_TO' ? `${sim.env.SF_JWT_DOCTOR_CONNECT_TO},${value}` : value,
          },
        }));
      }
      for (const field of ['username', 'loginUrl', 'privateKey', 'clientId']) {
        await plant(`stored auth ${field}`, encoding, mode, (home) => {
          const file = join(home, '.sfdx', `${l.username}.json`);
          writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), [field]: value }), {
            mode: 0o600,
          });
          return { args: ['--from-org', 'ci', '--admin-org', 'admin'] };
        });
      }
    }
  } finally {
    await sim.stop();
  }
  out.seconds = (Date.now() - started) / 1000;
  return out;
}
