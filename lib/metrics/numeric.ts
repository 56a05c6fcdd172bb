/**
 * Reductions that reproduce numpy's float64 summation order, so ports of numpy code agree to the
 * last bit where the order matters (np.sum / np.mean along a contiguous axis use pairwise summation;
 * np.trapz; np.linspace; np.median). Pure: no IO.
 */

/** numpy's pairwise_sum for float64 (8-way unrolled blocks of up to 128, then recursive halving). */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const b = start + i;
      r0 += a[b]; r1 += a[b + 1]; r2 += a[b + 2]; r3 += a[b + 3];
      r4 += a[b + 4]; r5 += a[b + 5]; r6 += a[b + 6]; r7 += a[b + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** np.mean of a 1-D float64 array. */
export function npMean(a: ArrayLike<number>): number { return pairwiseSum(a) / a.length; }

/** np.linspace(start, stop, num) with endpoint=True. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) { out[0] = start; return out; }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** np.trapz(y, x): sum over d*(y[i+1]+y[i])/2 with numpy's summation order. */
export function trapz(y: ArrayLike<number>, x: ArrayLike<number>): number {
  const n = y.length - 1;
  if (n < 1) return 0;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = ((x[i + 1] - x[i]) * (y[i + 1] + y[i])) / 2.0;
  return pairwiseSum(terms);
}

/** k-th smallest (0-based) of a[0..n), reordering `a` in place (Hoare quickselect). */
function select(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j; else if (k >= i) lo = i; else return a[k];
  }
  return a[k];
}

/** np.median (even count: mean of the two middle values, computed as np.mean does: (a+b)/2). */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const a = Float64Array.from(values);
  const hi = select(a, n >>> 1);
  if (n % 2 === 1) return hi;
  // the largest value below the upper middle is the max of the left part after selection
  let lo = -Infinity;
  for (let i = 0; i < n >>> 1; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}
