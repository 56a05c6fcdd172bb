/**
 * Linear skin texture model A(α) = Ā + Φ α (pure). Maps are HWC RGB float images in [0, 1] (sRGB
 * values); the basis Φ has orthonormal columns scaled by each component's standard deviation, so α is
 * in standard-deviation units (α ~ N(0, σ²) with σ = config.texture.sigma).
 *
 * Two sources: `pcaTextureModel` (PCA of a folder of maps the user supplies, e.g. scanned hand
 * textures, via the Gram-matrix trick) and `proceduralTextureModel` (built in: skin tone from light to
 * dark along a melanin direction, redness along a haemoglobin direction, low-frequency mottling and
 * fine crease/pore detail), so rendering works out of the box.
 */
import { symEig } from '../util/linalg.ts';
import { Rng } from '../util/rng.ts';
import type { SkinFeatureMaps } from './skin-features.ts';

export interface TextureModel {
  width: number;
  height: number;
  /** HWC×3, mean map */
  mean: Float32Array;
  /** k maps (HWC×3), unit L2 norm each */
  basis: Float32Array[];
  /** std of each component (multiplies α) */
  stds: number[];
  source: string;
  /** texels whose colour the forearm continues (skin near the wrist), when the model knows them */
  toneWeight?: Float32Array;
}

/** A(α) = mean + Σ α_i · std_i · basis_i, clipped to [0, 1]. Missing α components count as 0. */
export function synthesizeTexture(model: TextureModel, alpha: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(model.mean);
  const k = Math.min(alpha.length, model.basis.length);
  for (let c = 0; c < k; c++) {
    const w = alpha[c] * model.stds[c], b = model.basis[c];
    for (let i = 0; i < out.length; i++) out[i] += w * b[i];
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return out;
}

/** Mean RGB of a map (used to colour the forearm like the hand). */
export function meanColor(map: Float32Array): [number, number, number] {
  const s = [0, 0, 0];
  for (let i = 0; i < map.length; i += 3) { s[0] += map[i]; s[1] += map[i + 1]; s[2] += map[i + 2]; }
  const n = map.length / 3;
  return [s[0] / n, s[1] / n, s[2] / n];
}

/**
 * PCA of N maps (each HWC×3, same size) keeping k components: eigenvectors of the N×N Gram matrix of
 * the centred maps, lifted to pixel space. stds are sqrt(eigenvalue / (N−1)).
 */
export function pcaTextureModel(maps: Float32Array[], width: number, height: number, k: number, source = 'pca'): TextureModel {
  const N = maps.length;
  if (N < 2) throw new Error(`texture PCA needs at least 2 maps, got ${N}`);
  const D = width * height * 3;
  for (const [i, m] of maps.entries()) if (m.length !== D) throw new Error(`texture map ${i} has ${m.length} values, expected ${D}`);
  const mean = new Float32Array(D);
  for (const m of maps) for (let i = 0; i < D; i++) mean[i] += m[i] / N;
  const centred = maps.map((m) => { const c = new Float32Array(D); for (let i = 0; i < D; i++) c[i] = m[i] - mean[i]; return c; });
  const G = new Float64Array(N * N);
  for (let a = 0; a < N; a++) for (let b = a; b < N; b++) {
    let s = 0; const x = centred[a], y = centred[b];
    for (let i = 0; i < D; i++) s += x[i] * y[i];
    G[a * N + b] = s; G[b * N + a] = s;
  }
  const { values, vectors } = symEig(G, N); // descending eigenvalues, eigenvectors in columns
  const basis: Float32Array[] = [], stds: number[] = [];
  for (let c = 0; c < Math.min(k, N - 1); c++) {
    const lam = values[c];
    if (!(lam > 1e-12)) break;
    const v = new Float32Array(D);
    for (let a = 0; a < N; a++) { const w = vectors[a * N + c]; const x = centred[a]; for (let i = 0; i < D; i++) v[i] += w * x[i]; }
    let nrm = 0; for (let i = 0; i < D; i++) nrm += v[i] * v[i];
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < D; i++) v[i] /= nrm;
    basis.push(v); stds.push(Math.sqrt(lam / (N - 1)));
  }
  return { width, height, mean, basis, stds, source };
}

/** Smooth value noise in [-1, 1] on a size×size grid with `cells` lattice cells (bilinear, wraps). */
function valueNoise(size: number, cells: number, rng: Rng): Float32Array {
  const lat = Array.from({ length: cells * cells }, () => rng.uniform(-1, 1));
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const fx = (x / size) * cells, fy = (y / size) * cells;
    const x0 = Math.floor(fx), y0 = Math.floor(fy), tx = fx - x0, ty = fy - y0;
    const sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
    const g = (i: number, j: number) => lat[((j % cells) * cells) + (i % cells)];
    const a = g(x0, y0) * (1 - sx) + g(x0 + 1, y0) * sx, b = g(x0, y0 + 1) * (1 - sx) + g(x0 + 1, y0 + 1) * sx;
    out[y * size + x] = a * (1 - sy) + b * sy;
  }
  return out;
}

function unit(v: Float32Array): Float32Array {
  let n = 0; for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

/**
 * Built-in skin basis (size×size maps in the asset's UV layout). Without `features` (tests, other meshes) every
 * texel is plain skin. With them (lib/synth/skin-features.ts) the mean map has nails, flexion creases, knuckle
 * wrinkles, palm lines and a lighter palm, and the components are spatial:
 *   0 melanin (+1 = one σ darker; ±2σ spans sRGB (0.92, 0.72, 0.59) … (0.32, 0.20, 0.15) on the back of the hand;
 *     palms and nails take about half of it, as on real hands),
 *   1 haemoglobin (redness; stronger at finger tips, knuckles and the palm),
 *   2 low-frequency mottling, 3 fine pore detail (not on nails),
 *   4 crease depth (creases, wrinkles and palm lines darker or fainter),
 *   5 nail tint (paler or pinker nails).
 * Deterministic from `seed`. Component count follows `features` (6 with, 4 without).
 */
export function proceduralTextureModel(size = 128, seed = 7, features?: SkinFeatureMaps): TextureModel {
  if (features && features.size !== size) throw new RangeError(`skin feature maps are ${features.size}², texture size ${size}`);
  const P = size * size, D = P * 3;
  const rng = new Rng(seed);
  const meanRGB = [0.62, 0.46, 0.37];        // a mid skin tone (sRGB)
  const melanin = [-0.15, -0.13, -0.11];    // per σ toward darker skin
  const haemo = [0.035, -0.03, -0.02];       // per σ toward redder skin
  const nailRGB = [0.78, 0.62, 0.58];        // a nail plate over the nail bed
  const lineRGB = [-0.13, -0.12, -0.1];      // a crease or palm line at full depth
  // Palm lines at 0.4 of a flexion crease's depth: at full depth they rendered as dark drawn strokes across
  // every palm facing the camera, where real palms (hgc-dev, 256 px) show them faintly.
  const palmLineDepth = 0.4;
  const f = (m: Float32Array | undefined, p: number) => (m ? m[p] : 0);
  const F = features;
  const mean = new Float32Array(D);
  for (let p = 0; p < P; p++) {
    const nail = f(F?.nail, p), palm = f(F?.palmar, p), line = Math.max(f(F?.crease, p), palmLineDepth * f(F?.palmLines, p), 0.6 * f(F?.wrinkle, p));
    for (let c = 0; c < 3; c++) {
      let v = meanRGB[c] + palm * [0.05, 0.03, 0.03][c] + f(F?.redness, p) * [0.03, -0.012, -0.008][c];
      v += nail * (nailRGB[c] - v) * 0.75;
      v += line * lineRGB[c];
      mean[p * 3 + c] = v;
    }
  }
  const field = (weight: (p: number) => number, dir: number[]) => { const v = new Float32Array(D); for (let p = 0; p < P; p++) { const w = weight(p); for (let c = 0; c < 3; c++) v[p * 3 + c] = w * dir[c]; } return v; };
  const mott = valueNoise(size, 6, rng), fine1 = valueNoise(size, 48, rng), fine2 = valueNoise(size, 24, rng);
  const fine = new Float32Array(P);
  for (let p = 0; p < P; p++) fine[p] = 0.6 * fine1[p] + 0.4 * Math.sign(fine2[p]) * Math.abs(fine2[p]) ** 3;
  const notNail = (p: number) => 1 - f(F?.nail, p);
  const raw = [
    field((p) => 1 - 0.5 * f(F?.palmar, p) - 0.6 * f(F?.nail, p), melanin),
    field((p) => (F ? 0.6 + 0.8 * F.redness[p] : 1), haemo),
    field((p) => mott[p] * notNail(p), [0.06, 0.05, 0.04]),
    field((p) => fine[p] * notNail(p), [0.05, 0.045, 0.04]),
  ];
  if (F) {
    raw.push(field((p) => Math.max(F.crease[p], palmLineDepth * F.palmLines[p], 0.6 * F.wrinkle[p]), [-0.05, -0.045, -0.04]));
    raw.push(field((p) => F.nail[p], [0.05, 0.02, 0.025]));
  }
  // raw[c] is the change per unit α, so std = |raw[c]| and basis = raw[c] / |raw[c]|.
  const stds: number[] = [], basis: Float32Array[] = [];
  for (const v of raw) { let n = 0; for (const x of v) n += x * x; stds.push(Math.sqrt(n)); basis.push(unit(v)); }
  return { width: size, height: size, mean, basis, stds, source: `procedural(size=${size}, seed=${seed}${F ? ', anatomical detail' : ''})`, ...(F ? { toneWeight: F.wrist } : {}) };
}

/** Mean colour of a map over the texels where `weight` > 0 (e.g. the skin the forearm continues). */
export function weightedMeanColor(map: Float32Array, weight: Float32Array): [number, number, number] {
  const s = [0, 0, 0]; let n = 0;
  for (let p = 0; p < weight.length; p++) if (weight[p] > 0) { for (let c = 0; c < 3; c++) s[c] += weight[p] * map[p * 3 + c]; n += weight[p]; }
  return n > 0 ? [s[0] / n, s[1] / n, s[2] / n] : meanColor(map);
}
