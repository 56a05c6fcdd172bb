#!/usr/bin/env node
// The library build (`npm run build`, also the `prepare` step of npm install/ci/pack): compiles lib/ to
// dist/ with the project's TypeScript (node_modules/typescript, not tslab's older copy that
// node_modules/.bin/tsc may point to), rewriting the `.ts` import specifiers to `.js`, with
// declarations; then copies lib's non-TypeScript files (wasm, worker .cjs, Blender .py, json) beside
// the compiled modules that load them by relative URL. Type checking is `npm run typecheck`'s job.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const lib = path.join(root, 'lib');
const out = path.join(root, 'dist');
const tmp = `${out}.${process.pid}.tmp`;

const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
fs.rmSync(tmp, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', tmp], { stdio: 'inherit' });
if (r.status !== 0) { fs.rmSync(tmp, { recursive: true, force: true }); console.error('build: tsc failed'); process.exit(1); }

let copied = 0;
const skip = (f) => f.endsWith('.ts') || f.endsWith('.as') || f.endsWith('.pyc') || f === '__pycache__';
(function copy(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip(e.name)) continue;
    const src = path.join(dir, e.name);
    if (e.isDirectory()) { copy(src); continue; }
    const dst = path.join(tmp, path.relative(lib, src));
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
    copied++;
  }
})(lib);

// replace the previous build in one step (no half-written dist/ for a reader)
const old = `${out}.${process.pid}.old`;
if (fs.existsSync(out)) fs.renameSync(out, old);
fs.renameSync(tmp, out);
fs.rmSync(old, { recursive: true, force: true });
console.error(`build: dist/ written (${copied} asset files copied from lib/)`);
