/* Fingerprints of files under a HOME, to prove a run persisted nothing. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

type Walk = { directories: boolean; skip?: (name: string) => boolean };

/** Each file's content hash, mode and modification time (and each directory's mode, when asked), keyed by path. */
function fingerprints(home: string, roots: string[], options: Walk): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        if (options.directories) out[relative(home, path)] = `dir ${st.mode.toString(8)}`;
        walk(path);
      } else if (!options.skip?.(name)) {
        out[relative(home, path)] =
          `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${st.mode.toString(8)} ${st.mtimeMs}`;
      }
    }
  };
  for (const root of roots) walk(root);
  return out;
}

/** ~/.sf and ~/.sfdx, core's daily log files aside. */
export function snapshotHome(home: string): Record<string, string> {
  return fingerprints(home, [join(home, '.sf'), join(home, '.sfdx')], {
    directories: false,
    skip: (name) => /^sf-\d{4}-\d{2}-\d{2}\.log$/.test(name),
  });
}

/** Everything under HOME, directories and their modes included. */
export function snapshotTree(home: string): Record<string, string> {
  return fingerprints(home, [home], { directories: true });
}
