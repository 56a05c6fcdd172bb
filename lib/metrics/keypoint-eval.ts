/**
 * Per-keypoint error accumulation and the measures of FreiHAND's `EvalUtil` (utils/eval_util.py):
 * per-keypoint mean and median, their mean over keypoints, PCK curve (d <= threshold) and its
 * normalised AUC, all with numpy's summation order. Units follow the input (metres in handgap). Pure.
 */
import { linspace, trapz, pairwiseSum, median } from './numeric.ts';

export interface KeypointMeasures {
  /** Mean over keypoints of the per-keypoint mean error (input unit). */
  mean: number;
  /** Mean over keypoints of the per-keypoint median error (not a global median). */
  median: number;
  /** Mean over keypoints of trapz(pck_k, thresholds) / trapz(1, thresholds). */
  auc: number;
  /** Mean over keypoints of mean(d_k <= t), one per threshold. */
  pckCurve: Float64Array;
  thresholds: Float64Array;
  perKeypointMean: Float64Array;
  perKeypointMedian: Float64Array;
  perKeypointAuc: Float64Array;
  /** Samples seen per keypoint. */
  count: number;
}

/** Collects per-keypoint distances of many samples (all keypoints visible, as FreiHAND's eval feeds them). */
export class KeypointErrors {
  /** [keypoint][sample] distances, grown as needed. */
  private data: Float64Array[];
  private n = 0;
  private capacity: number;

  constructor(readonly numKeypoints: number, expectedSamples = 1024) {
    this.capacity = Math.max(1, expectedSamples);
    this.data = Array.from({ length: numKeypoints }, () => new Float64Array(this.capacity));
  }

  get size(): number { return this.n; }

  /** Add one sample's per-keypoint distances (length numKeypoints). */
  feedDistances(d: ArrayLike<number>): void {
    if (d.length !== this.numKeypoints) throw new Error(`KeypointErrors: expected ${this.numKeypoints} distances, got ${d.length}`);
    if (this.n === this.capacity) {
      this.capacity *= 2;
      this.data = this.data.map((a) => { const b = new Float64Array(this.capacity); b.set(a); return b; });
    }
    for (let k = 0; k < this.numKeypoints; k++) this.data[k][this.n] = d[k];
    this.n++;
  }

  /** Distances of keypoint k over all samples fed so far. */
  keypoint(k: number): Float64Array { return this.data[k].subarray(0, this.n); }

  /** EvalUtil.get_measures(valMin, valMax, steps). */
  measures(valMin = 0, valMax = 0.05, steps = 100): KeypointMeasures {
    const thresholds = linspace(valMin, valMax, steps);
    const ones = new Float64Array(steps).fill(1);
    const norm = trapz(ones, thresholds);
    const K = this.numKeypoints, n = this.n;
    const perMean = new Float64Array(K), perMedian = new Float64Array(K), perAuc = new Float64Array(K);
    const curveSum = new Float64Array(steps);
    const counts = new Int32Array(steps + 1);
    const pck = new Float64Array(steps);
    for (let k = 0; k < K; k++) {
      const d = this.keypoint(k);
      perMean[k] = pairwiseSum(d) / n;
      perMedian[k] = median(d);
      // histogram of the first threshold index each distance passes (d <= t), then cumulative counts
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[firstThresholdAtLeast(thresholds, d[i], valMin, valMax, steps)]++;
      let cum = 0;
      for (let t = 0; t < steps; t++) { cum += counts[t]; pck[t] = cum / n; }
      perAuc[k] = trapz(pck, thresholds) / norm;
      for (let t = 0; t < steps; t++) curveSum[t] += pck[t]; // np.mean(axis=0): rows added in order
    }
    const pckCurve = new Float64Array(steps);
    for (let t = 0; t < steps; t++) pckCurve[t] = curveSum[t] / K;
    return {
      mean: pairwiseSum(perMean) / K,
      median: pairwiseSum(perMedian) / K,
      auc: pairwiseSum(perAuc) / K,
      pckCurve, thresholds,
      perKeypointMean: perMean, perKeypointMedian: perMedian, perKeypointAuc: perAuc,
      count: n,
    };
  }
}

/** Smallest t with d <= thresholds[t] (steps if none); exact against the stored thresholds. */
function firstThresholdAtLeast(th: Float64Array, d: number, lo: number, hi: number, steps: number): number {
  if (!(d <= hi)) return steps; // also NaN
  if (d <= lo) return 0;
  let t = Math.ceil(((d - lo) / (hi - lo)) * (steps - 1));
  if (t > steps - 1) t = steps - 1;
  if (t < 0) t = 0;
  while (t > 0 && d <= th[t - 1]) t--;
  while (t < steps && d > th[t]) t++;
  return t;
}
