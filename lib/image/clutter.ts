/**
 * Procedural clutter backgrounds (pure pixel math; no file IO), for background randomisation of rendered
 * training images: behind a rendered hand, its mask's background pixels are replaced by a random scene of
 * overlapping rectangles, ellipses and stripes over a colour gradient (the "domain randomisation" of Tobin et
 * al. 2017). A few HDRIs give a model only a few backgrounds to learn to ignore; a real photo has shelves,
 * shirts and faces behind the hand. Some shapes take skin tones, so skin colour alone does not mark the hand.
 */
import { Rng } from '../util/rng.ts';
import { hsvToRgb } from './colour.ts';

function randomColour(rng: Rng): [number, number, number] {
  // one shape in six is skin-toned (hue 0.02–0.10, moderate saturation)
  if (rng.random() < 1 / 6) return hsvToRgb(rng.uniform(0.02, 0.1), rng.uniform(0.25, 0.6), rng.uniform(0.35, 0.95));
  return hsvToRgb(rng.random(), rng.uniform(0, 1) ** 1.5, rng.uniform(0.1, 1));
}

/**
 * A size×size×3 clutter image (values in [0, 1], HWC) drawn from `seed`: a two-colour gradient, then
 * 12–40 shapes, each a rectangle, an ellipse or a band of stripes, and a 3×3 box blur on half the images.
 */
export function clutterImage(size: number, seed: number): Float32Array {
  const rng = new Rng(seed), N = size, img = new Float32Array(N * N * 3);
  const c0 = randomColour(rng), c1 = randomColour(rng), angle = rng.uniform(0, 2 * Math.PI);
  const gx = Math.cos(angle) / N, gy = Math.sin(angle) / N;
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
    const t = Math.min(1, Math.max(0, 0.5 + (x - N / 2) * gx + (y - N / 2) * gy));
    for (let c = 0; c < 3; c++) img[(y * N + x) * 3 + c] = c0[c] * (1 - t) + c1[c] * t;
  }
  const shapes = rng.int(12, 41);
  for (let k = 0; k < shapes; k++) {
    const kind = rng.random(), col = randomColour(rng);
    const w = rng.uniform(0.05, 0.45) * N, h = rng.uniform(0.05, 0.45) * N;
    const cx = rng.uniform(0, N), cy = rng.uniform(0, N);
    const period = rng.uniform(2, 8), stripeAngle = rng.uniform(0, Math.PI);
    const x0 = Math.max(0, Math.floor(cx - w / 2)), x1 = Math.min(N, Math.ceil(cx + w / 2));
    const y0 = Math.max(0, Math.floor(cy - h / 2)), y1 = Math.min(N, Math.ceil(cy + h / 2));
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
      const u = (x + 0.5 - cx) / (w / 2), v = (y + 0.5 - cy) / (h / 2);
      let inside: boolean;
      if (kind < 0.45) inside = true; // rectangle
      else if (kind < 0.8) inside = u * u + v * v <= 1; // ellipse
      else inside = Math.floor(((x * Math.cos(stripeAngle) + y * Math.sin(stripeAngle)) / period)) % 2 === 0; // stripes
      if (!inside) continue;
      const o = (y * N + x) * 3;
      img[o] = col[0]; img[o + 1] = col[1]; img[o + 2] = col[2];
    }
  }
  if (rng.random() < 0.5) boxBlur3(img, N);
  return img;
}

function boxBlur3(img: Float32Array, N: number): void {
  const src = img.slice();
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) for (let c = 0; c < 3; c++) {
    let s = 0, n = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= N || yy >= N) continue;
      s += src[(yy * N + xx) * 3 + c]; n++;
    }
    img[(y * N + x) * 3 + c] = s / n;
  }
}

/** out = α·image + (1 − α)·background per pixel (α: size×size foreground weights in [0, 1]; both HWC, 3 channels). */
export function blendOverBackground(image: Float32Array, alpha: Float32Array, background: Float32Array): void {
  for (let p = 0; p < alpha.length; p++) {
    const a = alpha[p];
    if (a >= 1) continue;
    for (let c = 0; c < 3; c++) image[p * 3 + c] = a * image[p * 3 + c] + (1 - a) * background[p * 3 + c];
  }
}
