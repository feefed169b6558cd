/*
 * CI logs for the --from-log tests: the captured logs of the real sf (test/fixtures/logs, `npm run fixtures:logs`), and
 * what a CI runner makes of one (timestamps, colours, masked values, CRLF).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export const LOG_DIR = join(ROOT, 'test', 'fixtures', 'logs');
export const LOG_FIXTURES = readdirSync(LOG_DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

/** What a CI runner makes of a log: a timestamp per line, colours, masked values, CRLF. */
export function withCiNoise(log: string): string {
  const clientId = /--client-id (\S+)/.exec(log)?.[1];
  let noisy = clientId ? log.split(clientId).join('***') : log;
  noisy = noisy
    .replace(/Error \(JwtGrantError\):/g, '\u001b[1m\u001b[31mError (JwtGrantError):\u001b[39m\u001b[22m')
    .replace(/^Warning:/gm, '\u001b[1m\u001b[33mWarning:\u001b[39m\u001b[22m');
  const lines = noisy.split('\n');
  return [
    '2026-11-29T16:27:19.0000000Z ##[group]Run sf org login jwt',
    ...lines.map(
      (line, i) => `2026-11-29T16:27:${String(20 + (i % 40)).padStart(2, '0')}.${String(i).padStart(7, '0')}Z ${line}`,
    ),
    '2026-11-29T16:27:59.0000000Z ##[error]Process completed with exit code 1.',
  ].join('\r\n');
}
