/**
 * Render configuration: types, defaults and validation (pure). A wrong field gets a message naming it
 * and the allowed values, before any rendering starts. Ranges are [lo, hi] pairs sampled uniformly.
 */
import { InputError } from '../util/errors.ts';

export type Range = [number, number];

export interface RenderConfig {
  seed: number;
  /** Number of samples (overridable with --n). */
  n: number;
  image: { width: number; height: number; format: 'jpg' | 'png'; jpegQuality: number };
  camera: {
    /** focal length in pixels (fx = fy) */ focal: Range;
    /** hand wrist-to-centroid distance from the camera, metres */ distance: Range;
    /** max offset of the hand centroid from the image centre, fraction of the image width */ offset: number;
    /** viewpoint, degrees: yaw about the camera's y axis, pitch about x, roll about the optical axis */
    yaw: Range; pitch: Range; roll: Range;
  };
  pose: { source: 'random' | 'rest' | 'file'; /** std of the angle noise as a fraction of each DOF's range/4 */ spread: number; /** JSON file: array of N_DOF-angle arrays (radians) */ file: string | null };
  /** global hand scale (multiplies the asset's rest skeleton) */
  shape: { scale: Range };
  texture: {
    /** 'procedural' (built-in skin basis) or a folder of texture maps (PCA) */ basis: string;
    /** α ~ N(0, sigma²) per component (in units of each component's std) */ sigma: number;
    components: number; size: number;
    roughness: Range; specular: Range; subsurface: Range; detailStrength: Range; detailScale: Range;
  };
  hdri: { enabled: boolean; /** 'blender' (the HDRIs bundled with Blender) or a folder of .exr/.hdr */ library: string; /** use only the first ceil(subset·N) HDRIs */ subset: number; strength: Range; yaw: Range; elevation: Range; backgroundColor: [number, number, number] };
  forearm: { enabled: boolean; probability: number; length: Range; girth: Range; taper: Range };
  objects: { enabled: boolean; probability: number; maxCount: number; kinds: string[]; size: Range; metallic: number };
  render: { samples: number; adaptiveThreshold: number; threads: number; subdivision: number; filterWidth: number; timeoutSec: number; retries: number; workerMaxSamples: number };
  outputs: { verts: boolean };
}

export const OBJECT_KINDS = ['sphere', 'cube', 'cylinder', 'cone', 'blob'] as const;

export const DEFAULT_CONFIG: RenderConfig = {
  seed: 1,
  n: 100,
  image: { width: 224, height: 224, format: 'jpg', jpegQuality: 95 },
  camera: { focal: [380, 460], distance: [0.45, 0.65], offset: 0.06, yaw: [-180, 180], pitch: [-50, 50], roll: [-180, 180] },
  pose: { source: 'random', spread: 0.7, file: null },
  shape: { scale: [0.9, 1.1] },
  texture: { basis: 'procedural', sigma: 1.0, components: 4, size: 128, roughness: [0.45, 0.7], specular: [0.2, 0.4], subsurface: [0, 0], detailStrength: [0.0, 0.02], detailScale: [20, 60] },
  hdri: { enabled: true, library: 'blender', subset: 1.0, strength: [0.7, 1.4], yaw: [-180, 180], elevation: [-15, 15], backgroundColor: [0.05, 0.05, 0.05] },
  forearm: { enabled: true, probability: 1.0, length: [0.2, 0.3], girth: [0.9, 1.15], taper: [0.05, 0.25] },
  objects: { enabled: false, probability: 0.5, maxCount: 2, kinds: [...OBJECT_KINDS], size: [0.03, 0.07], metallic: 0.2 },
  render: { samples: 16, adaptiveThreshold: 0.05, threads: 0, subdivision: 1, filterWidth: 1.5, timeoutSec: 180, retries: 2, workerMaxSamples: 200 },
  outputs: { verts: false },
};

// ---- schema -------------------------------------------------------------------------------------

type Node =
  | { t: 'object'; fields: Record<string, Node> }
  | { t: 'number'; min?: number; max?: number; int?: boolean }
  | { t: 'range'; min?: number; max?: number }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'bool' }
  | { t: 'string' }
  | { t: 'stringOrNull' }
  | { t: 'color' }
  | { t: 'enumList'; values: readonly string[] };

const num = (min?: number, max?: number, int = false): Node => ({ t: 'number', min, max, int });
const range = (min?: number, max?: number): Node => ({ t: 'range', min, max });
const obj = (fields: Record<string, Node>): Node => ({ t: 'object', fields });

const SCHEMA: Node = obj({
  seed: num(0, 2 ** 32 - 1, true),
  n: num(0, 1e9, true),
  image: obj({ width: num(8, 8192, true), height: num(8, 8192, true), format: { t: 'enum', values: ['jpg', 'png'] }, jpegQuality: num(1, 100, true) }),
  camera: obj({ focal: range(1, 1e5), distance: range(0.05, 100), offset: num(0, 0.5), yaw: range(-360, 360), pitch: range(-90, 90), roll: range(-360, 360) }),
  pose: obj({ source: { t: 'enum', values: ['random', 'rest', 'file'] }, spread: num(0, 10), file: { t: 'stringOrNull' } }),
  shape: obj({ scale: range(0.3, 3) }),
  texture: obj({
    basis: { t: 'string' }, sigma: num(0, 10), components: num(1, 64, true), size: num(16, 2048, true),
    roughness: range(0, 1), specular: range(0, 1), subsurface: range(0, 1), detailStrength: range(0, 1), detailScale: range(1, 5000),
  }),
  hdri: obj({ enabled: { t: 'bool' }, library: { t: 'string' }, subset: num(0, 1), strength: range(0, 100), yaw: range(-360, 360), elevation: range(-90, 90), backgroundColor: { t: 'color' } }),
  forearm: obj({ enabled: { t: 'bool' }, probability: num(0, 1), length: range(0.02, 1), girth: range(0.3, 3), taper: range(-0.5, 1) }),
  objects: obj({ enabled: { t: 'bool' }, probability: num(0, 1), maxCount: num(0, 10, true), kinds: { t: 'enumList', values: OBJECT_KINDS }, size: range(0.005, 0.5), metallic: num(0, 1) }),
  render: obj({
    samples: num(1, 65536, true), adaptiveThreshold: num(0, 1), threads: num(0, 1024, true), subdivision: num(0, 3, true), filterWidth: num(0.01, 10),
    timeoutSec: num(1, 86400), retries: num(0, 20, true), workerMaxSamples: num(1, 1e9, true),
  }),
  outputs: obj({ verts: { t: 'bool' } }),
});

function describe(n: Node): string {
  switch (n.t) {
    case 'object': return `an object with fields ${Object.keys(n.fields).join(', ')}`;
    case 'number': return `a${n.int ? 'n integer' : ' number'}${n.min !== undefined ? ` in [${n.min}, ${n.max}]` : ''}`;
    case 'range': return `a range [lo, hi] with ${n.min} <= lo <= hi <= ${n.max}`;
    case 'enum': return `one of ${n.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'enumList': return `a non-empty list of ${n.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'bool': return 'true or false';
    case 'string': return 'a string';
    case 'stringOrNull': return 'a string or null';
    case 'color': return 'an [r, g, b] list of numbers in [0, 1]';
  }
}

function check(value: unknown, n: Node, where: string, errors: string[]): void {
  const bad = () => errors.push(`${where}: got ${JSON.stringify(value)}, expected ${describe(n)}`);
  switch (n.t) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) { bad(); return; }
      for (const [k, v] of Object.entries(value)) {
        const f = n.fields[k];
        if (!f) errors.push(`${where}.${k}: unknown field (allowed: ${Object.keys(n.fields).join(', ')})`);
        else check(v, f, `${where}.${k}`, errors);
      }
      return;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (n.int && !Number.isInteger(value))
        || (n.min !== undefined && value < n.min) || (n.max !== undefined && value > n.max)) bad();
      return;
    case 'range':
      if (!Array.isArray(value) || value.length !== 2 || !value.every((x) => typeof x === 'number' && Number.isFinite(x))
        || value[0] > value[1] || (n.min !== undefined && value[0] < n.min) || (n.max !== undefined && value[1] > n.max)) bad();
      return;
    case 'enum': if (typeof value !== 'string' || !n.values.includes(value)) bad(); return;
    case 'enumList':
      if (!Array.isArray(value) || value.length === 0 || !value.every((x) => typeof x === 'string' && n.values.includes(x))) bad();
      return;
    case 'bool': if (typeof value !== 'boolean') bad(); return;
    case 'string': if (typeof value !== 'string' || value.length === 0) bad(); return;
    case 'stringOrNull': if (value !== null && typeof value !== 'string') bad(); return;
    case 'color':
      if (!Array.isArray(value) || value.length !== 3 || !value.every((x) => typeof x === 'number' && x >= 0 && x <= 1)) bad();
      return;
  }
}

function deepMerge<T>(base: T, over: unknown): T {
  if (typeof over !== 'object' || over === null || Array.isArray(over) || typeof base !== 'object' || base === null || Array.isArray(base)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

/**
 * Validate a user config (partial; missing fields take DEFAULT_CONFIG) and return the full config.
 * Throws one InputError listing every bad field. `where` names the config file.
 */
export function validateConfig(user: unknown, where = 'config'): RenderConfig {
  const errors: string[] = [];
  check(user ?? {}, SCHEMA, 'config', errors);
  if (errors.length) throw new InputError(where, `invalid render config:\n  ${errors.join('\n  ')}`);
  const cfg = deepMerge(DEFAULT_CONFIG, user ?? {});
  if (cfg.pose.source === 'file' && !cfg.pose.file) throw new InputError(where, 'config.pose.file: required when config.pose.source is "file"');
  return cfg;
}
