/* A fingerprint of every file under ~/.sf and ~/.sfdx, to prove a run persisted nothing (log files aside). */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export function snapshotHome(home: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (!/^sf-\d{4}-\d{2}-\d{2}\.log$/.test(name)) {
        out[relative(home, path)] =
          `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${st.mode.toString(8)} ${st.mtimeMs}`;
      }
    }
  };
  walk(join(home, '.sf'));
  walk(join(home, '.sfdx'));
  return out;
}
