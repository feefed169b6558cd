/*
 * The real adapters the engine runs with: file reads, URL classification, and (online) DNS, the token probe and the
 * org inspector. Network modules load only when a run needs them, so `--offline` and `--help` stay fast.
 */
import { Logger } from '@salesforce/core';
import { text } from '../doctor/text.js';
import type { Adapters, InspectRequest, LookupResult, ProbeRequest } from '../doctor/context.js';
import type { OrgInspection } from './inspection.js';
import type { ProbeReport } from './probe.js';
import { analyzeKey, readKeyFile } from './keyFile.js';
import { classifyUrl } from '../knowledge/instanceUrl.js';

/** Safety rule 4: an assertion is a bearer credential — only Salesforce domains and loopback may receive it. */
export function allowAssertionHost(url: string): boolean {
  const c = classifyUrl(url);
  return !c.refused && (c.isSalesforceDomain || c.isLoopback);
}

async function lookup(host: string, deadline: number): Promise<LookupResult> {
  const { isRouted, routeFor } = await import('./connectTo.js');
  if (isRouted(host)) {
    const rule = routeFor(host, 443);
    return { status: 'routed', target: rule ? `${rule.targetHost}:${rule.targetPort}` : 'loopback' };
  }
  const dns = await import('node:dns/promises');
  const timeout = new Promise<LookupResult>((resolve) =>
    setTimeout(
      () => resolve({ status: 'failed', code: 'ETIMEOUT', message: text('dns.timedOut') }),
      Math.max(1, Math.min(10_000, deadline - Date.now())),
    ).unref(),
  );
  const query = dns
    .lookup(host, { all: true })
    .then((rows): LookupResult => ({ status: 'resolved', addresses: rows.map((r) => r.address) }))
    .catch((error: NodeJS.ErrnoException): LookupResult => ({
      status: 'failed',
      code: error.code ?? 'ERROR',
      message: error.message,
    }));
  return Promise.race([query, timeout]);
}

async function probe(request: ProbeRequest, spareLogins: boolean): Promise<ProbeReport> {
  const { probeToken } = await import('./probe.js');
  const { decidesAlone } = await import('../doctor/causes.js');
  if (!request.key?.privateKey) throw new Error('probe needs a parsed private key');
  return probeToken({
    username: request.username,
    clientId: request.clientId,
    privateKey: request.key.privateKey,
    loginUrl: request.loginUrl,
    audienceOverride: request.audienceOverride,
    deadline: request.deadline,
    allowHost: allowAssertionHost,
    // A network error or an HTML page is no answer: only the org's own JSON answer can decide alone.
    ...(spareLogins
      ? { decidesAlone: (d) => d.outcome === 'error' && !d.nonJson && !d.throttled && decidesAlone(d) }
      : {}),
  });
}

async function inspect(request: InspectRequest): Promise<OrgInspection> {
  const { inspectOrg } = await import('./inspector.js');
  return inspectOrg(request);
}

let logger: Logger | undefined;
function debug(line: string): void {
  logger ??= Logger.childFromRoot('org-jwt-doctor');
  logger.debug(line);
}

/** spareLogins (--all, --wait): the probe stops at sf's first pair when its answer decides alone (the login budget). */
export function realAdapters(options: { offline: boolean; spareLogins?: boolean }): Adapters {
  const adapters: Adapters = { readKeyFile, analyzeKey, classifyUrl, now: () => Date.now(), debug };
  if (options.offline) return adapters;
  const spare = options.spareLogins === true;
  return { ...adapters, probe: (request) => probe(request, spare), lookup, inspect };
}
