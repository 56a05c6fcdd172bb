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
import { LogAmplitudeStats, skeletonStats, skeletonOffset, describeBoneOffset, proportionsGap, poseDistance, subsample, type PoseDistanceStats, type SkeletonStats, type SkeletonOffset } from './gap.ts';
import { occlusionFromLabels, occludedFractionFromMeta, projectJoints, summariseOcclusion, histogram, type OcclusionSample } from './occlusion.ts';
import { toMarkdown, type Table } from './tables.ts';

export interface GapSet { name: string; dir: string; samples: HandSample[] }

export interface GapOptions {
  out: string;
  seed?: number;
  /** images per set for the spectrum (subsampled with the seed) */
  maxImages?: number;
  /** poses per set for the pose distance (O(nReference·nCandidate) Procrustes fits) */
  maxPoses?: number;
  /** images are resized to size×size gray for the spectrum */
  size?: number;
  /** export PNG (2×) and SVG of every figure through lib/plot (headless chromium); default true */
  png?: boolean;
}

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
  spectrum: { size: number; r: number[]; meanLogAmp: PerSet<number[]>; varLogAmp: PerSet<number[]>; varianceRatio: number[]; meanVarianceRatio: number };
  /** null when a set has no 3D labels */
  pose: PoseDistanceStats | null;
  /** proportions: median bone length candidate ÷ reference per bone and the proportions-only PA-MPJPE floor */
  skeleton: (PerSet<SkeletonStats> & { offset: SkeletonOffset; proportions: ReturnType<typeof proportionsGap> }) | null;
  occlusion: PerSet<Occlusion>;
  occlusionHist: PerSet<OcclusionHist>;
}

async function spectrumOf(set: GapSet, samples: HandSample[], size: number): Promise<LogAmplitudeStats> {
  const st = new LogAmplitudeStats(size, size);
  const prog = new Progress({ label: `spectrum ${set.name}`, total: samples.length, unit: 'img' });
  for (const s of samples) {
    const img = await readImage(s.imagePath, { gray: true, width: size, height: size });
    st.add(Float64Array.from(img.data, (v) => v / 255));
    prog.tick();
  }
  prog.finish();
  return st;
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
  const seed = opts.seed ?? 0, size = opts.size ?? 128, maxImages = opts.maxImages ?? 200, maxPoses = opts.maxPoses ?? 300;
  const out = ensureDir(opts.out);
  const figDir = ensureDir(path.join(out, 'figures'));
  const ref = reference, cand = candidate;

  // 1. amplitude spectrum
  const imgsR = subsample(ref.samples, maxImages, seed, `${ref.name}-images`), imgsC = subsample(cand.samples, maxImages, seed, `${cand.name}-images`);
  const [sr, sc] = [await spectrumOf(ref, imgsR, size), await spectrumOf(cand, imgsC, size)];
  const rr = sr.radial(), rc = sc.radial();
  const varianceRatio = rc.varLogAmp.map((v, i) => v / rr.varLogAmp[i]);

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
    spectrum: { size, r: rr.r, meanLogAmp: { reference: rr.meanLogAmp, candidate: rc.meanLogAmp }, varLogAmp: { reference: rr.varLogAmp, candidate: rc.varLogAmp }, varianceRatio, meanVarianceRatio: varianceRatio.reduce((s, v) => s + v, 0) / varianceRatio.length },
    pose, skeleton, occlusion, occlusionHist,
  };
  writeJsonAtomic(path.join(out, 'gap.json'), result, 1);

  // figures (reference first, in the first colour)
  const names = [ref.name, cand.name];
  const figs: Record<string, PlotlyFigure> = {
    'spectrum-mean': lineFig('Mean log-amplitude by frequency', rr.r, [rr.meanLogAmp, rc.meanLogAmp], names, 'radial frequency (fraction of Nyquist)', 'mean log(1+|F|)'),
    'spectrum-variance': lineFig('Variance of log-amplitude across images', rr.r, [rr.varLogAmp, rc.varLogAmp], names, 'radial frequency (fraction of Nyquist)', 'variance of log(1+|F|)', true),
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
    const { exportFigures } = await import('../plot/export.ts');
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

/** The spectrum verdict in words (ratio candidate ÷ reference). */
export function spectrumSummary(r: Pick<GapResult, 'direction' | 'spectrum'>): string {
  const { reference, candidate } = r.direction;
  return `amplitude variance ratio ${candidate} ÷ ${reference} ${f(r.spectrum.meanVarianceRatio, 3)} (${candidate} has ${r.spectrum.meanVarianceRatio < 1 ? 'LESS' : 'MORE'} amplitude variance than ${reference})`;
}

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');

function renderMarkdown(r: GapResult, pngs: Record<string, string>): string {
  const A = r.direction.reference, B = r.direction.candidate, R = r.sets.reference, C = r.sets.candidate;
  const fig = (name: string) => (pngs[name] ? `\n![${name}](${pngs[name]})\n` : `\n(figure: figures/${name}.json)\n`);
  const setTable: Table = { columns: ['', `${A} (reference)`, `${B} (candidate)`], rows: [['folder', R.dir, C.dir], ['samples', R.samples, C.samples], ['images in spectrum', R.spectrumImages, C.spectrumImages], ['poses in pose distance', R.poses, C.poses], ['label masks', R.masks, C.masks]] };
  const sp = r.spectrum;
  const specTable: Table = { columns: ['radial band (×Nyquist)', `var ${A}`, `var ${B}`, `ratio ${B} ÷ ${A}`], rows: sp.r.filter((_, i) => i % 3 === 0 || i === sp.r.length - 1).map((x) => { const i = sp.r.indexOf(x); return [x.toFixed(2), sp.varLogAmp.reference[i], sp.varLogAmp.candidate[i], sp.varianceRatio[i]]; }) };
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
    `Log-amplitude log(1+|F|) of the gray image resized to ${sp.size}×${sp.size} (values 0..1), per-frequency variance across images, averaged in radial bands. The study found synthetic images have smaller variance over the whole spectrum. Mean ${spectrumSummary(r)}.`, '',
    toMarkdown(specTable, 4), fig('spectrum-variance'), fig('spectrum-mean'),
    '## 2. Pose distribution', '',
    'Articulation only: each pose is scaled to a 90 mm palm (wrist → middle MCP) and Procrustes-aligned (rotation, translation, scale, reflection: left and right hands compare by articulation) to the pose it is compared with; distances are mean per-joint distances in mm.', '',
    poseSection,
    '## 3. Skeleton definition', '',
    skSection,
    '## 4. Occlusion', '',
    'From label masks (0 background, 1 hand, 2 forearm, 3 object): occluded fraction = object pixels over the (estimated amodal) hand; a joint is occluded when its projection lands on an object pixel.', '',
    toMarkdown(occTable), ...(r.occlusionHist.reference || r.occlusionHist.candidate ? [fig('occlusion-hist')] : []), '',
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
