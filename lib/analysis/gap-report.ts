/**
 * `handgap gap <setA> <setB>`: one report comparing two datasets on the study's four factors side by
 * side (IO: reads images and masks, writes gap.json, report.md, report.html and figure specs).
 *
 * Output folder:
 *   gap.json             every number in the report, plus the seed and the subsample sizes
 *   report.md            tables and conclusions; figures linked as PNG when an exporter is given
 *   report.html          the same, with interactive plotly figures
 *   figures/<name>.json  plain plotly figure objects ({ data, layout })
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { HandSample } from '../data/types.ts';
import { readImage } from '../image/io.ts';
import { labelsFromMask } from '../image/compose.ts';
import { writeFileAtomic, writeJsonAtomic, ensureDir } from '../util/fsx.ts';
import { Progress } from '../util/progress.ts';
import { LogAmplitudeStats, skeletonStats, skeletonOffset, proportionsGap, poseDistance, subsample, type PoseDistanceStats, type SkeletonStats } from './gap.ts';
import { occlusionFromLabels, occludedFractionFromMeta, projectJoints, summariseOcclusion, histogram, type OcclusionSample } from './occlusion.ts';
import { toMarkdown, type Table } from './tables.ts';

export interface GapSet { name: string; dir: string; samples: HandSample[] }

export interface GapOptions {
  out: string;
  seed?: number;
  /** images per set for the spectrum (subsampled with the seed) */
  maxImages?: number;
  /** poses per set for the pose distance (O(nA·nB) Procrustes fits) */
  maxPoses?: number;
  /** images are resized to size×size gray for the spectrum */
  size?: number;
  /** export PNG (2×) and SVG of every figure through lib/plot (headless chromium); default true */
  png?: boolean;
}

export interface PlotlyFigure { data: Record<string, unknown>[]; layout: Record<string, unknown> }

export interface GapResult {
  seed: number;
  sets: { name: string; dir: string; samples: number; spectrumImages: number; poses: number; masks: number }[];
  spectrum: { size: number; r: number[]; meanLogAmp: [number[], number[]]; varLogAmp: [number[], number[]]; varianceRatioBtoA: number[]; meanVarianceRatioBtoA: number };
  /** null when a set has no 3D labels */
  pose: PoseDistanceStats | null;
  skeleton: { a: SkeletonStats; b: SkeletonStats; offset: ReturnType<typeof skeletonOffset>; proportions: ReturnType<typeof proportionsGap> } | null;
  occlusion: [ReturnType<typeof summariseOcclusion> | null, ReturnType<typeof summariseOcclusion> | null];
  occlusionHist: [ReturnType<typeof histogram> | null, ReturnType<typeof histogram> | null];
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

export async function gapReport(a: GapSet, b: GapSet, opts: GapOptions): Promise<GapResult> {
  const seed = opts.seed ?? 0, size = opts.size ?? 128, maxImages = opts.maxImages ?? 200, maxPoses = opts.maxPoses ?? 300;
  const out = ensureDir(opts.out);
  const figDir = ensureDir(path.join(out, 'figures'));

  // 1. amplitude spectrum
  const imgsA = subsample(a.samples, maxImages, seed, `${a.name}-images`), imgsB = subsample(b.samples, maxImages, seed, `${b.name}-images`);
  const [sa, sb] = [await spectrumOf(a, imgsA, size), await spectrumOf(b, imgsB, size)];
  const ra = sa.radial(16), rb = sb.radial(16);
  const varianceRatio = rb.varLogAmp.map((v, i) => v / ra.varLogAmp[i]);

  // 2. pose distribution and 3. skeleton definition
  const posesA = a.samples.filter((s) => s.xyz).map((s) => s.xyz!), posesB = b.samples.filter((s) => s.xyz).map((s) => s.xyz!);
  const pA = subsample(posesA, maxPoses, seed, `${a.name}-poses`), pB = subsample(posesB, maxPoses, seed, `${b.name}-poses`);
  const labelled = pA.length > 0 && pB.length > 0;
  if (labelled) process.stderr.write(`pose distance: ${pA.length}×${pB.length} Procrustes fits\n`);
  else process.stderr.write(`pose and skeleton sections skipped: ${posesA.length ? b.name : a.name} has no 3D labels\n`);
  const pose = labelled ? poseDistance(pA, pB) : null;
  const skeleton = labelled ? (() => { const skA = skeletonStats(posesA), skB = skeletonStats(posesB); return { a: skA, b: skB, offset: skeletonOffset(skA, skB), proportions: proportionsGap(posesA, skB, skA) }; })() : null;

  // 4. occlusion (only for sets with label masks)
  const occA = await occlusionOf(a.samples), occB = await occlusionOf(b.samples);
  const occ: GapResult['occlusion'] = [occA.length ? summariseOcclusion(occA) : null, occB.length ? summariseOcclusion(occB) : null];
  const occHist: GapResult['occlusionHist'] = [occA.length ? histogram(occA.map((o) => o.occludedFraction)) : null, occB.length ? histogram(occB.map((o) => o.occludedFraction)) : null];

  const result: GapResult = {
    seed,
    sets: [[a, imgsA, pA, occA], [b, imgsB, pB, occB]].map(([s, im, p, o]) => ({ name: (s as GapSet).name, dir: (s as GapSet).dir, samples: (s as GapSet).samples.length, spectrumImages: (im as unknown[]).length, poses: (p as unknown[]).length, masks: (o as unknown[]).length })),
    spectrum: { size, r: ra.r, meanLogAmp: [ra.meanLogAmp, rb.meanLogAmp], varLogAmp: [ra.varLogAmp, rb.varLogAmp], varianceRatioBtoA: varianceRatio, meanVarianceRatioBtoA: varianceRatio.reduce((s, v) => s + v, 0) / varianceRatio.length },
    pose, skeleton, occlusion: occ, occlusionHist: occHist,
  };
  writeJsonAtomic(path.join(out, 'gap.json'), result, 1);

  // figures
  const names = [a.name, b.name];
  const figs: Record<string, PlotlyFigure> = {
    'spectrum-mean': lineFig('Mean log-amplitude by frequency', ra.r, [ra.meanLogAmp, rb.meanLogAmp], names, 'radial frequency (fraction of Nyquist)', 'mean log(1+|F|)'),
    'spectrum-variance': lineFig('Variance of log-amplitude across images', ra.r, [ra.varLogAmp, rb.varLogAmp], names, 'radial frequency (fraction of Nyquist)', 'variance of log(1+|F|)', true),
  };
  if (pose && skeleton) {
    figs['pose-nearest'] = {
      data: [{ type: 'histogram', x: pose.nearestBtoA, nbinsx: 30, marker: { color: COLORS[1] }, name: `${b.name} → nearest ${a.name}` }],
      layout: { title: { text: `Pose distance: each ${b.name} pose to its nearest ${a.name} pose` }, xaxis: { title: { text: 'PA distance at 90 mm palm (mm)' } }, yaxis: { title: { text: 'poses' } }, width: 640, height: 400, template: 'simple_white' },
    };
    figs['skeleton-bones'] = {
      data: [0, 1].map((i) => ({ type: 'bar', x: skeleton.a.bones, y: (i ? skeleton.b : skeleton.a).meanRatio, name: names[i], marker: { color: COLORS[i] } })),
      layout: { title: { text: 'Bone length ÷ palm length (skeleton definition)' }, barmode: 'group', xaxis: { tickangle: -60 }, yaxis: { title: { text: 'ratio' } }, width: 900, height: 450, template: 'simple_white', margin: { b: 150 } },
    };
  }
  if (occHist[0] || occHist[1]) {
    figs['occlusion-hist'] = {
      data: occHist.flatMap((h, i) => (h ? [{ type: 'bar', x: h.map((bin) => (bin.lo + bin.hi) / 2), y: h.map((bin) => bin.count), name: names[i], marker: { color: COLORS[i] } }] : [])),
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

  const md = renderMarkdown(result, names, pngs);
  writeFileAtomic(path.join(out, 'report.md'), md);
  writeFileAtomic(path.join(out, 'report.html'), renderHtml(md, figs, out));
  return result;
}

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');

function renderMarkdown(r: GapResult, names: string[], pngs: Record<string, string>): string {
  const [A, B] = names;
  const fig = (name: string) => (pngs[name] ? `\n![${name}](${pngs[name]})\n` : `\n(figure: figures/${name}.json)\n`);
  const setTable: Table = { columns: ['', A, B], rows: [['folder', r.sets[0].dir, r.sets[1].dir], ['samples', r.sets[0].samples, r.sets[1].samples], ['images in spectrum', r.sets[0].spectrumImages, r.sets[1].spectrumImages], ['poses in pose distance', r.sets[0].poses, r.sets[1].poses], ['label masks', r.sets[0].masks, r.sets[1].masks]] };
  const specTable: Table = { columns: ['radial band (×Nyquist)', `var ${A}`, `var ${B}`, `${B} ÷ ${A}`], rows: r.spectrum.r.filter((_, i) => i % 3 === 0 || i === r.spectrum.r.length - 1).map((x) => { const i = r.spectrum.r.indexOf(x); return [x.toFixed(2), r.spectrum.varLogAmp[0][i], r.spectrum.varLogAmp[1][i], r.spectrum.varianceRatioBtoA[i]]; }) };
  const p = r.pose;
  const sk = r.skeleton;
  const poseSection = p ? (() => { const poseTable: Table = { columns: ['measure (mm at 90 mm palm)', 'value'], rows: [
    [`mean distance ${B} → nearest ${A}`, p.meanNearestBtoAMm], [`median distance ${B} → nearest ${A}`, p.medianNearestBtoAMm], [`mean distance ${A} → nearest ${B}`, p.meanNearestAtoBMm],
    [`spread of ${A} (nearest other member)`, p.spreadAMm], [`spread of ${B} (nearest other member)`, p.spreadBMm],
    ...p.coverageOfB.map((c) => [`${B} covered by ${A} within ${c.thresholdMm} mm (%)`, 100 * c.fraction] as [string, number]),
    ...p.coverageOfA.map((c) => [`${A} covered by ${B} within ${c.thresholdMm} mm (%)`, 100 * c.fraction] as [string, number]),
  ] }; return toMarkdown(poseTable, 1) + '\nThese distances include any skeleton-definition offset (section 3): two sets with identical articulation but different joint definitions are not at distance 0.\n' + fig('pose-nearest'); })() : '\nSkipped: one of the sets has no 3D labels.\n';
  const skSection = sk ? (() => { const skTable: Table = { columns: ['bone', `${A} median (mm)`, `${B} median (mm)`, `median ${B} ÷ ${A}`, `${A} ÷ palm`, `${B} ÷ palm`, 'difference (%)'], rows: sk.a.bones.map((bn, i) => [bn, sk.a.medianLengthMm[i], sk.b.medianLengthMm[i], sk.proportions.boneRatio[i], sk.a.meanRatio[i], sk.b.meanRatio[i], sk.offset.perBonePct[i]]) };
    const pr = sk.proportions, outside = pr.boneRatio.filter((x) => Math.abs(x - 1) > 0.1).length;
    const propLine = `Median bone length ${B} ÷ ${A}: ${f(Math.min(...pr.boneRatio))} … ${f(Math.max(...pr.boneRatio))} (${outside} of ${pr.boneRatio.length} bones outside ±10 %). **Proportions-only PA-MPJPE floor: ${f(pr.floorMm)} mm** (median ${f(pr.floorMedianMm)} mm): every ${A} pose rebuilt with ${B}'s median bone proportions and scored against itself, i.e. what a predictor with perfect articulation but ${B}'s joint definition loses on ${A}.\n\n`;
    return propLine + `Bone lengths divided by the palm length do not depend on pose or hand size, so systematic differences point to different joint definitions (e.g. NIMBLE vs MANO knuckles; the study saw +25% PA-MPJPE from such a mismatch). Palm: ${A} ${f(sk.a.palmMm.mean, 1)} ± ${f(sk.a.palmMm.std, 1)} mm, ${B} ${f(sk.b.palmMm.mean, 1)} ± ${f(sk.b.palmMm.std, 1)} mm. Mean absolute difference of normalised bone lengths: **${f(sk.offset.meanAbsPct, 1)}%**; largest: ${sk.offset.largest.map((l) => `${l.bone} ${l.pct > 0 ? '+' : ''}${f(l.pct, 1)}%`).join(', ')}.\n\n` + toMarkdown(skTable, 3) + fig('skeleton-bones'); })() : '\nSkipped: one of the sets has no 3D labels.\n';
  const occRow = (o: GapResult['occlusion'][number]) => (o ? [f(100 * o.meanOccludedFraction, 1), f(100 * o.samplesWithOccludedJoint, 1), o.levels.map((l) => `${l.level}: ${l.count}`).join('; ')] : ['–', '–', 'no label masks']);
  const occTable: Table = { columns: ['set', 'mean occluded fraction of hand (%)', 'samples with an occluded joint (%)', 'occlusion levels'], rows: [[A, ...occRow(r.occlusion[0])], [B, ...occRow(r.occlusion[1])]] };

  const varVerdict = r.spectrum.meanVarianceRatioBtoA < 1 ? `${B} has LESS amplitude variance than ${A}` : `${B} has MORE amplitude variance than ${A}`;
  return [
    `# Domain gap report: ${A} vs ${B}`, '',
    `Seed ${r.seed} (subsampling). Generated by \`handgap gap\`. All numbers are in gap.json.`, '',
    toMarkdown(setTable),
    '## 1. Amplitude spectrum', '',
    `Log-amplitude log(1+|F|) of the gray image resized to ${r.spectrum.size}×${r.spectrum.size} (values 0..1), per-frequency variance across images, averaged in radial bands. The study found synthetic images have smaller variance over the whole spectrum. Mean variance ratio ${B} ÷ ${A}: **${f(r.spectrum.meanVarianceRatioBtoA, 3)}** (${varVerdict}).`, '',
    toMarkdown(specTable, 4), fig('spectrum-variance'), fig('spectrum-mean'),
    '## 2. Pose distribution', '',
    'Articulation only: each pose is scaled to a 90 mm palm (wrist → middle MCP) and Procrustes-aligned (rotation, translation, scale, reflection: left and right hands compare by articulation) to the pose it is compared with; distances are mean per-joint distances in mm.', '',
    poseSection,
    '## 3. Skeleton definition', '',
    skSection,
    '## 4. Occlusion', '',
    'From label masks (0 background, 1 hand, 2 forearm, 3 object): occluded fraction = object pixels over the (estimated amodal) hand; a joint is occluded when its projection lands on an object pixel.', '',
    toMarkdown(occTable), ...(r.occlusionHist.some(Boolean) ? [fig('occlusion-hist')] : []), '',
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

export function listFigures(out: string): string[] { return fs.readdirSync(path.join(out, 'figures')); }
