/**
 * The study walkthrough (IO): a sequence of stages at one scale. The work is one declared experiment,
 * experiments/walkthrough.json (its sizes per scale, its steps of the lib/experiment kinds); a stage runs
 * some of its steps through the experiment runner (runs under $HANDGAP_CACHE/runs, keyed by resolved
 * config), so a second run — and every notebook at the same scale — reuses finished work.
 *
 * Stages (notebook in brackets): poses [01], render [02], spectral [03], compose + gap [04],
 * train [05], prior [06], experiments [07]; `handgap reproduce` runs them all and writes the summary [08].
 * A stage whose real data is missing is "skipped" with the reason (never faked); a stage that
 * throws is "failed" with its error, and the walkthrough goes on with the stages that do not need it.
 *
 * Output folder (default $HANDGAP_CACHE/walkthrough/<scale>): results.json (every stage outcome),
 * tables/*.{md,csv,tex}, images/*.png (sample grids), summary.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { reporterForHere } from '../util/progress.ts';
import { cacheDir, resolveDatasetArg } from '../util/paths.ts';
import { writeJsonAtomic, ensureDir, readJson } from '../util/fsx.ts';
import { HandgapError, InputError } from '../util/errors.ts';
import { parseScale, type ExperimentDecl, type Json, type ResolvedExperiment, type Scale } from '../experiment/declaration.ts';
import { experimentFile, readExperiment, resolve, runExperiment, collectResults, defaultRunRoot, readRunResult, runDir } from '../experiment/runner.ts';
import { writeExperimentReport } from '../experiment/report.ts';
import { blockSplit } from '../data/split.ts';
import { readFreihand } from '../data/freihand.ts';
import type { ArmFrames } from './summary.ts';

export type StageId = 'poses' | 'render' | 'spectral' | 'compose' | 'gap' | 'train' | 'prior' | 'experiments';

/** The three arms of the train stage: step ids train-<arm> / eval-<arm>; models copied to <out>/models/<arm>. */
export const ARMS = ['synthetic', 'real', 'mixed'] as const;
export type Arm = (typeof ARMS)[number];
/**
 * Every arm scored on its training poses in both appearances: the real training photos and their syn-hgc renders
 * (step ids fixed-pose-<arm>-<view>). A pose seen in training leaves only the appearance to differ.
 */
export const FIXED_POSE_VIEWS = ['photos', 'renders'] as const;
export type FixedPoseView = (typeof FIXED_POSE_VIEWS)[number];
export const fixedPoseStep = (arm: Arm, view: FixedPoseView): string => `fixed-pose-${arm}-${view}`;
const FIXED_POSE_STEPS = ARMS.flatMap((arm) => FIXED_POSE_VIEWS.map((v) => fixedPoseStep(arm, v)));
/**
 * Every arm also scored on renders of the test block's poses (step render-test-poses: the test frames' fitted poses,
 * views and K, rendered like syn-hgc and never trained on), beside eval-<arm> on their real photos: at the new poses,
 * too, only the appearance differs. Renders of new poses against renders of training poses is the step to new poses
 * within one appearance.
 */
export const testRendersStep = (arm: Arm): string => `test-renders-${arm}`;
const TEST_RENDERS_STEPS = ARMS.map(testRendersStep);

/** The four sets every arm is scored on, poses (training, test block) × appearance (renders, photos), and each set's step id. */
export type PoseAppearance = { poses: 'training' | 'test'; view: FixedPoseView; step: (arm: Arm) => string };
export const POSE_APPEARANCES: readonly PoseAppearance[] = [
  { poses: 'training', view: 'renders', step: (a) => fixedPoseStep(a, 'renders') },
  { poses: 'training', view: 'photos', step: (a) => fixedPoseStep(a, 'photos') },
  { poses: 'test', view: 'renders', step: testRendersStep },
  { poses: 'test', view: 'photos', step: (a) => `eval-${a}` },
];

/**
 * The stages, each a set of step ids of experiments/walkthrough.json (their prerequisites run or come
 * from the cache); `needsReal`: skipped, with the reason, when the real set is not on this machine.
 * The last stage runs the declared sweeps (experiments/<name>.json) at SWEEP_SCALE[scale].
 */
export const STAGES: { id: StageId; title: string; notebook: string; steps: string[]; needsReal: boolean }[] = [
  { id: 'poses', title: 'Pose statistics (Leap, uniform samples vs real)', notebook: '01_hand_model', steps: ['poses'], needsReal: false },
  { id: 'render', title: 'Render syn-hgc: the real training frames\' fitted poses, views and K, and the same with fingers recombined among them (Blender)', notebook: '02_synthesis', steps: ['render', 'render-recombined'], needsReal: true },
  { id: 'spectral', title: 'Amplitude statistics synthetic vs real, and amplitude augmentation', notebook: '03_spectral', steps: ['spectral'], needsReal: true },
  { id: 'compose', title: 'Composition: arms/objects pasted with random colours', notebook: '04_composition_occlusion', steps: ['compose'], needsReal: true },
  { id: 'gap', title: 'Gap report: spectrum, poses, skeleton, occlusion', notebook: '04_composition_occlusion', steps: ['gap'], needsReal: true },
  { id: 'train', title: 'Training synthetic / real / mixed (each seed), evaluation on the held-out block, and on the training and test poses in both appearances', notebook: '05_training', steps: ['eval-synthetic', 'eval-real', 'eval-mixed', ...FIXED_POSE_STEPS, ...TEST_RENDERS_STEPS], needsReal: true },
  { id: 'prior', title: 'VAE occlusion prior, and the real arm on occluded test frames', notebook: '06_occlusion_prior', steps: ['prior'], needsReal: false },
  { id: 'experiments', title: 'Saturation (pose fraction) and component ablation', notebook: '07_saturation', steps: [], needsReal: true },
];

/** The sweeps of the last stage and the scale they run at for each walkthrough scale (null: not run). */
export const SWEEPS = ['pose-fraction', 'component-ablation', 'hdri-fraction', 'texture-diversity'];
export const SWEEP_SCALE: Record<Scale, Scale | null> = { smoke: null, demo: 'smoke', study: 'demo', paper: 'paper' };
/** The arms whose first-seed model the prior stage scores on occluded test frames (experiments/prior-refine.json; run id refine-<arm>). */
export const REFINE_ARMS: readonly Arm[] = ['real'];

export interface StageOutcome {
  id: StageId;
  title: string;
  status: 'done' | 'skipped' | 'failed';
  reason?: string;
  seconds: number;
  /** runner runs executed now / found cached */
  executed: number;
  cached: number;
  /** step id → result (the runner's result.json content) and its run folder; the train stage also has
   *  "<step id>@seed<s>" for every seed of the scale's trainSeeds (the plain id is the first seed) */
  runs: Record<string, { dir: string; result: Record<string, Json> }>;
}

export interface WalkOptions {
  scale?: Scale | string;
  /** outputs (default $HANDGAP_CACHE/walkthrough/<scale>) */
  out?: string;
  /** runner cache (default $HANDGAP_CACHE/runs) */
  root?: string;
  /** real test set folder; default the declaration's (hgc-dev, found through HANDGAP_SHARED / HANDGAP_DATA); null: run without real data */
  real?: string | null;
  /** the sweeps the experiments stage runs (default: all of SWEEPS); e.g. the two of a study-scale run that fit a day */
  sweeps?: string[];
  log?: (m: string) => void;
}

export interface WalkContext {
  scale: Scale;
  seed: number;
  /** the walkthrough declaration and its sizes at this scale */
  decl: ExperimentDecl;
  sizes: Record<string, Json>;
  exp: ResolvedExperiment;
  out: string; root: string; real: string | null; sweeps: string[]; log: (m: string) => void; outcomes: Map<StageId, StageOutcome>;
}

export const FETCH_HINT = 'real data: point HANDGAP_SHARED (or HANDGAP_DATA) at a folder holding data/real/hgc-dev, e.g. `HANDGAP_SHARED=/work/shared npm run main` (check with `npx handgap status`)';

export function walkContext(opts: WalkOptions = {}): WalkContext {
  const scale = parseScale(typeof opts.scale === 'string' ? opts.scale : process.env.HANDGAP_SCALE, 'demo');
  const unknown = (opts.sweeps ?? []).filter((n) => !SWEEPS.includes(n));
  if (unknown.length) throw new InputError('--sweeps', `unknown sweep "${unknown[0]}" (known: ${SWEEPS.join(', ')})`);
  const sweeps = opts.sweeps?.length ? SWEEPS.filter((n) => opts.sweeps!.includes(n)) : SWEEPS;
  const decl = readExperiment(experimentFile('walkthrough'));
  const out = ensureDir(path.resolve(opts.out ?? path.join(cacheDir(), 'walkthrough', scale)));
  // the declaration names the real set (a known set name keeps run keys machine-independent)
  const declared = String(decl.params.real);
  const found = fs.existsSync(resolveDatasetArg(declared)) ? resolveDatasetArg(declared) : null;
  const real = opts.real === undefined ? found : opts.real;
  const exp = resolve(decl, scale, { params: { real: opts.real === undefined ? (found ? declared : null) : opts.real } });
  return { scale, seed: decl.seed, decl, sizes: decl.scales[scale], exp, out, root: path.resolve(opts.root ?? defaultRunRoot()), real, sweeps, log: opts.log ?? reporterForHere().detail, outcomes: new Map() };
}

class Skip extends Error {}

/** Run the stage's steps of the walkthrough declaration (prerequisites from the cache) and collect every run of them. */
async function runSteps(ctx: WalkContext, steps: string[], o: StageOutcome, exp = ctx.exp, suffix = ''): Promise<void> {
  const s = await runExperiment(exp, { root: ctx.root, log: ctx.log, only: steps });
  o.executed += s.executed.length; o.cached += s.cached.length + s.waited.length;
  const keys = new Set([...s.executed, ...s.cached, ...s.waited]);
  for (const [id, key] of Object.entries(exp.points[0].runs)) {
    const run = exp.runs.get(key)!;
    const result = keys.has(key) ? readRunResult(ctx.root, run) : null;
    if (result) o.runs[id + suffix] = { dir: runDir(ctx.root, run), result };
  }
}

/** One step of a train stage over its seeds: runs "<step>@seed<s>", or (an older result without seeds) the plain id at `plainSeed`. */
export function stageSeedRuns(tr: StageOutcome, step: string, plainSeed: number): { seed: number; dir: string; result: Record<string, Json> }[] {
  const runs = Object.entries(tr.runs).filter(([k]) => k.startsWith(`${step}@seed`)).map(([k, v]) => ({ seed: Number(k.split('@seed')[1]), ...v }));
  if (!runs.length && tr.runs[step]) runs.push({ seed: plainSeed, ...tr.runs[step] });
  return runs;
}

/** One step of the walkthrough's train stage over its seeds (stageSeedRuns; the plain id at the walkthrough's seed). */
export function seedRuns(res: WalkthroughResult, step: string): { seed: number; dir: string; result: Record<string, Json> }[] {
  const tr = res.stages.find((s) => s.id === 'train' && s.status === 'done');
  return tr ? stageSeedRuns(tr, step, res.seed) : [];
}

/**
 * Per-frame test-block errors of each arm, by seed (per-frame-pa-mm.json of its eval-<arm> runs): the paired arm
 * contrasts of the summary (summary.ts armContrastTable). A run folder without the file is left out.
 */
export function loadArmFrames(res: WalkthroughResult): ArmFrames {
  const out: ArmFrames = {};
  for (const arm of ARMS) {
    for (const { seed, dir } of seedRuns(res, `eval-${arm}`)) {
      const file = path.join(dir, 'per-frame-pa-mm.json');
      if (fs.existsSync(file)) (out[arm] ??= {})[seed] = readJson(file) as number[];
    }
  }
  return out;
}

/** The scale's training seeds (every arm trains once per seed). */
export function trainSeeds(sizes: Record<string, Json>): number[] {
  const s = sizes.trainSeeds;
  if (!Array.isArray(s) || !s.length || !s.every((x) => Number.isInteger(x))) throw new HandgapError('experiments/walkthrough.json: scales.<scale>.trainSeeds must be a non-empty list of integer seeds');
  return s as number[];
}

/**
 * No test pose may reach synthetic training: syn-hgc sample i shows real frame ⌊i / synRepeat⌋, so the
 * frames rendered (0 … ⌈renderN / synRepeat⌉ − 1) must all be training frames of the blocked split
 * (render-recombined borrows its fingers' bends from the same frames only: pose.recombine).
 */
export function checkSynFramesTrainOnly(ctx: WalkContext, realCount: number): number[] {
  const frames = Math.ceil(Number(ctx.sizes.renderN) / Number(ctx.sizes.synRepeat));
  const p = ctx.decl.params as { testBlocks: [number, number][]; gap: number };
  const train = new Set(blockSplit({ count: realCount, test: p.testBlocks, gap: p.gap }, 'experiments/walkthrough.json: params').train);
  const bad = Array.from({ length: frames }, (_, i) => i).filter((i) => !train.has(i));
  if (bad.length) throw new HandgapError(`experiments/walkthrough.json: scales.${ctx.scale}.renderN ${ctx.sizes.renderN} ÷ synRepeat ${ctx.sizes.synRepeat} renders real frames ${bad[0]}…${bad[bad.length - 1]}, which are test or gap frames of the blocked split (test ${JSON.stringify(p.testBlocks)}, gap ${p.gap}); synthetic training must see training frames only`);
  return Array.from({ length: frames }, (_, i) => i);
}

/** Every arm once per seed: the declaration resolved with params.trainSeed = s (render, compose keep their keys). */
async function runTrainSeeds(ctx: WalkContext, steps: string[], o: StageOutcome): Promise<void> {
  checkSynFramesTrainOnly(ctx, readFreihand(ctx.real!, { checkImages: false }).count);
  const seeds = trainSeeds(ctx.sizes);
  const t0 = Date.now();
  for (const [i, seed] of seeds.entries()) {
    const exp = i === 0 && ctx.exp.params.trainSeed === seed ? ctx.exp : resolve(ctx.decl, ctx.scale, { params: { ...ctx.exp.params, trainSeed: seed } });
    ctx.log(`walkthrough [${ctx.scale}] train: seed ${seed} (${i + 1}/${seeds.length})${i ? `, ETA for the remaining seeds ${fmtSeconds(((Date.now() - t0) / 1000 / i) * (seeds.length - i))}` : ''}`);
    await runSteps(ctx, steps, o, exp, `@seed${seed}`);
    if (i === 0) for (const [k, v] of Object.entries(o.runs)) if (k.endsWith(`@seed${seed}`)) o.runs[k.slice(0, -`@seed${seed}`.length)] = v;
  }
  publishModels(ctx, o);
}

/**
 * The first seed's model of each arm where `handgap predict --model` finds it: <out>/models/<arm>/ (a
 * checkpoint folder), copied from the run cache under a temporary name and renamed into place.
 */
function publishModels(ctx: WalkContext, o: StageOutcome): void {
  for (const arm of ARMS) {
    const ckpt = o.runs[`train-${arm}`]?.result.checkpoint;
    if (typeof ckpt !== 'string') continue;
    const dest = path.join(ctx.out, 'models', arm);
    const tmp = `${dest}.tmp-${process.pid}`, old = `${dest}.old-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(ckpt, tmp, { recursive: true });
    if (fs.existsSync(dest)) fs.renameSync(dest, old);
    fs.renameSync(tmp, dest);
    fs.rmSync(old, { recursive: true, force: true });
  }
  ctx.log(`walkthrough [${ctx.scale}] models: ${path.join(ctx.out, 'models')}/{${ARMS.join(',')}} (handgap predict --model <that folder>)`);
}

export function fmtSeconds(s: number): string {
  return s >= 90 ? `${(s / 60).toFixed(1)} min` : `${Math.round(s)} s`;
}

/**
 * The prior in the loop and error by occlusion level: experiments/prior-refine.json at this scale on the
 * walkthrough's real set and split, with each REFINE_ARMS model of the train stage (first seed) as the
 * estimator, read from the run cache: never trained here, and left out (said so) when not trained yet.
 */
async function runPriorRefine(ctx: WalkContext, o: StageOutcome): Promise<void> {
  if (!ctx.real) { o.reason = `the prior on occluded test frames needs the real set; ${FETCH_HINT}`; return; }
  const p = ctx.exp.params as { real: string; testBlocks: [number, number][]; gap: number };
  const first = resolve(ctx.decl, ctx.scale, { params: { ...ctx.exp.params, trainSeed: trainSeeds(ctx.sizes)[0] } });
  const decl = readExperiment(experimentFile('prior-refine'));
  const missing: string[] = [];
  for (const arm of REFINE_ARMS) {
    const run = first.runs.get(first.points[0].runs[`train-${arm}`]);
    const checkpoint = run ? readRunResult(ctx.root, run)?.checkpoint : null;
    if (typeof checkpoint !== 'string') { missing.push(arm); continue; }
    const exp = resolve(decl, ctx.scale, { params: { real: p.real, testBlocks: p.testBlocks, gap: p.gap, estimator: checkpoint } });
    await runSteps(ctx, ['refine'], o, exp, `-${arm}`);
  }
  if (missing.length) o.reason = `no trained ${missing.join(', ')} model in the run cache yet: the prior on occluded test frames is left out (run the train stage first)`;
}

async function runSweeps(ctx: WalkContext, o: StageOutcome): Promise<void> {
  const scale = SWEEP_SCALE[ctx.scale];
  if (!scale) throw new Skip(`saturation and ablation experiments are not run at ${ctx.scale} scale (every sweep point renders and trains a model: too slow for this scale's budget; run \`handgap experiment pose-fraction --scale smoke\` and \`handgap experiment component-ablation --scale smoke\`, or \`handgap reproduce --scale demo\`)`);
  const left = SWEEPS.filter((n) => !ctx.sweeps.includes(n));
  if (left.length) o.reason = `not run this time (--sweeps ${ctx.sweeps.join(',')}): ${left.join(', ')}`;
  for (const name of ctx.sweeps) {
    const decl = readExperiment(experimentFile(name));
    // the params a sweep takes from the walkthrough (its split: paramsFrom) follow this walkthrough's values, overrides included
    const inherited = decl.paramsFrom?.experiment === 'walkthrough' ? Object.fromEntries(decl.paramsFrom.names.map((k) => [k, ctx.exp.params[k]])) : {};
    const exp = resolve(decl, scale, { params: inherited });
    const s = await runExperiment(exp, { root: ctx.root, log: ctx.log });
    o.executed += s.executed.length; o.cached += s.cached.length;
    if (decl.collect) {
      const rows = collectResults(exp, decl.collect.step, decl.collect.fields, ctx.root);
      const rep = await writeExperimentReport(exp, decl.report, rows, decl.collect.fields, path.join(ctx.out, 'experiments', name), decl.seed);
      // rows: one per run (point × seed); points: each sweep point over its seeds with baselines and verdict
      o.runs[name] = { dir: path.join(ctx.out, 'experiments', name), result: JSON.parse(JSON.stringify({ scale, rows, tables: rep.tables, saturation: rep.saturation ?? null, points: rep.points ?? null, saturationSkipped: rep.saturationSkipped ?? null, contrasts: rep.contrasts ?? null })) };
    }
  }
}

/** Run one stage (cached work is reused); never throws for a missing piece: the outcome says why. */
export async function runStage(id: StageId, ctxOrOpts: WalkContext | WalkOptions = {}): Promise<StageOutcome> {
  const ctx = 'exp' in ctxOrOpts ? ctxOrOpts : walkContext(ctxOrOpts);
  const meta = STAGES.find((s) => s.id === id);
  if (!meta) throw new HandgapError(`unknown walkthrough stage "${id}" (known: ${STAGES.map((s) => s.id).join(', ')})`);
  const o: StageOutcome = { id, title: meta.title, status: 'done', seconds: 0, executed: 0, cached: 0, runs: {} };
  const t0 = Date.now();
  ctx.log(`walkthrough [${ctx.scale}] stage ${id}: ${meta.title}`);
  try {
    if (meta.needsReal && !ctx.real) throw new Skip(`${meta.title} needs the real set, which was not found; ${FETCH_HINT}`);
    if (id === 'experiments') await runSweeps(ctx, o);
    else if (id === 'train') await runTrainSeeds(ctx, meta.steps, o);
    else await runSteps(ctx, meta.steps, o);
    if (id === 'prior') await runPriorRefine(ctx, o);
    if (id === 'poses' && !ctx.real) o.reason = `pose sets compared without the real set (${FETCH_HINT})`;
  } catch (e) {
    o.status = e instanceof Skip ? 'skipped' : 'failed';
    o.reason = (e as Error).message.split('\n').slice(0, 6).join('\n');
    ctx.log(`walkthrough stage ${id} ${o.status}: ${o.reason}`);   // the full reason, on the console
  }
  o.seconds = (Date.now() - t0) / 1000;
  ctx.outcomes.set(id, o);
  // one line per stage (in notebooks the only one: details above go to the console only)
  const reporter = reporterForHere();
  if (o.status === 'done') reporter.stage({ stage: `walkthrough ${id}`, scale: ctx.scale, ran: o.executed, cached: o.cached, seconds: o.seconds, results: path.relative(process.cwd(), ctx.root) || ctx.root });
  else if (reporter.quiet) reporter.note(`walkthrough ${id} [${ctx.scale}] ${o.status}: ${(o.reason ?? '').split('\n')[0]}`);
  return o;
}

export interface WalkthroughResult {
  scale: Scale; seed: number; real: string | null; out: string; root: string; started: string; seconds: number; stages: StageOutcome[];
  /** the real set's blocked split (experiments/walkthrough.json params): test blocks [first, last] and the frames left out on each side */
  split?: { testBlocks: [number, number][]; gap: number };
}

/** The results of some stages run in this context (a notebook's view; figures and tables take a WalkthroughResult). */
export function stagesResult(ctx: WalkContext, stages: StageOutcome[]): WalkthroughResult {
  const { testBlocks, gap } = ctx.decl.params as { testBlocks: [number, number][]; gap: number };
  return { scale: ctx.scale, seed: ctx.seed, real: ctx.real, out: ctx.out, root: ctx.root, started: '', seconds: 0, stages, split: { testBlocks, gap } };
}

/** Run the stages in order (all by default) and write results.json; the summary is separate (summary.ts). */
export async function runWalkthrough(opts: WalkOptions & { only?: StageId[] } = {}): Promise<WalkthroughResult> {
  const ctx = walkContext(opts);
  const started = new Date();
  const stages: StageOutcome[] = [];
  // with --only, the other stages keep their outcome from the previous run at this scale
  const previous = opts.only && fs.existsSync(path.join(ctx.out, 'results.json')) ? readJson<WalkthroughResult>(path.join(ctx.out, 'results.json')).stages : [];
  const todo = STAGES.filter((s) => !opts.only || opts.only.includes(s.id));
  // the ETA: the scale's expected seconds per stage (measured, experiments/walkthrough.json stageSeconds), scaled by how this run compares so far
  const expected = (ctx.sizes.stageSeconds ?? {}) as Record<string, number>;
  let spent = 0, expectedSpent = 0;
  for (const s of STAGES) {
    const k = todo.indexOf(s);
    if (k < 0) { const p = previous.find((x) => x.id === s.id); if (p) stages.push(p); continue; }
    const left = todo.slice(k).reduce((a, x) => a + (expected[x.id] ?? 0), 0);
    const pace = expectedSpent > 30 ? spent / expectedSpent : 1;
    if (left > 0) ctx.log(`walkthrough [${ctx.scale}] stage ${k + 1}/${todo.length} ${s.id}: expected ${fmtSeconds((expected[s.id] ?? 0) * pace)}; walkthrough ETA ${fmtSeconds(left * pace)} (elapsed ${fmtSeconds((Date.now() - started.getTime()) / 1000)})`);
    const o = await runStage(s.id, ctx);
    stages.push(o);
    if (o.executed > 0) { spent += o.seconds; expectedSpent += expected[s.id] ?? 0; }
  }
  const { testBlocks, gap } = ctx.decl.params as { testBlocks: [number, number][]; gap: number };
  const res: WalkthroughResult = { scale: ctx.scale, seed: ctx.seed, real: ctx.real, out: ctx.out, root: ctx.root, started: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, stages, split: { testBlocks, gap } };
  writeWalkthroughResults(res);
  return res;
}

/** Write a walkthrough's results.json (the one owner of that file) and point latest.json at it. */
export function writeWalkthroughResults(res: WalkthroughResult): void {
  writeJsonAtomic(path.join(res.out, 'results.json'), res, 1);
  writeJsonAtomic(path.join(cacheDir(), 'walkthrough', 'latest.json'), { results: path.join(res.out, 'results.json'), scale: res.scale, finished: new Date().toISOString() }, 1);
}

/** The results of the last finished walkthrough (for `npm run figures`), or null. */
export function latestResults(scale?: Scale): WalkthroughResult | null {
  const file = scale ? path.join(cacheDir(), 'walkthrough', scale, 'results.json') : (() => {
    const l = path.join(cacheDir(), 'walkthrough', 'latest.json');
    return fs.existsSync(l) ? readJson<{ results: string }>(l).results : '';
  })();
  return file && fs.existsSync(file) ? readJson<WalkthroughResult>(file) : null;
}
