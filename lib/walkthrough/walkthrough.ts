/**
 * The study walkthrough (IO): a sequence of stages at one scale, each thin wiring over lib/ and cached
 * through the analysis experiment runner (runs under $HANDGAP_CACHE/runs, keyed by resolved config), so a
 * second run — and every notebook at the same scale — reuses finished work.
 *
 * Stages (notebook in brackets): poses [01], render [02], spectral [03], compose + gap [04],
 * train [05], prior [06], experiments [07]; `handgap reproduce` runs them all and writes the summary [08].
 * A stage whose inputs or code are missing is "skipped" with the reason (never faked); a stage that
 * throws is "failed" with its error, and the walkthrough goes on with the stages that do not need it.
 *
 * Output folder (default $HANDGAP_CACHE/walkthrough/<scale>): results.json (every stage outcome),
 * tables/*.{md,csv,tex}, images/*.png (sample grids), summary.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, findKnownSet, projectRoot } from '../util/paths.ts';
import { writeJsonAtomic, ensureDir, readJson } from '../util/fsx.ts';
import { HandgapError } from '../util/errors.ts';
import { resolveExperiment, validateExperiment, type ExperimentDecl, type Json, type StepDecl } from '../analysis/experiment.ts';
import { runExperiment, collectResults, defaultRunRoot, kindVersion, readRunResult, runDir } from '../analysis/runner.ts';
import { AREA_ENTRY } from '../analysis/steps.ts';
import { registerWalkthroughSteps } from './steps.ts';
import { PLANS, parseWalkScale, type ScalePlan, type WalkScale } from './scale.ts';
import { STUDY_SPECTRAL_AUGMENT } from '../train/pose/config.ts';

export type StageId = 'poses' | 'render' | 'spectral' | 'compose' | 'gap' | 'train' | 'prior' | 'experiments';
export const STAGES: { id: StageId; title: string; notebook: string }[] = [
  { id: 'poses', title: 'Pose statistics (Leap, uniform samples vs real)', notebook: '01_hand_model' },
  { id: 'render', title: 'Render a synthetic set (Blender)', notebook: '02_synthesis' },
  { id: 'spectral', title: 'Amplitude statistics synthetic vs real, and amplitude augmentation', notebook: '03_spectral' },
  { id: 'compose', title: 'Composition: arms/objects pasted with random colours', notebook: '04_composition_occlusion' },
  { id: 'gap', title: 'Gap report: spectrum, poses, skeleton, occlusion', notebook: '04_composition_occlusion' },
  { id: 'train', title: 'Training synthetic / real / mixed and evaluation', notebook: '05_training' },
  { id: 'prior', title: 'VAE occlusion prior', notebook: '06_occlusion_prior' },
  { id: 'experiments', title: 'Saturation (pose fraction) and component ablation', notebook: '07_saturation' },
];

export interface StageOutcome {
  id: StageId;
  title: string;
  status: 'done' | 'skipped' | 'failed';
  reason?: string;
  seconds: number;
  /** runner runs executed now / found cached */
  executed: number;
  cached: number;
  /** step id → result (the runner's result.json content) and its run folder */
  runs: Record<string, { dir: string; result: Record<string, Json> }>;
}

export interface WalkOptions {
  scale?: WalkScale | string;
  /** outputs (default $HANDGAP_CACHE/walkthrough/<scale>) */
  out?: string;
  /** runner cache (default $HANDGAP_CACHE/runs) */
  root?: string;
  /** real test set folder; default hgc-dev through findKnownSet; null: run without real data */
  real?: string | null;
  log?: (m: string) => void;
}

export interface WalkContext { scale: WalkScale; plan: ScalePlan; out: string; root: string; real: string | null; log: (m: string) => void; outcomes: Map<StageId, StageOutcome> }

export const FETCH_HINT = 'real data: point HANDGAP_SHARED (or HANDGAP_DATA) at a folder holding data/real/hgc-dev, e.g. `HANDGAP_SHARED=/work/shared npm run main` (check with `npx handgap status`)';

export function walkContext(opts: WalkOptions = {}): WalkContext {
  registerWalkthroughSteps();
  const scale = parseWalkScale(typeof opts.scale === 'string' ? opts.scale : process.env.HANDGAP_SCALE ?? 'demo');
  const out = ensureDir(path.resolve(opts.out ?? path.join(cacheDir(), 'walkthrough', scale)));
  const real = opts.real === undefined ? findKnownSet('hgc-dev') : opts.real;
  return { scale, plan: PLANS[scale], out, root: path.resolve(opts.root ?? defaultRunRoot()), real, log: opts.log ?? ((m) => process.stderr.write(m + '\n')), outcomes: new Map() };
}

class Skip extends Error {}

/** Run a chain of steps (one sweep point) through the runner; prerequisite steps come from the cache. */
async function runChain(ctx: WalkContext, name: string, steps: StepDecl[], o: StageOutcome): Promise<void> {
  const decl: ExperimentDecl = { name: `walkthrough-${name}`, seed: ctx.plan.seed, scales: { smoke: {}, demo: {}, paper: {} }, steps };
  const exp = resolveExperiment(decl, ctx.scale, kindVersion);
  const s = await runExperiment(exp, { root: ctx.root, log: ctx.log });
  o.executed += s.executed.length; o.cached += s.cached.length + s.waited.length;
  for (const [id, key] of Object.entries(exp.points[0].runs)) {
    const run = exp.runs.get(key)!;
    o.runs[id] = { dir: runDir(ctx.root, run), result: readRunResult(ctx.root, run)! };
  }
}

function renderStep(ctx: WalkContext): StepDecl {
  const r = ctx.plan.render;
  return { id: 'render', kind: 'render', config: {
    seed: ctx.plan.seed, n: r.n, image: { width: r.size, height: r.size }, render: { samples: r.samples },
    forearm: { enabled: true }, objects: { enabled: true, probability: r.objectProbability },
  } };
}
function composeStep(ctx: WalkContext): StepDecl {
  // hgc-dev has no arm/object masks, so each sample's own arm/object regions (its label mask) are repainted
  // with one random colour per region: the study's row (iv) "random arm + object" composition
  return { id: 'compose', kind: 'compose', config: { syn: '@render', donor: '@render', pairing: 'same-index', fill: 'random-region', seed: ctx.plan.seed } };
}
const needReal = (ctx: WalkContext, what: string): string => { if (!ctx.real) throw new Skip(`${what} needs the real set hgc-dev, which was not found; ${FETCH_HINT}`); return ctx.real; };

function areaMissing(kind: keyof typeof AREA_ENTRY): string | null {
  const e = AREA_ENTRY[kind];
  const file = path.join(projectRoot, 'lib', e.file.slice(3));
  return fs.existsSync(file) ? null : `${e.fn}() from lib/${e.file.slice(3)} (${e.area} area) is not in this checkout yet`;
}

const STAGE_IMPL: Record<StageId, (ctx: WalkContext, o: StageOutcome) => Promise<void>> = {
  async poses(ctx, o) {
    const p = ctx.plan.poses;
    await runChain(ctx, 'poses', [{ id: 'poses', kind: 'wt-poses', config: { maxPoses: p.maxPoses, sampled: p.sampled, seed: ctx.plan.seed, real: ctx.real } }], o);
    if (!ctx.real) o.reason = `pose sets compared without the real set (${FETCH_HINT})`;
  },
  async render(ctx, o) { await runChain(ctx, 'render', [renderStep(ctx)], o); },
  async spectral(ctx, o) {
    const real = needReal(ctx, 'the synthetic-vs-real spectrum');
    const s = ctx.plan.spectrum;
    await runChain(ctx, 'spectral', [renderStep(ctx), { id: 'spectral', kind: 'wt-spectral', config: {
      syn: '@render', real, size: s.size, limit: s.limit, replicates: s.replicates, seed: ctx.plan.seed,
      augment: { kind: 'mix', eta: 1.0 },
    } }], o);
  },
  async compose(ctx, o) { await runChain(ctx, 'compose', [renderStep(ctx), composeStep(ctx)], o); },
  async gap(ctx, o) {
    const real = needReal(ctx, 'the gap report');
    const g = ctx.plan.gap;
    await runChain(ctx, 'gap', [renderStep(ctx), composeStep(ctx), { id: 'gap', kind: 'wt-gap', config: {
      reference: real, referenceName: 'hgc-dev (real)', candidate: '@compose', candidateName: 'synthetic (composed)', seed: ctx.plan.seed, maxImages: g.maxImages, maxPoses: g.maxPoses, size: g.size,
    } }], o);
  },
  async train(ctx, o) {
    const real = needReal(ctx, 'evaluation of the trained models');
    const t = ctx.plan.train;
    if (!fs.existsSync(path.join(projectRoot, 'lib', 'train', 'pose', 'train.ts'))) throw new Skip('training: lib/train/pose/train.ts (train area) is not in this checkout');
    // hgc-dev is the only real set: its first half trains the real and mixed arms, its second half (never
    // trained on) is the test set for all three arms
    const { readFreihand } = await import('../data/freihand.ts');
    const half = Math.floor(readFreihand(real).count / 2);
    const realTrain = Array.from({ length: half }, (_, i) => i);
    const test = Array.from({ length: Math.min(half, t.testMax > 0 ? t.testMax : half) }, (_, i) => half + i);
    const syn = { path: '@compose', handedness: 'right' };
    const realSpec = { path: real, indices: realTrain, handedness: 'left' };
    const arms: [string, Json[]][] = [['synthetic', [syn]], ['real', [realSpec]], ['mixed', [syn, realSpec]]];
    for (const [arm, train] of arms) {
      await runChain(ctx, `train-${arm}`, [renderStep(ctx), composeStep(ctx), { id: 'train', kind: 'wt-train', config: {
        train, test: { path: real, indices: test }, epochs: t.epochs, batchSize: t.batchSize, inputSize: t.inputSize,
        spectral: arm === 'real' ? null : STUDY_SPECTRAL_AUGMENT, seed: ctx.plan.seed,
      } }], o);
      o.runs[`eval-${arm}`] = o.runs.train;
    }
    delete o.runs.train;
  },
  async prior(ctx, o) {
    const p = ctx.plan.prior;
    await runChain(ctx, 'prior', [{ id: 'prior', kind: 'wt-prior', config: { steps: p.steps, maxPoses: p.maxPoses, hidden: p.hidden, testPoses: p.testPoses, seed: ctx.plan.seed, occludedFraction: 0.3 } }], o);
  },
  async experiments(ctx, o) {
    const e = ctx.plan.experiments;
    if (!e.scale) throw new Skip(`saturation and ablation experiments are not run at ${ctx.scale} scale (every sweep point renders and trains a model: too slow for this scale's budget; run \`handgap experiment pose-fraction --scale smoke\` and \`handgap experiment component-ablation --scale smoke\`, or \`handgap reproduce --scale paper\`)`);
    const missing = [areaMissing('train')].filter(Boolean);
    if (missing.length) throw new Skip(`saturation and ablation need ${missing.join('; ')}`);
    needReal(ctx, 'the saturation and ablation experiments (tested on hgc-dev)');
    const { writeExperimentReport } = await import('../analysis/report.ts');
    for (const name of e.names) {
      const file = path.join(projectRoot, 'experiments', `${name}.json`);
      const decl = validateExperiment(readJson(file), file);
      const exp = resolveExperiment(decl, e.scale, kindVersion);
      const s = await runExperiment(exp, { root: ctx.root, log: ctx.log });
      o.executed += s.executed.length; o.cached += s.cached.length;
      if (decl.collect) {
        const rows = collectResults(exp, decl.collect.step, decl.collect.fields, ctx.root);
        const rep = await writeExperimentReport(exp, decl.report, rows, decl.collect.fields, path.join(ctx.out, 'experiments', name), decl.seed);
        o.runs[name] = { dir: path.join(ctx.out, 'experiments', name), result: JSON.parse(JSON.stringify({ rows, tables: rep.tables, saturation: rep.saturation ?? null })) };
      }
    }
  },
};

/** Run one stage (cached work is reused); never throws for a missing piece: the outcome says why. */
export async function runStage(id: StageId, ctxOrOpts: WalkContext | WalkOptions = {}): Promise<StageOutcome> {
  const ctx = 'plan' in ctxOrOpts ? ctxOrOpts : walkContext(ctxOrOpts);
  const meta = STAGES.find((s) => s.id === id);
  if (!meta) throw new HandgapError(`unknown walkthrough stage "${id}" (known: ${STAGES.map((s) => s.id).join(', ')})`);
  const o: StageOutcome = { id, title: meta.title, status: 'done', seconds: 0, executed: 0, cached: 0, runs: {} };
  const t0 = Date.now();
  ctx.log(`walkthrough [${ctx.scale}] stage ${id}: ${meta.title}`);
  try { await STAGE_IMPL[id](ctx, o); } catch (e) {
    o.status = e instanceof Skip ? 'skipped' : 'failed';
    o.reason = (e as Error).message.split('\n').slice(0, 6).join('\n');
    ctx.log(`walkthrough stage ${id} ${o.status}: ${o.reason}`);
  }
  o.seconds = (Date.now() - t0) / 1000;
  ctx.outcomes.set(id, o);
  return o;
}

export interface WalkthroughResult { scale: WalkScale; seed: number; real: string | null; out: string; root: string; started: string; seconds: number; stages: StageOutcome[] }

/** Run the stages in order (all by default) and write results.json; the summary is separate (summary.ts). */
export async function runWalkthrough(opts: WalkOptions & { only?: StageId[] } = {}): Promise<WalkthroughResult> {
  const ctx = walkContext(opts);
  const started = new Date();
  const stages: StageOutcome[] = [];
  // with --only, the other stages keep their outcome from the previous run at this scale
  const previous = opts.only && fs.existsSync(path.join(ctx.out, 'results.json')) ? readJson<WalkthroughResult>(path.join(ctx.out, 'results.json')).stages : [];
  for (const s of STAGES) {
    if (!opts.only || opts.only.includes(s.id)) stages.push(await runStage(s.id, ctx));
    else { const p = previous.find((x) => x.id === s.id); if (p) stages.push(p); }
  }
  const res: WalkthroughResult = { scale: ctx.scale, seed: ctx.plan.seed, real: ctx.real, out: ctx.out, root: ctx.root, started: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, stages };
  writeJsonAtomic(path.join(ctx.out, 'results.json'), res, 1);
  writeJsonAtomic(path.join(cacheDir(), 'walkthrough', 'latest.json'), { results: path.join(ctx.out, 'results.json'), scale: ctx.scale, finished: new Date().toISOString() }, 1);
  return res;
}

/** The results of the last finished walkthrough (for `npm run figures`), or null. */
export function latestResults(scale?: WalkScale): WalkthroughResult | null {
  const file = scale ? path.join(cacheDir(), 'walkthrough', scale, 'results.json') : (() => {
    const l = path.join(cacheDir(), 'walkthrough', 'latest.json');
    return fs.existsSync(l) ? readJson<{ results: string }>(l).results : '';
  })();
  return file && fs.existsSync(file) ? readJson<WalkthroughResult>(file) : null;
}
