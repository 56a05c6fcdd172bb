import path from 'node:path';
import { subcommandCommand, type Subcommand } from '../command.ts';
import type { ParsedArgs } from '../args.ts';
import { optNumber, optString, optFlag, requirePositional, type OptionSpecs } from '../args.ts';
import { HandgapError, InputError } from '../../util/errors.ts';
import { assertOutputFile } from '../../util/fsx.ts';
import { Progress } from '../../util/progress.ts';
import { writeJsonAtomic } from '../../util/fsx.ts';
import { Rng } from '../../util/rng.ts';
import { loadPoseSource, writePoseFile, poseSetFromArrays, selectPoses, type PoseSet } from '../../data/pose-sets.ts';
import { genericHandRestShape } from '../../hand/asset.ts';
import { fitRealSet } from '../../synth/fitted-set.ts';
import { fitPoseSet, quantiles } from '../../hand/fit.ts';
import { DOFS, N_DOF } from '../../hand/model.ts';
import { sampleUniformAngles, fitAnglePrior, samplePriorAngles, jointsOfAngles, nestedSubsets, randomRotation, SATURATION_FRACTIONS } from '../../hand/sampler.ts';
import { comparePoseSets, jointAngles, ANGLE_NAMES } from '../../hand/stats.ts';
import { SKELETON_SIZE, type SkeletonName } from '../../hand/joint-maps.ts';
import { definitionOffset, fitLinearAdapter, applyLinearAdapter, pairedErrors } from '../../hand/topology.ts';
import { mirrorX } from '../../hand/fit.ts';
import { JOINTS21 } from '../../hand/skeleton.ts';
import { applyShapeParams } from '../../hand/shape-params.ts';

const usage = `handgap poses <stats|sample|fit|subsets> ...

  handgap poses stats <source> [--vs <source>] [--normalize-size] [--fit] [--limit n] [--seed s] [--json <file>]
      Pose-set statistics: count, handedness, bone lengths, model-free joint angles; with --vs, per-angle
      distances (Wasserstein-1), coverage of <vs> by <source> at 5/10/15/20 mm and MMD on aligned
      root-relative joints (--normalize-size: scale each pose to a 90 mm wrist→middle-MCP distance first);
      with --fit, the per-joint error of fitting the hand model to every pose.
  handgap poses sample [--sampler uniform|prior] [--prior-source <source>] [--n 1000] [--seed 0]
                       [--shrink 1] [--scale 1] [--camera] [--out poses.json]
      Sample poses from the joint limits (uniform, DARTset-like) or from a Gaussian/PCA prior over the joint
      angles fitted to a real set (default hgc-dev) and write a handgap pose file (joints21 + angles,
      hand frame; --camera adds a random global rotation and a wrist 0.4-0.6 m in front of the camera).
  handgap poses fit <source> [--limit n] [--seed s] [--out fit.json]
      Fit the hand model to every pose and report the per-joint error distribution (left hands are mirrored).
  handgap poses fit <real set> --real-labels --out fitted.json [--limit n] [--seed s]
      Fit the renderer's rig to a real set's labels (FreiHAND-layout folder or hgc-dev: xyz + K) so that the
      labels the renderer derives from the posed mesh land on the real ones, keeping each frame's global
      orientation, position and K. Writes a handgap pose file with the rig targets (rig25), K, image size and
      the source index of each pose; render it with pose.source "fitted" (docs/synthesis.md). Reports the
      residual (mean per-joint distance, mm) per sample and its median.
  handgap poses topology <source> [--limit n] [--seed s] [--train 0.5] [--json <file>]
      Topology study on real labels: fit the model with its own proportions (only a global scale free), so its
      joints follow the WebXR/NIMBLE-style definition, and compare them with the source's labels (MANO-style):
      per-joint systematic offset, the PA-MPJPE floor it implies, and a linear adapter (ridge) fitted on a
      seeded train split and evaluated on the rest.
  handgap poses subsets <source> [--seed 0] [--fractions 0.1,0.2,...,1] [--out subsets.json]
      Nested deterministic subsets (indices) for the pose saturation curve.

<source>: hgc-dev, leap, a handgap pose file, an *_xyz.json file or a FreiHAND-layout folder.`;

/** Options every subcommand that reads a pose source accepts. */
const sourceOptions: OptionSpecs = {
  skeleton: { type: 'string', choices: Object.keys(SKELETON_SIZE), defaultText: 'freihand', description: 'joint order of *_xyz.json sources' },
  limit: { type: 'integer', min: 1, description: 'use a seeded random subset of n poses' },
  seed: { type: 'integer', min: 0, default: 0, description: 'seed of the subset (and of the subcommand\'s own random choices)' },
};
const subcommands: Record<string, Subcommand> = {
  stats: { options: { ...sourceOptions,
    vs: { type: 'string', value: 'source', description: 'compare with this pose source' },
    'normalize-size': { type: 'boolean', description: 'scale each pose to a 90 mm wrist→middle-MCP distance first' },
    fit: { type: 'boolean', description: 'also report the per-joint error of fitting the hand model' },
    json: { type: 'string', value: 'file', description: 'write the report as JSON' },
  } },
  sample: { options: { ...sourceOptions,
    sampler: { type: 'string', choices: ['uniform', 'prior'], default: 'uniform', description: 'joint-limit uniform (DARTset-like) or a prior fitted to real poses' },
    'prior-source': { type: 'string', value: 'source', default: 'hgc-dev', description: 'real poses for --sampler prior' },
    n: { type: 'integer', min: 1, max: 10_000_000, default: 1000, description: 'number of poses' },
    shrink: { type: 'number', above: 0, max: 1, default: 1, description: 'uniform sampler: fraction of each joint range' },
    scale: { type: 'number', above: 0, max: 100, default: 1, description: 'prior sampler: standard-deviation multiplier' },
    camera: { type: 'boolean', description: 'random global rotation and a wrist 0.4-0.6 m in front of the camera' },
    out: { type: 'string', value: 'file', default: 'poses.json', description: 'pose file to write' },
  } },
  fit: { options: { ...sourceOptions,
    out: { type: 'string', value: 'file', description: 'write the fit (angles, errors) as JSON; with --real-labels, the fitted real set (pose file)' },
    'real-labels': { type: 'boolean', description: 'fit the renderer\'s rig so its surface labels reproduce a real set\'s labels (needs a FreiHAND-layout set with K, and --out)' },
  } },
  subsets: { options: { ...sourceOptions,
    fractions: { type: 'string', value: 'f,...', description: 'fractions in (0, 1]', defaultText: SATURATION_FRACTIONS.join(',') },
    out: { type: 'string', value: 'file', description: 'write the subsets as JSON' },
  } },
  topology: { options: { ...sourceOptions,
    train: { type: 'number', above: 0, max: 1, default: 0.5, description: 'fraction of poses for the adapter\'s training split (both splits must be non-empty)' },
    ridge: { type: 'number', min: 0, default: 1e-6, description: 'ridge strength of the linear adapter' },
    json: { type: 'string', value: 'file', description: 'write the report as JSON' },
  } },
};

function load(args: ParsedArgs, arg: string): PoseSet {
  const skeleton = optString(args, 'skeleton') as SkeletonName | undefined;
  let set = loadPoseSource(arg, { skeleton });
  const limit = optNumber(args, 'limit');
  if (limit !== undefined && limit < set.count) {
    // seeded random subset, recorded in the output
    const seed = optNumber(args, 'seed', 0)!;
    const idx = Rng.derive(seed, 'poses-limit', set.name).permutation(set.count).slice(0, limit).sort((a, b) => a - b);
    set = selectPoses(set, idx, `${set.name}[limit ${limit}, seed ${seed}]`);
  }
  return set;
}

const mm = (m: number) => (m * 1000).toFixed(2);
const deg = (r: number) => (r * 180 / Math.PI).toFixed(1);

function fitSet(set: PoseSet) {
  const base = genericHandRestShape();
  const progress = new Progress({ label: `fitting ${set.name}`, total: set.count, unit: 'poses' });
  const fit = fitPoseSet(base, set.joints, set.handedness, { onPose: () => progress.tick() });
  progress.finish();
  const q = quantiles(fit.jointErrors, [0.5, 0.9, 0.99, 1]);
  let mean = 0; for (const e of fit.jointErrors) mean += e / fit.jointErrors.length;
  const perJoint = Array.from({ length: 21 }, (_, j) => { let s = 0; for (let i = 0; i < set.count; i++) s += fit.jointErrors[i * 21 + j]; return s / set.count; });
  return { fit, summary: { meanMm: mean * 1000, medianMm: q[0] * 1000, p90Mm: q[1] * 1000, p99Mm: q[2] * 1000, maxMm: q[3] * 1000, perJointMeanMm: perJoint.map((v) => +(v * 1000).toFixed(3)) } };
}

function boneStats(set: PoseSet) {
  const parents = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19];
  return parents.slice(1).map((p, k) => {
    const j = k + 1;
    const v = Array.from({ length: set.count }, (_, i) => Math.hypot(...[0, 1, 2].map((c) => set.joints[i * 63 + j * 3 + c] - set.joints[i * 63 + p * 3 + c])));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
    return { bone: `${p}-${j}`, meanMm: +(m * 1000).toFixed(2), stdMm: +(sd * 1000).toFixed(2) };
  });
}

/** Output files of a subcommand are checked before any pose is read. */
function checkOutputs(args: ParsedArgs, ...names: string[]): void {
  for (const n of names) { const f = optString(args, n); if (f !== undefined) assertOutputFile(f, `--${n}`); }
}

async function stats(args: ParsedArgs): Promise<number> {
  checkOutputs(args, 'json');
  const A = load(args, requirePositional(args, 1, 'pose source'));
  const report: Record<string, unknown> = { source: A.name, count: A.count, handedness: { left: A.handedness.filter((h) => h === 'left').length, right: A.handedness.filter((h) => h === 'right').length }, seed: optNumber(args, 'seed', 0) };
  console.log(`${A.name}: ${A.count} poses (${(report.handedness as { left: number }).left} left, ${(report.handedness as { right: number }).right} right), frame ${A.frame}`);
  const bones = boneStats(A);
  report.bones = bones;
  console.log(`bone lengths (mm, mean ± sd): ${bones.map((b) => `${b.bone} ${b.meanMm.toFixed(1)}±${b.stdMm.toFixed(1)}`).join(', ')}`);
  const mirror = Float64Array.from(A.joints, (v, k) => (k % 3 === 0 && A.handedness[Math.floor(k / 63)] === 'left' ? -v : v));
  const ang = jointAngles(mirror);
  const nA = ANGLE_NAMES.length;
  const angleSummary = ANGLE_NAMES.map((name, c) => { const col = Float64Array.from({ length: A.count }, (_, i) => ang[i * nA + c]); const [p10, p50, p90] = quantiles(col, [0.1, 0.5, 0.9]); return { name, p10Deg: +deg(p10), medianDeg: +deg(p50), p90Deg: +deg(p90) }; });
  report.angles = angleSummary;
  console.log('joint angles (deg, p10 / median / p90):');
  for (const a of angleSummary) console.log(`  ${a.name.padEnd(20)} ${String(a.p10Deg).padStart(6)} ${String(a.medianDeg).padStart(6)} ${String(a.p90Deg).padStart(6)}`);
  if (optFlag(args, 'fit')) {
    const { summary } = fitSet(A);
    report.fit = summary;
    console.log(`model fit error per joint (mm): mean ${summary.meanMm.toFixed(2)}, median ${summary.medianMm.toFixed(2)}, p90 ${summary.p90Mm.toFixed(2)}, p99 ${summary.p99Mm.toFixed(2)}, max ${summary.maxMm.toFixed(2)}`);
  }
  const vs = optString(args, 'vs');
  if (vs) {
    const B = load(args, vs);
    const normalizeTo = optFlag(args, 'normalize-size') ? 0.09 : undefined;
    const cmp = comparePoseSets(A.joints, A.handedness, B.joints, B.handedness, { seed: optNumber(args, 'seed', 0), normalizeTo });
    if (normalizeTo) console.log('(hand size removed: every pose scaled to a 90 mm wrist → middle-MCP distance)');
    report.vs = { source: B.name, count: B.count, ...cmp };
    console.log(`\n${A.name} vs ${B.name} (${B.count} poses)`);
    console.log(`coverage of ${B.name} by ${A.name} (mean per-joint distance after alignment): ${cmp.coverage.map((c) => `≤${mm(c.threshold)} mm: ${(100 * c.fraction).toFixed(1)}%`).join(', ')}; median nearest ${mm(cmp.medianNearest)} mm`);
    console.log(`MMD² (Gaussian kernel, σ = ${mm(cmp.mmd.sigma)} mm on the 63-vector, ${cmp.mmd.nA}/${cmp.mmd.nB} poses): ${cmp.mmd.mmd2.toExponential(3)}`);
    console.log('per-angle distance (Wasserstein-1, deg) and means A / B:');
    for (const a of cmp.angles) console.log(`  ${a.name.padEnd(20)} W1 ${deg(a.w1).padStart(5)}   ${deg(a.meanA).padStart(6)} / ${deg(a.meanB).padStart(6)}`);
  }
  const json = optString(args, 'json');
  if (json) { writeJsonAtomic(json, report, 1); console.log(`wrote ${json}`); }
  return 0;
}

async function sample(args: ParsedArgs): Promise<number> {
  checkOutputs(args, 'out');
  const n = optNumber(args, 'n')!, seed = optNumber(args, 'seed')!;
  const sampler = optString(args, 'sampler')!;
  const out = optString(args, 'out')!;
  const base = genericHandRestShape();
  let angles: Float64Array;
  const meta: Record<string, unknown> = { sampler, seed, n, dofs: DOFS.map((d) => d.name), model: 'webxr generic-hand (right), lib/hand/model.ts' };
  if (sampler === 'uniform') {
    const shrink = optNumber(args, 'shrink')!;
    angles = sampleUniformAngles(n, seed, { shrink });
    meta.shrink = shrink;
  } else if (sampler === 'prior') {
    const src = load(args, optString(args, 'prior-source')!);
    if (src.count < 2) throw new InputError('--prior-source', `${src.name} holds ${src.count} pose; the prior (mean and covariance of the joint angles) needs at least 2`);
    const { fit, summary } = fitSet(src);
    const prior = fitAnglePrior(fit.angles);
    const scale = optNumber(args, 'scale')!;
    angles = samplePriorAngles(prior, n, seed, { scale });
    Object.assign(meta, { priorSource: src.name, priorCount: prior.count, priorFitErrorMedianMm: summary.medianMm, scale });
  } else throw new HandgapError(`unknown sampler "${sampler}"`);
  let j21: Float64Array, frame: 'hand' | 'camera' = 'hand';
  if (optFlag(args, 'camera')) {
    const rng = Rng.derive(seed, 'poses-sample-global');
    const rotations = new Float64Array(n * 3), translations = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) { rotations.set(randomRotation(rng), i * 3); translations.set([rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05), rng.uniform(0.4, 0.6)], i * 3); }
    j21 = jointsOfAngles(base, angles, { rotations, translations }).j21;
    frame = 'camera';
    meta.global = { rotations: Array.from(rotations, (v) => +v.toFixed(7)), translations: Array.from(translations, (v) => +v.toFixed(7)) };
  } else j21 = jointsOfAngles(base, angles).j21;
  const set: PoseSet = { ...poseSetFromArrays(`${sampler}-${n}-seed${seed}`, [], 'right', meta, frame), joints: j21, count: n, handedness: new Array(n).fill('right'), angles };
  writePoseFile(out, set);
  console.log(`wrote ${n} ${sampler} poses (seed ${seed}, ${frame} frame, ${N_DOF} angles each) to ${path.resolve(out)}`);
  return 0;
}

async function fit(args: ParsedArgs): Promise<number> {
  checkOutputs(args, 'out');
  if (optFlag(args, 'real-labels')) return fitReal(args);
  const set = load(args, requirePositional(args, 1, 'pose source'));
  const t0 = Date.now();
  const { fit, summary } = fitSet(set);
  const secs = (Date.now() - t0) / 1000;
  console.log(`${set.name}: ${set.count} poses fitted in ${secs.toFixed(1)} s (${(set.count / secs).toFixed(1)} poses/s); ${fit.mirrored.filter(Boolean).length} mirrored (left hands)`);
  console.log(`per-joint fit error (mm): mean ${summary.meanMm.toFixed(2)}, median ${summary.medianMm.toFixed(2)}, p90 ${summary.p90Mm.toFixed(2)}, p99 ${summary.p99Mm.toFixed(2)}, max ${summary.maxMm.toFixed(2)}`);
  console.log(`per joint mean (mm): ${summary.perJointMeanMm.map((v) => v.toFixed(2)).join(' ')}`);
  const out = optString(args, 'out');
  if (out) {
    writeJsonAtomic(out, {
      source: set.name, count: set.count, summary, dofs: DOFS.map((d) => d.name), mirrored: fit.mirrored,
      angles: Array.from({ length: set.count }, (_, i) => Array.from(fit.angles.subarray(i * N_DOF, (i + 1) * N_DOF), (v) => +v.toFixed(6))),
      rotations: Array.from({ length: set.count }, (_, i) => Array.from(fit.rotations.subarray(i * 3, i * 3 + 3), (v) => +v.toFixed(7))),
      translations: Array.from({ length: set.count }, (_, i) => Array.from(fit.translations.subarray(i * 3, i * 3 + 3), (v) => +v.toFixed(7))),
      shapeParams: Array.from({ length: set.count }, (_, i) => Array.from(fit.shapeParams.subarray(i * 31, i * 31 + 31), (v) => +v.toFixed(7))),
      jointErrorsMm: Array.from({ length: set.count }, (_, i) => Array.from(fit.jointErrors.subarray(i * 21, i * 21 + 21), (v) => +(v * 1000).toFixed(3))),
    });
    console.log(`wrote ${out}`);
  }
  return 0;
}

/** `poses fit --real-labels`: the rig fitted to a real set's labels, written as a fitted real set (pose file with rig25 and K). */
async function fitReal(args: ParsedArgs): Promise<number> {
  const arg = requirePositional(args, 1, 'real set');
  const out = optString(args, 'out');
  if (!out) throw new InputError('--out', 'poses fit --real-labels needs --out <file> (the fitted real set)');
  const { set, indices, residualMm, residualMedianMm, imageSize } = await fitRealSet(arg, { limit: optNumber(args, 'limit'), seed: optNumber(args, 'seed', 0) });
  writePoseFile(out, set);
  const order = residualMm.map((_, i) => i).sort((a, b) => residualMm[b] - residualMm[a]);
  const q = quantiles(residualMm, [0.1, 0.5, 0.9, 1]);
  console.log(`${set.name}: ${set.count} poses (${set.handedness.filter((h) => h === 'left').length} left, mirrored for the right-hand rig), image ${imageSize[0]}×${imageSize[1]}`);
  console.log(`fit residual per sample (mean per-joint distance, mm): median ${residualMedianMm.toFixed(2)}, p10 ${q[0].toFixed(2)}, p90 ${q[2].toFixed(2)}, max ${q[3].toFixed(2)}; worst: ${order.slice(0, 5).map((i) => `#${indices[i]} ${residualMm[i].toFixed(2)}`).join(', ')}`);
  console.log(`per sample (source index: mm): ${indices.map((s, i) => `${s}:${residualMm[i].toFixed(2)}`).join(' ')}`);
  console.log(`wrote ${path.resolve(out)} (render it with pose.source "fitted", pose.file = this file)`);
  return 0;
}

async function subsets(args: ParsedArgs): Promise<number> {
  checkOutputs(args, 'out');
  const fr = optString(args, 'fractions');
  const fractions = fr ? fr.split(',').map((x) => (x.trim() === '' ? NaN : Number(x))) : [...SATURATION_FRACTIONS];
  if (fractions.some((f) => !(f > 0 && f <= 1))) throw new InputError('--fractions', `got "${fr}"; expected comma-separated numbers in (0, 1]`);
  const set = load(args, requirePositional(args, 1, 'pose source'));
  const seed = optNumber(args, 'seed', 0)!;
  const subs = nestedSubsets(set.count, fractions, seed);
  for (const s of subs) console.log(`${(s.fraction * 100).toFixed(0).padStart(3)}%: ${s.indices.length} poses`);
  const out = optString(args, 'out');
  if (out) { writeJsonAtomic(out, { source: set.name, count: set.count, seed, subsets: subs }); console.log(`wrote ${out}`); }
  return 0;
}

async function topology(args: ParsedArgs): Promise<number> {
  checkOutputs(args, 'json');
  const set = load(args, requirePositional(args, 1, 'pose source'));
  const seed = optNumber(args, 'seed')!, trainFrac = optNumber(args, 'train')!;
  const nTrain = Math.round(trainFrac * set.count);
  if (nTrain < 1 || nTrain > set.count - 1) throw new InputError('--train', `got ${trainFrac}: ${nTrain} of ${set.count} poses for training leaves ${set.count - nTrain} for the test; both splits need at least one pose`);
  const base = genericHandRestShape();
  const progress = new Progress({ label: `fitting ${set.name} (model proportions)`, total: set.count, unit: 'poses' });
  // freeze bone lengths and palm layout (huge prior), keep the global scale free
  const fitted = fitPoseSet(base, set.joints, set.handedness, { prior: { logLength: 10, palm: 1000 }, onPose: () => progress.tick() });
  progress.finish();
  // model-definition joints (right-hand frame) and labels mirrored the same way
  const A = new Float64Array(set.count * 63), B = new Float64Array(set.count * 63);
  for (let i = 0; i < set.count; i++) {
    const shape = applyShapeParams(base, fitted.shapeParams.subarray(i * 31, i * 31 + 31));
    const j = jointsOfAngles(shape, fitted.angles.subarray(i * N_DOF, (i + 1) * N_DOF), { rotations: fitted.rotations.subarray(i * 3, i * 3 + 3), translations: fitted.translations.subarray(i * 3, i * 3 + 3) }).j21;
    A.set(j, i * 63);
    const lab = set.joints.subarray(i * 63, i * 63 + 63);
    B.set(fitted.mirrored[i] ? mirrorX(lab) : lab, i * 63);
  }
  const off = definitionOffset(A, B);
  const order = Rng.derive(seed, 'topology-split').permutation(set.count);
  const pick = (X: Float64Array, idx: number[]) => { const o = new Float64Array(idx.length * 63); idx.forEach((s, k) => o.set(X.subarray(s * 63, s * 63 + 63), k * 63)); return o; };
  const tr = order.slice(0, nTrain), te = order.slice(nTrain);
  const ad = fitLinearAdapter(pick(A, tr), pick(B, tr), { ridge: optNumber(args, 'ridge')! });
  const before = pairedErrors(pick(A, te), pick(B, te)), after = pairedErrors(applyLinearAdapter(ad, pick(A, te)), pick(B, te));
  console.log(`${set.name}: ${set.count} poses; model (WebXR-style joints, model proportions, global scale fitted) vs labels`);
  console.log(`PA-MPJPE floor between the definitions: ${(off.paMpjpeFloor * 100).toFixed(3)} cm; root-aligned MPJPE ${(off.mpjpeRootAligned * 100).toFixed(3)} cm`);
  console.log('systematic offset labels − model per joint (mm, palm frame x/y/z; |mean|; spread):');
  JOINTS21.forEach((name, j) => console.log(`  ${name.padEnd(12)} ${off.meanOffset[j].map((v) => (v * 1000).toFixed(1).padStart(6)).join(' ')}  |${(off.meanOffsetNorm[j] * 1000).toFixed(1)}|  ±${(off.spread[j] * 1000).toFixed(1)}`));
  console.log(`linear adapter (train ${tr.length}, test ${te.length}, seed ${seed}): test MPJPE ${(before.mpjpe * 100).toFixed(3)} → ${(after.mpjpe * 100).toFixed(3)} cm, PA-MPJPE ${(before.paMpjpe * 100).toFixed(3)} → ${(after.paMpjpe * 100).toFixed(3)} cm`);
  const json = optString(args, 'json');
  if (json) { writeJsonAtomic(json, { source: set.name, count: set.count, seed, train: tr.length, test: te.length, offset: off, adapter: { before, after } }, 1); console.log(`wrote ${json}`); }
  return 0;
}

const command = subcommandCommand({
  name: 'poses',
  summary: 'pose sets: statistics and comparison, sampling (uniform / prior), model fitting, nested subsets, topology study',
  usage,
  subcommands: { stats: { ...subcommands.stats, run: stats }, sample: { ...subcommands.sample, run: sample }, fit: { ...subcommands.fit, run: fit },
    subsets: { ...subcommands.subsets, run: subsets }, topology: { ...subcommands.topology, run: topology } },
});
export default command;
