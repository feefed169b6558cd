/*
 * The --admin-org connection keeps the run's deadline (DESIGN.md §2, safety rule 5: "a hung org gives inconclusive, not
 * a hang"). The login's org and the admin org (another My Domain, so the output can be seen to name the admin's host)
 * are both hung in one of two ways: the host accepts TCP and never completes TLS (a raw TCP server that stays silent),
 * or TLS completes and the API never answers (the simulator's `hang` fault). With and without the key, `--timeout 3`:
 * the run ends within the deadline plus a small margin, exits 3, names the admin org's host, and shows no stack trace.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { loadScenario, startSimulator, type Scenario, type Simulator } from '../../simulator/index.js';
import { KEYCHAIN_ENV, storeAdminAuth } from '../helpers/adminOrg.js';
import { removeDir, runInProcess, tempHome } from '../helpers/cli.js';
import { STACK_FRAME } from '../helpers/parallel.js';

const TIMEOUT_S = 3;
const MARGIN_MS = 2000;

type Silent = { port: number; accepted: () => number; open: () => number; close: () => Promise<void> };

/** A host that accepts TCP connections and never says a word: no TLS handshake, no answer. */
async function silentServer(): Promise<Silent> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // Read (and drop) what the client sends, so its end of the connection is seen.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    accepted: () => accepted,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** healthy-production under another company's names: a second org with its own My Domain. */
function globex(): Scenario {
  return JSON.parse(JSON.stringify(loadScenario('healthy-production')).replace(/acme/g, 'globex')) as Scenario;
}

/** Every host of these simulated orgs routed to the silent server (port 443 and 80). */
function silentRoutes(sims: Simulator[], port: number): string {
  const hosts = new Set(
    sims.flatMap((sim) =>
      sim.env.SF_JWT_DOCTOR_CONNECT_TO.split(',').map((entry) => entry.split(':').slice(0, 2).join(':')),
    ),
  );
  return [...hosts].map((hostPort) => `${hostPort}:127.0.0.1:${port}`).join(',');
}

type Hang = 'tls-never-completes' | 'api-never-answers';

function loginArgs(sim: Simulator, withKey: boolean): string[] {
  const l = sim.login!;
  const args = ['--username', l.username, '--client-id', l.clientId, '--instance-url', l.instanceUrl ?? sim.url()];
  if (withKey) args.push('--jwt-key-file', l.keyFile);
  return [...args, '--admin-org', 'admin', '--timeout', String(TIMEOUT_S)];
}

describe('reliability: a hung --admin-org keeps the run deadline', function () {
  this.timeout(120_000);

  for (const hang of ['tls-never-completes', 'api-never-answers'] as Hang[]) {
    for (const withKey of [false, true]) {
      const name = `${hang}, ${withKey ? 'keyed' : 'keyless'}`;
      it(`${name}: ends within --timeout ${TIMEOUT_S} (+${MARGIN_MS / 1000} s), exit 3, names the admin host`, async () => {
        const login = await startSimulator({ scenario: 'healthy-production' });
        const admin = await startSimulator({ scenario: globex() });
        const silent = await silentServer();
        const home = tempHome();
        try {
          await storeAdminAuth(admin, home, { alias: 'admin' });
          const adminHost = new URL(admin.url()).host;
          let routes: string;
          if (hang === 'tls-never-completes') {
            routes = silentRoutes([login, admin], silent.port);
          } else {
            login.setFaults([{ kind: 'hang' }]);
            admin.setFaults([{ kind: 'hang' }]);
            routes = `${login.env.SF_JWT_DOCTOR_CONNECT_TO},${admin.env.SF_JWT_DOCTOR_CONNECT_TO}`;
          }
          const env = { ...login.env, ...KEYCHAIN_ENV, SF_JWT_DOCTOR_CONNECT_TO: routes };
          const run = await runInProcess(loginArgs(login, withKey), { env, home, timeoutMs: 150_000 });
          const out = `${run.stdout}${run.stderr}`;
          console.log(`      ${name}: exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s (--timeout ${TIMEOUT_S})`);
          expect(run.ms, out).to.be.below(TIMEOUT_S * 1000 + MARGIN_MS);
          expect(run.code, out).to.equal(3);
          expect(out).to.not.match(STACK_FRAME);
          expect(out, 'the admin org named with its host').to.match(
            new RegExp(`${adminHost.replace(/\./g, '\\.')}[^\\n]*(deadline|did not answer)`, 'i'),
          );
          if (hang === 'tls-never-completes') {
            // Nothing of the run is left connecting: a handshake still under way would keep a process alive (and
            // undici would connect again for every request queued behind it).
            await new Promise((resolve) => setTimeout(resolve, 300));
            expect(silent.accepted(), 'the run connected').to.be.greaterThan(0);
            expect(silent.open(), 'connections left open after the run').to.equal(0);
          }
        } finally {
          removeDir(home);
          await silent.close();
          await login.stop();
          await admin.stop();
        }
      });
    }
  }
});
