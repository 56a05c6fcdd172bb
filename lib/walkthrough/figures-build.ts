/**
 * Walkthrough results → paper-style figures (pure: plain data in, lib/plot figure objects out). Used by
 * the figures registry (figures.ts), the reproduce command and the notebooks (display).
 */
import { figure, type ProducedFigure } from '../plot/registry.ts';
import { amplitudeSpectrumFigure, poseProjectionFigure, trainingCurvesFigure, ablationBarsFigure, ratioBarsFigure, boneOffsetsFigure } from '../plot/figures.ts';
import { ARMS, POSE_APPEARANCES, stageSeedRuns, type PoseAppearance, type WalkthroughResult, type StageOutcome, type Arm } from './walkthrough.ts';
import type { SpectralGapResult } from '../spectral/gap.ts';
import type { SpectrumSeries } from '../plot/figures.ts';
import { STUDY_RATIO } from './study.ts';
import { DOMAIN_COLOURS } from '../plot/style.ts';
import { seedScoreOfEvaluation, belowConstantPose, type SeedScore } from '../analysis/replicates.ts';

type R = Record<string, unknown>;
/** The folder name of an evaluation's test set, for a figure's footer. */
const evalSetName = (r: R): string => String(r.testDir ?? 'real set').split(/[\\/]/).pop()!;
const stage = (res: WalkthroughResult, id: string): StageOutcome | undefined => res.stages.find((s) => s.id === id && s.status === 'done');

export function poseFigure(st: StageOutcome): ProducedFigure | null {
  const proj = st.runs.poses?.result.projection as { sets: { name: string; points: [number, number][] }[]; axisLabels: [string, string] } | undefined;
  if (!proj) return null;
  return figure('walkthrough-pose-pca', poseProjectionFigure({ sets: proj.sets, axisLabels: proj.axisLabels, unit: 'cm', title: 'Pose sets, PCA of palm-aligned joints' }),
    { data: proj, caption: 'Pose sets projected on the first two principal components of their joints, root-relative and rotated into the palm frame (cm; left hands mirrored).' });
}

export function spectrumFigure(st: StageOutcome): ProducedFigure | null {
  const r = st.runs.spectral?.result as R | undefined;
  const p = r?.profiles as SpectralGapResult['profiles'] | undefined;
  if (!p) return null;
  const skipDc = <T>(a: T[]) => a.slice(1);
  const band = (iv: { lo: number[]; hi: number[] } | null | undefined) => (iv ? { ratioLo: skipDc(iv.lo), ratioHi: skipDc(iv.hi) } : {});
  const series: SpectrumSeries[] = [
    { name: 'real (hgc-dev)', domain: 'real', mean: skipDc(p.meanReal), variance: skipDc(p.real) },
    { name: 'synthetic', domain: 'synthetic', mean: skipDc(p.meanSynthetic), variance: skipDc(p.synthetic), ...band(p.ratioInterval?.synthetic) },
  ];
  if (p.augmented && p.meanAugmented) series.push({ name: 'synthetic + amplitude mix', domain: 'synthetic+augmentation', mean: skipDc(p.meanAugmented), variance: skipDc(p.augmented), ...band(p.ratioInterval?.augmented) });
  const images = r?.images as { synthetic?: number; real?: number } | undefined;
  const boot = p.ratioInterval?.synthetic ? ' with its 95% bootstrap band over images' : ' (no interval: results from before per-frequency intervals; re-run the spectral stage)';
  return figure('walkthrough-amplitude-spectrum', amplitudeSpectrumFigure({ frequency: skipDc(p.frequency), series, title: 'Amplitude spectrum statistics (luminance)', amplitudeUnit: 'a.u.', ratioPanel: true }),
    { data: p, testSet: images ? `${images.synthetic} synthetic vs ${images.real} real (hgc-dev) images` : undefined,
      caption: `Mean and variance of the luminance amplitude spectrum over images versus radial frequency (study Fig. 2b): synthetic, real, and synthetic after amplitude mixing with real references; right: variance ratio synthetic ÷ real per frequency${boot}.` });
}

/** The largest skeleton bone-length offsets synthetic vs real from the gap stage. */
export function boneOffsetFigure(st: StageOutcome): ProducedFigure | null {
  const largest = st.runs.gap?.result.skeletonLargest as { bone: string; pct: number }[] | null | undefined;
  if (!largest?.length) return null;
  return figure('walkthrough-bone-offsets', boneOffsetsFigure({ bones: largest, reference: 'real', candidate: 'synthetic', title: 'Skeleton definition: largest bone-length offsets' }),
    { data: largest, caption: 'The five bones whose palm-normalised length differs most between the synthetic and the real labels, (synthetic − real) ÷ real in %; a joint-definition offset, independent of pose and hand size.' });
}

export function priorFigures(st: StageOutcome): ProducedFigure[] {
  const r = st.runs.prior?.result as R | undefined;
  if (!r) return [];
  const curve = r.curve as { step: number; loss: number; recon: number }[];
  const err = r.occludedJointErrorMm as Record<string, number>;
  return [
    figure('walkthrough-prior-training', trainingCurvesFigure({ series: [{ name: 'VAE loss', step: curve.map((c) => c.step), value: curve.map((c) => c.loss) }, { name: 'reconstruction', step: curve.map((c) => c.step), value: curve.map((c) => c.recon) }], yLabel: 'loss', yUnit: 'cm²', yLog: true, xLabel: 'step', xUnit: 'batches', title: 'VAE occlusion prior, training' }),
      { data: curve, testSet: `training on ${String(r.trainPoses ?? '')} Leap poses`, caption: 'Training loss of the VAE occlusion prior (MSE in cm², plus the weighted KL term).' }),
    figure('walkthrough-prior-fill', ablationBarsFigure({ rows: [{ label: 'mean pose', values: [err.meanPose / 10] }, { label: 'nearest neighbour', values: [err.nearestNeighbour / 10] }, { label: 'VAE prior', values: [err.vae / 10] }, ...(err.vaeLatentFit !== undefined ? [{ label: 'VAE latent fit', values: [err.vaeLatentFit / 10] }] : [])], groups: ['held-out Leap poses'], metric: 'error on occluded joints', unit: 'cm', highlight: 'VAE prior', title: 'Filling 30% occluded joints', rowsLabel: 'how the occluded joints are filled' }),
      { data: err, testSet: `${String(r.testPoses ?? '')} held-out Leap poses`, caption: 'Mean error on the occluded joints (cm) of held-out poses with 30% of the joints hidden: mean pose, nearest training pose, and the VAE prior.' }),
  ];
}

export function trainFigures(st: StageOutcome): ProducedFigure[] {
  const syn = st.runs['eval-synthetic']?.result as R | undefined, real = st.runs['eval-real']?.result as R | undefined;
  if (!syn) return [];
  const methods: { name: string; real: number; synthetic: number }[] = STUDY_RATIO.map((m) => ({ name: m.method, real: m.realCm, synthetic: m.synCm }));
  if (real) methods.push({ name: `ours (${String(st.runs['train-synthetic']?.result.model ?? '')} net)`, real: Number(real.paMpjpeMm) / 10, synthetic: Number(syn.paMpjpeMm) / 10 });
  // our arms' baselines on the same test block (each arm's own training poses; the real arm's shown)
  const base = (real ?? syn) as R;
  const refs = [
    ...(base.constantPose ? [{ y: Number((base.constantPose as R).paMpjpeMm) / 10, label: `ours: constant pose (${(Number((base.constantPose as R).paMpjpeMm) / 10).toFixed(2)} cm)`, dash: 'dot' as const }] : []),
    ...(base.bestMatch ? [{ y: Number((base.bestMatch as R).paMpjpeMm) / 10, label: `ours: best-match oracle (${(Number((base.bestMatch as R).paMpjpeMm) / 10).toFixed(2)} cm)`, dash: 'dash' as const }] : []),
  ];
  const evals = [syn, real, st.runs['eval-mixed']?.result as R | undefined].filter((e): e is R => !!e);
  // the summary's verdict (belowConstantPose: the paired ratio interval where there is one), so figure and summary agree
  const noSignal = evals.filter((e) => e.constantPose && !belowConstantPose(seedScoreOfEvaluation(0, e)));
  // the curves are the first seed's runs, so the verdict is that run's (a bootstrap over the test frames); the summary's verdict is over seeds
  const note = noSignal.length ? `no signal at this scale in the first seed's run: ${noSignal.length} of ${evals.length} arms not below their constant pose` : undefined;
  const testSet = `${evalSetName(syn)}, held-out block (n=${String(syn.n)})`;
  // the train kind's curve has one record per epoch of its schedule: a fixed number of optimiser steps (steps ÷ epochs), not a pass over
  // the data; `step` is the optimiser step at the epoch's end, where the epoch's mean loss and the test-block score are plotted
  const curves = (['synthetic', 'real', 'mixed'] as const).flatMap((arm) => { const c = (st.runs[`train-${arm}`]?.result as R | undefined)?.curve as { step: number; loss: number }[] | undefined; return c ? [{ name: arm, step: c.map((x) => x.step), value: c.map((x) => x.loss) }] : []; });
  const curveFig = curves.length ? [figure('walkthrough-training', trainingCurvesFigure({ series: curves, yLabel: 'training loss', yUnit: 'a.u.', yLog: true, xLabel: 'training step', xUnit: 'optimiser steps', title: 'Pose net training' }), { data: curves, caption: 'Training loss of the pose net on synthetic, real and mixed data: the mean over each block of optimiser steps (one epoch of the schedule), plotted at the block\'s last step.' })] : [];
  // learning curves: each arm's PA-MPJPE on the held-out test block at the end of every epoch, beside its constant pose and best-match oracle (flat lines)
  const testCurves = (['synthetic', 'real', 'mixed'] as const).flatMap((arm) => {
    const c = testBlockCurve(st.runs[`train-${arm}`]?.result);
    const e = st.runs[`eval-${arm}`]?.result as R | undefined;
    if (!c || !e) return [];
    const steps = c.step, flat = (v: unknown) => steps.map(() => Number((v as R | undefined)?.paMpjpeMm) / 10);
    return [
      { name: arm, step: steps, value: c.value, split: 'val' as const },
      ...otherSeedCurves(st, arm).map((o) => ({ name: `${arm}, seed ${o.seed}`, step: o.step, value: o.value, colourOf: arm, faint: true })),
      { name: `${arm}: constant pose`, step: steps, value: flat(e.constantPose), dash: 'dot' as const },
      { name: `${arm}: best-match oracle`, step: steps, value: flat(e.bestMatch), dash: 'dashdot' as const },
    ];
  });
  const seedsFaint = testCurves.some((c) => 'faint' in c);
  const learnFig = testCurves.length ? [figure('walkthrough-learning-curves', trainingCurvesFigure({ series: testCurves, yLabel: 'PA-MPJPE on the test block', yUnit: 'cm', xLabel: 'training step', xUnit: 'optimiser steps', title: seedsFaint ? 'Learning curves per arm (first seed; the other seeds pale), with baselines' : 'Learning curves per arm, with baselines (first seed)', size: 'wide', legend: 'right' }), { data: testCurves, testSet, note, caption: `PA-MPJPE (cm) of each arm on the held-out block of the real set at the end of each epoch of its schedule (a fixed number of optimiser steps), with that arm's constant-pose baseline and best-match oracle (flat lines)${seedsFaint ? '; the other seeds of each arm as pale lines in its colour, so the epoch-to-epoch spread is visible' : ''}. The test block is watched, never used to choose a model.` })] : [];
  return [...curveFig, ...learnFig, ...fixedPoseFigure(st), figure('walkthrough-ratio', ratioBarsFigure({ methods, metric: 'PA-MPJPE', unit: 'cm', title: 'Trained on real vs synthetic: the study\'s methods and ours', references: refs }), { data: { methods, synthetic: syn, real: real ?? null, baselines: refs }, note, testSet: `${testSet} (ours; the study's methods: their own test sets)`, caption: 'PA-MPJPE (cm) of models trained on real and on synthetic data; the study\'s five methods (on their test sets) and ours (first seed), with our constant-pose baseline and best-match oracle on our test block (lines).' })];
}

/** A train run's test-block score after each epoch (cm), or null when the run recorded none. */
function testBlockCurve(result: R | undefined): { step: number[]; value: number[] } | null {
  const c = (result?.curve as { step: number; valPaMm?: number }[] | undefined)?.filter((x) => typeof x.valPaMm === 'number');
  return c?.length ? { step: c.map((x) => x.step), value: c.map((x) => x.valPaMm! / 10) } : null;
}

/** The test-block learning curves of an arm's other seeds (its train-<arm> seed runs other than the first seed's), by seed. */
export function otherSeedCurves(st: StageOutcome, arm: string): { seed: number; step: number[]; value: number[] }[] {
  const first = st.runs[`train-${arm}`]?.dir;
  return stageSeedRuns(st, `train-${arm}`, NaN).filter((r) => r.dir !== first).flatMap((r) => {
    const c = testBlockCurve(r.result);
    return c ? [{ seed: r.seed, ...c }] : [];
  }).sort((a, b) => a.seed - b.seed);
}

/**
 * Each arm (first seed) on four sets: the renders and the real photos of its training poses, and the renders and the
 * real photos of the test block's new poses. Within a pose set only the appearance differs.
 */
export function fixedPoseFigure(st: StageOutcome): ProducedFigure[] {
  // the axis label breaks after the appearance, so four of them fit side by side
  const label = (p: PoseAppearance, sep: string) => `${p.view === 'renders' ? 'renders' : 'real photos'}${sep}of the ${p.poses === 'training' ? 'training poses' : 'test block\'s poses'}`;
  const views = POSE_APPEARANCES.map((p) => ({ label: label(p, ' '), axis: label(p, '<br>'), short: `${p.poses} ${p.view}`, step: p.step }));
  // per arm, its score on each view (null where a step did not run); arms missing one are left out
  const byArm = ARMS.map((a) => ({ arm: a, s: views.map((v) => { const r = st.runs[v.step(a)]?.result; return r ? seedScoreOfEvaluation(1, r) : null; }) }))
    .filter((x): x is { arm: Arm; s: SeedScore[] } => x.s.every((sc) => sc !== null));
  if (!byArm.length) return [];
  const arms = byArm.map((x) => x.arm);
  const scores = views.map((_, i) => byArm.map((x) => x.s[i]));
  const cm = (mm: number | null | undefined) => (mm ?? NaN) / 10;
  const rows = views.map((v, i) => ({ label: v.axis, values: scores[i].map((s) => cm(s.paMpjpeMm)) }));
  const intervals = scores.map((row) => row.map((s) => (s.interval ? { lo: cm(s.interval.low), hi: cm(s.interval.high) } : null)));
  // the baselines of the first arm on each set (the synthetic and real arms' training poses are the same frames, in two label sets)
  const first = arms[0];
  const baselines = views.map((v, i) => `${v.short} ${cm(scores[i][0].constantPoseMm).toFixed(2)} / ${cm(scores[i][0].bestMatchMm).toFixed(2)}`).join(', ');
  const test = st.runs[`eval-${first}`]!.result as R;
  return [figure('walkthrough-fixed-pose', ablationBarsFigure({ rows, groups: arms.map((a) => `trained on ${a}`), groupColours: arms.map((a) => DOMAIN_COLOURS[a]), intervals, metric: 'PA-MPJPE', unit: 'cm', title: 'The same poses in two appearances, at training and at new poses', rowsLabel: 'scored on' }),
    { data: { arms, views: views.map((v) => v.label), rows: rows.map((r, i) => ({ ...r, label: views[i].label })), intervals }, testSet: `${evalSetName(test)} training frames, held-out block (n=${String(test.n)}), and their renders`,
      note: `${first} arm's constant pose / best-match oracle (cm): ${baselines}`,
      caption: `PA-MPJPE (cm, 95% bootstrap over frames, first seed) of each arm on the renders and the real photos of its training poses, and on the renders and the real photos of the held-out block's new poses: within a pose set only the appearance differs; renders of new against renders of training poses is the step to new poses without a domain gap. The ${first} arm's constant pose (mean training pose) and best-match oracle on each set are in the note.` })];
}

/** Every figure the walkthrough results allow (stages that did not run give none). */
export function walkthroughFigures(res: WalkthroughResult): ProducedFigure[] {
  const out: ProducedFigure[] = [];
  const withConfig = (f: ProducedFigure | null) => { if (f) { f.meta.config = { scale: res.scale, seed: res.seed, real: res.real }; out.push(f); } };
  const p = stage(res, 'poses'); if (p) withConfig(poseFigure(p));
  const s = stage(res, 'spectral'); if (s) withConfig(spectrumFigure(s));
  const g = stage(res, 'gap'); if (g) withConfig(boneOffsetFigure(g));
  const pr = stage(res, 'prior'); if (pr) priorFigures(pr).forEach(withConfig);
  const t = stage(res, 'train'); if (t) trainFigures(t).forEach(withConfig);
  return out;
}
