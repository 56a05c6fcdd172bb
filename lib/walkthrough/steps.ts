/**
 * The walkthrough's own step kinds for the analysis experiment runner (IO). Each is thin wiring around
 * another area's entry point; running them through the runner gives every stage a result cache keyed by
 * its resolved config (a second `handgap reproduce` reuses them) and a lock when processes overlap.
 *   wt-poses    lib/hand + lib/data pose sets: Leap, uniform samples vs the real set (coverage, MMD, PCA)
 *   wt-spectral lib/spectral spectralGap: amplitude statistics synthetic vs real, before/after augmentation
 *   wt-gap      lib/analysis gapReport: the four gap factors (spectrum, poses, skeleton, occlusion)
 *   wt-prior    lib/train/prior: the VAE occlusion prior vs mean-pose and nearest-neighbour fill
 */
import fs from 'node:fs';
import path from 'node:path';
import { registerStepKind, type StepContext } from '../analysis/runner.ts';
import { registerBuiltinSteps, datasetDir } from '../analysis/steps.ts';
import type { Json } from '../analysis/experiment.ts';
import { InputError, HandgapError } from '../util/errors.ts';
import { writeJsonAtomic } from '../util/fsx.ts';

const asJson = (v: unknown): Json => JSON.parse(JSON.stringify(v ?? null, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x))) as Json;
const round = (x: number, d = 4): number => (Number.isFinite(x) ? Number(x.toFixed(d)) : NaN);

/** Evenly spread subset of 0..n-1 of size ≤ max (deterministic; keeps the first and spans the set). */
export function spreadIndices(n: number, max: number): number[] {
  if (max <= 0 || max >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

function rows21(flat: Float64Array, i: number): number[][] {
  return Array.from({ length: 21 }, (_, j) => [flat[i * 63 + j * 3], flat[i * 63 + j * 3 + 1], flat[i * 63 + j * 3 + 2]]);
}

async function posesStep({ config, dir, log }: StepContext): Promise<Record<string, Json>> {
  const { readLeapPoses, readHgcDev, selectPoses } = await import('../data/pose-sets.ts');
  const { sampleUniformAngles, jointsOfAngles } = await import('../hand/sampler.ts');
  const { genericHandRestShape } = await import('../hand/asset.ts');
  const { comparePoseSets } = await import('../hand/stats.ts');
  const { projectPoseSets } = await import('../plot/pca.ts');
  const max = Number(config.maxPoses), seed = Number(config.seed);
  const leapAll = readLeapPoses();
  const leap = selectPoses(leapAll, spreadIndices(leapAll.count, max), 'leap');
  const nUni = Number(config.sampled);
  const uni = jointsOfAngles(genericHandRestShape('right'), sampleUniformAngles(nUni, seed)).j21;
  const uniHands = Array.from({ length: nUni }, () => 'right' as const);
  const sets: { name: string; joints: Float64Array; hands: ('left' | 'right')[]; count: number }[] = [
    { name: 'Leap recordings', joints: leap.joints, hands: leap.handedness, count: leap.count },
    { name: 'uniform in joint limits', joints: uni, hands: uniHands, count: nUni },
  ];
  let real: { name: string; count: number } | null = null;
  const comparisons: Record<string, Json> = {};
  if (config.real) {
    const hgcAll = readHgcDev(datasetDir(config.real, {}, 'wt-poses.real'));
    const hgc = selectPoses(hgcAll, spreadIndices(hgcAll.count, max), 'hgc-dev');
    real = { name: 'hgc-dev', count: hgc.count };
    for (const s of sets) {
      const c = comparePoseSets(s.joints, s.hands, hgc.joints, hgc.handedness, { seed, maxPoses: max });
      log(`${s.name} → hgc-dev: coverage@10mm ${(100 * c.coverage[1].fraction).toFixed(1)}%, MMD² ${c.mmd.mmd2.toExponential(2)}`);
      comparisons[s.name] = { countA: c.countA, countB: c.countB, coverage: asJson(c.coverage), medianNearestMm: round(1000 * c.medianNearest, 2), mmd2: c.mmd.mmd2, angleW1Deg: asJson(c.angles.map((a) => ({ name: a.name, w1: round((a.w1 * 180) / Math.PI, 2) }))) };
    }
    sets.push({ name: 'hgc-dev (real)', joints: hgc.joints, hands: hgc.handedness, count: hgc.count });
  }
  // PCA view of articulation: each pose root-relative and rotated into its palm frame (left hands
  // mirrored; lib/hand alignPoses), so the camera orientation of a set does not dominate the components
  const { alignPoses } = await import('../hand/stats.ts');
  const shown = Math.min(300, max);
  const proj = projectPoseSets(sets.map((s) => { const a = alignPoses(s.joints, s.hands); return { name: s.name, poses: spreadIndices(s.count, shown).map((i) => rows21(a, i)) }; }));
  writeJsonAtomic(path.join(dir, 'projection.json'), proj);
  return { sets: sets.map((s) => ({ name: s.name, count: s.count })), real, comparisons, projection: asJson(proj) } as Record<string, Json>;
}

async function spectralStep({ config, deps, dir, log }: StepContext): Promise<Record<string, Json>> {
  const { spectralGap } = await import('../spectral/gap.ts');
  const syn = datasetDir(config.syn, deps, 'wt-spectral.syn'), real = datasetDir(config.real, deps, 'wt-spectral.real');
  const g = await spectralGap({ real, synthetic: syn }, {
    size: Number(config.size), limit: Number(config.limit) || undefined, seed: Number(config.seed), replicates: Number(config.replicates),
    augment: config.augment as never, pool: 'real', workers: 1,
  });
  log(`variance ratio syn/real ${g.before.scalar.toFixed(3)} before, ${g.after ? g.after.scalar.toFixed(3) : '-'} after ${g.after?.augment.kind ?? ''}`);
  writeJsonAtomic(path.join(dir, 'spectral-gap.json'), asJson(g));
  return {
    file: path.join(dir, 'spectral-gap.json'), images: { synthetic: g.synthetic.images, real: g.real.images }, size: g.size,
    varianceRatio: { before: g.before.scalar, beforeInterval: asJson(g.before.interval), after: g.after?.scalar ?? null, afterInterval: asJson(g.after?.interval ?? null), augment: asJson(g.after?.augment ?? null) },
    /** fraction of radial bins (DC excluded) where the synthetic variance is below the real one */
    synBelowRealFraction: fractionBelow(g.profiles.synthetic, g.profiles.real),
    profiles: asJson(g.profiles),
  };
}

export function fractionBelow(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let below = 0, n = 0;
  for (let i = 1; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) { n++; if (a[i] < b[i]) below++; }
  return n ? below / n : NaN;
}

async function gapStep({ config, deps, dir }: StepContext): Promise<Record<string, Json>> {
  const { gapReport, skeletonSummary, spectrumSummary } = await import('../analysis/gap-report.ts');
  const { readFreihand } = await import('../data/freihand.ts');
  // reference (real) first, candidate (synthetic) second: ratios synthetic ÷ real, offsets (synthetic − real) ÷ real
  const refDir = datasetDir(config.reference, deps, 'wt-gap.reference'), candDir = datasetDir(config.candidate, deps, 'wt-gap.candidate');
  const reference = { name: String(config.referenceName), dir: refDir, samples: readFreihand(refDir).samples };
  const candidate = { name: String(config.candidateName), dir: candDir, samples: readFreihand(candDir).samples };
  const out = path.join(dir, 'report');
  const r = await gapReport(reference, candidate, { out, seed: Number(config.seed), maxImages: Number(config.maxImages), maxPoses: Number(config.maxPoses), size: Number(config.size), png: false });
  return {
    dir: out, report: path.join(out, 'report.md'), direction: asJson(r.direction),
    spectrumVarianceRatioSynToReal: r.spectrum.meanVarianceRatio, spectrumSummary: spectrumSummary(r),
    pose: asJson(r.pose), skeletonMeanAbsPct: r.skeleton ? r.skeleton.offset.meanAbsPct : null, skeletonLargest: asJson(r.skeleton?.offset.largest ?? null),
    skeletonSummary: skeletonSummary(r),
    occlusion: asJson(r.occlusion),
  };
}

async function priorStep({ config, dir, log }: StepContext): Promise<Record<string, Json>> {
  const vaeFile = new URL('../train/prior/vae.ts', import.meta.url);
  if (!fs.existsSync(vaeFile)) throw new HandgapError('the VAE occlusion prior (lib/train/prior/vae.ts, train area) is not in this checkout');
  const { OcclusionVae, trainVae } = await import('../train/prior/vae.ts');
  const { splitPoseSets } = await import('../train/prior/split.ts');
  const P = await import('../train/prior/poses.ts');
  const { initBackend } = await import('../train/backend.ts');
  const { readLeapPoses, selectPoses } = await import('../data/pose-sets.ts');
  const { Rng } = await import('../util/rng.ts');
  const backend = await initBackend();
  const seed = Number(config.seed), maxPoses = Number(config.maxPoses);
  const leapAll = readLeapPoses();
  const leap = maxPoses > 0 && maxPoses < leapAll.count ? selectPoses(leapAll, spreadIndices(leapAll.count, maxPoses), 'leap') : leapAll;
  if (maxPoses > 0 && leap !== leapAll) leap.meta.frames = spreadIndices(leapAll.count, maxPoses).map((i) => (leapAll.meta.frames as string[])[i]);
  const split = splitPoseSets([leap], { seed, testFraction: 0.2 });
  const nTest = Math.min(split.testCount, Number(config.testPoses));
  const test = split.test.subarray(0, nTest * P.D);
  const vae = OcclusionVae.create({ hidden: Number(config.hidden), seed, batchSize: Math.min(256, split.trainCount) });
  const t0 = Date.now();
  const curve: { step: number; loss: number; recon: number; kl: number }[] = [];
  const last = trainVae(vae, split.train, Number(config.steps), { logEvery: Math.max(1, Math.floor(Number(config.steps) / 20)), onLog: (l) => curve.push({ ...l }) });
  const seconds = (Date.now() - t0) / 1000;
  log(`VAE ${config.steps} steps in ${seconds.toFixed(1)} s on ${backend.name}; last loss ${last.loss.toFixed(4)}`);
  // occlude 30% of the joints of held-out poses; score each fill on the occluded joints (mm)
  const rng = Rng.derive(seed, 'prior-eval');
  const visible = P.occlusionMasks(nTest, Number(config.occludedFraction ?? 0.3), () => rng.random());
  const observed = P.maskPoses(test, visible);
  const mean = P.meanPose(split.train);
  const errMm = (est: Float32Array) => 1000 * P.occludedJointError(test, est, visible);
  const result = {
    backend: backend.name, trainPoses: split.trainCount, testPoses: nTest, steps: Number(config.steps), seconds,
    occludedJointErrorMm: {
      meanPose: errMm(P.meanPoseFill(observed, visible, mean)),
      nearestNeighbour: errMm(P.nearestNeighbourFill(observed, visible, split.train)),
      vae: errMm(vae.refine(observed, visible)),
      // decoder(z) with z fitted to the visible joints (40 Adam steps): the prior used as a prior
      vaeLatentFit: errMm(vae.refineFit(observed, visible, { iterations: Number(config.fitIterations ?? 40) })),
    },
    curve,
  };
  vae.dispose();
  return asJson(result) as Record<string, Json>;
}

/**
 * Train the pose net (lib/train/pose) on dataset specs and score it on a held-out index range of the test
 * set, in one cached run. config: { train: DatasetSpec[], test: { path, indices }, epochs, batchSize,
 * inputSize, widths, spectral, seed }. Errors in mm.
 */
async function trainEvalStep({ config, deps, dir, log }: StepContext): Promise<Record<string, Json>> {
  const { parseTrainConfig } = await import('../train/pose/config.ts');
  const { trainPoseModel, loadPoseModel, loadDataset, predictSamples } = await import('../train/pose/train.ts');
  const { scorePredictions, scoreSummary } = await import('../metrics/score.ts');
  const { TINY_POSENET } = await import('../train/pose/model.ts');
  const train = (config.train as Record<string, Json>[]).map((d, i) => ({ ...d, path: datasetDir(d.path, deps, `wt-train.train[${i}].path`) }));
  const cfg = parseTrainConfig({
    name: 'walkthrough', out: path.join(dir, 'model'), train,
    model: { ...TINY_POSENET, inputSize: Number(config.inputSize), widths: config.widths ?? TINY_POSENET.widths, blocks: (config.widths as number[] | undefined)?.map(() => 1) ?? TINY_POSENET.blocks, seed: Number(config.seed) },
    epochs: Number(config.epochs), batchSize: Number(config.batchSize), warmupSteps: 5, spectral: config.spectral ?? null, seed: Number(config.seed), workers: 0,
  }, 'walkthrough train config');
  const t0 = Date.now();
  const r = await trainPoseModel(cfg, { quiet: true, onEpoch: (e) => log(`epoch ${e.epoch}/${cfg.epochs}: loss ${e.loss.toFixed(4)} (${e.imagesPerSecond.toFixed(1)} img/s)`) });
  const trainSeconds = (Date.now() - t0) / 1000;
  const test = config.test as { path: string; indices: number[] };
  const testSet = loadDataset({ path: datasetDir(test.path, deps, 'wt-train.test.path'), indices: test.indices });
  const model = await loadPoseModel(r.checkpoint);
  const pred = (await predictSamples(model, testSet.samples, testSet.left)).map((p) => p.xyz);
  model.net.dispose();
  const trainPoses = cfg.train.flatMap((d) => loadDataset(d).samples.map((x) => x.xyz!));
  const e = scorePredictions({ gt: testSet.samples.map((x) => x.xyz!), pred, train: trainPoses, seed: Number(config.seed) });
  log(`PA-MPJPE ${e.paMpjpeMm.toFixed(1)} mm (constant pose ${e.constantPose!.paMpjpeMm.toFixed(1)}, best match ${e.bestMatch!.paMpjpeMm.toFixed(1)}), MPJPE ${e.mpjpeMm.toFixed(1)} mm on ${testSet.samples.length} test images (trained ${trainSeconds.toFixed(0)} s on ${r.backend.name})`);
  return asJson({ ...scoreSummary(e), backend: r.backend.name, trainSeconds, checkpoint: r.checkpoint,
    curve: r.epochs.map((x) => ({ epoch: x.epoch, step: x.step, loss: x.loss })) }) as Record<string, Json>;
}

let registered = false;
export function registerWalkthroughSteps(): void {
  registerBuiltinSteps();
  if (registered) return;
  registered = true;
  registerStepKind({ name: 'wt-poses', version: 2, summary: 'pose-set statistics: Leap and uniform samples vs the real set (coverage, MMD, angles, PCA)', run: posesStep });
  registerStepKind({ name: 'wt-spectral', version: 1, summary: 'amplitude statistics synthetic vs real, before/after augmentation (lib/spectral)', run: spectralStep });
  registerStepKind({ name: 'wt-gap', version: 2, summary: 'gap report between two sets (lib/analysis gapReport)', run: gapStep });
  registerStepKind({ name: 'wt-train', version: 1, summary: 'train the pose net on dataset specs and score a held-out index range (lib/train/pose)', run: trainEvalStep });
  registerStepKind({ name: 'wt-prior', version: 2, summary: 'VAE occlusion prior vs mean-pose and nearest-neighbour fill (lib/train/prior)', run: priorStep });
}

export { InputError };
