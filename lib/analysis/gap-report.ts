/**
 * `handgap gap <reference> <candidate>`: one report comparing two datasets on the study's four factors
 * side by side (IO: reads images and masks, writes gap.json, report.md, report.html and figure specs).
 *
 * Direction (the project's one convention): the reference (usually real) comes first, the candidate
 * (usually synthetic) second; every ratio is candidate ÷ reference and every difference is
 * (candidate − reference) in % of the reference. gap.json records it in `direction`.
 *
 * Output folder:
 *   gap.json             every number in the report, plus the seed and the subsample sizes
 *   report.md            tables and conclusions; figures linked as PNG when an exporter is given
 *   report.html          the same, with interactive plotly figures
 *   figures/<name>.json  plain plotly figure objects ({ data, layout })
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import type { HandSample } from '../data/types.ts';
import { readImage } from '../image/io.ts';
import { labelsFromMask } from '../image/compose.ts';
import { writeFileAtomic, writeJsonAtomic, ensureDir } from '../util/fsx.ts';
import { Progress } from '../util/progress.ts';
import { skeletonStats, skeletonOffset, describeBoneOffset, proportionsGap, poseDistance, subsample, type PoseDistanceStats, type SkeletonStats, type SkeletonOffset } from './gap.ts';
import { occlusionFromLabels, occludedFractionFromMeta, projectJoints, summariseOcclusion, histogram, type OcclusionSample } from './occlusion.ts';
import { toMarkdown, type Table } from './tables.ts';
import { spectralGap, type SpectralGapResult } from '../spectral/gap.ts';
import type { SpectrumComparison } from '../spectral/stats.ts';
import { realismProbe, type ProbeResult } from '../realism/probe.ts';
import { exportFigures } from '../plot/export.ts';

export interface GapSet { name: string; dir: string; samples: HandSample[] }

export interface GapOptions {
  out: string;
  seed?: number;
  /** images per set for the spectrum (subsampled with the seed) */
  maxImages?: number;
  /** poses per set for the pose distance (O(nReference·nCandidate) Procrustes fits) */
  maxPoses?: number;
  /** common spectrum size (default: the largest power of two below both sets' native sizes; lib/spectral) */
  size?: number;
  /** images per set for the realism probe (seeded subsample; 0 = skip) */
  probe?: number;
  /** export PNG (2×) and SVG of every figure through lib/plot (headless chromium); default true */
  png?: boolean;
}

export type RealismSummary = Omit<ProbeResult, 'perImage'>;

export interface PlotlyFigure { data: Record<string, unknown>[]; layout: Record<string, unknown> }

type Occlusion = ReturnType<typeof summariseOcclusion> | null;
type OcclusionHist = ReturnType<typeof histogram> | null;
interface SetInfo { name: string; dir: string; samples: number; spectrumImages: number; poses: number; masks: number }
/** A value per set, named by its role. */
export interface PerSet<T> { reference: T; candidate: T }

export interface GapResult {
  seed: number;
  /** The convention every number below follows. */
  direction: { reference: string; candidate: string; ratios: 'candidate ÷ reference'; differences: '(candidate − reference) ÷ reference, %' };
  sets: PerSet<SetInfo>;
  /** like-for-like amplitude spectra (lib/spectral/gap.ts): ratios candidate ÷ reference */
  spectrum: {
    size: number; nativeSize: PerSet<number>; resampling: SpectralGapResult['resampling'];
    raw: SpectrumComparison; contrastNormalized: SpectrumComparison;
    /** geometric mean over the radial bins up to Nyquist, raw */ meanVarianceRatio: number;
    profiles: { frequency: number[]; variance: PerSet<number[]> };
  };
  /** the realism probe on both sets (null when skipped) */
  realism: PerSet<RealismSummary> | null;
  /** null when a set has no 3D labels */
  pose: PoseDistanceStats | null;
  /** proportions: median bone length candidate ÷ reference per bone and the proportions-only PA-MPJPE floor */
  skeleton: (PerSet<SkeletonStats> & { offset: SkeletonOffset; proportions: ReturnType<typeof proportionsGap> }) | null;
  occlusion: PerSet<Occlusion>;
  occlusionHist: PerSet<OcclusionHist>;
}

async function occlusionOf(samples: HandSample[]): Promise<OcclusionSample[]> {
  const out: OcclusionSample[] = [];
  for (const s of samples) {
    if (!s.maskPath || !s.xyz) continue;
    const labels = labelsFromMask(await readImage(s.maskPath, { gray: true }), s.maskPath);
    const est = occlusionFromLabels(labels, projectJoints(s.xyz, s.K));
    // the renderer measures the exact amodal hand (a second render without objects); prefer it
    const exact = occludedFractionFromMeta(s.meta);
    if (exact !== null) est.occludedFraction = exact;
    out.push(est);
  }
  return out;
}

const COLORS = ['#1f77b4', '#d62728'];

function lineFig(title: string, x: number[], ys: number[][], names: string[], xTitle: string, yTitle: string, logY = false): PlotlyFigure {
  return {
    data: ys.map((y, i) => ({ type: 'scatter', mode: 'lines+markers', x, y, name: names[i], line: { color: COLORS[i] } })),
    layout: { title: { text: title }, xaxis: { title: { text: xTitle } }, yaxis: { title: { text: yTitle }, type: logY ? 'log' : 'linear' }, width: 640, height: 400, template: 'simple_white' },
  };
}

/** Compare `candidate` (e.g. synthetic) against `reference` (e.g. real); see the direction note above. */
export async function gapReport(reference: GapSet, candidate: GapSet, opts: GapOptions): Promise<GapResult> {
  const seed = opts.seed ?? 0, maxImages = opts.maxImages ?? 200, maxPoses = opts.maxPoses ?? 300;
  const out = ensureDir(opts.out);
  const figDir = ensureDir(path.join(out, 'figures'));
  const ref = reference, cand = candidate;

  // 1. amplitude spectrum, like for like (both sets resampled alike to one size; ratios candidate ÷ reference)
  const imgsR = subsample(ref.samples, maxImages, seed, `${ref.name}-images`), imgsC = subsample(cand.samples, maxImages, seed, `${cand.name}-images`);
  const bars = new Map<string, Progress>();
  const sg = await spectralGap({ real: ref.dir, synthetic: cand.dir }, {
    size: opts.size, limit: maxImages, seed,
    onProgress: (stage, _d, total) => { let p = bars.get(stage); if (!p) { p = new Progress({ label: `spectrum ${stage.startsWith('real') ? ref.name : cand.name}${stage.includes('contrast') ? ' (contrast-normalised)' : ''}`, total, unit: 'img' }); bars.set(stage, p); } p.tick(1); },
  });
  for (const p of bars.values()) p.finish();

  // 5. realism probe: a hand-landmark model trained on real photos, run on both sets
  const nProbe = opts.probe ?? 64;
  const strip = ({ perImage: _p, ...rest }: ProbeResult): RealismSummary => rest;
  const realism: GapResult['realism'] = nProbe > 0 && ref.samples.some((s) => s.xyz) && cand.samples.some((s) => s.xyz)
    ? { reference: strip(await realismProbe(ref.samples, { limit: nProbe, seed, label: ref.name })), candidate: strip(await realismProbe(cand.samples, { limit: nProbe, seed, label: cand.name })) }
    : null;

  // 2. pose distribution and 3. skeleton definition
  const posesR = ref.samples.filter((s) => s.xyz).map((s) => s.xyz!), posesC = cand.samples.filter((s) => s.xyz).map((s) => s.xyz!);
  const pR = subsample(posesR, maxPoses, seed, `${ref.name}-poses`), pC = subsample(posesC, maxPoses, seed, `${cand.name}-poses`);
  const labelled = pR.length > 0 && pC.length > 0;
  if (labelled) process.stderr.write(`pose distance: ${pR.length}×${pC.length} Procrustes fits\n`);
  else process.stderr.write(`pose and skeleton sections skipped: ${posesR.length ? cand.name : ref.name} has no 3D labels\n`);
  const pose = labelled ? poseDistance(pR, pC) : null;
  const skeleton = labelled ? (() => { const skR = skeletonStats(posesR), skC = skeletonStats(posesC); return { reference: skR, candidate: skC, offset: skeletonOffset(skR, skC), proportions: proportionsGap(posesR, skC, skR) }; })() : null;

  // 4. occlusion (only for sets with label masks)
  const occR = await occlusionOf(ref.samples), occC = await occlusionOf(cand.samples);
  const occlusion = { reference: occR.length ? summariseOcclusion(occR) : null, candidate: occC.length ? summariseOcclusion(occC) : null };
  const occlusionHist = { reference: occR.length ? histogram(occR.map((o) => o.occludedFraction)) : null, candidate: occC.length ? histogram(occC.map((o) => o.occludedFraction)) : null };

  const info = (s: GapSet, imgs: unknown[], poses: unknown[], masks: unknown[]): SetInfo => ({ name: s.name, dir: s.dir, samples: s.samples.length, spectrumImages: imgs.length, poses: poses.length, masks: masks.length });
  const result: GapResult = {
    seed,
    direction: { reference: ref.name, candidate: cand.name, ratios: 'candidate ÷ reference', differences: '(candidate − reference) ÷ reference, %' },
    sets: { reference: info(ref, imgsR, pR, occR), candidate: info(cand, imgsC, pC, occC) },
    spectrum: {
      size: sg.size, nativeSize: { reference: sg.real.nativeSize, candidate: sg.synthetic.nativeSize }, resampling: sg.resampling,
      raw: sg.before, contrastNormalized: sg.contrastNormalized, meanVarianceRatio: sg.before.scalar,
      profiles: { frequency: sg.profiles.frequency, variance: { reference: sg.profiles.real, candidate: sg.profiles.synthetic } },
    },
    realism, pose, skeleton, occlusion, occlusionHist,
  };
  writeJsonAtomic(path.join(out, 'gap.json'), result, 1);

  // figures (reference first, in the first colour)
  const names = [ref.name, cand.name];
  const figs: Record<string, PlotlyFigure> = {
    'spectrum-variance': lineFig('Variance of the luminance amplitude across images', sg.profiles.frequency.slice(1), [sg.profiles.real.slice(1), sg.profiles.synthetic.slice(1)], names, 'radial frequency (cycles/pixel; Nyquist 0.5, beyond it the corner)', 'variance of |F|', true),
  };
  if (pose && skeleton) {
    figs['pose-nearest'] = {
      data: [{ type: 'histogram', x: pose.nearestCandidateToReference, nbinsx: 30, marker: { color: COLORS[1] }, name: `${cand.name} → nearest ${ref.name}` }],
      layout: { title: { text: `Pose distance: each ${cand.name} pose to its nearest ${ref.name} pose` }, xaxis: { title: { text: 'PA distance at 90 mm palm (mm)' } }, yaxis: { title: { text: 'poses' } }, width: 640, height: 400, template: 'simple_white' },
    };
    figs['skeleton-bones'] = {
      data: [
        ...[skeleton.reference, skeleton.candidate].map((sk, i) => ({ type: 'bar', x: sk.bones, y: sk.meanRatio, name: names[i], marker: { color: COLORS[i] } })),
        { type: 'scatter', mode: 'markers', x: skeleton.reference.bones, y: skeleton.offset.perBonePct, yaxis: 'y2', name: `offset (${cand.name} − ${ref.name}) ÷ ${ref.name}, %`, marker: { color: '#333', symbol: 'diamond' } },
      ],
      layout: { title: { text: 'Bone length ÷ palm length (skeleton definition)' }, barmode: 'group', xaxis: { tickangle: -60 }, yaxis: { title: { text: 'ratio' } },
        yaxis2: { title: { text: `offset, % (negative: shorter in ${cand.name})` }, overlaying: 'y', side: 'right', zeroline: true }, width: 900, height: 450, template: 'simple_white', margin: { b: 150 } },
    };
  }
  if (occlusionHist.reference || occlusionHist.candidate) {
    figs['occlusion-hist'] = {
      data: [occlusionHist.reference, occlusionHist.candidate].flatMap((h, i) => (h ? [{ type: 'bar', x: h.map((bin) => (bin.lo + bin.hi) / 2), y: h.map((bin) => bin.count), name: names[i], marker: { color: COLORS[i] } }] : [])),
      layout: { title: { text: 'Occluded fraction of the hand' }, barmode: 'group', xaxis: { title: { text: 'occluded fraction' } }, yaxis: { title: { text: 'samples' } }, width: 640, height: 400, template: 'simple_white' },
    };
  }
  const pngs: Record<string, string> = {};
  for (const [name, fig] of Object.entries(figs)) writeJsonAtomic(path.join(figDir, `${name}.json`), fig);
  if (opts.png ?? true) {
    await exportFigures(Object.entries(figs).map(([name, fig]) => ({ fig: fig as never, base: path.join(figDir, name), formats: ['png', 'svg'] })));
    for (const name of Object.keys(figs)) pngs[name] = `figures/${name}.png`;
  }

  const md = renderMarkdown(result, pngs);
  writeFileAtomic(path.join(out, 'report.md'), md);
  writeFileAtomic(path.join(out, 'report.html'), renderHtml(md, figs, out));
  return result;
}

/** One line a reader can quote: mean |offset| and the largest signed offsets, in words. */
export function skeletonSummary(r: Pick<GapResult, 'direction' | 'skeleton'>, count = 3): string | null {
  if (!r.skeleton) return null;
  const names = { reference: r.direction.reference, candidate: r.direction.candidate };
  return `mean |bone-length offset| ${f(r.skeleton.offset.meanAbsPct, 1)}% (${names.candidate} vs ${names.reference}); largest: ${r.skeleton.offset.largest.slice(0, count).map((o) => describeBoneOffset(o, names)).join(', ')}`;
}

/** Whether a comparison's interval lies below 1, above 1 or across it, in words. */
function spectrumVerdict(c: SpectrumComparison, reference: string, candidate: string): string {
  if (c.interval && c.interval[1] < 1) return `${candidate} has LESS amplitude variance than ${reference}, as the study found for synthetic vs real`;
  if (c.interval && c.interval[0] > 1) return `${candidate} has MORE amplitude variance than ${reference}, the opposite of the study's finding`;
  return `no significant difference between ${candidate} and ${reference}${c.interval ? '' : ' (no interval)'}`;
}

const withInterval = (c: { scalar: number; interval: [number, number] | null }) => `${f(c.scalar, 3)}${c.interval ? ` [95% ${f(c.interval[0], 3)}, ${f(c.interval[1], 3)}]` : ''}`;

/** The spectrum verdict in words (ratios candidate ÷ reference, raw and contrast-normalised, with intervals). */
export function spectrumSummary(r: Pick<GapResult, 'direction' | 'spectrum'>): string {
  const { reference, candidate } = r.direction, sp = r.spectrum;
  return `amplitude variance ratio ${candidate} ÷ ${reference} (both resampled from ${sp.nativeSize.reference} and ${sp.nativeSize.candidate} px to ${sp.size}): raw ${withInterval(sp.raw)} (${spectrumVerdict(sp.raw, reference, candidate)}); by band ${Object.entries(sp.raw.bands).map(([k, b]) => `${k} ${withInterval(b)}`).join(', ')}; contrast-normalised ${withInterval(sp.contrastNormalized)} (${spectrumVerdict(sp.contrastNormalized, reference, candidate)})`;
}

/** The realism probe side by side in one line. */
export function realismSummary(r: Pick<GapResult, 'direction' | 'realism'>): string | null {
  if (!r.realism) return null;
  const line = (x: RealismSummary) => `detected ${f(100 * x.detectionRate, 0)}%, 2D error ${f(100 * x.meanError, 1)}% of the hand box (median ${f(100 * x.medianError, 1)}%), PCK@${x.threshold} ${f(100 * x.pck, 0)}%`;
  return `realism probe: ${r.direction.reference} ${line(r.realism.reference)}; ${r.direction.candidate} ${line(r.realism.candidate)}`;
}

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');

function renderMarkdown(r: GapResult, pngs: Record<string, string>): string {
  const A = r.direction.reference, B = r.direction.candidate, R = r.sets.reference, C = r.sets.candidate;
  const fig = (name: string) => (pngs[name] ? `\n![${name}](${pngs[name]})\n` : `\n(figure: figures/${name}.json)\n`);
  const setTable: Table = { columns: ['', `${A} (reference)`, `${B} (candidate)`], rows: [['folder', R.dir, C.dir], ['samples', R.samples, C.samples], ['images in spectrum', R.spectrumImages, C.spectrumImages], ['poses in pose distance', R.poses, C.poses], ['label masks', R.masks, C.masks]] };
  const sp = r.spectrum;
  const bandRow = (name: string, pick: (c: SpectrumComparison) => { scalar: number; interval: [number, number] | null }) => [name, withInterval(pick(sp.raw)), withInterval(pick(sp.contrastNormalized))];
  const specTable: Table = { columns: [`variance ratio ${B} ÷ ${A}`, 'raw', 'contrast-normalised'], rows: [
    bandRow('all bins up to Nyquist', (c) => c),
    ...Object.entries(sp.raw.bands).map(([k, b]) => bandRow(`${k} (${b.range[0]}–${b.range[1]} cycles/px${k === 'corner' ? ', beyond Nyquist' : ''})`, (c) => c.bands[k])),
  ] };
  const rz = r.realism;
  const probeSection = rz ? (() => {
    const pct = (v: number) => f(100 * v, 1), iv = (x: [number, number]) => `[${pct(x[0])}, ${pct(x[1])}]`;
    const row = (name: string, get: (x: RealismSummary) => string) => [name, get(rz.reference), get(rz.candidate)];
    const t: Table = { columns: ['realism probe', `${A} (reference)`, `${B} (candidate)`], rows: [
      row('images (seeded subsample)', (x) => String(x.images)),
      row('hand detected (%)', (x) => `${pct(x.detectionRate)} ${iv(x.intervals.detectionRate)}`),
      row('2D error, mean (% of the hand box)', (x) => `${pct(x.meanError)} ${iv(x.intervals.meanError)}`),
      row('2D error, median (% of the hand box)', (x) => pct(x.medianError)),
      row(`PCK@${rz.reference.threshold} of detected hands (%)`, (x) => `${pct(x.pck)} ${iv(x.intervals.pck)}`),
      row(`PCK@${rz.reference.threshold}, a missed hand as 21 misses (%)`, (x) => pct(x.pckAll)),
    ] };
    return `A hand-landmark model trained on real photos (${rz.reference.model}; weights from its npm package, run offline) looks for a hand in each image; its 21 landmarks (mapped to FreiHAND order) are compared with the set's own projected labels, errors as a fraction of the labelled hand's box size. Renders that a real-trained model does not see as hands are not realistic enough for a domain-gap study. 95% bootstrap intervals over images, seed ${rz.reference.seed}.\n\n` + toMarkdown(t);
  })() : '\nSkipped (a set has no 3D labels, or --probe 0).\n';
  const p = r.pose;
  const sk = r.skeleton;
  const poseSection = p ? (() => { const poseTable: Table = { columns: ['measure (mm at 90 mm palm)', 'value'], rows: [
    [`mean distance ${B} → nearest ${A}`, p.meanNearestCandidateToReferenceMm], [`median distance ${B} → nearest ${A}`, p.medianNearestCandidateToReferenceMm], [`mean distance ${A} → nearest ${B}`, p.meanNearestReferenceToCandidateMm],
    [`spread of ${A} (nearest other member)`, p.spreadReferenceMm], [`spread of ${B} (nearest other member)`, p.spreadCandidateMm],
    ...p.coverageOfCandidate.map((c) => [`${B} covered by ${A} within ${c.thresholdMm} mm (%)`, 100 * c.fraction] as [string, number]),
    ...p.coverageOfReference.map((c) => [`${A} covered by ${B} within ${c.thresholdMm} mm (%)`, 100 * c.fraction] as [string, number]),
  ] }; return toMarkdown(poseTable, 1) + '\nThese distances include any skeleton-definition offset (section 3): two sets with identical articulation but different joint definitions are not at distance 0.\n' + fig('pose-nearest'); })() : '\nSkipped: one of the sets has no 3D labels.\n';
  const skSection = sk ? (() => { const skTable: Table = { columns: ['bone', `${A} median (mm)`, `${B} median (mm)`, `median ${B} ÷ ${A}`, `${A} ÷ palm`, `${B} ÷ palm`, `offset (${B} − ${A}) ÷ ${A} (%)`], rows: sk.reference.bones.map((bn, i) => [bn, sk.reference.medianLengthMm[i], sk.candidate.medianLengthMm[i], sk.proportions.boneRatio[i], sk.reference.meanRatio[i], sk.candidate.meanRatio[i], sk.offset.perBonePct[i]]) };
    const pr = sk.proportions, outside = pr.boneRatio.filter((x) => Math.abs(x - 1) > 0.1).length;
    const propLine = `Median bone length ${B} ÷ ${A}: ${f(Math.min(...pr.boneRatio))} … ${f(Math.max(...pr.boneRatio))} (${outside} of ${pr.boneRatio.length} bones outside ±10 %). **Proportions-only PA-MPJPE floor: ${f(pr.floorMm)} mm** (median ${f(pr.floorMedianMm)} mm): every ${A} pose rebuilt with ${B}'s median bone proportions and scored against itself, i.e. what a predictor with perfect articulation but ${B}'s joint definition loses on ${A}.\n\n`;
    return propLine + `Bone lengths divided by the palm length do not depend on pose or hand size, so systematic differences point to different joint definitions (e.g. NIMBLE vs MANO knuckles; the study saw +25% PA-MPJPE from such a mismatch). Palm: ${A} ${f(sk.reference.palmMm.mean, 1)} ± ${f(sk.reference.palmMm.std, 1)} mm, ${B} ${f(sk.candidate.palmMm.mean, 1)} ± ${f(sk.candidate.palmMm.std, 1)} mm. Offsets are (${B} − ${A}) ÷ ${A}: negative means the bone is shorter in ${B}. ${skeletonSummary(r)}.\n\n` + toMarkdown(skTable, 3) + fig('skeleton-bones'); })() : '\nSkipped: one of the sets has no 3D labels.\n';
  const occRow = (o: Occlusion) => (o ? [f(100 * o.meanOccludedFraction, 1), f(100 * o.samplesWithOccludedJoint, 1), o.levels.map((l) => `${l.level}: ${l.count}`).join('; ')] : ['–', '–', 'no label masks']);
  const occTable: Table = { columns: ['set', 'mean occluded fraction of hand (%)', 'samples with an occluded joint (%)', 'occlusion levels'], rows: [[A, ...occRow(r.occlusion.reference)], [B, ...occRow(r.occlusion.candidate)]] };

  return [
    `# Domain gap report: ${B} against the reference ${A}`, '',
    `Seed ${r.seed} (subsampling). Generated by \`handgap gap\`. All numbers are in gap.json. Direction: ${A} is the reference, ${B} the candidate; ratios are ${B} ÷ ${A}, offsets (${B} − ${A}) ÷ ${A}.`, '',
    toMarkdown(setTable),
    '## 1. Amplitude spectrum', '',
    `Like for like: ${A} (${sp.nativeSize.reference} px) and ${B} (${sp.nativeSize.candidate} px) images are both resampled to ${sp.size}×${sp.size} by the same bicubic resize${sp.resampling.note ? ` (${sp.resampling.note})` : ''}; per-frequency variance of the luminance amplitude |F| across images, its ratio per radial bin, geometric means per band (bins up to Nyquist; the diagonal corner beyond it apart), raw and after per-image contrast normalisation, with 95% bootstrap intervals over images. The study found synthetic images have smaller variance over the whole spectrum. Raw: **${withInterval(sp.raw)}** — ${spectrumVerdict(sp.raw, A, B)}; contrast-normalised: **${withInterval(sp.contrastNormalized)}** — ${spectrumVerdict(sp.contrastNormalized, A, B)}.`, '',
    toMarkdown(specTable), fig('spectrum-variance'),
    '## 2. Pose distribution', '',
    'Articulation only: each pose is scaled to a 90 mm palm (wrist → middle MCP) and Procrustes-aligned (rotation, translation, scale, reflection: left and right hands compare by articulation) to the pose it is compared with; distances are mean per-joint distances in mm.', '',
    poseSection,
    '## 3. Skeleton definition', '',
    skSection,
    '## 4. Occlusion', '',
    'From label masks (0 background, 1 hand, 2 forearm, 3 object): occluded fraction = object pixels over the (estimated amodal) hand; a joint is occluded when its projection lands on an object pixel.', '',
    toMarkdown(occTable), ...(r.occlusionHist.reference || r.occlusionHist.candidate ? [fig('occlusion-hist')] : []), '',
    '## 5. Realism probe', '',
    probeSection, '',
  ].join('\n');
}

function renderHtml(md: string, figs: Record<string, PlotlyFigure>, out: string): string {
  // plotly is loaded from the installed package (relative path); the markdown is shown as preformatted text
  // plotly is loaded from the installed package by relative path (the report is for this machine)
  let plotly = '';
  try { plotly = path.relative(out, createRequire(import.meta.url).resolve('plotly.js-dist')); } catch { plotly = 'plotly.js'; }
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const divs = Object.keys(figs).map((n) => `<div id="fig-${n}"></div>`).join('\n');
  const scripts = Object.entries(figs).map(([n, fg]) => `Plotly.newPlot('fig-${n}', ${JSON.stringify(fg.data)}, ${JSON.stringify(fg.layout)});`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>handgap gap report</title><script src="${plotly}"></script>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}pre{white-space:pre-wrap;font-size:13px}</style></head><body>
<pre>${esc(md)}</pre>
${divs}
<script>${scripts}</script></body></html>\n`;
}
