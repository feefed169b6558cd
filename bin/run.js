#!/usr/bin/env node
// The plugin needs Node >= 22. On an older system Node, re-run with the Node the project installs (devDependency `node`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const localNode = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
if (major < 22 && existsSync(localNode)) {
  const child = spawnSync(localNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
