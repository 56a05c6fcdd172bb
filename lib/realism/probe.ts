/**
 * The realism probe: a hand-landmark model trained on real photos, run on the images of a set, scored against the
 * set's own labels (lib/realism/landmarks.ts). If real-trained models do not see rendered hands as hands (missed
 * detections, landmarks off the fingers), the renders are not realistic enough for the study's questions.
 *
 * Model: @vladmandic/human's hand pipeline (handtrack detector + handlandmark-lite, the MediaPipe hand landmark
 * model), whose weights ship inside the npm package; loaded from node_modules (no network), run on tfjs's wasm
 * backend (CPU). Every image is processed independently (no frame-to-frame tracking or caching).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HandSample } from '../data/types.ts';
import { readImage } from '../image/io.ts';
import { projectJoints } from '../analysis/occlusion.ts';
import { Rng } from '../util/rng.ts';
import { Progress } from '../util/progress.ts';
import { HandgapError } from '../util/errors.ts';
import { scoreImage, summarizeProbe, type Detection, type ImageScore, type ProbeSummary } from './landmarks.ts';

const require = createRequire(import.meta.url);
/** framings tried per image: borders as fractions of the longer side (on hgc-dev's close-ups no border finds 46% of the hands, 0.5 finds 98%) */
const PADS = [0, 0.5];

/** Where the package keeps its model files, and the detector build for Node on tfjs wasm. */
function humanPaths(): { dist: string; models: string; wasm: string } {
  let main: string;
  try { main = require.resolve('@vladmandic/human'); } catch { throw new HandgapError('realism probe: the npm package @vladmandic/human is not installed (npm install)'); }
  const dist = path.dirname(main);
  return { dist, models: path.join(path.dirname(dist), 'models'), wasm: path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Human = any;
let loaded: Promise<Human> | null = null;

/** The model, loaded once per process from the package's files. */
export function loadProbeModel(): Promise<Human> {
  loaded ??= (async () => {
    const p = humanPaths();
    const { Human } = require(path.join(p.dist, 'human.node-wasm.js'));
    const human = new Human({
      backend: 'wasm', wasmPath: p.wasm, modelBasePath: pathToFileURL(p.models).href + '/', debug: false, cacheSensitivity: 0,
      face: { enabled: false }, body: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false },
      // the package's own confidence threshold (0.5); one hand per image, the most confident
      hand: { enabled: true, rotation: true, skipFrames: 0, skipTime: 0, maxDetected: 1, landmarks: true, minConfidence: 0.5 },
    });
    // Node's fetch has no file: scheme; the model loader asks for file: URLs, answered from disk here (nothing
    // else is fetched: any other URL fails, so a missing model file can never turn into a download).
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith('file:')) throw new HandgapError(`realism probe: refusing to fetch ${url} (models load from the package only)`);
      return new Response(fs.readFileSync(fileURLToPath(url)));
    }) as typeof fetch;
    try { await human.load(); } finally { globalThis.fetch = original; }
    return human;
  })();
  return loaded;
}

/**
 * Hands found in one image: 21 landmarks each (pixels, detector order), most confident first. The palm detector
 * sees a fixed-size view of the whole image, so a hand that fills the frame (cut by its border) and a small hand
 * are found at different framings: the image is tried as is and inside a grey border (PADS, fractions of the
 * longer side), and the detections of both are returned (landmarks shifted back to the image).
 */
export async function detectHands(file: string): Promise<Detection[]> {
  const human = await loadProbeModel();
  const img = await readImage(file);
  const found: Detection[] = [];
  for (const pad of PADS) {
    const m = Math.round(pad * Math.max(img.width, img.height)), W = img.width + 2 * m, H = img.height + 2 * m;
    const padded = new Int32Array(W * H * 3).fill(128);
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) for (let c = 0; c < 3; c++) padded[((y + m) * W + x + m) * 3 + c] = img.data[(y * img.width + x) * 3 + c];
    const t = human.tf.tensor3d(padded, [H, W, 3], 'int32');
    try {
      const r = await human.detect(t);
      if (r.error) throw new HandgapError(`realism probe: ${file}: ${r.error}`);
      for (const h of (r.hand ?? []) as { score: number; keypoints?: number[][] }[]) {
        if (h.keypoints && h.keypoints.length === 21) found.push({ score: h.score, keypoints: h.keypoints.map((k) => [k[0] - m, k[1] - m]) });
      }
    } finally { t.dispose(); }
  }
  return found.sort((a, b) => b.score - a.score);
}

export interface ProbeResult extends ProbeSummary { model: string; seed: number; perImage: (ImageScore & { image: string })[] }

/**
 * Run the probe on labelled samples (at most `limit`, a seeded subset): detection rate, 2D error as a fraction of the
 * hand box, PCK@threshold, with bootstrap intervals over images.
 */
export async function realismProbe(samples: HandSample[], opts: { limit?: number; seed?: number; threshold?: number; label?: string; quiet?: boolean } = {}): Promise<ProbeResult> {
  const seed = opts.seed ?? 0, threshold = opts.threshold ?? 0.1;
  const labelled = samples.filter((s) => s.xyz);
  if (labelled.length === 0) throw new HandgapError(`realism probe${opts.label ? ` (${opts.label})` : ''}: no sample has 3D labels to project`);
  const pick = opts.limit && opts.limit < labelled.length ? Rng.derive(seed, 'realism-probe', 'subset').permutation(labelled.length).slice(0, opts.limit).sort((a, b) => a - b).map((i) => labelled[i]) : labelled;
  const progress = opts.quiet ? null : new Progress({ label: `realism probe${opts.label ? ` ${opts.label}` : ''}`, total: pick.length, unit: 'img' });
  const perImage: ProbeResult['perImage'] = [];
  for (const s of pick) {
    const labels = projectJoints(s.xyz!, s.K);
    perImage.push({ image: s.imagePath, ...scoreImage(labels, await detectHands(s.imagePath), threshold) });
    progress?.tick(1);
  }
  progress?.finish();
  const rng = Rng.derive(seed, 'realism-probe', 'bootstrap');
  return { model: '@vladmandic/human hand (handtrack + handlandmark-lite)', seed, ...summarizeProbe(perImage, threshold, () => rng.uniform(0, 1)), perImage };
}
