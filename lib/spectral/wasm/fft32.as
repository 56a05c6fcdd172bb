// AssemblyScript source of lib/spectral/wasm/fft32.wasm (float32, WebAssembly SIMD). Not part of the tsc project.
// Build: node --import tsx lib/spectral/wasm/build.ts (deterministic; test/spectral/fft32.test.ts checks that rebuilding gives the committed bytes).
//
// Batched Stockham FFT passes along axis 0 of planar float32 data [n][V]: V independent transforms whose lane index is
// fastest, V a multiple of 4, so four adjacent vectors fill one f32x4 and butterflies need no shuffles. All pointers
// are byte offsets into the exported memory, laid out by lib/spectral/fft32.ts. Forward sign -1, unscaled; the
// inverse is the forward transform with the real and imaginary planes swapped (swap(DFT(swap(x))) = n·IDFT(x)).

// Pass of radix r: inputs at (p + t·m)·B + i, outputs at (r·p + u)·B + i, times twiddle tw[p·r + u] (B = s·V).

export function radix2(xr: usize, xi: usize, yr: usize, yi: usize, twr: usize, twi: usize, m: i32, B: i32): void {
  const bb = <usize>B << 2;
  for (let p = 0; p < m; p++) {
    const wr = f32x4.splat(load<f32>(twr + ((<usize>(2 * p + 1)) << 2))), wi = f32x4.splat(load<f32>(twi + ((<usize>(2 * p + 1)) << 2)));
    const a0 = <usize>p * bb, a1 = <usize>(p + m) * bb, o0 = <usize>(2 * p) * bb, o1 = o0 + bb;
    for (let i: usize = 0; i < bb; i += 16) {
      const ar = v128.load(xr + a0 + i), ai = v128.load(xi + a0 + i), br = v128.load(xr + a1 + i), bi = v128.load(xi + a1 + i);
      v128.store(yr + o0 + i, f32x4.add(ar, br)); v128.store(yi + o0 + i, f32x4.add(ai, bi));
      const dr = f32x4.sub(ar, br), di = f32x4.sub(ai, bi);
      v128.store(yr + o1 + i, f32x4.sub(f32x4.mul(dr, wr), f32x4.mul(di, wi)));
      v128.store(yi + o1 + i, f32x4.add(f32x4.mul(dr, wi), f32x4.mul(di, wr)));
    }
  }
}

export function radix4(xr: usize, xi: usize, yr: usize, yi: usize, twr: usize, twi: usize, m: i32, B: i32): void {
  const bb = <usize>B << 2;
  for (let p = 0; p < m; p++) {
    const t = <usize>(4 * p) << 2;
    const w1r = f32x4.splat(load<f32>(twr + t + 4)), w1i = f32x4.splat(load<f32>(twi + t + 4));
    const w2r = f32x4.splat(load<f32>(twr + t + 8)), w2i = f32x4.splat(load<f32>(twi + t + 8));
    const w3r = f32x4.splat(load<f32>(twr + t + 12)), w3i = f32x4.splat(load<f32>(twi + t + 12));
    const a0 = <usize>p * bb, a1 = <usize>(p + m) * bb, a2 = <usize>(p + 2 * m) * bb, a3 = <usize>(p + 3 * m) * bb;
    const o0 = <usize>(4 * p) * bb, o1 = o0 + bb, o2 = o1 + bb, o3 = o2 + bb;
    for (let i: usize = 0; i < bb; i += 16) {
      const x0r = v128.load(xr + a0 + i), x0i = v128.load(xi + a0 + i), x1r = v128.load(xr + a1 + i), x1i = v128.load(xi + a1 + i);
      const x2r = v128.load(xr + a2 + i), x2i = v128.load(xi + a2 + i), x3r = v128.load(xr + a3 + i), x3i = v128.load(xi + a3 + i);
      const t0r = f32x4.add(x0r, x2r), t0i = f32x4.add(x0i, x2i), t1r = f32x4.sub(x0r, x2r), t1i = f32x4.sub(x0i, x2i);
      const t2r = f32x4.add(x1r, x3r), t2i = f32x4.add(x1i, x3i), t3r = f32x4.sub(x1r, x3r), t3i = f32x4.sub(x1i, x3i);
      v128.store(yr + o0 + i, f32x4.add(t0r, t2r)); v128.store(yi + o0 + i, f32x4.add(t0i, t2i));
      const b1r = f32x4.add(t1r, t3i), b1i = f32x4.sub(t1i, t3r), b2r = f32x4.sub(t0r, t2r), b2i = f32x4.sub(t0i, t2i);
      const b3r = f32x4.sub(t1r, t3i), b3i = f32x4.add(t1i, t3r);
      v128.store(yr + o1 + i, f32x4.sub(f32x4.mul(b1r, w1r), f32x4.mul(b1i, w1i))); v128.store(yi + o1 + i, f32x4.add(f32x4.mul(b1r, w1i), f32x4.mul(b1i, w1r)));
      v128.store(yr + o2 + i, f32x4.sub(f32x4.mul(b2r, w2r), f32x4.mul(b2i, w2i))); v128.store(yi + o2 + i, f32x4.add(f32x4.mul(b2r, w2i), f32x4.mul(b2i, w2r)));
      v128.store(yr + o3 + i, f32x4.sub(f32x4.mul(b3r, w3r), f32x4.mul(b3i, w3i))); v128.store(yi + o3 + i, f32x4.add(f32x4.mul(b3r, w3i), f32x4.mul(b3i, w3r)));
    }
  }
}

// cos/sin of 2π/7, 4π/7, 6π/7
const C1: f32 = 0.6234898018587336, C2: f32 = -0.22252093395631434, C3: f32 = -0.9009688679024191;
const S1: f32 = 0.7818314824680298, S2: f32 = 0.9749279121818236, S3: f32 = 0.4338837391175582;

// @ts-ignore: decorator
@inline function cmulStore(yr: usize, yi: usize, br: v128, bi: v128, wr: v128, wi: v128): void {
  v128.store(yr, f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi)));
  v128.store(yi, f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr)));
}

/**
 * Last radix-7 pass (m = 1, twiddles 1): the real outputs depend only on Re(x_0), Re(x_t + x_{7-t}) and
 * Im(x_t - x_{7-t}), the imaginary ones only on the other halves, so two sweeps of 7 live vectors each avoid the
 * register spills of the full 14-input butterfly (x64 has 16 SIMD registers).
 */
// @ts-ignore: decorator
@inline function radix7Last(xr: usize, xi: usize, yr: usize, yi: usize, bb: usize): void {
  const c1 = f32x4.splat(C1), c2 = f32x4.splat(C2), c3 = f32x4.splat(C3), s1 = f32x4.splat(S1), s2 = f32x4.splat(S2), s3 = f32x4.splat(S3);
  for (let half = 0; half < 2; half++) {
    // half 0: sums from the real plane, differences from the imaginary plane, into the real outputs; half 1: the reverse
    const xs = half == 0 ? xr : xi, xd = half == 0 ? xi : xr, ys = half == 0 ? yr : yi;
    for (let i: usize = 0; i < bb; i += 16) {
      const q0 = v128.load(xs + i);
      const sa = f32x4.add(v128.load(xs + bb + i), v128.load(xs + 6 * bb + i));
      const sb = f32x4.add(v128.load(xs + 2 * bb + i), v128.load(xs + 5 * bb + i));
      const sc = f32x4.add(v128.load(xs + 3 * bb + i), v128.load(xs + 4 * bb + i));
      const da = f32x4.sub(v128.load(xd + bb + i), v128.load(xd + 6 * bb + i));
      const db = f32x4.sub(v128.load(xd + 2 * bb + i), v128.load(xd + 5 * bb + i));
      const dc = f32x4.sub(v128.load(xd + 3 * bb + i), v128.load(xd + 4 * bb + i));
      v128.store(ys + i, f32x4.add(f32x4.add(q0, sa), f32x4.add(sb, sc)));
      // real outputs: A + B with B = S·d(imag); imaginary outputs: A + B with B = -S·d(real)
      let A = f32x4.add(q0, f32x4.add(f32x4.mul(c1, sa), f32x4.add(f32x4.mul(c2, sb), f32x4.mul(c3, sc))));
      let Bv = f32x4.add(f32x4.mul(s1, da), f32x4.add(f32x4.mul(s2, db), f32x4.mul(s3, dc)));
      if (half == 1) Bv = f32x4.neg(Bv);
      v128.store(ys + bb + i, f32x4.add(A, Bv)); v128.store(ys + 6 * bb + i, f32x4.sub(A, Bv));
      A = f32x4.add(q0, f32x4.add(f32x4.mul(c2, sa), f32x4.add(f32x4.mul(c3, sb), f32x4.mul(c1, sc))));
      Bv = f32x4.sub(f32x4.mul(s2, da), f32x4.add(f32x4.mul(s3, db), f32x4.mul(s1, dc)));
      if (half == 1) Bv = f32x4.neg(Bv);
      v128.store(ys + 2 * bb + i, f32x4.add(A, Bv)); v128.store(ys + 5 * bb + i, f32x4.sub(A, Bv));
      A = f32x4.add(q0, f32x4.add(f32x4.mul(c3, sa), f32x4.add(f32x4.mul(c1, sb), f32x4.mul(c2, sc))));
      Bv = f32x4.add(f32x4.sub(f32x4.mul(s3, da), f32x4.mul(s1, db)), f32x4.mul(s2, dc));
      if (half == 1) Bv = f32x4.neg(Bv);
      v128.store(ys + 3 * bb + i, f32x4.add(A, Bv)); v128.store(ys + 4 * bb + i, f32x4.sub(A, Bv));
    }
  }
}

export function radix7(xr: usize, xi: usize, yr: usize, yi: usize, twr: usize, twi: usize, m: i32, B: i32): void {
  const bb = <usize>B << 2;
  if (m == 1) { radix7Last(xr, xi, yr, yi, bb); return; }
  const c1 = f32x4.splat(C1), c2 = f32x4.splat(C2), c3 = f32x4.splat(C3), s1 = f32x4.splat(S1), s2 = f32x4.splat(S2), s3 = f32x4.splat(S3);
  for (let p = 0; p < m; p++) {
    const t = <usize>(7 * p) << 2;
    const w1r = f32x4.splat(load<f32>(twr + t + 4)), w1i = f32x4.splat(load<f32>(twi + t + 4));
    const w2r = f32x4.splat(load<f32>(twr + t + 8)), w2i = f32x4.splat(load<f32>(twi + t + 8));
    const w3r = f32x4.splat(load<f32>(twr + t + 12)), w3i = f32x4.splat(load<f32>(twi + t + 12));
    const w4r = f32x4.splat(load<f32>(twr + t + 16)), w4i = f32x4.splat(load<f32>(twi + t + 16));
    const w5r = f32x4.splat(load<f32>(twr + t + 20)), w5i = f32x4.splat(load<f32>(twi + t + 20));
    const w6r = f32x4.splat(load<f32>(twr + t + 24)), w6i = f32x4.splat(load<f32>(twi + t + 24));
    const mb = <usize>m * bb;
    const a0 = <usize>p * bb, a1 = a0 + mb, a2 = a1 + mb, a3 = a2 + mb, a4 = a3 + mb, a5 = a4 + mb, a6 = a5 + mb;
    const o0 = <usize>(7 * p) * bb;
    for (let i: usize = 0; i < bb; i += 16) {
      const q0r = v128.load(xr + a0 + i), q0i = v128.load(xi + a0 + i);
      const x1r = v128.load(xr + a1 + i), x1i = v128.load(xi + a1 + i), x6r = v128.load(xr + a6 + i), x6i = v128.load(xi + a6 + i);
      const x2r = v128.load(xr + a2 + i), x2i = v128.load(xi + a2 + i), x5r = v128.load(xr + a5 + i), x5i = v128.load(xi + a5 + i);
      const x3r = v128.load(xr + a3 + i), x3i = v128.load(xi + a3 + i), x4r = v128.load(xr + a4 + i), x4i = v128.load(xi + a4 + i);
      const s1r = f32x4.add(x1r, x6r), s1i = f32x4.add(x1i, x6i), d1r = f32x4.sub(x1r, x6r), d1i = f32x4.sub(x1i, x6i);
      const s2r = f32x4.add(x2r, x5r), s2i = f32x4.add(x2i, x5i), d2r = f32x4.sub(x2r, x5r), d2i = f32x4.sub(x2i, x5i);
      const s3r = f32x4.add(x3r, x4r), s3i = f32x4.add(x3i, x4i), d3r = f32x4.sub(x3r, x4r), d3i = f32x4.sub(x3i, x4i);
      v128.store(yr + o0 + i, f32x4.add(f32x4.add(q0r, s1r), f32x4.add(s2r, s3r)));
      v128.store(yi + o0 + i, f32x4.add(f32x4.add(q0i, s1i), f32x4.add(s2i, s3i)));
      const A1r = f32x4.add(q0r, f32x4.add(f32x4.mul(c1, s1r), f32x4.add(f32x4.mul(c2, s2r), f32x4.mul(c3, s3r))));
      const A1i = f32x4.add(q0i, f32x4.add(f32x4.mul(c1, s1i), f32x4.add(f32x4.mul(c2, s2i), f32x4.mul(c3, s3i))));
      const B1r = f32x4.add(f32x4.mul(s1, d1i), f32x4.add(f32x4.mul(s2, d2i), f32x4.mul(s3, d3i)));
      const B1i = f32x4.neg(f32x4.add(f32x4.mul(s1, d1r), f32x4.add(f32x4.mul(s2, d2r), f32x4.mul(s3, d3r))));
      const A2r = f32x4.add(q0r, f32x4.add(f32x4.mul(c2, s1r), f32x4.add(f32x4.mul(c3, s2r), f32x4.mul(c1, s3r))));
      const A2i = f32x4.add(q0i, f32x4.add(f32x4.mul(c2, s1i), f32x4.add(f32x4.mul(c3, s2i), f32x4.mul(c1, s3i))));
      const B2r = f32x4.sub(f32x4.mul(s2, d1i), f32x4.add(f32x4.mul(s3, d2i), f32x4.mul(s1, d3i)));
      const B2i = f32x4.neg(f32x4.sub(f32x4.mul(s2, d1r), f32x4.add(f32x4.mul(s3, d2r), f32x4.mul(s1, d3r))));
      const A3r = f32x4.add(q0r, f32x4.add(f32x4.mul(c3, s1r), f32x4.add(f32x4.mul(c1, s2r), f32x4.mul(c2, s3r))));
      const A3i = f32x4.add(q0i, f32x4.add(f32x4.mul(c3, s1i), f32x4.add(f32x4.mul(c1, s2i), f32x4.mul(c2, s3i))));
      const B3r = f32x4.add(f32x4.sub(f32x4.mul(s3, d1i), f32x4.mul(s1, d2i)), f32x4.mul(s2, d3i));
      const B3i = f32x4.neg(f32x4.add(f32x4.sub(f32x4.mul(s3, d1r), f32x4.mul(s1, d2r)), f32x4.mul(s2, d3r)));
      const o = o0 + i;
      cmulStore(yr + o + bb, yi + o + bb, f32x4.add(A1r, B1r), f32x4.add(A1i, B1i), w1r, w1i);
      cmulStore(yr + o + 2 * bb, yi + o + 2 * bb, f32x4.add(A2r, B2r), f32x4.add(A2i, B2i), w2r, w2i);
      cmulStore(yr + o + 3 * bb, yi + o + 3 * bb, f32x4.add(A3r, B3r), f32x4.add(A3i, B3i), w3r, w3i);
      cmulStore(yr + o + 4 * bb, yi + o + 4 * bb, f32x4.sub(A3r, B3r), f32x4.sub(A3i, B3i), w4r, w4i);
      cmulStore(yr + o + 5 * bb, yi + o + 5 * bb, f32x4.sub(A2r, B2r), f32x4.sub(A2i, B2i), w5r, w5i);
      cmulStore(yr + o + 6 * bb, yi + o + 6 * bb, f32x4.sub(A1r, B1r), f32x4.sub(A1i, B1i), w6r, w6i);
    }
  }
}

const R8: f32 = 0.7071067811865476;

// @ts-ignore: decorator
@inline function cmulStoreTw(yr: usize, yi: usize, br: v128, bi: v128, twr: usize, twi: usize): void {
  // twiddle splatted from memory inside the loop (an L1 load) instead of held in a register across it
  cmulStore(yr, yi, br, bi, v128.load32_splat(twr), v128.load32_splat(twi));
}

/**
 * Radix 8: two length-4 DFTs of (x_t ± x_{t+4}), the odd half pre-multiplied by W8^t. The even and odd halves are
 * computed in two sweeps over the inputs (reloaded; cheap) to stay within the 16 SIMD registers.
 */
export function radix8(xr: usize, xi: usize, yr: usize, yi: usize, twr: usize, twi: usize, m: i32, B: i32): void {
  const bb = <usize>B << 2, mb = <usize>m * bb;
  for (let p = 0; p < m; p++) {
    const t = <usize>(8 * p) << 2, tr = twr + t, ti = twi + t;
    const a0 = <usize>p * bb, o0 = <usize>(8 * p) * bb;
    for (let i: usize = 0; i < bb; i += 16) {
      const q = a0 + i, o = o0 + i;
      // even outputs 0, 2, 4, 6: DFT4 of a_t = x_t + x_{t+4}
      const e0r = f32x4.add(v128.load(xr + q), v128.load(xr + q + 4 * mb)), e0i = f32x4.add(v128.load(xi + q), v128.load(xi + q + 4 * mb));
      const e1r = f32x4.add(v128.load(xr + q + mb), v128.load(xr + q + 5 * mb)), e1i = f32x4.add(v128.load(xi + q + mb), v128.load(xi + q + 5 * mb));
      const e2r = f32x4.add(v128.load(xr + q + 2 * mb), v128.load(xr + q + 6 * mb)), e2i = f32x4.add(v128.load(xi + q + 2 * mb), v128.load(xi + q + 6 * mb));
      const e3r = f32x4.add(v128.load(xr + q + 3 * mb), v128.load(xr + q + 7 * mb)), e3i = f32x4.add(v128.load(xi + q + 3 * mb), v128.load(xi + q + 7 * mb));
      let t0r = f32x4.add(e0r, e2r), t0i = f32x4.add(e0i, e2i), t1r = f32x4.sub(e0r, e2r), t1i = f32x4.sub(e0i, e2i);
      let t2r = f32x4.add(e1r, e3r), t2i = f32x4.add(e1i, e3i), t3r = f32x4.sub(e1r, e3r), t3i = f32x4.sub(e1i, e3i);
      v128.store(yr + o, f32x4.add(t0r, t2r)); v128.store(yi + o, f32x4.add(t0i, t2i));
      cmulStoreTw(yr + o + 2 * bb, yi + o + 2 * bb, f32x4.add(t1r, t3i), f32x4.sub(t1i, t3r), tr + 8, ti + 8);
      cmulStoreTw(yr + o + 4 * bb, yi + o + 4 * bb, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i), tr + 16, ti + 16);
      cmulStoreTw(yr + o + 6 * bb, yi + o + 6 * bb, f32x4.sub(t1r, t3i), f32x4.add(t1i, t3r), tr + 24, ti + 24);
      // odd outputs 1, 3, 5, 7: DFT4 of b_t = (x_t - x_{t+4})·W8^t
      const c = f32x4.splat(R8);
      const b0r = f32x4.sub(v128.load(xr + q), v128.load(xr + q + 4 * mb)), b0i = f32x4.sub(v128.load(xi + q), v128.load(xi + q + 4 * mb));
      const d1r = f32x4.sub(v128.load(xr + q + mb), v128.load(xr + q + 5 * mb)), d1i = f32x4.sub(v128.load(xi + q + mb), v128.load(xi + q + 5 * mb));
      const b1r = f32x4.mul(c, f32x4.add(d1r, d1i)), b1i = f32x4.mul(c, f32x4.sub(d1i, d1r));
      const b2r = f32x4.sub(v128.load(xi + q + 2 * mb), v128.load(xi + q + 6 * mb)), b2i = f32x4.sub(v128.load(xr + q + 6 * mb), v128.load(xr + q + 2 * mb));
      const d3r = f32x4.sub(v128.load(xr + q + 3 * mb), v128.load(xr + q + 7 * mb)), d3i = f32x4.sub(v128.load(xi + q + 3 * mb), v128.load(xi + q + 7 * mb));
      const b3r = f32x4.mul(c, f32x4.sub(d3i, d3r)), b3i = f32x4.neg(f32x4.mul(c, f32x4.add(d3r, d3i)));
      t0r = f32x4.add(b0r, b2r); t0i = f32x4.add(b0i, b2i); t1r = f32x4.sub(b0r, b2r); t1i = f32x4.sub(b0i, b2i);
      t2r = f32x4.add(b1r, b3r); t2i = f32x4.add(b1i, b3i); t3r = f32x4.sub(b1r, b3r); t3i = f32x4.sub(b1i, b3i);
      cmulStoreTw(yr + o + bb, yi + o + bb, f32x4.add(t0r, t2r), f32x4.add(t0i, t2i), tr + 4, ti + 4);
      cmulStoreTw(yr + o + 3 * bb, yi + o + 3 * bb, f32x4.add(t1r, t3i), f32x4.sub(t1i, t3r), tr + 12, ti + 12);
      cmulStoreTw(yr + o + 5 * bb, yi + o + 5 * bb, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i), tr + 20, ti + 20);
      cmulStoreTw(yr + o + 7 * bb, yi + o + 7 * bb, f32x4.sub(t1r, t3i), f32x4.add(t1i, t3r), tr + 28, ti + 28);
    }
  }
}

/** Generic odd radix r (≤ 64): direct DFT of r points per butterfly; cs/sn hold cos/sin(2π·(u·t mod r)/r) as [u][t]. */
export function radixOdd(xr: usize, xi: usize, yr: usize, yi: usize, twr: usize, twi: usize, cs: usize, sn: usize, r: i32, m: i32, B: i32): void {
  const bb = <usize>B << 2, mb = <usize>m * bb;
  for (let p = 0; p < m; p++) {
    for (let u = 0; u < r; u++) {
      const o = <usize>(r * p + u) * bb, tw = <usize>(p * r + u) << 2;
      const wr = f32x4.splat(load<f32>(twr + tw)), wi = f32x4.splat(load<f32>(twi + tw));
      for (let i: usize = 0; i < bb; i += 16) {
        let sr = f32x4.splat(0), si = f32x4.splat(0);
        let k = <usize>p * bb + i;
        for (let t = 0; t < r; t++, k += mb) {
          const ct = <usize>(u * r + t) << 2;
          const c = f32x4.splat(load<f32>(cs + ct)), s = f32x4.splat(load<f32>(sn + ct));
          const ar = v128.load(xr + k), ai = v128.load(xi + k);
          // a·e^{-iθ} = (ar c + ai s, ai c - ar s)
          sr = f32x4.add(sr, f32x4.add(f32x4.mul(ar, c), f32x4.mul(ai, s)));
          si = f32x4.add(si, f32x4.sub(f32x4.mul(ai, c), f32x4.mul(ar, s)));
        }
        cmulStore(yr + o + i, yi + o + i, sr, si, wr, wi);
      }
    }
  }
}

/**
 * One channel of an HWC image (uint8 when `u8`, else float32) into column-transform input [H][V1]:
 * packed (W even): z[h][j] = x[h][2j] + i·x[h][2j+1]; otherwise z[h][w] = x[h][w] + 0i. Lanes ≥ the valid width are zeroed.
 */
export function loadChannel(img: usize, u8: bool, C: i32, c: i32, H: i32, W: i32, packed: bool, V1: i32, zr: usize, zi: usize): void {
  const nv = packed ? W >> 1 : W;
  for (let h = 0; h < H; h++) {
    const row = <usize>(h * V1) << 2;
    for (let j = 0; j < nv; j++) {
      const q = packed ? 2 * j : j;
      const e = <usize>((h * W + q) * C + c);
      let a: f32, b: f32 = 0;
      if (u8) { a = <f32>load<u8>(img + e); if (packed) b = <f32>load<u8>(img + e + <usize>C); }
      else { a = load<f32>(img + (e << 2)); if (packed) b = load<f32>(img + ((e + <usize>C) << 2)); }
      store<f32>(zr + row + (<usize>j << 2), a); store<f32>(zi + row + (<usize>j << 2), b);
    }
    for (let j = nv; j < V1; j++) { store<f32>(zr + row + (<usize>j << 2), 0); store<f32>(zi + row + (<usize>j << 2), 0); }
  }
}

/**
 * After the column transforms: the column spectra C[k][w] of the real image for k < Hh = floor(H/2)+1, written transposed
 * as [w][Kp] for the row transforms. Packed: C[k][2j] = (Z[k] + conj Z[-k]) / 2, C[k][2j+1] = (Z[k] - conj Z[-k]) / 2i.
 */
export function unpack(zr: usize, zi: usize, V1: i32, H: i32, W: i32, packed: bool, Kp: i32, tr: usize, ti: usize): void {
  const Hh = (H >> 1) + 1;
  for (let k = 0; k < Hh; k++) {
    const nk = k === 0 ? 0 : H - k, r1 = <usize>(k * V1) << 2, r2 = <usize>(nk * V1) << 2, col = <usize>k << 2;
    if (packed) {
      for (let j = 0; j < (W >> 1); j++) {
        const q = <usize>j << 2;
        const ar = load<f32>(zr + r1 + q), ai = load<f32>(zi + r1 + q), br = load<f32>(zr + r2 + q), bi = load<f32>(zi + r2 + q);
        const e = <usize>(2 * j * Kp) << 2, f = e + (<usize>Kp << 2);
        store<f32>(tr + e + col, <f32>0.5 * (ar + br)); store<f32>(ti + e + col, <f32>0.5 * (ai - bi));
        store<f32>(tr + f + col, <f32>0.5 * (ai + bi)); store<f32>(ti + f + col, <f32>-0.5 * (ar - br));
      }
    } else {
      for (let w = 0; w < W; w++) {
        const q = <usize>w << 2, e = <usize>(w * Kp) << 2;
        store<f32>(tr + e + col, load<f32>(zr + r1 + q)); store<f32>(ti + e + col, load<f32>(zi + r1 + q));
      }
    }
  }
  for (let w = 0; w < W; w++) for (let k = Hh; k < Kp; k++) {
    const e = (<usize>(w * Kp + k)) << 2; store<f32>(tr + e, 0); store<f32>(ti + e, 0);
  }
}

/** Inverse of unpack: column spectra (k < Hh, [w][Kp]) completed by C[H-k] = conj C[k] and packed again as [H][V1]. */
export function pack(tr: usize, ti: usize, Kp: i32, H: i32, W: i32, packed: bool, V1: i32, zr: usize, zi: usize): void {
  const Hh = (H >> 1) + 1, nv = packed ? W >> 1 : W;
  for (let k = 0; k < H; k++) {
    const mirror = k >= Hh, kk = mirror ? H - k : k, col = <usize>kk << 2, row = <usize>(k * V1) << 2;
    for (let j = 0; j < nv; j++) {
      const q = <usize>j << 2;
      let zre: f32, zim: f32;
      if (packed) {
        const e = <usize>(2 * j * Kp) << 2, f = e + (<usize>Kp << 2);
        const er = load<f32>(tr + e + col), ei = load<f32>(ti + e + col), fr = load<f32>(tr + f + col), fi = load<f32>(ti + f + col);
        if (!mirror) { zre = er - fi; zim = ei + fr; } else { zre = er + fi; zim = fr - ei; }
      } else {
        const e = <usize>(j * Kp) << 2;
        zre = load<f32>(tr + e + col); zim = load<f32>(ti + e + col);
        if (mirror) zim = -zim;
      }
      store<f32>(zr + row + q, zre); store<f32>(zi + row + q, zim);
    }
    for (let j = nv; j < V1; j++) { store<f32>(zr + row + (<usize>j << 2), 0); store<f32>(zi + row + (<usize>j << 2), 0); }
  }
}

/** Column-transform output back into channel c of an HWC float32 image, times `scale`, clipped to [lo, hi] when clip. */
export function storeImage(zr: usize, zi: usize, V1: i32, H: i32, W: i32, packed: bool, scale: f32, clip: bool, lo: f32, hi: f32, out: usize, C: i32, c: i32): void {
  for (let h = 0; h < H; h++) {
    const row = <usize>(h * V1) << 2;
    for (let w = 0; w < W; w++) {
      let v: f32 = packed ? ((w & 1) ? load<f32>(zi + row + (<usize>(w >> 1) << 2)) : load<f32>(zr + row + (<usize>(w >> 1) << 2))) : load<f32>(zr + row + (<usize>w << 2));
      v *= scale;
      if (clip) v = min(hi, max(lo, v));
      store<f32>(out + (<usize>((h * W + w) * C + c) << 2), v);
    }
  }
}

/**
 * Amplitude mix on n complex values (n a multiple of 4): |X| becomes (1-λ)|X| + λ·ref, phase kept (X = 0 takes the
 * target amplitude with phase 0). Output to (outr, outi), which may be the input.
 */
export function mix(sr: usize, si: usize, ref: usize, n: i32, lambda: f32, outr: usize, outi: usize): void {
  const l = f32x4.splat(lambda), l1 = f32x4.splat(<f32>1 - lambda), zero = f32x4.splat(0);
  const end = <usize>n << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const re = v128.load(sr + i), im = v128.load(si + i), a = f32x4.sqrt(f32x4.add(f32x4.mul(re, re), f32x4.mul(im, im)));
    const target = f32x4.add(f32x4.mul(l1, a), f32x4.mul(l, v128.load(ref + i)));
    const pos = f32x4.gt(a, zero);
    const s = f32x4.div(target, a);
    v128.store(outr + i, v128.bitselect(f32x4.mul(re, s), target, pos));
    v128.store(outi + i, v128.bitselect(f32x4.mul(im, s), zero, pos));
  }
}

/** |X| of n complex values (n a multiple of 4) into amp. */
export function amplitude(sr: usize, si: usize, amp: usize, n: i32): void {
  const end = <usize>n << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const re = v128.load(sr + i), im = v128.load(si + i);
    v128.store(amp + i, f32x4.sqrt(f32x4.add(f32x4.mul(re, re), f32x4.mul(im, im))));
  }
}

export function copy(dst: usize, src: usize, bytes: usize): void { memory.copy(dst, src, bytes); }

// ---- SIMD versions of the layout steps for the common case (W even, W/2 and H multiples of 4, Kp ≤ H) ----

// @ts-ignore: decorator
@inline function tr0(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 4, 1, 5); }
// @ts-ignore: decorator
@inline function tr1(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 6, 3, 7); }
// @ts-ignore: decorator
@inline function lo2(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 1, 4, 5); }
// @ts-ignore: decorator
@inline function hi2(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 3, 6, 7); }

/** Store the 4×4 transpose of rows (a, b, c, d) at p, p + stride, p + 2·stride, p + 3·stride. */
// @ts-ignore: decorator
@inline function storeT(p: usize, stride: usize, a: v128, b: v128, c: v128, d: v128): void {
  const t0 = tr0(a, b), t1 = tr1(a, b), t2 = tr0(c, d), t3 = tr1(c, d);
  v128.store(p, lo2(t0, t2)); v128.store(p + stride, hi2(t0, t2));
  v128.store(p + 2 * stride, lo2(t1, t3)); v128.store(p + 3 * stride, hi2(t1, t3));
}

/** uint8 HWC channel c into packed [H][V1] (V1 = W/2). */
export function loadU8Packed(img: usize, C: i32, c: i32, H: i32, W: i32, zr: usize, zi: usize): void {
  const W2 = W >> 1, step = <usize>(2 * C), cc = <usize>C;
  let src = img + <usize>c, o: usize = 0;
  for (let h = 0; h < H; h++) {
    for (let j = 0; j < W2; j++, src += step, o += 4) {
      store<f32>(zr + o, <f32>load<u8>(src)); store<f32>(zi + o, <f32>load<u8>(src + cc));
    }
  }
}

/** float32 HWC channel c into packed [H][V1] (V1 = W/2). */
export function loadF32Packed(img: usize, C: i32, c: i32, H: i32, W: i32, zr: usize, zi: usize): void {
  const W2 = W >> 1, step = <usize>(8 * C), cc = <usize>(4 * C);
  let src = img + (<usize>c << 2), o: usize = 0;
  for (let h = 0; h < H; h++) {
    for (let j = 0; j < W2; j++, src += step, o += 4) {
      store<f32>(zr + o, load<f32>(src)); store<f32>(zi + o, load<f32>(src + cc));
    }
  }
}

/** SIMD unpack (see unpack): 4×4 blocks of (k, j), transposed on the way out. Padding lanes get finite values. */
export function unpackSimd(zr: usize, zi: usize, H: i32, W: i32, Kp: i32, tr: usize, ti: usize): void {
  const W2 = W >> 1, V1b = <usize>W2 << 2, kpb = <usize>Kp << 2, half = f32x4.splat(0.5), mhalf = f32x4.splat(-0.5);
  for (let k0 = 0; k0 < Kp; k0 += 4) {
    const r0 = <usize>k0 * V1b, r1 = r0 + V1b, r2 = r1 + V1b, r3 = r2 + V1b;
    const n0 = <usize>(k0 === 0 ? 0 : H - k0) * V1b, n1 = <usize>(H - k0 - 1) * V1b, n2 = <usize>(H - k0 - 2) * V1b, n3 = <usize>(H - k0 - 3) * V1b;
    const col = <usize>k0 << 2;
    for (let j0 = 0; j0 < W2; j0 += 4) {
      const q = <usize>j0 << 2;
      const a0 = v128.load(zr + r0 + q), a1 = v128.load(zr + r1 + q), a2 = v128.load(zr + r2 + q), a3 = v128.load(zr + r3 + q);
      const b0 = v128.load(zi + r0 + q), b1 = v128.load(zi + r1 + q), b2 = v128.load(zi + r2 + q), b3 = v128.load(zi + r3 + q);
      const c0 = v128.load(zr + n0 + q), c1 = v128.load(zr + n1 + q), c2 = v128.load(zr + n2 + q), c3 = v128.load(zr + n3 + q);
      const d0 = v128.load(zi + n0 + q), d1 = v128.load(zi + n1 + q), d2 = v128.load(zi + n2 + q), d3 = v128.load(zi + n3 + q);
      const e = <usize>(2 * j0) * kpb + col; // row w = 2j0 of [W][Kp], column k0
      const s2 = 2 * kpb;
      // even columns: ((a + c)/2, (b - d)/2); odd columns: ((b + d)/2, -(a - c)/2)
      storeT(tr + e, s2, f32x4.mul(half, f32x4.add(a0, c0)), f32x4.mul(half, f32x4.add(a1, c1)), f32x4.mul(half, f32x4.add(a2, c2)), f32x4.mul(half, f32x4.add(a3, c3)));
      storeT(ti + e, s2, f32x4.mul(half, f32x4.sub(b0, d0)), f32x4.mul(half, f32x4.sub(b1, d1)), f32x4.mul(half, f32x4.sub(b2, d2)), f32x4.mul(half, f32x4.sub(b3, d3)));
      storeT(tr + e + kpb, s2, f32x4.mul(half, f32x4.add(b0, d0)), f32x4.mul(half, f32x4.add(b1, d1)), f32x4.mul(half, f32x4.add(b2, d2)), f32x4.mul(half, f32x4.add(b3, d3)));
      storeT(ti + e + kpb, s2, f32x4.mul(mhalf, f32x4.sub(a0, c0)), f32x4.mul(mhalf, f32x4.sub(a1, c1)), f32x4.mul(mhalf, f32x4.sub(a2, c2)), f32x4.mul(mhalf, f32x4.sub(a3, c3)));
    }
  }
}

/** SIMD pack (see pack): blocks of 4 rows k that are all direct (k < Hh) or all mirrored; mixed blocks scalar. */
export function packSimd(tr: usize, ti: usize, Kp: i32, H: i32, W: i32, zr: usize, zi: usize): void {
  const Hh = (H >> 1) + 1, W2 = W >> 1, V1b = <usize>W2 << 2, kpb = <usize>Kp << 2;
  for (let k0 = 0; k0 < H; k0 += 4) {
    const direct = k0 + 3 < Hh, mirrored = k0 >= Hh;
    if (!direct && !mirrored) {
      for (let k = k0; k < k0 + 4; k++) {
        const m = k >= Hh, kk = m ? H - k : k, col = <usize>kk << 2, row = <usize>k * V1b;
        for (let j = 0; j < W2; j++) {
          const e = <usize>(2 * j) * kpb + col, f = e + kpb;
          const er = load<f32>(tr + e), ei = load<f32>(ti + e), fr = load<f32>(tr + f), fi = load<f32>(ti + f);
          const q = <usize>j << 2;
          if (!m) { store<f32>(zr + row + q, er - fi); store<f32>(zi + row + q, ei + fr); }
          else { store<f32>(zr + row + q, er + fi); store<f32>(zi + row + q, fr - ei); }
        }
      }
      continue;
    }
    // lanes = rows k0..k0+3; mirrored rows read columns H-k0-3..H-k0 and reverse them
    const col = <usize>(direct ? k0 : H - k0 - 3) << 2, row = <usize>k0 * V1b;
    for (let j0 = 0; j0 < W2; j0 += 4) {
      let zre0: v128, zre1: v128, zre2: v128, zre3: v128, zim0: v128, zim1: v128, zim2: v128, zim3: v128;
      const e0 = <usize>(2 * j0) * kpb + col, s = 2 * kpb;
      const er0 = v128.load(tr + e0), ei0 = v128.load(ti + e0), fr0 = v128.load(tr + e0 + kpb), fi0 = v128.load(ti + e0 + kpb);
      const er1 = v128.load(tr + e0 + s), ei1 = v128.load(ti + e0 + s), fr1 = v128.load(tr + e0 + s + kpb), fi1 = v128.load(ti + e0 + s + kpb);
      const er2 = v128.load(tr + e0 + 2 * s), ei2 = v128.load(ti + e0 + 2 * s), fr2 = v128.load(tr + e0 + 2 * s + kpb), fi2 = v128.load(ti + e0 + 2 * s + kpb);
      const er3 = v128.load(tr + e0 + 3 * s), ei3 = v128.load(ti + e0 + 3 * s), fr3 = v128.load(tr + e0 + 3 * s + kpb), fi3 = v128.load(ti + e0 + 3 * s + kpb);
      if (direct) {
        zre0 = f32x4.sub(er0, fi0); zim0 = f32x4.add(ei0, fr0); zre1 = f32x4.sub(er1, fi1); zim1 = f32x4.add(ei1, fr1);
        zre2 = f32x4.sub(er2, fi2); zim2 = f32x4.add(ei2, fr2); zre3 = f32x4.sub(er3, fi3); zim3 = f32x4.add(ei3, fr3);
      } else {
        zre0 = rev(f32x4.add(er0, fi0)); zim0 = rev(f32x4.sub(fr0, ei0)); zre1 = rev(f32x4.add(er1, fi1)); zim1 = rev(f32x4.sub(fr1, ei1));
        zre2 = rev(f32x4.add(er2, fi2)); zim2 = rev(f32x4.sub(fr2, ei2)); zre3 = rev(f32x4.add(er3, fi3)); zim3 = rev(f32x4.sub(fr3, ei3));
      }
      const q = <usize>j0 << 2;
      storeT(zr + row + q, V1b, zre0, zre1, zre2, zre3);
      storeT(zi + row + q, V1b, zim0, zim1, zim2, zim3);
    }
  }
}

// @ts-ignore: decorator
@inline function rev(a: v128): v128 { return v128.shuffle<f32>(a, a, 3, 2, 1, 0); }

/** SIMD storeImage for packed rows of W/2 (multiple of 4) complex values: scale, clip (pmin/pmax), interleave. */
export function storePackedSimd(zr: usize, zi: usize, H: i32, W: i32, scale: f32, clip: bool, lo: f32, hi: f32, out: usize, C: i32, c: i32): void {
  const W2 = W >> 1, sc = f32x4.splat(scale), vlo = f32x4.splat(lo), vhi = f32x4.splat(hi), cb = <usize>C << 2;
  let o = out + (<usize>c << 2), p: usize = 0;
  for (let h = 0; h < H; h++) {
    for (let j0 = 0; j0 < W2; j0 += 4, p += 16) {
      let a = f32x4.mul(v128.load(zr + p), sc), b = f32x4.mul(v128.load(zi + p), sc);
      if (clip) { a = f32x4.pmin(vhi, f32x4.pmax(vlo, a)); b = f32x4.pmin(vhi, f32x4.pmax(vlo, b)); }
      store<f32>(o, f32x4.extract_lane(a, 0)); o += cb; store<f32>(o, f32x4.extract_lane(b, 0)); o += cb;
      store<f32>(o, f32x4.extract_lane(a, 1)); o += cb; store<f32>(o, f32x4.extract_lane(b, 1)); o += cb;
      store<f32>(o, f32x4.extract_lane(a, 2)); o += cb; store<f32>(o, f32x4.extract_lane(b, 2)); o += cb;
      store<f32>(o, f32x4.extract_lane(a, 3)); o += cb; store<f32>(o, f32x4.extract_lane(b, 3)); o += cb;
    }
  }
}

