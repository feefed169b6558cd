/*
 * npm run sim -- --scenario NAME [--port N] [--latency MS]   start the simulated org until Ctrl-C
 * npm run sim -- --list                                       list scenarios
 */
import { parseArgs } from 'node:util';
import { listScenarios, startSimulator } from './index.js';

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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.list) {
    const all = listScenarios();
    const width = Math.max(...all.map((s) => s.name.length));
    for (const s of all) console.log(`${s.name.padEnd(width)}  ${s.description}`);
    return;
  }
  if (values.help || !values.scenario) {
    console.log('usage: npm run sim -- --scenario NAME [--port N] [--latency MS]\n       npm run sim -- --list');
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const sim = await startSimulator({
    scenario: values.scenario,
    port: values.port ? Number(values.port) : undefined,
    latencyMs: values.latency ? Number(values.latency) : undefined,
  });
  const s = sim.scenario;
  console.log(`Simulated org "${s.org.name}" (${values.scenario}): ${s.description}`);
  console.log(`Listening on ${sim.protocol}://127.0.0.1:${sim.port}  (hosts: ${sim.state.allHosts.join(', ')})\n`);
  console.log('# Environment for the plugin (sf org jwt doctor) and tests:');
  for (const [k, v] of Object.entries(sim.env)) console.log(`export ${k}=${quote(v)}`);
  console.log('\n# Key files named in the scenario:');
  const keys = new Set([...(sim.state.apps.map((a) => a.certificate?.key).filter(Boolean) as string[]), ...(s.login ? [s.login.key] : [])]);
  for (const k of keys) console.log(`#   ${k}: ${sim.keyFile(k)}`);
  if (sim.login) {
    const l = sim.login;
    const flags = [`--username ${quote(l.username)}`, `--client-id ${l.clientId}`, `--jwt-key-file ${quote(l.keyFile)}`, ...(l.instanceUrl ? [`--instance-url ${l.instanceUrl}`] : [])].join(' ');
    console.log('\n# The scenario\'s login (a real sf needs the hosts routed, see simulator/README.md):');
    if (l.audienceUrl) console.log(`export SF_AUDIENCE_URL=${l.audienceUrl}`);
    console.log(`sf org login jwt ${flags}`);
    console.log(`sf org jwt doctor ${flags}`);
    const app = sim.state.appByKey(l.clientId);
    if (app && !app.adminApproved) {
      const q = new URLSearchParams({ response_type: 'token', client_id: app.consumerKey, redirect_uri: app.callbackUrl, sim_user: l.username });
      console.log(`# one-time approval (user-agent flow, simulated login via sim_user): ${sim.url()}/services/oauth2/authorize?${q.toString()}`);
    }
    if (s.expect) console.log(`# expected: sf login → ${s.expect.sfLogin}; cause ${s.expect.cause ?? 'none'}`);
  }
  if (s.admin) {
    const { accessToken, instanceUrl } = sim.issueAccessToken(s.admin);
    console.log(`\n# An admin connection (${s.admin}) for --admin-org:`);
    console.log(`SF_ACCESS_TOKEN=${quote(accessToken)} sf org login access-token --instance-url ${instanceUrl} --alias sim-admin --no-prompt`);
  }
  console.log('\nCtrl-C to stop. Requests:');
  let shown = 0;
  const timer = setInterval(() => {
    for (; shown < sim.requests.length; shown++) {
      const r = sim.requests[shown];
      const extra = r.token ? ` ${r.token.outcome}${r.token.rule ? ` [${r.token.rule}]` : ''}` : r.soql ? ` ${r.soql}` : '';
      console.log(`${r.time} ${r.method} ${r.host}${r.path} → ${r.status}${r.fault ? ` (fault ${r.fault})` : ''}${extra}`);
    }
  }, 200);
  const stop = (): void => {
    clearInterval(timer);
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
