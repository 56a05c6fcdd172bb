/**
 * Scoring a hand-landmark detector against 2D labels (pure). The detector's 21 landmarks (MediaPipe order: wrist,
 * then thumb CMC→tip, index MCP→tip, middle, ring, little) are mapped to FreiHAND's order (lib/hand JOINTS21:
 * wrist, then per finger from the base to the tip, thumb first); errors are in units of the labelled hand's box
 * size (the larger side of the bounding box of the 21 projected labels), so sets of different image sizes compare.
 */

/** FreiHAND joint j ← detector landmark MEDIAPIPE_TO_FREIHAND[j]. Both orders list wrist, thumb 4, index 4, middle 4, ring 4, little 4 from base to tip. */
export const MEDIAPIPE_TO_FREIHAND: readonly number[] = Array.from({ length: 21 }, (_, j) => j);

export interface Detection { score: number; /** 21 × [u, v] pixels, detector order */ keypoints: number[][] }

export interface ImageScore {
  detected: boolean;
  /** mean joint error ÷ hand box size (NaN when not detected) */ error: number;
  /** fraction of joints within threshold × box size (0 when not detected) */ pck: number;
  boxSize: number;
}

/** Larger side of the bounding box of 2D points (pixels). */
export function boxSize(uv: number[][]): number {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [u, v] of uv) { x0 = Math.min(x0, u); x1 = Math.max(x1, u); y0 = Math.min(y0, v); y1 = Math.max(y1, v); }
  return Math.max(x1 - x0, y1 - y0);
}

/** Reorder a detection's landmarks to FreiHAND order. */
export function toFreihandOrder(keypoints: number[][]): number[][] {
  if (keypoints.length !== 21) throw new RangeError(`a hand detection has ${keypoints.length} landmarks, expected 21`);
  return MEDIAPIPE_TO_FREIHAND.map((k) => [keypoints[k][0], keypoints[k][1]]);
}

/** Score one image: the most confident detection is compared with the labels (the choice never looks at them). */
export function scoreImage(labels: number[][], detections: Detection[], threshold = 0.1): ImageScore {
  const size = boxSize(labels);
  if (detections.length === 0 || !(size > 0)) return { detected: false, error: NaN, pck: 0, boxSize: size };
  const best = toFreihandOrder(detections.reduce((a, b) => (b.score > a.score ? b : a)).keypoints);
  const errs = labels.map((l, j) => Math.hypot(best[j][0] - l[0], best[j][1] - l[1]) / size);
  return { detected: true, error: errs.reduce((s, e) => s + e, 0) / errs.length, pck: errs.filter((e) => e <= threshold).length / errs.length, boxSize: size };
}

export interface ProbeSummary {
  images: number; detected: number; detectionRate: number;
  /** over detected images: mean and median of the per-image mean error (fraction of the hand box) */ meanError: number; medianError: number;
  /** PCK@threshold over the joints of detected images */ pck: number;
  /** PCK@threshold over all images, a missed hand counting as 21 misses */ pckAll: number;
  threshold: number;
  /** 95% percentile bootstrap intervals over images (seeded) */ intervals: { detectionRate: [number, number]; meanError: [number, number]; pck: [number, number] };
}

/** Summary of per-image scores, with seeded bootstrap intervals over images. */
export function summarizeProbe(scores: ImageScore[], threshold: number, rand: () => number, replicates = 500): ProbeSummary {
  const stat = (s: ImageScore[]) => {
    const det = s.filter((x) => x.detected);
    return { rate: det.length / Math.max(1, s.length), err: det.length ? det.reduce((a, x) => a + x.error, 0) / det.length : NaN, pck: det.length ? det.reduce((a, x) => a + x.pck, 0) / det.length : NaN };
  };
  const all = stat(scores), det = scores.filter((x) => x.detected);
  const errs = det.map((x) => x.error).sort((a, b) => a - b);
  const draws = { rate: [] as number[], err: [] as number[], pck: [] as number[] };
  for (let r = 0; r < replicates && scores.length > 1; r++) {
    const s = Array.from({ length: scores.length }, () => scores[Math.floor(rand() * scores.length)]);
    const d = stat(s); draws.rate.push(d.rate); if (Number.isFinite(d.err)) { draws.err.push(d.err); draws.pck.push(d.pck); }
  }
  const ci = (d: number[]): [number, number] => { if (!d.length) return [NaN, NaN]; d.sort((a, b) => a - b); return [d[Math.floor(0.025 * (d.length - 1))], d[Math.ceil(0.975 * (d.length - 1))]]; };
  return {
    images: scores.length, detected: det.length, detectionRate: all.rate,
    meanError: all.err, medianError: errs.length ? errs[Math.floor(errs.length / 2)] : NaN,
    pck: all.pck, pckAll: scores.reduce((a, x) => a + x.pck, 0) / Math.max(1, scores.length), threshold,
    intervals: { detectionRate: ci(draws.rate), meanError: ci(draws.err), pck: ci(draws.pck) },
  };
}
