/*
 * The simulated Salesforce org, started from code. See README.md for the scenario format and the CLI.
 *
 *   const sim = await startSimulator({ scenario: 'healthy-production' });
 *   installConnectTo({ ...process.env, ...sim.env });   // route login/test/My Domain hosts to it
 *   … sim.requests, sim.approve(…), sim.issueAccessToken(…) …
 *   await sim.stop();
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approveUserAgent, type ApprovalResult } from './authorize.js';
import { Faults } from './faults.js';
import type { LogEntry } from './log.js';
import { namedKey, selfSignedCertificate } from './keys.js';
import type { Behaviour, FaultSpec, Scenario } from './scenario.js';
import type { SimRequest } from './http.js';
import { startServer } from './server.js';
import { loadScenario, OrgState, PRODUCTION_HOST } from './state.js';
import { certificateAuthority } from './tls.js';

export type { Behaviour, FaultSpec, Scenario } from './scenario.js';
export type { SimRequest, SimResponse } from './http.js';
export { route as answer } from './server.js';
export { BEHAVIOUR_VARIANTS, DEFAULT_BEHAVIOUR, behaviourOf } from './behaviour.js';
export type { LogEntry } from './log.js';
export { listScenarios, loadScenario, OrgState } from './state.js';
export { startReplay, type Replay, type ReplayLogEntry, type ReplayOptions } from './replay.js';

export type SimulatorOptions = {
  scenario: string | Scenario;
  port?: number;
  latencyMs?: number;
  faults?: FaultSpec[];
  clockOffsetSeconds?: number;
  /** Unverified-behaviour options over the scenario's own `server.behaviour` (the same org, another Salesforce). */
  behaviour?: Behaviour;
  /** Tests only: every request as the handlers see it, secrets included (see ServerOptions.onRequest). */
  onRequest?: (req: SimRequest) => void;
};

/** The scenario's login block, resolved to what a user passes to `sf org login jwt`. */
export type ResolvedLogin = {
  username: string;
  clientId: string;
  keyFile: string;
  instanceUrl?: string;
  audienceUrl?: string;
};

export type Simulator = {
  port: number;
  protocol: 'https' | 'http';
  scenario: Scenario;
  /** `https://<host>` (routed through env); default host: the org's My Domain. */
  url: (host?: string) => string;
  /** SF_JWT_DOCTOR_CONNECT_TO and NODE_EXTRA_CA_CERTS for this simulator (reflects `refuse` faults on whole hosts). */
  readonly env: Record<string, string>;
  caFile: string;
  keyFile: (name: string) => string;
  certificatePem: (name: string) => string;
  login: ResolvedLogin | undefined;
  requests: LogEntry[];
  clearLog: () => void;
  setFaults: (faults: FaultSpec[]) => void;
  approve: (username: string, appName: string, scopes?: string[]) => ApprovalResult;
  issueAccessToken: (username: string) => { accessToken: string; instanceUrl: string };
  state: OrgState;
  stop: () => Promise<void>;
};

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const loaded = loadScenario(options.scenario);
  const scenario: Scenario = options.behaviour
    ? { ...loaded, server: { ...loaded.server, behaviour: { ...loaded.server?.behaviour, ...options.behaviour } } }
    : loaded;
  const state = new OrgState(scenario, { clockOffsetSeconds: options.clockOffsetSeconds });
  const protocol = scenario.server?.protocol ?? 'https';
  const faults = new Faults(options.faults ?? scenario.server?.faults ?? []);
  const requests: LogEntry[] = [];
  const running = await startServer(
    state,
    { protocol, latencyMs: options.latencyMs ?? 0, faults, onRequest: options.onRequest },
    requests,
    options.port ?? 0,
  );
  const deadPort = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-sim-'));
  const caFile = join(dir, 'simulator-ca.pem');
  writeFileSync(caFile, certificateAuthority('trusted').certPem);

  const keyFile = (name: string): string => {
    const file = join(dir, `${name}.key`);
    writeFileSync(file, namedKey(name).privateKeyPem, { mode: 0o600 });
    return file;
  };
  const certificatePem = (name: string): string => {
    const app = state.appByName(name);
    if (app?.certificatePem) return app.certificatePem;
    const viaKey = state.apps.find((a) => a.certificate?.key === name);
    return viaKey?.certificatePem ?? selfSignedCertificate({ key: name });
  };
  const login = scenario.login;
  const resolvedLogin: ResolvedLogin | undefined = login && {
    username: login.username,
    clientId: login.clientId ?? state.appByName(login.app ?? '')?.consumerKey ?? '',
    keyFile: keyFile(login.key),
    instanceUrl: login.instanceUrl,
    audienceUrl: login.audienceUrl,
  };

  const sim: Simulator = {
    port: running.port,
    protocol,
    scenario,
    url: (host = state.org.myDomain) => `${protocol}://${host}`,
    get env() {
      const refused = new Set(faults.refusedHosts());
      const route = (h: string): string[] => {
        const target = refused.has(h) ? deadPort : running.port;
        return [`${h}:443:127.0.0.1:${target}`, `${h}:80:127.0.0.1:${target}`];
      };
      const entries = [
        ...state.allHosts.flatMap(route),
        ...state.deadHosts.flatMap((h) => [`${h}:443:127.0.0.1:${deadPort}`]),
      ];
      return { SF_JWT_DOCTOR_CONNECT_TO: entries.join(','), NODE_EXTRA_CA_CERTS: caFile };
    },
    caFile,
    keyFile,
    certificatePem,
    login: resolvedLogin,
    requests,
    clearLog: () => {
      requests.length = 0;
    },
    setFaults: (f) => faults.set(f),
    approve: (username, appName, scopes) => {
      const app = state.appByName(appName);
      if (!app) throw new Error(`no app ${appName}`);
      return approveUserAgent(state, state.org.myDomain, username, app, scopes);
    },
    issueAccessToken: (username) => {
      const user = state.userByUsername(username) ?? state.table('User').find((u) => u.Username === username);
      if (!user) throw new Error(`no user ${username}`);
      return {
        accessToken: state.issueToken(user.Id as string, ['api', 'web', 'refresh_token'], null),
        instanceUrl: state.myDomainUrl,
      };
    },
    state,
    stop: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sim;
}

export { PRODUCTION_HOST };
