/*
 * npm run sim -- --scenario NAME [--port N] [--latency MS]   start the simulated org until Ctrl-C
 * npm run sim -- --replay FILE [--port N]                     serve a run recorded with `sf org jwt doctor --trace FILE`
 * npm run sim -- --list                                       list scenarios
 */
import { parseArgs } from 'node:util';
import { listScenarios, startReplay, startSimulator } from './index.js';
import { realSfRouting } from './realSf.js';

function quote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', short: 's' },
      port: { type: 'string', short: 'p' },
      latency: { type: 'string' },
      list: { type: 'boolean', short: 'l' },
      replay: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.list) {
    const all = listScenarios();
    const width = Math.max(...all.map((s) => s.name.length));
    for (const s of all) console.log(`${s.name.padEnd(width)}  ${s.description}`);
    return;
  }
  if (values.replay) {
    await replay(values.replay, values.port ? Number(values.port) : undefined);
    return;
  }
  if (values.help || !values.scenario) {
    console.log(
      'usage: npm run sim -- --scenario NAME [--port N] [--latency MS]\n       npm run sim -- --replay TRACE_FILE [--port N]\n       npm run sim -- --list',
    );
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const sim = await startSimulator({
    scenario: values.scenario,
    port: values.port ? Number(values.port) : undefined,
    latencyMs: values.latency ? Number(values.latency) : undefined,
  });
  const s = sim.scenario;
  const routing = realSfRouting({
    port: sim.port,
    protocol: sim.protocol,
    hosts: sim.state.allHosts,
    caFile: sim.caFile,
  });
  console.log(`Simulated org "${s.org.name}" (${values.scenario}): ${s.description}`);
  console.log(`Listening on ${sim.protocol}://127.0.0.1:${sim.port}  (hosts: ${sim.state.allHosts.join(', ')})\n`);
  console.log('# Environment for the plugin (sf org jwt doctor) and tests:');
  for (const [k, v] of Object.entries(sim.env)) console.log(`export ${k}=${quote(v)}`);
  console.log('\n# Key files named in the scenario:');
  const keys = new Set([
    ...(sim.state.apps.map((a) => a.certificate?.key).filter(Boolean) as string[]),
    ...(s.login ? [s.login.key] : []),
  ]);
  for (const k of keys) console.log(`#   ${k}: ${sim.keyFile(k)}`);
  if (sim.login) {
    const l = sim.login;
    const flags = [
      `--username ${quote(l.username)}`,
      `--client-id ${l.clientId}`,
      `--jwt-key-file ${quote(l.keyFile)}`,
      ...(l.instanceUrl ? [`--instance-url ${l.instanceUrl}`] : []),
    ].join(' ');
    console.log("\n# The scenario's login, and the doctor's line for it (the doctor reads the environment above).");
    for (const line of routing.splice(0)) console.log(line);
    if (l.audienceUrl) console.log(`export SF_AUDIENCE_URL=${l.audienceUrl}`);
    console.log(`sf org login jwt ${flags}`);
    console.log(`sf org jwt doctor ${flags}`);
    const app = sim.state.appByKey(l.clientId);
    if (app && !app.adminApproved) {
      const q = new URLSearchParams({
        response_type: 'token',
        client_id: app.consumerKey,
        redirect_uri: app.callbackUrl,
        sim_user: l.username,
      });
      console.log(
        `# one-time approval (user-agent flow, simulated login via sim_user): ${sim.url()}/services/oauth2/authorize?${q.toString()}`,
      );
    }
    if (s.expect) console.log(`# expected: sf login → ${s.expect.sfLogin}; cause ${s.expect.cause ?? 'none'}`);
  }
  if (s.admin) {
    const { accessToken, instanceUrl } = sim.issueAccessToken(s.admin);
    console.log(`\n# An admin connection (${s.admin}) for --admin-org, stored by a real sf.`);
    // Once: after the login block, "as above".
    if (routing.length > 0) for (const line of routing) console.log(line);
    else console.log('# A real sf needs the same routing as above.');
    console.log(
      `SF_ACCESS_TOKEN=${quote(accessToken)} sf org login access-token --instance-url ${instanceUrl} --alias sim-admin --no-prompt`,
    );
  }
  console.log('\nCtrl-C to stop. Requests:');
  let shown = 0;
  const timer = setInterval(() => {
    for (; shown < sim.requests.length; shown++) {
      const r = sim.requests[shown];
      const extra = r.token
        ? ` ${r.token.outcome}${r.token.rule ? ` [${r.token.rule}]` : ''}`
        : r.soql
          ? ` ${r.soql}`
          : '';
      console.log(
        `${r.time} ${r.method} ${r.host}${r.path} → ${r.status}${r.fault ? ` (fault ${r.fault})` : ''}${extra}`,
      );
    }
  }, 200);
  const stop = (): void => {
    clearInterval(timer);
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Serves a recorded run until Ctrl-C, printing the doctor line that replays it and one line per request. */
async function replay(file: string, port: number | undefined): Promise<void> {
  const rep = await startReplay({ trace: file, port });
  const t = rep.trace;
  console.log(
    `Replaying ${file}: ${t.entries.length} recorded requests from ${t.createdAt} (${t.tool.name} ${t.tool.version})`,
  );
  if (t.result)
    console.log(
      `Recorded result: ${t.result.verdict}${t.result.cause ? `, ${t.result.cause} (${t.result.confidence ?? ''})` : ''}`,
    );
  console.log(`Listening on https://127.0.0.1:${rep.port}  (hosts: ${rep.hosts.join(', ')})\n`);
  console.log('# Environment for the plugin (sf org jwt doctor):');
  for (const [k, v] of Object.entries(rep.env)) console.log(`export ${k}=${quote(v)}`);
  const run = t.run ?? {};
  const flags = Object.entries(run)
    .filter(([name]) => name !== 'jwt-key-file')
    .map(([name, v]) => (typeof v === 'boolean' ? (v ? `--${name}` : '') : `--${name} ${quote(String(v))}`))
    .filter(Boolean);
  console.log(
    `\n# The recorded run (the replay checks no signature: any RSA key works, e.g. this one; a check that compares the`,
  );
  console.log(
    `# key with the app's certificate needs the key that was used, ${quote(String(run['jwt-key-file'] ?? 'the original'))}):`,
  );
  console.log(`sf org jwt doctor ${[...flags, `--jwt-key-file ${quote(rep.keyFile)}`].join(' ')}`);
  if (run['admin-org']) {
    console.log(
      `# --admin-org ${String(run['admin-org'])} needs a stored connection to the recorded org; the replay answers its session as recorded:`,
    );
    console.log(
      `SF_ACCESS_TOKEN='${rep.orgId ?? '00DXX0MASK00001'}!replay' sf org login access-token --instance-url https://${rep.hosts[0]} --alias ${quote(String(run['admin-org']))} --no-prompt`,
    );
  }
  console.log('\nCtrl-C to stop. Requests:');
  let shown = 0;
  const timer = setInterval(() => {
    for (; shown < rep.requests.length; shown++) {
      const r = rep.requests[shown];
      console.log(
        `${r.method} ${r.host}${r.path} → ${r.status} ${r.matched === null ? '(not in the trace)' : `(recorded #${r.matched}, level ${r.level ?? ''})`}`,
      );
    }
  }, 200);
  const stop = (): void => {
    clearInterval(timer);
    void rep.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
