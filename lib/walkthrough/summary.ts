/**
 * The walkthrough summary (pure): a stage table, our numbers beside the study's, what was skipped and
 * why, and where every output is. Units: cm for errors (the study's), % for ratios.
 */
import type { Table } from '../analysis/tables.ts';
import type { WalkthroughResult, StageOutcome } from './walkthrough.ts';
import { STUDY_ABLATION, STUDY_FINDINGS, STUDY_RATIO } from './study.ts';
import { FETCH_HINT } from './walkthrough.ts';
import { SWEEP_SCALE } from './walkthrough.ts';

type R = Record<string, unknown>;
const f = (x: unknown, d = 2): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '–');
const done = (res: WalkthroughResult, id: string): StageOutcome | undefined => res.stages.find((s) => s.id === id && s.status === 'done');
const why = (res: WalkthroughResult, id: string): string => { const s = res.stages.find((x) => x.id === id); return s ? `${s.status}: ${s.reason ?? ''}` : 'not run'; };

/** Rows: quantity, the study's value, ours, note. */
export function comparisonTable(res: WalkthroughResult): Table {
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
  const es = tr?.runs['eval-synthetic']?.result as R | undefined, er = tr?.runs['eval-real']?.result as R | undefined, em = tr?.runs['eval-mixed']?.result as R | undefined;
  const best = STUDY_RATIO[0];
  if (es) {
    rows.push(['PA-MPJPE trained on synthetic / real / mixed, tested on real (cm)', `S2HAND ${best.synCm} / ${best.realCm} / mixed better than real`, `${f(Number(es.paMpjpeMm) / 10)} / ${f(Number(er?.paMpjpeMm) / 10)} / ${f(Number(em?.paMpjpeMm) / 10)}`, `${es.n} held-out hgc-dev images (second half); real arm trained on the first half`]);
    // every score beside the constant-pose baseline and the best-match oracle on the same frames
    const base = (e: R | undefined, k: 'constantPose' | 'bestMatch') => f(Number((e?.[k] as R | undefined)?.paMpjpeMm) / 10);
    rows.push(['baselines on the same frames, synthetic / real / mixed training poses (cm): constant pose; best-match oracle', 'model below the constant pose', `${base(es, 'constantPose')} / ${base(er, 'constantPose')} / ${base(em, 'constantPose')}; ${base(es, 'bestMatch')} / ${base(er, 'bestMatch')} / ${base(em, 'bestMatch')}`, res.scale === 'smoke' ? 'plumbing check: no signal at this scale' : `95% bootstrap over frames in results.json; seed ${res.seed}`]);
    if (er) rows.push(['syn→real performance ratio (real ÷ synthetic PA-MPJPE, the study\'s %)', `${Math.min(...STUDY_RATIO.map((r) => r.ratioPct))}–${STUDY_FINDINGS.bestSynToRealPct}%`, `${f((100 * Number(er.paMpjpeMm)) / Number(es.paMpjpeMm), 0)}%`, `${tr?.runs['train-synthetic']?.result.model ?? ''} pose net, ${tr?.runs['train-synthetic']?.result.backend} backend`]);
  }
  else rows.push(['syn→real performance ratio (real ÷ synthetic PA-MPJPE, the study\'s %)', `${Math.min(...STUDY_RATIO.map((r) => r.ratioPct))}–${STUDY_FINDINGS.bestSynToRealPct}%`, '–', why(res, 'train')]);
  const ex = done(res, 'experiments');
  const sweepScale = SWEEP_SCALE[res.scale];
  const abl = ex?.runs['component-ablation']?.result as R | undefined;
  const ablRows = (abl?.rows as { vars: R; values: R | null }[] | undefined) ?? [];
  STUDY_ABLATION.forEach((s, i) => {
    const ours = ablRows.find((r) => r.vars.row === s.row);
    rows.push([`ablation ${s.row}: PA-MPJPE (cm)`, String(s.synFreiCm), ours?.values ? f(Number(ours.values.paMpjpeMm) / 10) : '–', ours ? `sweep at ${sweepScale} scale; hgc-dev test` : i === 0 ? why(res, 'experiments') : 'as above']);
  });
  const sat = ex?.runs['pose-fraction']?.result as R | undefined;
  const satRep = (sat?.saturation as { report: { reach: { fraction: number }[] } }[] | null | undefined)?.[0]?.report;
  rows.push(['pose fraction reaching 90% / 97% of full-pose performance', `${STUDY_FINDINGS.poseFractionFor90Pct} / ${STUDY_FINDINGS.poseFractionFor97Pct}`, satRep ? `${f(satRep.reach[0].fraction)} / ${f(satRep.reach[1].fraction)}` : '–', satRep ? `fitted saturation curve; sweep at ${sweepScale} scale` : 'as above']);
  return { columns: ['quantity', 'study', 'ours', 'note'], rows };
}

export function stageTable(res: WalkthroughResult): Table {
  return { columns: ['stage', 'status', 'seconds', 'runs executed', 'runs cached', 'note'], rows: res.stages.map((s) => [s.id, s.status, Number(s.seconds.toFixed(1)), s.executed, s.cached, (s.reason ?? '').split('\n')[0]]) };
}

export interface SummaryExtras { figures: string[]; figuresDir: string; tables: string[]; notebooks: { name: string; ok: boolean; file?: string }[] | null; seconds: number }

function md(t: Table): string {
  const esc = (c: unknown) => String(c ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${t.columns.join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

export function summaryMarkdown(res: WalkthroughResult, x: SummaryExtras): string {
  const skipped = res.stages.filter((s) => s.status !== 'done' || s.reason);
  const lines = [
    `# handgap walkthrough — ${res.scale} scale`,
    '',
    `Seed ${res.seed}; real data: ${res.real ?? 'not found'}; ${x.seconds.toFixed(0)} s in total (stages ${res.seconds.toFixed(0)} s).`,
    '',
    '## Our numbers beside the study\'s',
    '',
    md(comparisonTable(res)),
    '',
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
