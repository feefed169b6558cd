/*
 * What a real `sf` needs to reach the simulated org, said exactly: it reads no SF_JWT_DOCTOR_CONNECT_TO, so it finds
 * the org's hosts through DNS (an /etc/hosts line), on the standard port (the simulator listening on 443, or 80 for a
 * plain-HTTP scenario), and trusts the simulator's CA only through NODE_EXTRA_CA_CERTS (read once, when sf starts).
 */
export type RealSfRoute = { port: number; protocol: 'https' | 'http'; hosts: string[]; caFile: string };

/** Comment lines (`# …`) to print before a command a person runs with a real sf against the simulator. */
export function realSfRouting(route: RealSfRoute): string[] {
  const standard = route.protocol === 'https' ? 443 : 80;
  const lines = ['# A real sf reaches this simulated org only with its hosts routed (see simulator/README.md):'];
  let step = 1;
  if (route.port !== standard)
    lines.push(
      `#   ${step++}. this simulator listens on port ${route.port}; sf calls port ${standard}: restart it with --port ${standard}` +
        ' (binding it needs root, e.g. sudo) and use the lines it prints then',
    );
  lines.push(
    `#   ${step++}. in /etc/hosts (back it up; remove the line afterwards: it hides the real hosts from this machine):`,
    `#        127.0.0.1 ${route.hosts.join(' ')}`,
  );
  if (route.protocol === 'https')
    lines.push(`#   ${step++}. before sf starts (Node reads it once): export NODE_EXTRA_CA_CERTS=${route.caFile}`);
  return lines;
}
