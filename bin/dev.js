#!/usr/bin/env node
// Development runner: loads TypeScript sources through tsx (used by snapshot:compare and schema:compare).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureModernNode } from './ensure-node.js';

ensureModernNode(import.meta.url);
if (!process.env.TSX_LOADED) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TSX_LOADED: '1', OCLIF_DISABLE_LINKED_ESM_WARNING: 'true' },
  });
  process.exit(child.status ?? 1);
}
const { execute } = await import('@oclif/core');
await execute({ development: true, dir: import.meta.url });
