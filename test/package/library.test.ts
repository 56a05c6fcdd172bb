// handgap as a library, the way another project gets it: build dist/ (the prepare step), `npm pack`,
// unpack the tarball as node_modules/handgap of a temporary project (its dependencies linked from this
// checkout's node_modules: no network), then import the documented entry points and call them under
// plain Node (no tsx), and type-check a TypeScript consumer against the shipped declarations.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { projectRoot } from '../../lib/util/paths.ts';

const require = createRequire(import.meta.url);

const consumer = `
import { paMpjpe, mpjpe, toPoints } from 'handgap/metrics';
import { rfft2 } from 'handgap/spectral';
import { JOINTS21, PARENTS21 } from 'handgap/hand';
import { encodeNpy, parseNpy } from 'handgap/data';
import { metrics } from 'handgap';
const nested = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]];
const gt = toPoints(nested);
// the prediction is gt scaled by 2 and shifted: Procrustes alignment removes both
const pred = toPoints(nested.map(([x, y, z]) => [2 * x + 5, 2 * y - 1, 2 * z + 3]));
const spec = rfft2([1, 2, 3, 4], 2, 2);
const npy = parseNpy(encodeNpy({ shape: [2], data: new Float32Array([1.5, -2]) }));
let deepImport = 'allowed';
try { await import('handgap/lib/metrics/mpjpe.ts'); } catch (e) { deepImport = e.code; }
console.log(JSON.stringify({ mpjpe: mpjpe(gt, pred), pa: paMpjpe(gt, pred), same: metrics.paMpjpe === paMpjpe, dc: spec.data[0], joints: JOINTS21.length, parents: PARENTS21.length, npy: Array.from(npy.data), deepImport }));
`;

test('npm pack → install into a temporary project → import and call the entry points under plain Node', { timeout: 300_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-pkg-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const build = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/build-lib.mjs')], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const packed = new Set(info.files.map((f) => f.path));
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/metrics/index.js', 'dist/spectral/wasm/fft32.wasm', 'bin/handgap.mjs', 'lib/cli/main.ts']) assert.ok(packed.has(f), `${f} is in the package`);
  assert.ok(![...packed].some((f) => f.startsWith('test/') || f.startsWith('notebooks/') || f.startsWith('.handgap/')), 'no tests, notebooks or caches in the package');

  const proj = path.join(tmp, 'consumer');
  const nm = path.join(proj, 'node_modules');
  fs.mkdirSync(nm, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', path.join(tmp, info.filename), '-C', tmp], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  fs.renameSync(path.join(tmp, 'package'), path.join(nm, 'handgap'));
  for (const dep of fs.readdirSync(path.join(projectRoot, 'node_modules'))) {
    if (dep.startsWith('.') || dep === 'handgap') continue;
    fs.symlinkSync(path.join(projectRoot, 'node_modules', dep), path.join(nm, dep));
  }
  fs.writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  fs.writeFileSync(path.join(proj, 'use.mjs'), consumer);
  const run = spawnSync(process.execPath, ['use.mjs'], { cwd: proj, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
  assert.ok(out.mpjpe > 1, `unaligned error is large (${out.mpjpe})`);
  assert.ok(out.pa < 1e-6, `Procrustes-aligned error is 0 (${out.pa})`);
  assert.equal(out.same, true, 'the root entry re-exports the same functions');
  assert.equal(out.dc, 10, 'DC term of the 2×2 FFT is the sum');
  assert.equal(out.joints, 21);
  assert.equal(out.parents, 21);
  assert.deepEqual(out.npy, [1.5, -2]);
  assert.equal(out.deepImport, 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'only the documented entry points are importable');

  // a TypeScript consumer type-checks against the shipped declarations
  fs.writeFileSync(path.join(proj, 'use.ts'), `import { paMpjpe, toPoints } from 'handgap/metrics';\nimport { JOINTS21 } from 'handgap/hand';\nconst e: number = paMpjpe(toPoints([[0, 0, 0]]), toPoints([[0, 0, 0]]));\nconst j: readonly string[] = JOINTS21;\nexport { e, j };\n`);
  fs.writeFileSync(path.join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['use.ts'] }));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', proj], { cwd: proj, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});
