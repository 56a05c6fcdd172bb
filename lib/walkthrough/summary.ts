/**
 * The walkthrough summary (pure): a stage table, our numbers beside the study's, what was skipped and
 * why, and where every output is. Units: cm for errors (the study's), % for ratios.
 */
import type { Table } from '../analysis/tables.ts';
import type { WalkthroughResult, StageOutcome } from './walkthrough.ts';
import { STUDY_ABLATION, STUDY_FINDINGS, STUDY_RATIO } from './study.ts';
import { FETCH_HINT } from './walkthrough.ts';
import { SWEEP_SCALE, ARMS, POSE_APPEARANCES, seedRuns, type Arm } from './walkthrough.ts';
import { pairedRatioBySeed, ratioVerdict, type Interval } from '../metrics/baselines.ts';
import { summariseSeeds, seedScoreOfEvaluation, meanPlusMinus, type SeedSummary } from '../analysis/replicates.ts';
import type { AblationContrast } from '../experiment/report.ts';

/** One arm over its seeds: test PA-MPJPE beside its baselines (mm), and whether it separates from the constant pose. */
export interface ArmStats {
  arm: Arm; seeds: number[]; values: number[]; mean: number; interval: Interval | null; intervalText: string;
  constantPoseMm: number; bestMatchMm: number; trainFitMm: number; ratioToConstantPose: number; n: number;
  /** one seed: the paired bootstrap interval of model ÷ constant pose over the test frames; several: the t-interval of the per-seed ratios */
  ratioInterval: Interval | null;
  /** the ratio's interval lies below 1 (the model beats the constant pose on these frames) */
  signal: boolean; verdict: string;
}

/** One evaluate step of the train stage over its seeds, with its results (walkthrough.ts seedRuns). */
function seedEvaluations(res: WalkthroughResult, step: string): { seed: number; r: R }[] {
  return seedRuns(res, step).map((x) => ({ seed: x.seed, r: x.result as R }));
}

export function armStats(res: WalkthroughResult, arm: Arm): ArmStats | null {
  const evals = seedEvaluations(res, `eval-${arm}`);
  if (!evals.length) return null;
  // mean, intervals (t over seeds, or the one seed's bootstrap over frames), ratio and verdict: the one rule of lib/analysis/replicates.ts
  const s = summariseSeeds(evals.map((e) => seedScoreOfEvaluation(e.seed, e.r)), { plumbing: res.scale === 'smoke' });
  const num = (r: R, k: string) => Number((r[k] as R | undefined)?.paMpjpeMm);
  const constantPoseMm = num(evals[0].r, 'constantPose');
  const several = s.values.length >= 2;
  const intervalText = (s.interval ? `95% ${several ? 't-interval over seeds' : 'bootstrap over test frames (one seed)'} [${f(s.interval.low / 10)}, ${f(s.interval.high / 10)}] cm` : 'no interval')
    + (s.ratioInterval ? `; ÷ constant pose [${f(s.ratioInterval.low, 3)}, ${f(s.ratioInterval.high, 3)}] (${several ? 'over seeds' : 'paired bootstrap over the same frames'})` : '');
  return {
    arm, seeds: evals.map((e) => e.seed), values: s.values, mean: s.mean, interval: s.interval, intervalText, ratioInterval: s.ratioInterval, constantPoseMm, bestMatchMm: num(evals[0].r, 'bestMatch'),
    trainFitMm: s.trainFitMm ?? NaN, ratioToConstantPose: s.mean / constantPoseMm, n: Number(evals[0].r.n), signal: s.signal, verdict: s.verdict,
  };
}

const armCell = (a: ArmStats): string => a.values.length >= 2 && a.interval ? `${f(a.mean / 10)} ± ${f((a.interval.high - a.interval.low) / 20)}` : f(a.mean / 10);

const ratioCell = (a: ArmStats): string => `${f(a.ratioToConstantPose, 3)}${a.ratioInterval ? ` [${f(a.ratioInterval.low, 3)}, ${f(a.ratioInterval.high, 3)}]` : ''}`;

/** The three arms side by side (cm; ± half the 95% interval over seeds; the ratio with its 95% interval). */
export function armTable(res: WalkthroughResult): Table | null {
  const arms = ARMS.map((a) => armStats(res, a)).filter((a): a is ArmStats => a !== null);
  if (!arms.length) return null;
  return {
    columns: ['arm (trained on)', 'seeds', 'test PA-MPJPE (cm)', 'constant pose (cm)', 'best-match oracle (cm)', 'training-set fit (cm)', '÷ constant pose', 'verdict'],
    rows: arms.map((a) => [a.arm, a.seeds.join(', '), armCell(a), f(a.constantPoseMm / 10), f(a.bestMatchMm / 10), f(a.trainFitMm / 10), ratioCell(a), a.verdict]),
  };
}

/**
 * Every arm on the poses it was trained on and on the test block's poses, each in both appearances (cm; mean ± half
 * the 95% interval over seeds, and ÷ the constant pose on the same frames): real photos and their syn-hgc renders.
 * With the poses fixed only the appearance differs, so "photos − renders" is the appearance gap, at seen poses and
 * at new ones; "test − training" within one appearance is the step to new poses.
 */
export function fixedPoseTable(res: WalkthroughResult): Table | null {
  const rows: (string | number)[][] = [];
  const summarise = (step: string) => {
    const e = seedEvaluations(res, step);
    return e.length ? summariseSeeds(e.map((x) => seedScoreOfEvaluation(x.seed, x.r)), { plumbing: res.scale === 'smoke' }) : null;
  };
  const cell = (s: SeedSummary) => `${meanPlusMinus(s, 0.1)} (${f(s.ratioToConstantPose, 2)}×)`;
  for (const arm of ARMS) {
    for (const poses of ['training', 'test'] as const) {
      const [renders, photos] = (['renders', 'photos'] as const).map((v) => summarise(POSE_APPEARANCES.find((x) => x.poses === poses && x.view === v)!.step(arm)));
      if (!renders || !photos) continue;
      rows.push([arm, poses === 'training' ? 'training poses' : 'test block (new poses)', photos.seeds.join(', '), cell(photos), cell(renders), f((photos.mean - renders.mean) / 10), `${f(Number(photos.constantPoseMm) / 10)} / ${f(Number(renders.constantPoseMm) / 10)}`, `${f(Number(photos.bestMatchMm) / 10)} / ${f(Number(renders.bestMatchMm) / 10)}`]);
    }
  }
  if (!rows.length) return null;
  return { columns: ['model (trained on)', 'poses', 'seeds', 'real photos (cm, ÷ constant pose)', 'renders of the same poses (cm, ÷ constant pose)', 'photos − renders (cm)', 'constant pose: photos / renders (cm)', 'best-match oracle: photos / renders (cm)'], rows };
}

/** How to read errorSourcesTable (the summary and notebook 05 say the same). */
export const ERROR_SOURCES_TEXT = 'Where each arm\'s error on the test block lies: in the image (2D) or in depth. The estimator predicts 2D joints and root-relative depths and lifts them to 3D (docs/training.md); here the lift is redone with the label\'s depths ("true depths": what is left is the 2D error) or with the label\'s 2D ("true 2D": what is left is the depth error). The 2D error is the mean joint distance in the image as a percentage of the hand\'s size there (longer side of the box around the projected joints). Photos and renders of the same test poses side by side show which half the appearance gap hits. Means over seeds.';

/** Per arm, on the test block's photos and on their renders: PA-MPJPE with the prediction's own lift, with true depths, with true 2D, and the 2D error. */
export function errorSourcesTable(res: WalkthroughResult): Table | null {
  const rows: (string | number)[][] = [];
  for (const arm of ARMS) {
    for (const view of ['photos', 'renders'] as const) {
      const e = seedEvaluations(res, POSE_APPEARANCES.find((x) => x.poses === 'test' && x.view === view)!.step(arm)).filter((x) => x.r.errorSources);
      if (!e.length) continue;
      const m = (k: string) => e.reduce((acc, x) => acc + ((x.r.errorSources as Record<string, number>)[k]), 0) / e.length;
      rows.push([arm, view === 'photos' ? 'real photos' : 'renders', e.map((x) => x.seed).join(', '), f(m('paMm') / 10), f(m('trueDepthPaMm') / 10), f(m('true2dPaMm') / 10), f(m('uvErrorPctOfBox'), 1)]);
    }
  }
  if (!rows.length) return null;
  return { columns: ['model (trained on)', 'test block in', 'seeds', 'PA-MPJPE (cm)', 'with true depths (cm)', 'with true 2D (cm)', '2D error (% of hand size)'], rows };
}

/** Per-frame test-block PA-MPJPE (mm) of each arm's evaluation, by seed, in the test set's frame order (walkthrough.ts loadArmFrames reads them). */
export type ArmFrames = Partial<Record<Arm, Record<number, number[]>>>;

/** One arm against another on the same test frames: the ratio of their mean errors with its 95% interval, and what it says. */
export interface ArmContrast { arm: Arm; against: Arm; seeds: number[]; ratio: number; interval: Interval | null; verdict: string }

/**
 * `arm` ÷ `against` on the test block, paired: per seed Σ errors of `arm` ÷ Σ errors of `against` over the same frames.
 * One seed: the paired bootstrap over the frames (seed `bootstrapSeed`); several: the t-interval of the per-seed ratios.
 * Below 1 with its interval: `arm` is the better one here; above: the worse; otherwise they do not separate.
 */
export function armContrast(frames: ArmFrames, arm: Arm, against: Arm, opts: { bootstrapSeed?: number; plumbing?: boolean } = {}): ArmContrast | null {
  const c = pairedRatioBySeed(frames[arm] ?? {}, frames[against] ?? {}, { bootstrapSeed: opts.bootstrapSeed });
  if (!c) return null;
  const verdict = opts.plumbing ? 'plumbing check: no signal at this scale' : ratioVerdict(c.interval, arm, against);
  return { arm, against, ...c, verdict };
}

/** The study's two claims about the arms, tested on our test block: synthetic against real (its syn→real ratio), and mixed against real. */
export function armContrastTable(res: WalkthroughResult, frames: ArmFrames): Table | null {
  const best = STUDY_RATIO[0];
  const claims: { arm: Arm; study: string }[] = [
    { arm: 'synthetic', study: `${f(best.synCm / best.realCm, 3)}× (S2HAND ${best.synCm} ÷ ${best.realCm} cm)` },
    { arm: 'mixed', study: 'below 1 (mixed better than real)' },
  ];
  const rows = claims.flatMap(({ arm, study }) => {
    const c = armContrast(frames, arm, 'real', { bootstrapSeed: res.seed, plumbing: res.scale === 'smoke' });
    return c ? [[`${arm} ÷ real`, c.seeds.join(', '), f(c.ratio, 3), c.interval ? `[${f(c.interval.low, 3)}, ${f(c.interval.high, 3)}] (${c.seeds.length >= 2 ? 't over seeds' : 'paired bootstrap over the frames'})` : '–', c.verdict, study]] : [];
  });
  return rows.length ? { columns: ['test PA-MPJPE, same frames', 'seeds', 'ratio', '95% interval', 'verdict', 'the study'], rows } : null;
}

/** How to read armContrastTable (the summary and notebook 05 say the same). */
export const ARM_CONTRAST_TEXT = 'The study\'s two claims about the arms, tested on the same test frames: each arm\'s error divided by the real arm\'s (per seed the ratio of the summed per-frame errors; one seed: a paired bootstrap over the frames; several: a t-interval over the seeds). An interval below 1 means the arm is better than the real arm on this block, above 1 worse. Here the real arm trains on the very subject and scene of the test block (hgc-dev is one recording), which the study\'s FreiHAND test set does not give its real arm.';

type R = Record<string, unknown>;
const f = (x: unknown, d = 2): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '–');
const done = (res: WalkthroughResult, id: string): StageOutcome | undefined => res.stages.find((s) => s.id === id && s.status === 'done');
const why = (res: WalkthroughResult, id: string): string => { const s = res.stages.find((x) => x.id === id); return s ? `${s.status}: ${s.reason ?? ''}` : 'not run'; };

/**
 * Rows: quantity, the study's value, ours, note. With the arms' per-frame errors (`frames`, walkthrough.ts
 * loadArmFrames), the mixed row and the syn→real ratio also carry the paired contrast against the real arm.
 */
export function comparisonTable(res: WalkthroughResult, frames: ArmFrames = {}): Table {
  const rows: Table['rows'] = [];
  const sp = done(res, 'spectral')?.runs.spectral?.result as R | undefined;
  if (sp) {
    const vr = sp.varianceRatio as R;
    type Band = { scalar: number; interval: [number, number] | null };
    const ci = (b: Band | undefined) => (b ? `${f(b.scalar, 3)}${b.interval ? ` [${f(b.interval[0], 3)}, ${f(b.interval[1], 3)}]` : ''}` : '–');
    const verdict = (b: Band | undefined) => (!b?.interval ? 'no interval' : b.interval[1] < 1 ? 'synthetic variance BELOW real, as the study found' : b.interval[0] > 1 ? 'synthetic variance ABOVE real, unlike the study' : 'no significant difference');
    const bands = (sp.bands ?? {}) as Record<string, Band>, cn = sp.contrastNormalized as (Band & { bands: Record<string, Band> }) | undefined;
    const native = sp.nativeSize as R | undefined;
    const like = native ? `like for like: ${native.synthetic} and ${native.real} px both resampled to ${sp.size} px` : `${sp.size}px`;
    rows.push(['amplitude variance, synthetic ÷ real (luminance, geometric mean over radial bins up to Nyquist; 95% bootstrap)', '< 1 at all frequencies (Fig. 2b)', `${ci({ scalar: Number(vr.before), interval: vr.beforeInterval as [number, number] | null })} — ${verdict({ scalar: Number(vr.before), interval: vr.beforeInterval as [number, number] | null })}; below real in ${f(100 * Number(sp.synBelowRealFraction), 0)}% of bins`, `${(sp.images as R).synthetic} syn vs ${(sp.images as R).real} real images, ${like}`]);
    if (bands.low) rows.push(['  by band: low / mid / high (cycles/px < 0.125 / < 0.25 / < 0.5); corner beyond Nyquist', '< 1 in every band', `${ci(bands.low)} / ${ci(bands.mid)} / ${ci(bands.high)}; corner ${ci(bands.corner)}`, 'raw amplitudes']);
    if (cn) rows.push(['  same, per-image contrast-normalised', '–', `${ci(cn)} — ${verdict(cn)}; low / mid / high ${ci(cn.bands.low)} / ${ci(cn.bands.mid)} / ${ci(cn.bands.high)}`, 'exposure differences removed']);
    rows.push(['same after amplitude mix with real references', 'augmentation closes the gap', f(vr.after, 3), JSON.stringify(vr.augment)]);
  } else rows.push(['amplitude variance, synthetic ÷ real', '< 1 at all frequencies', '–', why(res, 'spectral')]);
  const gap = done(res, 'gap')?.runs.gap?.result as R | undefined;
  if (gap) {
    rows.push(['skeleton definition: mean |bone-length offset| synthetic vs real', `NIMBLE vs MANO: PA-MPJPE ${STUDY_FINDINGS.topologyPaMpjpeCm.matched} → ${STUDY_FINDINGS.topologyPaMpjpeCm.mismatched} cm (+${STUDY_FINDINGS.topologyPaMpjpeCm.increasePct}%)`, `${f(gap.skeletonMeanAbsPct, 1)}%`, `${gap.skeletonSummary ?? ''}; rendered 25-joint hand (21 via MAP_25_TO_21) vs hgc-dev labels`]);
    const occ = (gap.occlusion as { candidate: R | null }).candidate;
    if (occ) rows.push(['composed synthetic set: mean occluded joint fraction', '–', f(occ.meanOccludedFraction, 3), 'arm + object masks, random colours (row iv)']);
  } else rows.push(['skeleton definition offset', `PA-MPJPE +${STUDY_FINDINGS.topologyPaMpjpeCm.increasePct}%`, '–', why(res, 'gap')]);
  const po = done(res, 'poses')?.runs.poses?.result as R | undefined;
  const comps = po?.comparisons as Record<string, R> | undefined;
  if (comps && Object.keys(comps).length) {
    for (const [name, c] of Object.entries(comps)) {
      const cov = (c.coverage as { threshold: number; fraction: number }[]).find((x) => Math.abs(x.threshold - 0.01) < 1e-9);
      rows.push([`real poses within 10 mm of a ${name} pose`, '– (pose saturation: 20% of poses → 90%)', `${f(100 * (cov?.fraction ?? NaN), 1)}%`, `median nearest ${f(c.medianNearestMm, 1)} mm`]);
    }
  } else rows.push(['pose coverage of the real set', '–', '–', why(res, 'poses')]);
  const pr = done(res, 'prior')?.runs.prior?.result as R | undefined;
  if (pr) {
    const e = pr.occludedJointErrorMm as R;
    rows.push(['occluded-joint error: VAE prior (latent fit) / mean pose / nearest neighbour (cm)', 'prior reduces the gap under object occlusion', `${f(Number(e.vae) / 10)} (${e.vaeLatentFit === undefined ? '-' : f(Number(e.vaeLatentFit) / 10)}) / ${f(Number(e.meanPose) / 10)} / ${f(Number(e.nearestNeighbour) / 10)}`, `${pr.trainPoses} train, ${pr.testPoses} held-out Leap poses, ${pr.steps} steps on ${pr.backend}`]);
  } else rows.push(['VAE occlusion prior', 'reduces the gap under occlusion', '–', why(res, 'prior')]);
  const tr = done(res, 'train');
  const arms = ARMS.map((a) => armStats(res, a));
  const best = STUDY_RATIO[0];
  const plumbing = res.scale === 'smoke';
  if (tr && arms.every((a) => a)) {
    const [syn, real] = arms as ArmStats[];
    // the paired contrast against the real arm (same frames), where the per-frame errors were given
    const contrasts = new Map(ARMS.filter((a) => a !== 'real').map((a) => [a, armContrast(frames, a, 'real', { bootstrapSeed: res.seed, plumbing })]));
    const vsReal = (arm: Arm): string => {
      const c = contrasts.get(arm);
      return c?.interval ? `; ÷ real on the same frames ${f(c.ratio, 3)} [${f(c.interval.low, 3)}, ${f(c.interval.high, 3)}]: ${c.verdict}` : '';
    };
    const synVsReal = contrasts.get('synthetic');
    const pct = synVsReal?.interval ? ` [${f(100 / synVsReal.interval.high, 0)}%, ${f(100 / synVsReal.interval.low, 0)}%] (paired, same frames)` : '';
    for (const a of arms as ArmStats[]) {
      rows.push([`PA-MPJPE trained on ${a.arm}, tested on the real test block (cm): model; constant pose; best-match oracle; training-set fit`, a.arm === 'synthetic' ? `S2HAND ${best.synCm}` : a.arm === 'real' ? `S2HAND ${best.realCm}` : 'mixed better than real', `${armCell(a)}; ${f(a.constantPoseMm / 10)}; ${f(a.bestMatchMm / 10)}; ${f(a.trainFitMm / 10)}`, `${a.verdict}${vsReal(a.arm)}; ${a.intervalText}; ${a.n} test frames; ${a.seeds.length} seed${a.seeds.length > 1 ? 's' : ''} (${a.seeds.join(', ')})${plumbing ? '; plumbing check' : ''}`]);
    }
    rows.push(['syn→real performance ratio (real ÷ synthetic PA-MPJPE, the study\'s %)', `${Math.min(...STUDY_RATIO.map((r) => r.ratioPct))}–${STUDY_FINDINGS.bestSynToRealPct}%`, `${f((100 * real.mean) / syn.mean, 0)}%${pct}`, `${tr.runs['train-synthetic']?.result.model ?? ''} pose net, ${tr.runs['train-synthetic']?.result.backend} backend${plumbing ? '; plumbing check: no signal at this scale' : !syn.signal || !real.signal ? '; no signal at this scale (an arm does not separate from its constant pose)' : ''}`]);
  }
  else rows.push(['syn→real performance ratio (real ÷ synthetic PA-MPJPE, the study\'s %)', `${Math.min(...STUDY_RATIO.map((r) => r.ratioPct))}–${STUDY_FINDINGS.bestSynToRealPct}%`, '–', why(res, 'train')]);
  const ex = done(res, 'experiments');
  const sweepScale = SWEEP_SCALE[res.scale];
  // a sweep at smoke scale trains each point for seconds: its numbers are plumbing checks, not results
  const sweepPlumbing = sweepScale === 'smoke' ? '; plumbing check: no signal at this scale' : '';
  const abl = ex?.runs['component-ablation']?.result as R | undefined;
  const ablRows = (abl?.rows as { vars: R; values: R | null }[] | undefined) ?? [];
  // each row over its seeds (the sweep's points), beside its constant pose and best match, with its verdict
  const ablPoints = (abl?.points as { vars: R; summary: SeedSummary }[] | null | undefined) ?? null;
  // the study's question for each row: does it change the full recipe's error? (the report's contrasts, paired by seed)
  const ablContrasts = (abl?.contrasts as AblationContrast[] | null | undefined) ?? [];
  const vsFull = (row: string): string => {
    const c = ablContrasts.find((x) => x.row === row);
    if (!c?.contrast.interval || sweepPlumbing) return '';
    const { meanDifference: d, interval: iv, verdict } = c.contrast;
    return `; − ${c.reference} paired by seed ${f(d / 10)} cm [${f(iv.low / 10)}, ${f(iv.high / 10)}]: ${verdict}`;
  };
  STUDY_ABLATION.forEach((s, i) => {
    const p = ablPoints?.find((x) => x.vars.row === s.row);
    if (p) {
      const m = p.summary;
      const seeds = `${m.seeds.length} seed${m.seeds.length > 1 ? 's' : ''}, ${m.intervalKind === 'seeds' ? '± half the 95% t-interval over seeds' : '95% bootstrap over test frames'}`;
      rows.push([`ablation ${s.row}: PA-MPJPE (cm)`, String(s.synFreiCm), `${meanPlusMinus(m, 0.1)}; constant pose ${f(Number(m.constantPoseMm) / 10)}, best match ${f(Number(m.bestMatchMm) / 10)}`, `${m.verdict}${vsFull(s.row)}; ${seeds}; syn-hgc renders, real held-out block (n=${m.n ?? '?'}); sweep at ${sweepScale} scale`]);
      return;
    }
    const ours = ablRows.find((r) => r.vars.row === s.row);
    const v = ours?.values;
    const base = v && typeof v['constantPose.paMpjpeMm'] === 'number' ? `; constant pose ${f(Number(v['constantPose.paMpjpeMm']) / 10)}, best match ${f(Number(v['bestMatch.paMpjpeMm']) / 10)}` : '';
    rows.push([`ablation ${s.row}: PA-MPJPE (cm)`, String(s.synFreiCm), v ? `${f(Number(v.paMpjpeMm) / 10)}${base}` : '–', ours ? `sweep at ${sweepScale} scale; hgc-dev test${sweepPlumbing}` : i === 0 ? why(res, 'experiments') : 'as above']);
  });
  const sat = ex?.runs['pose-fraction']?.result as R | undefined;
  const satRep = (sat?.saturation as { report: { reach: { fraction: number }[] } }[] | null | undefined)?.[0]?.report;
  const satSkipped = (sat?.saturationSkipped as { reason: string }[] | null | undefined)?.[0]?.reason;
  const satPoints = (sat?.points as { summary: SeedSummary }[] | null | undefined) ?? [];
  const separating = satPoints.length ? `; ${satPoints.filter((p) => p.summary.signal).length} of ${satPoints.length} fractions below their constant pose` : '';
  rows.push(['pose fraction reaching 90% / 97% of full-pose performance', `${STUDY_FINDINGS.poseFractionFor90Pct} / ${STUDY_FINDINGS.poseFractionFor97Pct}`, satRep ? `${f(satRep.reach[0].fraction)} / ${f(satRep.reach[1].fraction)}` : '–', satRep ? `fitted saturation curve; sweep at ${sweepScale} scale${separating}${sweepPlumbing}` : satSkipped ? `${satSkipped}; sweep at ${sweepScale} scale${separating}` : 'as above']);
  return { columns: ['quantity', 'study', 'ours', 'note'], rows };
}

export function stageTable(res: WalkthroughResult): Table {
  return { columns: ['stage', 'status', 'seconds', 'runs executed', 'runs cached', 'note'], rows: res.stages.map((s) => [s.id, s.status, Number(s.seconds.toFixed(1)), s.executed, s.cached, (s.reason ?? '').split('\n')[0]]) };
}

export interface SummaryExtras { figures: string[]; figuresDir: string; tables: string[]; notebooks: { name: string; ok: boolean; file?: string }[] | null; seconds: number; /** per-frame errors for the paired arm contrasts (none: that table is left out) */ armFrames?: ArmFrames }

function md(t: Table): string {
  const esc = (c: unknown) => String(c ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${t.columns.join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** "frames 270–299; 10 frames left out before each block" from the run's recorded split. */
export function splitText(res: WalkthroughResult): string {
  if (!res.split) return 'the test blocks of experiments/walkthrough.json';
  const blocks = res.split.testBlocks.map(([a, b]) => `${a}–${b}`).join(', ');
  return `frames ${blocks}; ${res.split.gap} frames left out on each side of a block, never used`;
}

function armSection(res: WalkthroughResult, frames: ArmFrames): string[] {
  const t = armTable(res);
  if (!t) return [];
  const head = res.scale === 'smoke'
    ? 'Smoke scale: these numbers are plumbing checks (a few training steps), not results; no signal at this scale.'
    : `Each arm is tested on the held-out block of the real set (${splitText(res)}), beside the constant pose (mean training pose of that arm) and the best-match oracle (nearest training pose) on the same frames. The ratio to the constant pose carries its 95% interval (one seed: a paired bootstrap over the test frames; several: over seeds); an arm whose ratio interval does not lie below 1 is marked "no signal at this scale".`;
  const fixed = fixedPoseTable(res);
  const fixedLines = fixed ? ['### The same poses in two appearances, at training and at test poses', '', FIXED_POSE_TEXT, '', md(fixed), ''] : [];
  const sources = errorSourcesTable(res);
  const sourceLines = sources ? ['### Where the test-block error lies: 2D or depth', '', ERROR_SOURCES_TEXT, '', md(sources), ''] : [];
  const contrast = armContrastTable(res, frames);
  const contrastLines = contrast ? ['### The arms against the real arm', '', ARM_CONTRAST_TEXT, '', md(contrast), ''] : [];
  return ['## Three arms: synthetic (syn-hgc renders, fingers recombined among the training frames), real, mixed', '', head, '', md(t), '', ...contrastLines, ...fixedLines, ...sourceLines];
}

/** How to read fixedPoseTable (the summary and notebook 05 say the same). */
export const FIXED_POSE_TEXT = 'Each arm scored on the poses it was trained on and on the test block\'s new poses, each once in real photos and once in their renders (syn-hgc: the frames\' fitted poses, views and K; the test block\'s renders are never trained on; the synthetic and mixed arms trained on the same renders with some fingers bent as in other training frames, render-recombined). With the poses fixed only the appearance differs: "photos − renders" is the appearance gap, at seen and at new poses. Within one appearance, the test block against the training poses is the step to new poses: in renders it is the synthetic arm\'s pose generalisation without any domain gap. ± is half the 95% interval (one seed: a bootstrap over the frames; several: over seeds). Training poses are no test of pose estimation (the best-match oracle is 0 on a model\'s own training labels, and the rig fit\'s residual across the two label sets): those rows separate the gaps, they are not results of their own.';

export function summaryMarkdown(res: WalkthroughResult, x: SummaryExtras): string {
  const skipped = res.stages.filter((s) => s.status !== 'done' || s.reason);
  const lines = [
    `# handgap walkthrough — ${res.scale} scale`,
    '',
    `Seed ${res.seed}; real data: ${res.real ?? 'not found'}; ${x.seconds.toFixed(0)} s in total (stages ${res.seconds.toFixed(0)} s).`,
    '',
    '## Our numbers beside the study\'s',
    '',
    md(comparisonTable(res, x.armFrames ?? {})),
    '',
    ...armSection(res, x.armFrames ?? {}),
    '## Stages',
    '',
    md(stageTable(res)),
    '',
  ];
  if (skipped.length) {
    lines.push('## Skipped or partial', '');
    for (const s of skipped) lines.push(`- **${s.id}** (${s.status}): ${(s.reason ?? '').split('\n')[0]}`);
    if (!res.real) lines.push(`- Real-data parts need hgc-dev: ${FETCH_HINT}`);
    lines.push('');
  }
  lines.push('## Where things are', '');
  lines.push(`- figures (${x.figures.length}; PNG 2×, SVG, PDF, sidecar JSON): ${x.figuresDir}${x.figures.length ? ` — ${x.figures.join(', ')}` : ''}`);
  lines.push(`- tables: ${x.tables.join(', ') || '–'}`);
  lines.push(`- stage results: ${res.out}/results.json; run cache: ${res.root}`);
  if (x.notebooks) lines.push(`- notebooks: ${x.notebooks.filter((n) => n.ok).length}/${x.notebooks.length} executed without error (${x.notebooks.filter((n) => !n.ok).map((n) => n.name).join(', ') || 'all fine'}) in notebooks-executed/`);
  else lines.push('- notebooks: not executed at this scale (run `npm run notebooks -- --scale <scale>`)');
  return lines.join('\n') + '\n';
}
