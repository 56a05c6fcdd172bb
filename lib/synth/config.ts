/**
 * Render configuration: one zod schema gives the type, the defaults and the checks (lib/config/schema.ts).
 * A wrong, misspelled or out-of-range field gets one message naming the file, the field path and what is
 * allowed, before any rendering starts. Ranges are [lo, hi] pairs sampled uniformly.
 */
import { z, num, int, range, parseConfig } from '../config/schema.ts';
import { GRASP_KINDS, OBJECT_MATERIALS } from './grasp.ts';

export type Range = [number, number];

/** Kinds of objects placed near a finger (placement "near"); held objects (placement "grasp") are GRASP_KINDS. */
export const OBJECT_KINDS = ['sphere', 'cube', 'cylinder', 'cone', 'blob'] as const;

/** A strict object whose missing fields take their defaults (an absent object is built from them). */
const group = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject(shape).prefault({} as never);
const rangeOf = (min: number, max: number, dflt: Range) => range(min, max).default(dflt) as unknown as z.ZodDefault<z.ZodType<Range>>;
const flag = (dflt: boolean) => z.boolean().default(dflt);

export const RENDER_CONFIG = z.strictObject({
  seed: int(0, 2 ** 32 - 1).default(1),
  /** Number of samples (overridable with --n). */
  n: int(1, 1e9).default(100),
  image: group({ width: int(8, 8192).default(224), height: int(8, 8192).default(224), format: z.enum(['jpg', 'png']).default('jpg'), jpegQuality: int(1, 100).default(95) }),
  camera: group({
    // Defaults: the view distribution of the real test set (hgc-dev, measured with its labels): the hand fills about
    // 70 % of the frame, palm toward the camera (±40°), fingers up (±45°). docs/synthesis.md, "The view distribution".
    /** focal length in pixels (fx = fy) */ focal: rangeOf(1, 1e5, [380, 460]),
    /** hand joint-centroid distance from the camera, metres */ distance: rangeOf(0.05, 100, [0.3, 0.4]),
    /** max offset of the hand centroid from the image centre, fraction of the image width */ offset: num(0, 0.5).default(0.06),
    /** viewpoint, degrees: yaw about the camera's y axis, pitch about x, roll about the optical axis, about the palm-facing, fingers-up view */
    yaw: rangeOf(-360, 360, [-40, 40]), pitch: rangeOf(-90, 90, [-30, 30]), roll: rangeOf(-360, 360, [-45, 45]),
  }),
  pose: z.strictObject({
    /**
     * 'natural' (default): coupled finger curls without hyperextension (lib/hand/natural.ts); 'random': Gaussian around a relaxed
     * hand; 'rest'; 'file': the angles of a handgap pose file; 'fitted': a fitted real set (handgap poses fit --real-labels, or a
     * real set's name/folder, fitted once and cached): its poses, views and K, `repeat` renders per pose
     */
    source: z.enum(['natural', 'random', 'rest', 'file', 'fitted']).default('natural'),
    /** 'random': std of the angle noise as a fraction of each DOF's range/4 */ spread: num(0, 10).default(0.7),
    /** a handgap pose file (required when source is "file"); for "fitted" also a real set's name or folder */ file: z.string().min(1).nullable().default(null),
    /** 'fitted': renders per pose (sample i shows pose ⌊i / repeat⌋) */ repeat: int(1, 1e6).default(1),
    /**
     * 'fitted': probability that each finger of a render is bent as in another pose of the rendered frames (a seeded
     * draw among the frames this config shows, so no other frame's pose enters; lib/hand/recombine.ts). 0 (default):
     * every render shows its frame's pose as fitted.
     */
    recombine: num(0, 1).default(0),
    /**
     * 'fitted': the real frames shown, as inclusive blocks [first, last] (e.g. a test block, rendered for evaluation
     * only); sample i shows the ⌊i / repeat⌋-th listed frame, and n defaults to the frames listed × repeat.
     * null (default): every frame of the set, from frame 0.
     */
    frames: z.array(z.tuple([int(0, 1e9), int(0, 1e9)]).refine(([a, b]) => a <= b, { message: 'expected [first, last] with first <= last' })).min(1).nullable().default(null),
    /** 'natural': share of hands in a grasp pose (fingers half curled together, thumb opposed); real hands in hgc-dev and the Leap recordings show 9–12 % with three or more fingers half curled */ grasp: num(0, 1).default(0.1),
  }).refine((p) => (p.source !== 'file' && p.source !== 'fitted') || p.file, { path: ['file'], message: 'required when pose.source is "file" or "fitted" (a handgap pose file; for "fitted" also a real set)' })
    .refine((p) => p.source === 'fitted' || p.frames === null, { path: ['frames'], message: 'only for pose.source "fitted"' })
    .refine((p) => p.source === 'fitted' || p.recombine === 0, { path: ['recombine'], message: 'only for pose.source "fitted"' }).prefault({} as never),
  /**
   * global hand scale (multiplies the asset's rest skeleton); girth: thickness of the palm and fingers across
   * their bones (1 = the asset's; the joints and bone lengths do not change)
   */
  shape: group({ scale: rangeOf(0.3, 3, [0.9, 1.1]), girth: rangeOf(0.3, 3, [1, 1]) }),
  texture: group({
    /** 'procedural' (built-in skin basis) or a folder of texture maps (PCA) */ basis: z.string().min(1).default('procedural'),
    /** α ~ N(0, sigma²) per component (in units of each component's std) */ sigma: num(0, 10).default(1.0),
    components: int(1, 64).default(6), size: int(16, 2048).default(256),
    roughness: rangeOf(0, 1, [0.45, 0.7]), specular: rangeOf(0, 1, [0.2, 0.4]), subsurface: rangeOf(0, 1, [0, 0]),
    detailStrength: rangeOf(0, 1, [0.0, 0.02]), detailScale: rangeOf(1, 5000, [20, 60]),
  }),
  hdri: group({
    enabled: flag(true),
    /** 'blender' (the HDRIs bundled with Blender) or a folder of .exr/.hdr */ library: z.string().min(1).default('blender'),
    /** use only the first ceil(subset·N) HDRIs */ subset: num(0, 1).default(1.0),
    strength: rangeOf(0, 100, [0.7, 1.4]), yaw: rangeOf(-360, 360, [-180, 180]), elevation: rangeOf(-90, 90, [-15, 15]),
    backgroundColor: z.tuple([num(0, 1), num(0, 1), num(0, 1)]).default([0.05, 0.05, 0.05]),
  }),
  /**
   * A soft area light beside the camera (the fill of a room or a flash): without it, a hand in front of a bright
   * HDRI region is a dark silhouette, which real hand photos rarely are. Off: the HDRI alone lights the hand.
   */
  fill: group({
    enabled: flag(true),
    /** radiant power, W (Blender units) */ power: rangeOf(0, 1000, [0.5, 2]),
    /** side of the square light, metres */ size: rangeOf(0.01, 10, [0.3, 0.6]),
    /** light position beside the camera (x and y in the camera frame), metres */ offset: num(0, 10).default(0.2),
  }),
  forearm: group({ enabled: flag(true), probability: num(0, 1).default(1.0), length: rangeOf(0.02, 1, [0.2, 0.3]), girth: rangeOf(0.3, 3, [0.9, 1.15]), taper: rangeOf(-0.5, 1, [0.05, 0.25]) }),
  objects: group({
    enabled: flag(false), probability: num(0, 1).default(0.5), maxCount: int(0, 10).default(2),
    /** 'grasp' (default): one everyday object held with ≥ 2 finger tips on its surface (lib/synth/grasp.ts); 'near': primitives in front of a finger joint */
    placement: z.enum(['grasp', 'near']).default('grasp'),
    kinds: z.array(z.enum([...GRASP_KINDS, ...OBJECT_KINDS])).min(1).default([...GRASP_KINDS]),
    /** held objects' materials (procedural) */ materials: z.array(z.enum(OBJECT_MATERIALS)).min(1).default([...OBJECT_MATERIALS]),
    /** 'near' only */ size: rangeOf(0.005, 0.5, [0.03, 0.07]), metallic: num(0, 1).default(0.2),
  }).refine((o) => o.kinds.every((k) => (o.placement === 'grasp' ? (GRASP_KINDS as readonly string[]) : (OBJECT_KINDS as readonly string[])).includes(k)),
    { path: ['kinds'], message: `placement "grasp" takes ${GRASP_KINDS.join(', ')}; placement "near" takes ${OBJECT_KINDS.join(', ')}` }),
  render: group({
    /** Cycles samples per output pixel (split over the supersample × supersample sub-pixels) */
    samples: int(1, 65536).default(20), adaptiveThreshold: num(0, 1).default(0),
    /** handgap's guided denoiser (lib/synth/denoise.ts) on the low-sample render */ denoise: flag(true),
    threads: int(0, 1024).default(0), subdivision: int(0, 3).default(1),
    /** Anti-aliasing by a fixed sub-pixel grid: Blender renders supersample·W × supersample·H, one point sample
     *  position per sub-pixel (no random pixel-filter jitter, which at 16 samples is the noise the denoiser cannot
     *  remove at silhouettes and in the seen HDRI), and each output pixel is the mean of its sub-pixels (a 1-px box
     *  filter, like a camera pixel). 1 = Cycles' own stochastic pixel filter of width filterWidth
     *  (docs/synthesis.md, "Anti-aliasing") */
    supersample: int(1, 4).default(2),
    /** Cycles' pixel filter width (px; Blackman-Harris), used when supersample is 1 */
    filterWidth: num(0.01, 10).default(1.5), timeoutSec: num(1, 86400).default(180), retries: int(0, 20).default(2), workerMaxSamples: int(1, 1e9).default(200),
  }),
  outputs: group({ verts: flag(false) }),
});

export type RenderConfig = z.output<typeof RENDER_CONFIG>;

/** Every field at its default. */
export const DEFAULT_CONFIG: RenderConfig = RENDER_CONFIG.parse({});

/**
 * Validate a user config (missing fields take their defaults) and return the full config. Throws one
 * InputError naming `where` (the config file) and every bad field with what is allowed.
 */
export function validateConfig(user: unknown, where = 'config'): RenderConfig {
  const cfg = parseConfig(RENDER_CONFIG, user, where, 'render config');
  // n given nowhere: a list of fitted frames renders each of them `repeat` times
  const nGiven = typeof user === 'object' && user !== null && 'n' in user;
  return cfg.pose.frames && !nGiven ? { ...cfg, n: listedFrames(cfg.pose.frames).length * cfg.pose.repeat } : cfg;
}

/** The frames of pose.frames' inclusive blocks, in order (each once). */
export function listedFrames(blocks: [number, number][]): number[] {
  const out = new Set<number>();
  for (const [a, b] of blocks) for (let f = a; f <= b; f++) out.add(f);
  return [...out];
}
