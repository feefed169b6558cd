// The plugin needs Node >= 22. On an older system Node, re-run the calling script with the Node the project installs
// (devDependency `node`) and exit with its status; otherwise return and let the caller go on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function ensureModernNode(scriptUrl, env = process.env) {
  const major = Number(process.versions.node.split('.')[0]);
  const localNode = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  if (major >= 22 || !existsSync(localNode)) return;
  const child = spawnSync(localNode, [fileURLToPath(scriptUrl), ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(child.status ?? 1);
}
