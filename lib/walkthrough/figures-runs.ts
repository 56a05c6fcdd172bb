/**
 * The study's figures that need more than results.json (IO: reads the run cache the walkthrough results
 * point at — evaluation results of sweep rows, predictions, test labels, training poses, images):
 * saturation curve with interval bands, component ablation with intervals and baselines, PCK curves
 * with AUC, the synthetic/real mixing curve and the rendered-vs-real image grid. Nothing here runs an
 * experiment; a figure whose results are absent is left out. Used by the walkthrough's figure producer.
 * Every figure goes to the walkthrough's scale folder; a sweep run at a lower scale says so in its footer
 * (scaleLabel, with the plumbing-check caveat at smoke scale).
 */
import fs from 'node:fs';
import path from 'node:path';
import { figure, type ProducedFigure } from '../plot/registry.ts';
import { saturationFigure, ablationBarsFigure, pckFigure, errorVsOcclusionFigure, type ReferenceLine } from '../plot/figures.ts';
import { axis, baseLayout, DISPLAY_CONFIG, type PlotlyFigure } from '../plot/style.ts';
import { imageGrid, type GridCell } from '../plot/grid.ts';
import { projectPoints } from '../plot/joints2d.ts';
import { analyseSaturation, evalModel } from '../analysis/saturation.ts';
import { errorByOcclusionLevel, OCCLUDED_JOINT_LEVELS } from '../analysis/occlusion.ts';
import { DOMAIN_COLOURS } from '../plot/style.ts';
import { readFreihand } from '../data/freihand.ts';
import { readPredictions } from '../data/freihand.ts';
import { entryIndices, type DatasetEntry } from '../experiment/datasets.ts';
import { evaluateFreihand } from '../metrics/freihand-eval.ts';
import { bestMatchPredictions, constantPosePredictions } from '../metrics/baselines.ts';
import { toPoints, type Points } from '../metrics/points.ts';
import { readJson } from '../util/fsx.ts';
import { summariseSeeds, seedScoreOfEvaluation, belowConstantPose, type SeedSummary } from '../analysis/replicates.ts';
import { InputError } from '../util/errors.ts';
import type { WalkthroughResult, StageOutcome } from './walkthrough.ts';

type R = Record<string, unknown>;
interface Interval { mean: number; low: number; high: number; n: number; method: string }
interface EvalSummary {
  n: number; paMpjpeMm: number; paMpjpeInterval?: Interval | null; constantPose?: { paMpjpeMm: number }; bestMatch?: { paMpjpeMm: number }; testDir?: string;
  /** the evaluate step's test entry (its run's config), to say which frames were scored */
  test?: string | { blocks?: { test: [number, number][]; part: string }; max?: number };
}
interface SweepRow { vars: Record<string, unknown>; key: string; values: Record<string, number> | null }

const stageOf = (res: WalkthroughResult, id: string): StageOutcome | undefined => res.stages.find((s) => s.id === id && s.status === 'done');
const cm = (mm: number) => mm / 10;

/** The evaluation result of one sweep row (its run folder evaluate-<key> in the walkthrough's run cache), or null. */
function rowEval(root: string, key: string): EvalSummary | null {
  const f = path.join(root, `evaluate-${key}`, 'result.json');
  if (!fs.existsSync(f)) return null;
  const c = path.join(root, `evaluate-${key}`, 'config.json');
  const test = fs.existsSync(c) ? readJson<{ config?: { test?: EvalSummary['test'] } }>(c).config?.test : undefined;
  return { ...readJson<{ result: EvalSummary }>(f).result, ...(test !== undefined ? { test } : {}) };
}

/** "no signal" note when a score does not lie below its constant pose (interval above or overlapping). */
function signalNote(evals: EvalSummary[]): string | undefined {
  // the summary's verdict (belowConstantPose: the paired ratio interval where there is one), so figure and summary agree
  const flat = evals.filter((e) => e.constantPose && !belowConstantPose(seedScoreOfEvaluation(0, e as unknown as Record<string, unknown>)));
  return flat.length ? `${flat.length} of ${evals.length} scores not below their constant pose (no signal)` : undefined;
}

/** The same note for sweep points over their seeds (lib/analysis/replicates.ts belowConstantPose: the ratio's interval, else the score's). */
function pointsNote(points: SweepPoint[]): string | undefined {
  const flat = points.filter((p) => !belowConstantPose(p.summary));
  return flat.length ? `${flat.length} of ${points.length} scores not below their constant pose (no signal)` : undefined;
}

/** The test set of an evaluation, for the figure's footer: set name and frame count. */
function testSetName(e: EvalSummary | undefined, fallback: string): string {
  const set = e?.testDir ? path.basename(e.testDir) : fallback;
  if (!e) return set;
  const t = typeof e.test === 'object' ? e.test : undefined;
  // which frames: a held-out block of a blocked split, or the set's first frames (sweeps of synthetic-only models)
  if (t?.blocks?.part === 'test') return `${set}, held-out block ${t.blocks.test.map(([a, b]) => `${a}–${b}`).join(', ')} (n=${e.n})`;
  if (t?.max) return `${set}, frames 0–${t.max - 1} (n=${e.n})`;
  return `${set}, held-out frames (n=${e.n})`;
}

interface SweepPoint { vars: Record<string, unknown>; runs: string[]; summary: SeedSummary }

/**
 * A sweep's points over their seeds: the report's `points` (one per sweep point, seeds aggregated), or for
 * results without them every finished row as its own one-seed point, read from its evaluation run.
 */
function sweepPointsOf(root: string, sweep: { rows: SweepRow[]; points?: SweepPoint[] | null }): { points: SweepPoint[]; firstEval: EvalSummary | null } {
  const firstKey = sweep.points?.[0]?.runs[0] ?? sweep.rows.find((r) => r.values)?.key;
  const firstEval = firstKey ? rowEval(root, firstKey) : null;
  if (sweep.points?.length) return { points: sweep.points, firstEval };
  const points = sweep.rows.filter((r) => r.values).flatMap((r) => {
    const e = rowEval(root, r.key);
    return e ? [{ vars: r.vars, runs: [r.key], summary: summariseSeeds([seedScoreOfEvaluation(0, e as unknown as R)]) }] : [];
  });
  return { points, firstEval };
}

const seedsLabel = (points: SweepPoint[]): string => {
  const n = [...new Set(points.map((p) => p.summary.seeds.length))];
  return n.length === 1 && n[0] === 1 ? '95% bootstrap intervals over test frames (one seed)' : `mean over ${n.join('/')} seeds with 95% t-intervals over the seeds`;
};

// ---------------------------------------------------------------------------------------------------
/** The saturation sweeps of the walkthrough (walkthrough.ts SWEEPS) and how their figures read. */
export const SATURATION_SWEEPS = {
  'pose-fraction': { variable: 'poseFraction', xLabel: 'real training poses rendered', title: 'Pose-fraction saturation', series: 'synthetic (syn-hgc renders)',
    what: 'the share of the real training frames whose poses, views and K are rendered (same image count at every point)' },
  'hdri-fraction': { variable: 'hdriFraction', xLabel: 'HDRI backgrounds used', title: 'HDRI-fraction saturation', series: 'synthetic (default renders)',
    what: 'the share of the HDRI library the renders draw their backgrounds and light from (same image count at every point)' },
  'texture-diversity': { variable: 'textureFraction', xLabel: 'skin-texture diversity (share of the basis)', title: 'Texture-diversity saturation', series: 'synthetic (default renders)',
    what: 'the share of the skin-texture basis (components and range) the renders draw from (same image count at every point)' },
} as const;
export type SaturationSweep = keyof typeof SATURATION_SWEEPS;

/** A saturation sweep: point means with their 95% intervals, the fitted curve with a residual-bootstrap band where the report fitted one, the constant pose and best match. */
export function sweepSaturationFigure(res: WalkthroughResult, name: SaturationSweep = 'pose-fraction'): ProducedFigure | null {
  const spec = SATURATION_SWEEPS[name];
  const sweep = stageOf(res, 'experiments')?.runs[name]?.result as { scale: string; rows: SweepRow[]; points?: SweepPoint[] | null; saturation: { group: string; x?: number[]; y?: number[]; report: { fit: { model: string }; bootstrap: { replicates: number; seed: number } } }[] | null; saturationSkipped?: { reason: string }[] | null } | undefined;
  if (!sweep?.rows?.length) return null;
  const { points: all, firstEval } = sweepPointsOf(res.root, sweep);
  const v = spec.variable;
  const pts = all.filter((p) => typeof p.vars[v] === 'number').sort((a, b) => Number(a.vars[v]) - Number(b.vars[v]));
  if (pts.length < 2) return null;
  const x = pts.map((p) => 100 * Number(p.vars[v])), y = pts.map((p) => cm(p.summary.mean));
  const iv = pts.map((p) => p.summary.interval);
  const haveIv = iv.every((v) => v !== null);
  const entry = sweep.saturation?.[0];
  const boot = entry?.report.bootstrap ?? { replicates: 500, seed: 0 };
  let fit: { x: number[]; y: number[]; lo: number[]; hi: number[]; label: string } | undefined;
  // the curve only where the report fitted one (points separating from the constant pose and from each other), over the sampled range
  if (entry) {
    const fx = entry.x ?? pts.map((p) => Number(p.vars[v])), fy = entry.y ?? pts.map((p) => p.summary.mean);
    const x0 = Math.min(...fx), x1 = Math.max(...fx);
    const grid = Array.from({ length: 50 }, (_, i) => x0 + ((x1 - x0) * i) / 49);
    const rep = analyseSaturation(fx, fy, { seed: boot.seed, replicates: boot.replicates, curveAt: grid });
    fit = { x: grid.map((g) => 100 * g), y: grid.map((g) => cm(evalModel(rep.fit, g))), lo: rep.curveBand!.lo.map(cm), hi: rep.curveBand!.hi.map(cm), label: `${rep.fit.model} fit, 95% band` };
  }
  const mean = (v: (number | null | undefined)[]) => { const f = v.filter((a): a is number => typeof a === 'number'); return f.length ? f.reduce((s, a) => s + a, 0) / f.length : NaN; };
  const refs: ReferenceLine[] = [];
  const cp = mean(pts.map((p) => p.summary.constantPoseMm)), bm = mean(pts.map((p) => p.summary.bestMatchMm));
  if (Number.isFinite(cp)) refs.push({ y: cm(cp), label: 'constant pose (mean over points)', dash: 'dot' });
  if (Number.isFinite(bm)) refs.push({ y: cm(bm), label: 'best-match oracle (mean over points)', dash: 'dash' });
  const series = [{ name: spec.series, x, y, ...(haveIv ? { yLo: iv.map((v) => cm(v!.low)), yHi: iv.map((v) => cm(v!.high)) } : {}), ...(fit ? { fit } : {}) }];
  const fig = saturationFigure({ series, xLabel: spec.xLabel, xUnit: '%', yLabel: 'PA-MPJPE', yUnit: 'cm', references: refs, title: spec.title, legend: 'below' });
  const testSet = testSetName(firstEval ?? undefined, String(pts[0].vars.testSet ?? 'test set'));
  const skipped = sweep.saturationSkipped?.[0]?.reason;
  // one short footer caveat (the full reason is in the sidecar's data.noFit)
  const flatNote = pointsNote(pts);
  const note = !fit && skipped ? (flatNote ? `${flatNote}; no saturation fit` : 'no saturation fit: the fractions do not separate from each other') : flatNote;
  return figure(`sweep-${name}`, fig, {
    data: { points: pts.map((p, i) => ({ [v]: p.vars[v], seeds: p.summary.seeds, paMpjpeMm: p.summary.mean, values: p.summary.values, interval: iv[i], intervalOver: p.summary.intervalKind, constantPoseMm: p.summary.constantPoseMm, bestMatchMm: p.summary.bestMatchMm, ratioToConstantPose: p.summary.ratioToConstantPose, ratioInterval: p.summary.ratioInterval, verdict: p.summary.verdict, runs: p.runs })), fit: fit ?? null, noFit: fit ? null : skipped ?? null },
    config: { scale: sweep.scale, experiment: name, bootstrap: boot, walkthroughScale: res.scale },
    scale: res.scale, scaleLabel: `${sweep.scale} (sweep of the ${res.scale} walkthrough)`, testSet, note,
    caption: `PA-MPJPE (cm) of synthetic-trained models versus ${spec.what}, ${seedsLabel(pts)}, the fitted saturation curve with its residual-bootstrap band where the points separate, and the constant-pose and best-match baselines; sweep at ${sweep.scale} scale.`,
  });
}

// ---------------------------------------------------------------------------------------------------
/** Component ablation of our runs: bars (mean over seeds) with 95% intervals, the study's values beside them, each row's constant pose and best match. */
export function sweepAblationFigure(res: WalkthroughResult, study: readonly { row: string; synFreiCm: number }[]): ProducedFigure | null {
  const sweep = stageOf(res, 'experiments')?.runs['component-ablation']?.result as { scale: string; rows: SweepRow[]; points?: SweepPoint[] | null } | undefined;
  if (!sweep?.rows?.length) return null;
  const { points: pts, firstEval } = sweepPointsOf(res.root, sweep);
  if (!pts.length) return null;
  const label = (p: SweepPoint) => String(p.vars.row);
  const fig = ablationBarsFigure({
    rows: pts.map((p) => ({ label: label(p), values: [cm(p.summary.mean)] })), groups: ['PA-MPJPE'], metric: 'PA-MPJPE', unit: 'cm', highlight: '(v) Full',
    intervals: pts.map((p) => [p.summary.interval ? { lo: cm(p.summary.interval.low), hi: cm(p.summary.interval.high) } : null]),
    reference: { label: 'the study, SynFrei', values: pts.map((p) => { const s = study.find((x) => x.row === label(p)); return [s ? s.synFreiCm : null]; }) },
    baselines: [
      { label: 'constant pose', values: pts.map((p) => (p.summary.constantPoseMm !== null ? cm(p.summary.constantPoseMm) : null)) },
      { label: 'best-match oracle', values: pts.map((p) => (p.summary.bestMatchMm !== null ? cm(p.summary.bestMatchMm) : null)) },
    ],
    title: 'Component ablation, ours beside the study', rowsLabel: 'ablation row', size: 'double',
  });
  return figure('sweep-component-ablation', fig, {
    data: pts.map((p) => ({ row: label(p), seeds: p.summary.seeds, paMpjpeMm: p.summary.mean, values: p.summary.values, interval: p.summary.interval, intervalOver: p.summary.intervalKind, constantPoseMm: p.summary.constantPoseMm, bestMatchMm: p.summary.bestMatchMm, ratioToConstantPose: p.summary.ratioToConstantPose, ratioInterval: p.summary.ratioInterval, verdict: p.summary.verdict, runs: p.runs })),
    config: { scale: sweep.scale, experiment: 'component-ablation', walkthroughScale: res.scale },
    scale: res.scale, scaleLabel: `${sweep.scale} (sweep of the ${res.scale} walkthrough)`, testSet: testSetName(firstEval ?? undefined, String(pts[0].vars.testSet ?? 'test set')), note: pointsNote(pts),
    caption: `Component ablation of our runs on syn-hgc renders (PA-MPJPE, cm, ${seedsLabel(pts)}) with each row's constant-pose and best-match baselines (ticks) and the study's SynFrei values (hatched; their test set, not ours); sweep at ${sweep.scale} scale.`,
  });
}

// ---------------------------------------------------------------------------------------------------
const ARMS = ['synthetic', 'real', 'mixed'] as const;

/** Test poses and indices of an evaluation run (its config's test entry) and its predictions. */
function evalPoses(dir: string, result: R): { gt: Points[]; pred: Points[]; set: string } {
  const cfg = readJson<{ config: { test: DatasetEntry } }>(path.join(dir, 'config.json')).config;
  const testDir = String(result.testDir ?? '');
  if (!testDir || !fs.existsSync(testDir)) throw new InputError(`${dir}/result.json`, `testDir "${testDir}" not found`);
  const count = readFreihand(testDir, { checkImages: false }).count;
  const indices = typeof cfg.test === 'string' ? undefined : entryIndices(cfg.test, count, `${dir}/config.json: test`);
  const set = readFreihand(testDir, { indices, checkImages: false });
  const pred = readPredictions(String(result.predictions ?? path.join(dir, 'pred.json')), { expectedCount: set.samples.length });
  return { gt: set.samples.map((s, i) => toPoints(s.xyz!, `${testDir}[${i}]`)), pred: pred.xyz.map((p, i) => toPoints(p as never, `pred[${i}]`)), set: path.basename(testDir) };
}

/** Training poses of a train run (its result's train list: folder and indices). */
function trainPoses(result: R): Points[] {
  const list = (result.train as { path: string; indices?: number[] }[] | undefined) ?? [];
  return list.flatMap((d) => readFreihand(d.path, { indices: d.indices, checkImages: false }).samples.map((s, i) => toPoints(s.xyz!, `${d.path}[${i}]`)));
}

const pckOf = (gt: Points[], pred: Points[]) => {
  const r = evaluateFreihand({ gtXyz: gt, predXyz: pred }, { reflection: 'allow' });
  const [thrCm, pck] = r.pck_data.xyz_al;
  return { thresholdsMm: thrCm.map((t) => 10 * t), pck: pck.map((v) => Math.min(1, Math.max(0, v))) };
};

/** 3D PCK (Procrustes-aligned, 0–50 mm) of each arm on the held-out block, with the constant pose and best match of the real training frames. */
export function pckCurvesFigure(res: WalkthroughResult): ProducedFigure | null {
  const st = stageOf(res, 'train');
  if (!st) return null;
  const series: { name: string; thresholdsMm: number[]; pck: number[]; colour?: string; dash?: 'dot' | 'dash' }[] = [];
  let set = '', n = 0, baselineFrom: Points[] | null = null, gt0: Points[] | null = null;
  for (const arm of ARMS) {
    const ev = st.runs[`eval-${arm}`], tr = st.runs[`train-${arm}`];
    if (!ev) continue;
    const p = evalPoses(ev.dir, ev.result as R);
    series.push({ name: arm, ...pckOf(p.gt, p.pred) });
    set = p.set; n = p.gt.length; gt0 ??= p.gt;
    if (arm === 'real' && tr) baselineFrom = trainPoses(tr.result as R);
  }
  if (!series.length || !gt0) return null;
  if (baselineFrom?.length) {
    series.push({ name: 'constant pose (real training frames)', ...pckOf(gt0, constantPosePredictions(baselineFrom, gt0)), colour: '#555', dash: 'dot' });
    series.push({ name: 'best-match oracle (real training frames)', ...pckOf(gt0, bestMatchPredictions(baselineFrom, gt0).predictions), colour: '#000', dash: 'dash' });
  }
  return figure('walkthrough-pck', pckFigure({ series, title: '3D PCK after Procrustes alignment', size: 'wide' }), {
    data: series, config: { scale: res.scale, seed: res.seed, real: res.real }, scale: res.scale, testSet: `${set}, held-out block (n=${n})`,
    caption: 'Fraction of joints within a 3D distance threshold after Procrustes alignment (FreiHAND protocol, 0–50 mm, AUC in the legend) for the synthetic, real and mixed arms (first seed) on the held-out block, beside the constant pose and the best-match oracle of the real training frames.',
  });
}

// ---------------------------------------------------------------------------------------------------
/** Error versus the real share of the training images: the three arms (synthetic 0, mixed, real 1) with intervals and baselines. */
export function mixingCurveFigure(res: WalkthroughResult): ProducedFigure | null {
  const st = stageOf(res, 'train');
  if (!st) return null;
  const count = (tr: R | undefined) => {
    const list = (tr?.train as { path: string; indices?: number[] }[] | undefined) ?? [];
    let real = 0, syn = 0;
    for (const d of list) { const k = d.indices?.length ?? readFreihand(d.path, { checkImages: false }).count; if (res.real && path.resolve(d.path) === path.resolve(res.real)) real += k; else syn += k; }
    return { real, syn };
  };
  const pts = ARMS.flatMap((arm) => {
    const e = st.runs[`eval-${arm}`]?.result as unknown as EvalSummary | undefined, c = count(st.runs[`train-${arm}`]?.result as R | undefined);
    if (!e || c.real + c.syn === 0) return [];
    return [{ arm, share: c.real / (c.real + c.syn), images: c, e }];
  }).sort((a, b) => a.share - b.share);
  if (pts.length < 2) return null;
  const x = pts.map((p) => 100 * p.share), data: Record<string, unknown>[] = [];
  const line = (name: string, y: number[], lo: number[] | null, hi: number[] | null, colour: string, dash: string, marker: boolean) => {
    data.push({ type: 'scatter', mode: marker ? 'lines+markers' : 'lines', name, x, y, line: { color: colour, width: marker ? 1.8 : 1.2, dash }, marker: { size: 7, color: colour },
      ...(lo && hi ? { error_y: { type: 'data', symmetric: false, array: hi.map((h, k) => h - y[k]), arrayminus: y.map((v, k) => v - lo[k]), color: colour, thickness: 1, width: 3 } } : {}) });
  };
  const iv = pts.map((p) => p.e.paMpjpeInterval ?? null), ok = iv.every((v) => v);
  line('model (first seed)', pts.map((p) => cm(p.e.paMpjpeMm)), ok ? iv.map((v) => cm(v!.low)) : null, ok ? iv.map((v) => cm(v!.high)) : null, '#009E73', 'solid', true);
  if (pts.every((p) => p.e.constantPose)) line('constant pose of that training set', pts.map((p) => cm(p.e.constantPose!.paMpjpeMm)), null, null, '#555', 'dot', false);
  if (pts.every((p) => p.e.bestMatch)) line('best-match oracle of that training set', pts.map((p) => cm(p.e.bestMatch!.paMpjpeMm)), null, null, '#000', 'dash', false);
  // each arm named above its interval; the outer labels lean inwards so they stay inside the plot
  const annotations = pts.map((p, k) => ({ x: x[k], y: cm(p.e.paMpjpeInterval?.high ?? p.e.paMpjpeMm), yanchor: 'bottom', yshift: 4, xanchor: k === 0 ? 'left' : k === pts.length - 1 ? 'right' : 'center', xshift: k === 0 ? -4 : k === pts.length - 1 ? 4 : 0, text: `${p.arm}: ${p.images.real} real + ${p.images.syn} syn`, showarrow: false, font: { size: 9 } }));
  const ys = data.flatMap((t) => (t.y as number[])).concat(pts.map((p) => cm(p.e.paMpjpeInterval?.high ?? p.e.paMpjpeMm)), pts.map((p) => cm(p.e.paMpjpeInterval?.low ?? p.e.paMpjpeMm)));
  const yRange = [Math.min(...ys) - 0.06 * (Math.max(...ys) - Math.min(...ys)), Math.max(...ys) + 0.16 * (Math.max(...ys) - Math.min(...ys))];
  const fig: PlotlyFigure = { data, config: { ...DISPLAY_CONFIG }, layout: {
    ...baseLayout({ title: 'Mixing synthetic and real training images', size: 'wide' }),
    legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top', font: { size: 10 } },
    xaxis: axis('real share of the training images', '%', { range: [-8, 108] }), yaxis: axis('PA-MPJPE', 'cm', { range: yRange }), annotations,
  } };
  return figure('walkthrough-mixing', fig, {
    data: pts.map((p) => ({ arm: p.arm, realShare: p.share, images: p.images, paMpjpeMm: p.e.paMpjpeMm, interval: p.e.paMpjpeInterval ?? null, constantPoseMm: p.e.constantPose?.paMpjpeMm ?? null, bestMatchMm: p.e.bestMatch?.paMpjpeMm ?? null })),
    config: { scale: res.scale, seed: res.seed, real: res.real }, scale: res.scale, testSet: testSetName(pts[0].e, 'real test block'), note: signalNote(pts.map((p) => p.e)),
    caption: 'PA-MPJPE (cm, 95% bootstrap interval over test frames) of the three arms placed at the real share of their training images (synthetic 0%, mixed, real 100%), each beside the constant pose and best-match oracle of its own training set. The synthetic and mixed arms train with amplitude augmentation, the real arm without.',
  });
}

// ---------------------------------------------------------------------------------------------------
/** 16 real training frames and the 16 renders of their fitted poses (syn-hgc), joints drawn, as one figure. */
export async function renderedVsRealFigure(res: WalkthroughResult): Promise<ProducedFigure | null> {
  const render = stageOf(res, 'render')?.runs.render;
  if (!render || !res.real || !fs.existsSync(res.real)) return null;
  const synDir = String((render.result as R).dir ?? '');
  if (!fs.existsSync(synDir)) return null;
  const cfg = readJson<{ config: { pose?: { repeat?: number } } }>(path.join(render.dir, 'config.json')).config;
  const repeat = Number(cfg.pose?.repeat ?? 1);
  const syn = readFreihand(synDir), n = syn.samples.length;
  if (n < 16) return null;
  // 16 renders spread over the set; render i shows real frame ⌊i / repeat⌋
  const pick = Array.from({ length: 16 }, (_, k) => Math.round((k * (n - 1)) / 15));
  const real = readFreihand(res.real, { indices: pick.map((i) => Math.floor(i / repeat)) });
  const cells: GridCell[] = [];
  for (const half of [0, 8]) {
    for (let k = half; k < half + 8; k++) { const s = real.samples[k]; cells.push({ image: s.imagePath, joints2d: s.xyz ? projectPoints(s.xyz, s.K) : undefined, caption: `real #${s.index}` }); }
    for (let k = half; k < half + 8; k++) { const s = syn.samples[pick[k]]; cells.push({ image: s.imagePath, joints2d: s.xyz ? projectPoints(s.xyz, s.K) : undefined, caption: `render #${s.index}` }); }
  }
  const cell = 112, img = await imageGrid(cells, { columns: 8, cellSize: cell, gap: 4 });
  const sharp = (await import('sharp')).default;
  const png = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: img.channels } }).png().toBuffer();
  const width = img.width + 24, height = img.height + 46;
  const fig: PlotlyFigure = { data: [], config: { ...DISPLAY_CONFIG }, layout: {
    ...baseLayout({ title: 'Real frames (rows 1, 3) and renders of their fitted poses (rows 2, 4)', legend: 'none' }), width, height, margin: { l: 12, r: 12, t: 34, b: 12 },
    xaxis: { visible: false, range: [0, 1] }, yaxis: { visible: false, range: [0, 1] },
    images: [{ source: `data:image/png;base64,${png.toString('base64')}`, xref: 'paper', yref: 'paper', x: 0, y: 1, sizex: 1, sizey: 1, xanchor: 'left', yanchor: 'top', sizing: 'stretch', layer: 'below' }],
  } };
  return figure('walkthrough-rendered-vs-real', fig, {
    data: { real: { set: res.real, indices: real.samples.map((s) => s.index) }, rendered: { set: synDir, indices: pick, poseRepeat: repeat } },
    config: { scale: res.scale, seed: res.seed, real: res.real }, scale: res.scale, sources: [path.join(synDir, 'training_xyz.json')],
    caption: `16 real ${path.basename(res.real)} training frames (rows 1 and 3) above the syn-hgc renders of their fitted poses, views and camera K (rows 2 and 4), labels drawn in finger colours.`,
  });
}

// ---------------------------------------------------------------------------------------------------
interface RefineFrame { index: number; occludedJoints: number; paMpjpeMm: number; cleanPaMpjpeMm: number; constantPosePaMpjpeMm: number }
/** Fewer frames than this in an occlusion level: no interval, the level says "too few". */
const MIN_LEVEL_FRAMES = 5;

/**
 * Error by occlusion level: the prior stage's prior-refine runs (refine-<arm>: the arm's model on the test
 * frames with a pasted occluder) binned by the joints under the occluder; per level the model on the
 * occluded and on the clean images and the constant pose, each with a paired bootstrap 95% interval over the
 * level's frames.
 */
export function occlusionLevelFigure(res: WalkthroughResult): ProducedFigure | null {
  const st = stageOf(res, 'prior');
  const runs = Object.entries(st?.runs ?? {}).filter(([id, r]) => id.startsWith('refine-') && Array.isArray((r.result.estimator as R | null)?.perFrame));
  if (!runs.length) return null;
  const first = runs[0][1].result as R;
  const frames0 = (first.estimator as { perFrame: RefineFrame[] }).perFrame;
  const seed = Number(first.seed ?? 0), replicates = 1000;
  const errors: Record<string, number[]> = {};
  const series: Parameters<typeof errorVsOcclusionFigure>[0]['series'] = [];
  for (const [id, r] of runs) {
    const arm = id.slice('refine-'.length), pf = (r.result.estimator as unknown as { perFrame: RefineFrame[] }).perFrame;
    if (pf.length !== frames0.length || pf.some((f, i) => f.index !== frames0[i].index || f.occludedJoints !== frames0[i].occludedJoints)) throw new InputError(`${r.dir}/result.json`, `estimator.perFrame: not the frames and occluders of ${runs[0][0]}`);
    const colour = DOMAIN_COLOURS[arm as keyof typeof DOMAIN_COLOURS] ?? '#333';
    errors[`${arm}: occluded`] = pf.map((f) => f.paMpjpeMm / 10);
    errors[`${arm}: clean`] = pf.map((f) => f.cleanPaMpjpeMm / 10);
    series.push({ name: `${arm}-trained, occluded`, colour, mean: [], symbol: 'circle' }, { name: `${arm}-trained, no occluder`, colour, dash: 'dash', mean: [], symbol: 'diamond' });
  }
  errors['constant pose'] = frames0.map((f) => f.constantPosePaMpjpeMm / 10);
  series.push({ name: 'constant pose', colour: '#555', dash: 'dot', mean: [], symbol: 'square' });
  const rows = errorByOcclusionLevel(frames0.map((f) => f.occludedJoints), errors, OCCLUDED_JOINT_LEVELS, { minFrames: MIN_LEVEL_FRAMES, seed, replicates });
  Object.keys(errors).forEach((k, i) => {
    series[i].mean = rows.map((row) => (row.n ? row.methods[k].mean : null));
    series[i].low = rows.map((row) => row.methods[k].low);
    series[i].high = rows.map((row) => row.methods[k].high);
  });
  // levels where a model on the occluded images does not lie below the constant pose (interval included)
  const withIv = rows.filter((row) => !row.tooFew);
  const flat = runs.map(([id]) => id.slice('refine-'.length)).map((arm) => ({ arm, k: withIv.filter((row) => !((row.methods[`${arm}: occluded`].high ?? Infinity) < row.methods['constant pose'].mean)).length })).filter((x) => x.k > 0);
  const blocks = res.split?.testBlocks.map(([a, b]) => `${a}–${b}`).join(', ') ?? 'the test block';
  const fig = errorVsOcclusionFigure({
    levels: rows.map((row) => ({ label: row.level, n: row.n, tooFew: row.tooFew })), series,
    metric: 'PA-MPJPE, all 21 joints', unit: 'cm', levelLabel: 'joints under the occluder', levelUnit: 'of the 20 non-wrist joints',
    title: 'Error by occlusion level', size: 'wide', legend: 'right',
  });
  return figure('walkthrough-error-by-occlusion', fig, {
    data: { levels: rows, frames: frames0.length, runs: runs.map(([id, r]) => ({ id, run: path.basename(r.dir) })), minFrames: MIN_LEVEL_FRAMES, bootstrap: { replicates, seed, paired: 'the methods of a level resample the same frames' } },
    config: { scale: res.scale, seed: res.seed, refineSeed: seed, real: res.real, levels: OCCLUDED_JOINT_LEVELS.map((b) => ({ label: b.label, lo: b.lo, hi: Number.isFinite(b.hi) ? b.hi : null })) },
    scale: res.scale, seeds: [seed],
    sources: runs.map(([, r]) => path.join(r.dir, 'result.json')),
    testSet: `${path.basename(res.real ?? 'real set')} frames ${blocks} with a pasted occluder (n=${frames0.length}; occluder seed ${seed})`,
    note: flat.length ? flat.map((x) => `${x.arm}-trained model on occluded images not below the constant pose at ${x.k} of ${withIv.length} levels`).join('; ') : undefined,
    caption: `PA-MPJPE (cm, all 21 joints after Procrustes alignment) of the ${runs.map(([id]) => id.slice(7)).join(', ')}-trained model (first seed) on the held-out frames with a pasted ellipse occluder (prior-refine), binned by how many of the 20 non-wrist joints fall under the occluder, beside the same model on the same frames without the occluder and the constant pose (mean training pose); 95% paired bootstrap intervals over each level's frames; a level with fewer than ${MIN_LEVEL_FRAMES} frames has no interval (too few).`,
  });
}

/** Every figure of this module the walkthrough results allow. */
export async function runFigures(res: WalkthroughResult, study: readonly { row: string; synFreiCm: number }[]): Promise<ProducedFigure[]> {
  const out = [...(Object.keys(SATURATION_SWEEPS) as SaturationSweep[]).map((n) => sweepSaturationFigure(res, n)), sweepAblationFigure(res, study), pckCurvesFigure(res), mixingCurveFigure(res), occlusionLevelFigure(res), await renderedVsRealFigure(res)];
  return out.filter((f): f is ProducedFigure => f !== null);
}
