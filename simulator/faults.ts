/* Injected faults: each spec matches by host / path prefix / method and applies `times` times (or forever). */
import type { FaultKind, FaultSpec } from './scenario.js';

export const TLS_FAULTS: FaultKind[] = ['tls-untrusted', 'tls-wrong-name', 'tls-expired'];

type Armed = { spec: FaultSpec; remaining: number };

export class Faults {
  private armed: Armed[] = [];

  public constructor(specs: FaultSpec[] = []) {
    this.set(specs);
  }

  public set(specs: FaultSpec[]): void {
    this.armed = specs.map((spec) => ({ spec, remaining: spec.times ?? Number.POSITIVE_INFINITY }));
  }

  public get specs(): FaultSpec[] {
    return this.armed.filter((a) => a.remaining > 0).map((a) => a.spec);
  }

  private take(pred: (s: FaultSpec) => boolean): FaultSpec | undefined {
    const hit = this.armed.find((a) => a.remaining > 0 && pred(a.spec));
    if (hit) hit.remaining--;
    return hit?.spec;
  }

  /** A TLS fault for this SNI name (consumed per handshake). */
  public tlsFor(host: string): FaultSpec | undefined {
    return this.take((s) => TLS_FAULTS.includes(s.kind) && hostMatches(s, host) && !s.match?.pathPrefix);
  }

  /** A request-level fault for this request (consumed per request). */
  public requestFor(host: string, path: string, method: string): FaultSpec | undefined {
    return this.take(
      (s) =>
        !TLS_FAULTS.includes(s.kind) &&
        hostMatches(s, host) &&
        (!s.match?.pathPrefix || path.startsWith(s.match.pathPrefix)) &&
        (!s.match?.method || s.match.method.toUpperCase() === method),
    );
  }

  /** Hosts whose every connection is refused: routed to a closed port instead of the simulator. */
  public refusedHosts(): string[] {
    return this.specs
      .filter((s) => s.kind === 'refuse' && s.match?.host && !s.match.pathPrefix && s.times === undefined)
      .map((s) => (s.match?.host as string).toLowerCase());
  }
}

function hostMatches(s: FaultSpec, host: string): boolean {
  return !s.match?.host || s.match.host.toLowerCase() === host.toLowerCase();
}

export const MAINTENANCE_PAGE =
  '<!DOCTYPE html><html><head><title>Salesforce - Scheduled Maintenance</title></head><body><h1>Down for Maintenance</h1><p>Salesforce is down for maintenance. We apologize for the inconvenience. Please check <a href="https://status.salesforce.com">status.salesforce.com</a>.</p></body></html>';
