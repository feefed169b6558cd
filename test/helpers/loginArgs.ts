/*
 * The login flags of a simulated org's scenario, written once for the command-level tests.
 */
import type { Simulator } from '../../simulator/index.js';

/** --username, --jwt-key-file, --client-id and always an --instance-url (the scenario's, else the simulator's), then `extra`. */
export function loginArgs(sim: Simulator, ...extra: string[]): string[] {
  return loginArgsAt(sim, sim.login!.instanceUrl ?? sim.url(), ...extra);
}

/** The same with another --instance-url. */
export function loginArgsAt(sim: Simulator, instanceUrl: string, ...extra: string[]): string[] {
  const l = sim.login!;
  return [
    '--username',
    l.username,
    '--jwt-key-file',
    l.keyFile,
    '--client-id',
    l.clientId,
    '--instance-url',
    instanceUrl,
    ...extra,
  ];
}

/** The scenario's login as a user would pass it to sf: --instance-url and --audience-url only where the scenario sets them. */
export function sfLoginArgs(sim: Simulator): string[] {
  const l = sim.login!;
  const args = ['--username', l.username, '--jwt-key-file', l.keyFile, '--client-id', l.clientId];
  if (l.instanceUrl) args.push('--instance-url', l.instanceUrl);
  if (l.audienceUrl) args.push('--audience-url', l.audienceUrl);
  return args;
}
