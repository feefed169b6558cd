#!/usr/bin/env node
import { ensureModernNode } from './ensure-node.js';

ensureModernNode(import.meta.url);
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
