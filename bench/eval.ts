/**
 * Benchmark: the full FreiHAND evaluation at its real size (3,960 samples, 21 joints + 778 vertices,
 * all metrics including F-scores at 5 and 15 mm), handgap (TypeScript) vs. a numpy/scipy
 * implementation of the same computation (bench/eval_baseline.py, cKDTree for the F-scores), both run
 * here on the same inputs. Prints both times, the ratio, and checks that the numbers agree.
 *
 *   node --import tsx bench/eval.ts [--samples 3960] [--seed 5] [--repeats 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Rng } from '../lib/util/rng.ts';
import { findKnownSet, projectRoot } from '../lib/util/paths.ts';
import { readJson } from '../lib/util/fsx.ts';
import { evaluateFreihand, type Points } from '../lib/metrics/index.ts';
import { parseArgs, optNumber } from '../lib/cli/args.ts';

const args = parseArgs(process.argv.slice(2), {
  samples: { type: 'integer', min: 1, default: 3960, description: 'samples scored' },
  seed: { type: 'integer', min: 0, default: 5, description: 'seed of the synthetic inputs' },
  repeats: { type: 'integer', min: 1, default: 3, description: 'timing repeats' },
});
const N = optNumber(args, 'samples', 3960)!;
const seed = optNumber(args, 'seed', 5)!;
const repeats = optNumber(args, 'repeats', 3)!;
const NV = 778;

/** Inputs like the official fixtures: real hgc-dev poses, random similarity transforms and noise (metres). */
function makeInputs(): { gtXyz: Points[]; predXyz: Points[]; gtVerts: Points[]; predVerts: Points[] } {
  const hgc = findKnownSet('hgc-dev');
  const poses = hgc ? readJson<number[][][]>(path.join(hgc, 'evaluation_xyz.json')) : [Array.from({ length: 21 }, (_, j) => [0.01 * (j % 5), 0.012 * Math.floor(j / 5), 0.4])];
  const rng = new Rng(seed);
  const gtXyz: Points[] = [], predXyz: Points[] = [], gtVerts: Points[] = [], predVerts: Points[] = [];
  for (let i = 0; i < N; i++) {
    const gt = Float64Array.from(poses[i % poses.length].flat());
    const gv = new Float64Array(NV * 3);
    for (let v = 0; v < NV; v++) { const j = rng.int(0, 21); for (let c = 0; c < 3; c++) gv[3 * v + c] = gt[3 * j + c] + rng.normal(0, 0.01); }
    // rotation: axis-angle up to 30 degrees (Rodrigues), scale 0.8–1.2, shift up to 5 cm, noise 5–15 mm
    const ax = [rng.normal(), rng.normal(), rng.normal()]; const an = Math.hypot(ax[0], ax[1], ax[2]);
    const [x, y, z] = ax.map((a) => a / an); const th = rng.uniform(0, Math.PI / 6), c = Math.cos(th), s = Math.sin(th), C = 1 - c;
    const R = [c + x * x * C, x * y * C - z * s, x * z * C + y * s, y * x * C + z * s, c + y * y * C, y * z * C - x * s, z * x * C - y * s, z * y * C + x * s, c + z * z * C];
    const sc = rng.uniform(0.8, 1.2), sigma = rng.uniform(0.005, 0.015);
    const td = [rng.normal(), rng.normal(), rng.normal()]; const tn = Math.hypot(td[0], td[1], td[2]); const tl = rng.uniform(0, 0.05);
    const cen = [0, 1, 2].map((k) => { let m = 0; for (let j = 0; j < 21; j++) m += gt[3 * j + k]; return m / 21; });
    const tf = (p: Float64Array) => {
      const out = new Float64Array(p.length);
      for (let q = 0; q < p.length; q += 3) {
        const d = [p[q] - cen[0], p[q + 1] - cen[1], p[q + 2] - cen[2]];
        for (let k = 0; k < 3; k++) out[q + k] = Math.round((sc * (R[3 * k] * d[0] + R[3 * k + 1] * d[1] + R[3 * k + 2] * d[2]) + cen[k] + (td[k] / tn) * tl + rng.normal(0, sigma)) * 1e6) / 1e6;
      }
      return out;
    };
    gtXyz.push(gt); predXyz.push(tf(gt));
    gtVerts.push(gv.map((v) => Math.round(v * 1e6) / 1e6)); predVerts.push(tf(gv));
  }
  return { gtXyz, predXyz, gtVerts, predVerts };
}

const inputs = makeInputs();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-bench-eval-'));
const inFile = path.join(dir, 'inputs.json');
const nest = (a: Points[]) => a.map((p) => Array.from({ length: p.length / 3 }, (_, i) => [p[3 * i], p[3 * i + 1], p[3 * i + 2]]));
fs.writeFileSync(inFile, JSON.stringify({ gt_xyz: nest(inputs.gtXyz), pred_xyz: nest(inputs.predXyz), gt_verts: nest(inputs.gtVerts), pred_verts: nest(inputs.predVerts) }));

console.log(`FreiHAND evaluation benchmark: ${N} samples, 21 joints + ${NV} vertices, seed ${seed}, ${repeats} repeats (best of), ${os.cpus().length} cores`);

// baseline: numpy/scipy, same inputs, its own timer around the computation (not the JSON load)
const skipBaseline = args.options['no-baseline'] !== undefined;
const py = skipBaseline ? { status: 0, stdout: JSON.stringify({ seconds: -1, cpu_seconds: -1, values: {} }), stderr: '' } : spawnSync('/usr/bin/python3', [path.join(projectRoot, 'bench', 'eval_baseline.py'), inFile, '--repeats', String(repeats)], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (py.status !== 0) { console.error(py.stderr); process.exit(1); }
const base = JSON.parse(py.stdout.trim().split('\n').pop()!);

// handgap
let best = Infinity, bestCpu = Infinity, report = null as ReturnType<typeof evaluateFreihand> | null;
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  report = evaluateFreihand(inputs);
  const c = process.cpuUsage(c0);
  best = Math.min(best, (performance.now() - t0) / 1000);
  bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
}
const ours = {
  xyz_mean: report!.xyz.mean_m, xyz_al_mean: report!.xyz_aligned.mean_m, xyz_auc: report!.xyz.auc, xyz_al_auc: report!.xyz_aligned.auc,
  mesh_mean: report!.mesh!.mean_m, mesh_al_mean: report!.mesh_aligned!.mean_m, mesh_auc: report!.mesh!.auc, mesh_al_auc: report!.mesh_aligned!.auc,
  f5: report!.fscore_mean!.fscore_5mm, f15: report!.fscore_mean!.fscore_15mm, f5_al: report!.fscore_mean!.fscore_aligned_5mm, f15_al: report!.fscore_mean!.fscore_aligned_15mm,
};
let maxDiff = 0;
if (!skipBaseline) for (const [k, v] of Object.entries(ours)) maxDiff = Math.max(maxDiff, Math.abs(v - base.values[k]));
console.log(`  numpy/scipy baseline (bench/eval_baseline.py, numpy ${base.numpy}, scipy ${base.scipy}): wall ${base.seconds.toFixed(3)} s, cpu ${base.cpu_seconds.toFixed(3)} s`);
console.log(`  handgap lib/metrics (TypeScript, node ${process.version}):              wall ${best.toFixed(3)} s, cpu ${bestCpu.toFixed(3)} s`);
console.log(`  ratio baseline / handgap: wall ${(base.seconds / best).toFixed(2)}x, cpu ${(base.cpu_seconds / bestCpu).toFixed(2)}x  (target >= 5x; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
console.log(`  largest difference over the 12 reported numbers: ${maxDiff.toExponential(2)}`);
console.log(`  PA-MPJPE ${(ours.xyz_al_mean * 100).toFixed(3)} cm, PA-MPVPE ${(ours.mesh_al_mean * 100).toFixed(3)} cm, F@5mm ${ours.f5.toFixed(3)}, PA F@15mm ${ours.f15_al.toFixed(3)}`);
fs.rmSync(dir, { recursive: true, force: true });
if (maxDiff > 1e-9) { console.error('MISMATCH between handgap and the baseline'); process.exit(1); }
