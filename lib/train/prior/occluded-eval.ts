/**
 * Scoring of occluded-joint fills on real test images (pure math; no tf, no IO). Every frame has prior
 * vectors (poses.ts: root-relative, metres, right-hand frame) for the truth and for an estimate, a mask of the
 * joints truly occluded (under the pasted occluder) and, per method, the joints the method replaced. The
 * error is taken on the truly occluded joints only, per frame (mean over that frame's occluded joints), then
 * averaged over frames with a bootstrap 95% interval over frames.
 */
import { D, NJ } from './poses.ts';
import { alignWithScale } from '../../metrics/procrustes.ts';
import { bootstrapInterval95, type Interval } from '../../metrics/baselines.ts';
import { median } from '../../metrics/numeric.ts';

/** Per joint 1 = kept, 0 = replaced by the fill: joints 1..20 whose confidence is below ratio × the frame's median. */
export function lowConfidenceVisibility(confidence: ArrayLike<number>, ratio: number): Uint8Array {
  const m = median(confidence);
  const vis = new Uint8Array(NJ).fill(1);
  for (let j = 1; j < NJ; j++) if (confidence[j] < ratio * m) vis[j] = 0;
  return vis;
}

export type ErrorFrame = 'root-relative' | 'pa-aligned';

/**
 * Per-frame mean error (metres) over the truly occluded joints (occluded[i·21+j] = 0). 'root-relative': the
 * prior vectors as they are (wrist at the origin); 'pa-aligned': the whole 21-joint estimate first aligned to
 * the truth by a similarity transform (PA-MPJPE's alignment), then the occluded joints measured.
 * Frames without an occluded joint give NaN.
 */
export function occludedErrorsPerFrame(truth: Float32Array, estimate: Float32Array, occluded: Uint8Array, frame: ErrorFrame): number[] {
  const n = truth.length / D, out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Float64Array.from(truth.subarray(i * D, i * D + D));
    let e: ArrayLike<number> = Float64Array.from(estimate.subarray(i * D, i * D + D));
    if (frame === 'pa-aligned') e = alignWithScale(t, e as Float64Array);
    let sum = 0, k = 0;
    for (let j = 0; j < NJ; j++) {
      if (occluded[i * NJ + j]) continue;
      sum += Math.hypot(t[j * 3] - e[j * 3], t[j * 3 + 1] - e[j * 3 + 1], t[j * 3 + 2] - e[j * 3 + 2]);
      k++;
    }
    out.push(k ? sum / k : NaN);
  }
  return out;
}

export interface MethodScore {
  /** mean over frames of the per-frame occluded-joint error, mm, with a bootstrap 95% interval over frames */
  mm: Interval;
  /** this method − each reference method, per frame, mm (negative = better), bootstrap 95% interval */
  minusMm: Record<string, Interval>;
}

/**
 * Score methods (name → estimate prior vectors) on the truly occluded joints of frames with at least one;
 * `references` name the methods the paired differences are taken against.
 */
export function scoreFills(truth: Float32Array, occluded: Uint8Array, methods: Record<string, Float32Array>, frame: ErrorFrame, opts: { references?: string[]; seed: number; replicates?: number }): Record<string, MethodScore> {
  const per = Object.fromEntries(Object.entries(methods).map(([k, est]) => [k, occludedErrorsPerFrame(truth, est, occluded, frame)]));
  const keep = Object.values(per)[0].map((v, i) => (Number.isNaN(v) ? -1 : i)).filter((i) => i >= 0);
  // per method: the kept frames' errors in mm, once
  const mm = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, keep.map((i) => v[i] * 1000)]));
  const boot = (v: number[]) => bootstrapInterval95(v, { seed: opts.seed, replicates: opts.replicates });
  const out: Record<string, MethodScore> = {};
  for (const k of Object.keys(per)) {
    out[k] = { mm: boot(mm[k]), minusMm: {} };
    for (const r of opts.references ?? []) {
      if (r === k || !mm[r]) continue;
      out[k].minusMm[r] = boot(mm[k].map((x, i) => x - mm[r][i]));
    }
  }
  return out;
}

/** Number of occluded joints (occluded = 0) over all frames. */
export function countOccluded(occluded: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < occluded.length; i++) if (!occluded[i]) n++;
  return n;
}

/** Markdown rows: variant, error frame, method, mean mm [95% interval], difference to the mean-pose fill. */
export function formatFillTable(variants: Record<string, { scores: Record<string, Record<string, MethodScore>> }>): string {
  const lines = ['| variant | error | method | occluded-joint error (mm) [95% CI] | − mean-pose fill (mm) [95% CI] |', '| --- | --- | --- | --- | --- |'];
  const iv = (x: Interval) => `${x.mean.toFixed(1)} [${x.low.toFixed(1)}, ${x.high.toFixed(1)}]`;
  for (const [name, v] of Object.entries(variants)) for (const [frame, methods] of Object.entries(v.scores)) for (const [m, s] of Object.entries(methods)) {
    lines.push(`| ${name} | ${frame} | ${m} | ${iv(s.mm)} | ${s.minusMm.meanPoseFill ? iv(s.minusMm.meanPoseFill) : '—'} |`);
  }
  return lines.join('\n');
}
