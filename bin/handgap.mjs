#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx, so no build step is needed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = import.meta.resolve('tsx');
const r = spawnSync(process.execPath, ['--import', tsx, path.join(root, 'lib/cli/main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
