/**
 * The evaluation protocol of a training recipe: train it with several seeds, and for each seed score the
 * held-out set (the config's `val`) through the one scoring entry point with the training poses, so every
 * number stands beside the constant-pose baseline and the best-match oracle on the same frames, plus the
 * training-set fit (the model on its own un-augmented training frames: a fit far below the test error is
 * memorisation). Across seeds: mean ± 95% t-interval; at one seed the ratio to the constant pose carries the paired
 * bootstrap over the test frames. Each seed keeps its per-frame errors, so two results on the same test frames
 * compare paired (compareProtocols: e.g. mixed ÷ real).
 */
import path from 'node:path';
import { writeJsonAtomic } from '../../util/fsx.ts';
import { resolveDatasetArg } from '../../util/paths.ts';
import { InputError } from '../../util/errors.ts';
import { scorePredictions, type ScoreReport } from '../../metrics/score.ts';
import { tInterval95, pairedRatioBySeed, ratioVerdict, type Interval } from '../../metrics/baselines.ts';
import type { TrainConfig } from './config.ts';
import { trainPoseModel, loadPoseModel, loadDataset, predictSamples, type EpochRecord } from './train.ts';

export interface SeedResult {
  seed: number;
  trainSeconds: number;
  test: { paMpjpeMm: number; mpjpeMm: number; constantPosePaMm: number; bestMatchPaMm: number; ratioToConstantPose: number; n: number };
  /** model ÷ constant pose: paired bootstrap over the test frames (seed = the training seed) */
  ratioInterval: Interval;
  /** PA-MPJPE (mm) of each test frame, in testSet.indices order */
  perFramePaMm: number[];
  trainFit: { paMpjpeMm: number; n: number };
  curve: Array<Pick<EpochRecord, 'epoch' | 'step' | 'loss'> & { valPaMm?: number }>;
}

export interface ProtocolResult {
  name: string;
  /** the frames every seed was scored on: the val set's folder and its sample indices */
  testSet: { path: string; indices: number[] };
  seeds: SeedResult[];
  /** Over seeds. The baselines depend on the data only, so they are the same for every seed. */
  paMpjpeMm: Interval;
  ratioToConstantPose: Interval;
  trainFitPaMm: Interval;
  constantPosePaMm: number;
  bestMatchPaMm: number;
  meanTrainSeconds: number;
}

/** Train `cfg` once per seed (run folders <cfg.out>/seed-<s>) and score each on cfg.val. */
export async function runProtocol(cfg: TrainConfig, seeds: number[], opts: { quiet?: boolean; log?: (line: string) => void } = {}): Promise<ProtocolResult> {
  if (!cfg.val) throw new InputError(`${cfg.name}: val`, 'the protocol scores the held-out set named by val; the config has none');
  const log = opts.log ?? ((l: string) => console.error(l));
  const test = loadDataset(cfg.val);
  const trainSets = cfg.train.map((d) => loadDataset(d));
  const trainPoses = trainSets.flatMap((s) => s.samples.map((x) => x.xyz!));
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    const run: TrainConfig = { ...cfg, seed, model: { ...cfg.model, seed }, out: path.join(cfg.out, `seed-${seed}`) };
    const r = await trainPoseModel(run, { quiet: opts.quiet, resume: true });
    // the runs' own training time (their epochs' step loops), also when this call only resumed finished runs
    const trainSeconds = r.epochs.reduce((acc, e) => acc + e.seconds, 0);
    const model = await loadPoseModel(r.checkpoint);
    const predTest = (await predictSamples(model, test.samples, test.left)).map((p) => p.xyz);
    const sc: ScoreReport = scorePredictions({ gt: test.samples.map((s) => s.xyz!), pred: predTest, train: trainPoses, seed, replicates: 1000 });
    const fitPred: number[][][] = [];
    for (const s of trainSets) fitPred.push(...(await predictSamples(model, s.samples, s.left)).map((p) => p.xyz));
    const fit = scorePredictions({ gt: trainPoses, pred: fitPred, replicates: 0 });
    model.net.dispose();
    const res: SeedResult = {
      seed, trainSeconds,
      test: { paMpjpeMm: sc.paMpjpeMm, mpjpeMm: sc.mpjpeMm, constantPosePaMm: sc.constantPose!.paMpjpeMm, bestMatchPaMm: sc.bestMatch!.paMpjpeMm, ratioToConstantPose: sc.ratioToConstantPose!.paMpjpe, n: sc.n },
      ratioInterval: sc.ratioToConstantPose!.paMpjpeInterval!,
      perFramePaMm: Array.from(sc.perFramePaMm),
      trainFit: { paMpjpeMm: fit.paMpjpeMm, n: fit.n },
      curve: r.epochs.map((e) => ({ epoch: e.epoch, step: e.step, loss: e.loss, valPaMm: e.val?.paMpjpeMm })),
    };
    results.push(res);
    log(`${cfg.name} seed ${seed}: test PA-MPJPE ${res.test.paMpjpeMm.toFixed(2)} mm = ${res.test.ratioToConstantPose.toFixed(3)}× [${res.ratioInterval.low.toFixed(3)}, ${res.ratioInterval.high.toFixed(3)}] constant pose (${res.test.constantPosePaMm.toFixed(2)} mm; best match ${res.test.bestMatchPaMm.toFixed(2)} mm) on ${res.test.n} frames; training fit ${res.trainFit.paMpjpeMm.toFixed(2)} mm; ${trainSeconds.toFixed(0)} s`);
  }
  const out: ProtocolResult = {
    name: cfg.name, testSet: { path: resolveDatasetArg(cfg.val.path), indices: test.samples.map((x) => x.index) }, seeds: results,
    paMpjpeMm: tInterval95(results.map((r) => r.test.paMpjpeMm)),
    ratioToConstantPose: tInterval95(results.map((r) => r.test.ratioToConstantPose)),
    trainFitPaMm: tInterval95(results.map((r) => r.trainFit.paMpjpeMm)),
    constantPosePaMm: results[0].test.constantPosePaMm,
    bestMatchPaMm: results[0].test.bestMatchPaMm,
    meanTrainSeconds: results.reduce((a, r) => a + r.trainSeconds, 0) / results.length,
  };
  writeJsonAtomic(path.join(cfg.out, 'protocol.json'), out, 2);
  return out;
}

/** mean ± half the 95% interval over seeds; one seed has no spread over seeds, so its value alone */
const pm = (i: Interval, d = 2) => (i.n === 1 ? i.mean.toFixed(d) : `${i.mean.toFixed(d)} ± ${((i.high - i.low) / 2).toFixed(d)}`);

/** The ratio to the constant pose: several seeds, mean ± half the t-interval; one seed, its paired bootstrap over the test frames. */
const ratioCell = (r: ProtocolResult) => r.seeds.length === 1
  ? `${r.seeds[0].test.ratioToConstantPose.toFixed(3)} [${r.seeds[0].ratioInterval.low.toFixed(3)}, ${r.seeds[0].ratioInterval.high.toFixed(3)}] (bootstrap over frames)`
  : pm(r.ratioToConstantPose, 3);

/** One markdown table row per protocol result (mm; ratio = model ÷ constant pose; ± = half the 95% interval over seeds). */
export function protocolTable(rows: ProtocolResult[]): string {
  const head = '| arm | seeds | test PA-MPJPE (mm) | ÷ constant pose | constant pose (mm) | best match (mm) | training fit (mm) | training time per seed (s) |\n| --- | --- | --- | --- | --- | --- | --- | --- |';
  return [head, ...rows.map((r) => `| ${r.name} | ${r.seeds.length} | ${pm(r.paMpjpeMm)} | ${ratioCell(r)} | ${r.constantPosePaMm.toFixed(2)} | ${r.bestMatchPaMm.toFixed(2)} | ${pm(r.trainFitPaMm)} | ${r.meanTrainSeconds.toFixed(0)} |`)].join('\n');
}

/** a ÷ b on the same test frames (test PA-MPJPE), paired by seed: see pairedRatioBySeed. */
export interface ProtocolContrast { a: string; b: string; seeds: number[]; ratio: number; interval: Interval; verdict: string }

/**
 * Compare two protocol results scored on the same frames (same val set and indices; refused otherwise, naming
 * the files): per shared seed the ratio of summed per-frame errors, one seed with the paired bootstrap over the
 * frames, several with the t-interval over seeds.
 */
export function compareProtocols(a: ProtocolResult, b: ProtocolResult, where: [string, string] = [a.name, b.name]): ProtocolContrast {
  for (const [r, w] of [[a, where[0]], [b, where[1]]] as const) {
    if (!r.testSet || r.seeds.some((s) => !Array.isArray(s.perFramePaMm))) throw new InputError(w, 'has no per-frame test errors (written before they were kept): run `handgap train --seeds` on its config again; finished runs are only re-scored');
  }
  if (a.testSet.path !== b.testSet.path || a.testSet.indices.join(',') !== b.testSet.indices.join(',')) {
    throw new InputError(`${where[1]}: testSet`, `was scored on ${b.testSet.indices.length} frames of ${b.testSet.path}, ${where[0]} on ${a.testSet.indices.length} frames of ${a.testSet.path}: a paired comparison needs the same frames`);
  }
  const frames = (r: ProtocolResult) => Object.fromEntries(r.seeds.map((s) => [s.seed, s.perFramePaMm]));
  const c = pairedRatioBySeed(frames(a), frames(b));
  if (!c) throw new InputError(where[1], `shares no seed with ${where[0]} (seeds ${b.seeds.map((s) => s.seed).join(', ')} against ${a.seeds.map((s) => s.seed).join(', ')})`);
  return { a: a.name, b: b.name, ...c, verdict: ratioVerdict(c.interval, a.name, b.name) };
}

/** One line a person reads: the ratio, its interval and how it was made, and the verdict. */
export function contrastLine(c: ProtocolContrast): string {
  return `${c.a} ÷ ${c.b} (test PA-MPJPE, same frames, seeds ${c.seeds.join(', ')}): ${c.ratio.toFixed(3)} [${c.interval.low.toFixed(3)}, ${c.interval.high.toFixed(3)}] (${c.interval.method}): ${c.verdict}`;
}
