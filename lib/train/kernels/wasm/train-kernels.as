// AssemblyScript source of lib/train/kernels/wasm/train-kernels{,-shared}.wasm (float32, WebAssembly SIMD). Not part of the
// tsc project. Build: node --import tsx lib/train/kernels/wasm/build.ts (deterministic; test/train/kernels.test.ts
// checks that rebuilding gives the committed bytes).
//
// The module imports the tfjs wasm backend's own memory (shared in its threaded build) and reads the tensors where the
// backend keeps them: no copies, no packing. All pointers are byte offsets into that memory. Nothing here allocates or
// has static data, so the module never writes outside the output it is given.

// a·b + c: one fused multiply-add where the engine has relaxed SIMD (FMA hardware: rounded once), else two operations
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// Every kernel takes, last, (t, u0, u1): the calling thread's index and the work units [u0, u1) it grabbed. Threads
// grab units in chunks as they go (heap-kernels.ts), so a thread the OS delays holds up nobody; kernels that
// reduce are run by slots (HeapKernels.reduce): t is then the slot's index, and the kernel adds into slot t's partial
// result at a place of its own, which the caller then adds up in slot order (deterministic sums).

// Conv2D filter gradient, NHWC input x [B,H,W,CI], output gradient dy [B,OH,OW,CO], filter gradient [KH,KW,CI,CO]:
//   dw[kh,kw,ci,co] += Σ_{b,oh,ow} x[b, oh·sH + kh − pT, ow·sW + kw − pL, ci] · dy[b,oh,ow,co]
// (taps outside x are zero). Units: rows (b,oh) of dy; slot t adds its rows into its own dw at dwParts + t·|dw|
// (zeroed by the caller). Per call every register tile of dw (4 input × 8 output channels of one tap; CO a multiple of
// 8, a last input-channel block narrower than 4 one channel at a time) goes over the call's rows, which stay in cache
// meanwhile: a caller grabs rows in chunks of ~64 KiB of x and dy.
export function conv2dFilterGrad(x: usize, dy: usize, dwParts: usize,
  B: i32, H: i32, W: i32, CI: i32, OH: i32, OW: i32, CO: i32, KH: i32, KW: i32,
  sH: i32, sW: i32, pT: i32, pL: i32, t: i32, r0: i32, r1: i32): void {
  const dw = dwParts + ((<usize>(KH * KW * CI * CO) * <usize>t) << 2);
  for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
    // valid ow for this tap: 0 <= ow·sW + kw − pL < W
    const owLo = max(0, (pL - kw + sW - 1) / sW);
    const last = W - 1 + pL - kw; // the last valid ow is last / sW (none when negative)
    const owHi = last < 0 ? 0 : min(OW, last / sW + 1);
    if (owHi <= owLo) continue;
    for (let ci = 0; ci < CI; ci += 4) for (let co = 0; co < CO; co += 8) {
      const out = dw + ((<usize>((kh * KW + kw) * CI + ci) * CO + co) << 2);
      const nci = min(4, CI - ci);
      if (nci == 4) tile4x8(x, dy, out, r0, r1, OH, H, W, CI, OW, CO, sH, sW, kh - pT, kw - pL, ci, co, owLo, owHi);
      else for (let c = 0; c < nci; c++) {
        tile1x8(x, dy, out + ((<usize>(c * CO)) << 2), r0, r1, OH, H, W, CI, OW, CO, sH, sW, kh - pT, kw - pL, ci + c, co, owLo, owHi);
      }
    }
  }
}

// dw[ci..ci+3][co..co+7] (row stride CO) += Σ over rows [r0,r1) and ow in [owLo,owHi) of x[..ci..ci+3] ⊗ dy[..co..co+7]
function tile4x8(x: usize, dy: usize, out: usize, r0: i32, r1: i32, OH: i32, H: i32, W: i32, CI: i32, OW: i32, CO: i32,
  sH: i32, sW: i32, dh: i32, dwid: i32, ci: i32, co: i32, owLo: i32, owHi: i32): void {
  const rowStride = <usize>CO << 2;
  let a0 = v128.load(out), a1 = v128.load(out, 16);
  let a2 = v128.load(out + rowStride), a3 = v128.load(out + rowStride, 16);
  let a4 = v128.load(out + 2 * rowStride), a5 = v128.load(out + 2 * rowStride, 16);
  let a6 = v128.load(out + 3 * rowStride), a7 = v128.load(out + 3 * rowStride, 16);
  const xStep = <usize>(sW * CI) << 2, dStep = <usize>CO << 2;
  const n = owHi - owLo;
  for (let r = r0; r < r1; r++) {
    const b = r / OH, oh = r % OH;
    const ih = oh * sH + dh;
    if (ih < 0 || ih >= H) continue;
    let xp = x + ((<usize>(((b * H + ih) * W + owLo * sW + dwid) * CI + ci)) << 2);
    let dp = dy + ((<usize>((r * OW + owLo) * CO + co)) << 2);
    for (let i = 0; i < n; i++) {
      const d0 = v128.load(dp), d1 = v128.load(dp, 16);
      const x0 = v128.load32_splat(xp), x1 = v128.load32_splat(xp, 4);
      a0 = madd(x0, d0, a0); a1 = madd(x0, d1, a1);
      a2 = madd(x1, d0, a2); a3 = madd(x1, d1, a3);
      const x2 = v128.load32_splat(xp, 8), x3 = v128.load32_splat(xp, 12);
      a4 = madd(x2, d0, a4); a5 = madd(x2, d1, a5);
      a6 = madd(x3, d0, a6); a7 = madd(x3, d1, a7);
      xp += xStep; dp += dStep;
    }
  }
  v128.store(out, a0); v128.store(out, a1, 16);
  v128.store(out + rowStride, a2); v128.store(out + rowStride, a3, 16);
  v128.store(out + 2 * rowStride, a4); v128.store(out + 2 * rowStride, a5, 16);
  v128.store(out + 3 * rowStride, a6); v128.store(out + 3 * rowStride, a7, 16);
}

// the same for one input channel (the last block when CI is not a multiple of 4, e.g. an RGB stem)
function tile1x8(x: usize, dy: usize, out: usize, r0: i32, r1: i32, OH: i32, H: i32, W: i32, CI: i32, OW: i32, CO: i32,
  sH: i32, sW: i32, dh: i32, dwid: i32, ci: i32, co: i32, owLo: i32, owHi: i32): void {
  let a0 = v128.load(out), a1 = v128.load(out, 16);
  const xStep = <usize>(sW * CI) << 2, dStep = <usize>CO << 2;
  const n = owHi - owLo;
  for (let r = r0; r < r1; r++) {
    const b = r / OH, oh = r % OH;
    const ih = oh * sH + dh;
    if (ih < 0 || ih >= H) continue;
    let xp = x + ((<usize>(((b * H + ih) * W + owLo * sW + dwid) * CI + ci)) << 2);
    let dp = dy + ((<usize>((r * OW + owLo) * CO + co)) << 2);
    for (let i = 0; i < n; i++) {
      const x0 = v128.load32_splat(xp);
      a0 = madd(x0, v128.load(dp), a0); a1 = madd(x0, v128.load(dp, 16), a1);
      xp += xStep; dp += dStep;
    }
  }
  v128.store(out, a0); v128.store(out, a1, 16);
}

// Column sums of a row-major [rows, C] matrix (a Sum over leading axes: bias gradients). Units: rows; thread t adds
// its rows into partials + t·C (zeroed by the caller).
export function sumRows(x: usize, partials: usize, C: i32, t: i32, r0: i32, r1: i32): void {
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  const p = partials + <usize>t * rowBytes;
  let xp = x + <usize>r0 * rowBytes;
  for (let r = r0; r < r1; r++) {
    let c = 0;
    for (; c < C4; c += 4) {
      const q = p + (<usize>c << 2);
      v128.store(q, f32x4.add(v128.load(q), v128.load(xp + (<usize>c << 2))));
    }
    for (; c < C; c++) {
      const q = p + (<usize>c << 2);
      store<f32>(q, load<f32>(q) + load<f32>(xp + (<usize>c << 2)));
    }
    xp += rowBytes;
  }
}

// Direct convolution, NHWC input x [B,H,W,CI], filter f [KH,KW,CI,CO] (CO a multiple of 8), strides sH,sW, padding
// pT,pL (taps outside x are zero), then optionally + bias[co] (bias ≠ 0) and ReLU (relu ≠ 0):
//   out[b,oh,ow,co] = Σ_{kh,kw,ci} x[b, oh·sH + kh − pT, ow·sW + kw − pL, ci] · f[kh,kw,ci,co]
// written at out + (b·obs + oh·ors + ow·ops + co) floats, so a caller can scatter the result into a larger tensor
// (one stride phase of an input gradient). Units: output rows (b,oh). Register tiles of 4 output pixels × 8 output
// channels where every tap of the row lies inside x; single pixels with per-tap checks at the borders (and in rows
// with fewer than 4 interior pixels). Output channels are the outer loop over a call's rows, so each 8-channel slab of
// the filter is read from cache by all of them (it is re-read per pixel tile: a large filter would not stay close).
export function conv2dForward(x: usize, f: usize, out: usize,
  B: i32, H: i32, W: i32, CI: i32, OH: i32, OW: i32, CO: i32, KH: i32, KW: i32,
  sH: i32, sW: i32, pT: i32, pL: i32, obs: i32, ors: i32, ops: i32, bias: usize, relu: i32, t: i32, u0: i32, u1: i32): void {
  // interior: 0 <= ow·sW − pL and ow·sW + KW − 1 − pL <= W − 1
  const in0 = min(OW, (pL + sW - 1) / sW);
  const lastIn = W - KW + pL; // the last interior ow is lastIn / sW (none when negative)
  const in1 = lastIn < 0 ? in0 : max(in0, min(OW, lastIn / sW + 1));
  for (let co = 0; co < CO; co += 8) {
    const b0 = bias ? v128.load(bias + (<usize>co << 2)) : f32x4.splat(0);
    const b1 = bias ? v128.load(bias + (<usize>co << 2), 16) : f32x4.splat(0);
    for (let u = u0; u < u1; u++) {
      const b = u / OH, oh = u % OH;
      const ih0 = oh * sH - pT;
      const khLo = max(0, -ih0), khHi = min(KH, H - ih0);
      const xRow = x + ((<usize>((b * H + ih0) * W) * CI) << 2); // x at (b, ih0, 0, 0), maybe before the image: only valid kh are read
      const oRow = out + ((<usize>(b * obs + oh * ors)) << 2);
      let ow = 0;
      for (; ow < in0; ow++) pixel1x8(xRow, f, oRow + ((<usize>(ow * ops + co)) << 2), W, CI, CO, KW, khLo, khHi, ow * sW - pL, co, b0, b1, relu);
      if (in1 - in0 >= 4) {
        // the last tile ends at in1, overlapping its neighbour (recomputing a few pixels beats the single-pixel path)
        for (; ow < in1; ow += 4) pixels4x8(xRow, f, oRow, W, CI, CO, KW, khLo, khHi, min(ow, in1 - 4), sW, pL, co, ops, b0, b1, relu);
        ow = in1;
      }
      for (; ow < OW; ow++) pixel1x8(xRow, f, oRow + ((<usize>(ow * ops + co)) << 2), W, CI, CO, KW, khLo, khHi, ow * sW - pL, co, b0, b1, relu);
    }
  }
}

// bias, then ReLU when asked, and store 8 output channels
// @ts-ignore: decorator
@inline function store8(o: usize, a0: v128, a1: v128, b0: v128, b1: v128, relu: i32): void {
  a0 = f32x4.add(a0, b0); a1 = f32x4.add(a1, b1);
  if (relu) { const z = f32x4.splat(0); a0 = f32x4.max(a0, z); a1 = f32x4.max(a1, z); }
  v128.store(o, a0); v128.store(o, a1, 16);
}

// four interior output pixels ow..ow+3 × 8 output channels
function pixels4x8(xRow: usize, f: usize, oRow: usize, W: i32, CI: i32, CO: i32, KW: i32, khLo: i32, khHi: i32,
  ow: i32, sW: i32, pL: i32, co: i32, ops: i32, b0: v128, b1: v128, relu: i32): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const pix = <usize>(sW * CI) << 2, fStep = <usize>CO << 2;
  for (let kh = khLo; kh < khHi; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      let xp = xRow + ((<usize>((kh * W + ow * sW + kw - pL) * CI)) << 2);
      let fp = f + ((<usize>(((kh * KW + kw) * CI) * CO + co)) << 2);
      for (let ci = 0; ci < CI; ci++) {
        const d0 = v128.load(fp), d1 = v128.load(fp, 16);
        const x0 = v128.load32_splat(xp), x1 = v128.load32_splat(xp + pix);
        a0 = madd(x0, d0, a0); a1 = madd(x0, d1, a1);
        a2 = madd(x1, d0, a2); a3 = madd(x1, d1, a3);
        const x2 = v128.load32_splat(xp + 2 * pix), x3 = v128.load32_splat(xp + 3 * pix);
        a4 = madd(x2, d0, a4); a5 = madd(x2, d1, a5);
        a6 = madd(x3, d0, a6); a7 = madd(x3, d1, a7);
        xp += 4; fp += fStep;
      }
    }
  }
  const o = oRow + ((<usize>(ow * ops + co)) << 2), step = <usize>ops << 2;
  store8(o, a0, a1, b0, b1, relu); store8(o + step, a2, a3, b0, b1, relu);
  store8(o + 2 * step, a4, a5, b0, b1, relu); store8(o + 3 * step, a6, a7, b0, b1, relu);
}

// one output pixel (input column iw0 for tap 0) × 8 output channels, skipping taps outside the image
function pixel1x8(xRow: usize, f: usize, o: usize, W: i32, CI: i32, CO: i32, KW: i32, khLo: i32, khHi: i32, iw0: i32, co: i32,
  b0: v128, b1: v128, relu: i32): void {
  let a0 = f32x4.splat(0), a1 = a0;
  const fStep = <usize>CO << 2;
  const kwLo = max(0, -iw0), kwHi = min(KW, W - iw0);
  for (let kh = khLo; kh < khHi; kh++) {
    for (let kw = kwLo; kw < kwHi; kw++) {
      let xp = xRow + ((<usize>((kh * W + iw0 + kw) * CI)) << 2);
      let fp = f + ((<usize>(((kh * KW + kw) * CI) * CO + co)) << 2);
      for (let ci = 0; ci < CI; ci++) {
        const x0 = v128.load32_splat(xp);
        a0 = madd(x0, v128.load(fp), a0); a1 = madd(x0, v128.load(fp, 16), a1);
        xp += 4; fp += fStep;
      }
    }
  }
  store8(o, a0, a1, b0, b1, relu);
}

// ReLU's gradient in one pass: out[i] = x[i] > 0 ? dy[i] : 0 (tfjs' default is three: step, cast, multiply).
// Units: elements; a caller grabs multiples of 4.
export function reluGrad(dy: usize, x: usize, out: usize, t: i32, u0: i32, u1: i32): void {
  const zero = f32x4.splat(0);
  let i = u0;
  for (; i + 4 <= u1; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < u1; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

// Batch norm over the rows of a row-major [rows, C] view (lib/train/pose/batch-norm.ts). Units: rows.

// Per-thread partial sums of squared deviations from mean[c]: partials + t·C (zeroed by the caller).
export function bnSumSqDev(x: usize, mean: usize, partials: usize, C: i32, t: i32, r0: i32, r1: i32): void {
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  const p = partials + <usize>t * rowBytes;
  let xp = x + <usize>r0 * rowBytes;
  for (let r = r0; r < r1; r++) {
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const d = f32x4.sub(v128.load(xp + o), v128.load(mean + o));
      v128.store(p + o, f32x4.add(v128.load(p + o), f32x4.mul(d, d)));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const d = load<f32>(xp + o) - load<f32>(mean + o);
      store<f32>(p + o, load<f32>(p + o) + d * d);
    }
    xp += rowBytes;
  }
}

// out = x·a[c] + b[c] (the normalisation as one affine map per channel).
export function bnAffine(x: usize, a: usize, b: usize, out: usize, C: i32, t: i32, r0: i32, r1: i32): void {
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  let off = <usize>r0 * rowBytes;
  for (let r = r0; r < r1; r++) {
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      v128.store(out + off + o, f32x4.add(f32x4.mul(v128.load(x + off + o), v128.load(a + o)), v128.load(b + o)));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(out + off + o, load<f32>(x + off + o) * load<f32>(a + o) + load<f32>(b + o));
    }
    off += rowBytes;
  }
}

// Per-thread partials for the backward pass: partials + t·2C holds Σ dy (C values) then Σ dy·(x − mean) (C values).
export function bnGradSums(dy: usize, x: usize, mean: usize, partials: usize, C: i32, t: i32, r0: i32, r1: i32): void {
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  const p = partials + <usize>t * (rowBytes << 1), q = p + rowBytes;
  let off = <usize>r0 * rowBytes;
  for (let r = r0; r < r1; r++) {
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const g = v128.load(dy + off + o);
      v128.store(p + o, f32x4.add(v128.load(p + o), g));
      v128.store(q + o, f32x4.add(v128.load(q + o), f32x4.mul(g, f32x4.sub(v128.load(x + off + o), v128.load(mean + o)))));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const g = load<f32>(dy + off + o);
      store<f32>(p + o, load<f32>(p + o) + g);
      store<f32>(q + o, load<f32>(q + o) + g * (load<f32>(x + off + o) - load<f32>(mean + o)));
    }
    off += rowBytes;
  }
}

// dx = dy·p[c] + x·q[c] + r[c] (the closed-form batch-norm input gradient with its per-channel factors folded).
export function bnGradX(dy: usize, x: usize, p: usize, q: usize, rr: usize, out: usize, C: i32, t: i32, r0: i32, r1: i32): void {
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  let off = <usize>r0 * rowBytes;
  for (let r = r0; r < r1; r++) {
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const v = f32x4.add(f32x4.mul(v128.load(dy + off + o), v128.load(p + o)), f32x4.mul(v128.load(x + off + o), v128.load(q + o)));
      v128.store(out + off + o, f32x4.add(v, v128.load(rr + o)));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(out + off + o, load<f32>(dy + off + o) * load<f32>(p + o) + load<f32>(x + off + o) * load<f32>(q + o) + load<f32>(rr + o));
    }
    off += rowBytes;
  }
}
