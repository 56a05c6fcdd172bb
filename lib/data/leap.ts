/**
 * Reader for the Leap Motion recordings of leapjs-playback (shared/data/poses/leap, see its README).
 * Files are lz-string `compressToBase64` JSON; format 2 is packed and unpacked here.
 *
 * Which Leap fields become which canonical joints (per finger `type` 0 thumb .. 4 pinky):
 *   thumb:  mcpPosition → thumb_cmc (Leap's thumb metacarpal has zero length), pipPosition → thumb_mcp,
 *           dipPosition → thumb_ip, tipPosition → thumb_tip
 *   others: mcpPosition → *_mcp, pipPosition → *_pip, dipPosition → *_dip, tipPosition → *_tip
 *   wrist:  not recorded; approximated as palmPosition − 43.2·direction − 11.5·palmNormal (mm), the
 *           mean metacarpal-base location measured in pinch-57fps (README: ~5 mm residual).
 * Units: Leap millimetres → metres. Frame: Leap device frame (y up, z toward the user) → a camera
 * 0.5 m above the device looking down, image-up away from the user: x_cam = x, y_cam = z,
 * z_cam = 0.5 m − y (a proper rotation, so right hands stay right hands).
 */
import fs from 'node:fs';
import path from 'node:path';
import LZString from 'lz-string';
import { InputError } from '../util/errors.ts';
import { cacheDir } from '../util/paths.ts';
import { writeJsonAtomic } from '../util/fsx.ts';

/** The 15 independent recordings (README "original" files); the rest are crops or resampled copies. */
const LEAP_ORIGINAL_FILES = [
  'HandSplay-110fps.json.lz', 'Waiting-110fps.json.lz', 'brian.json.lz', 'confidence-74fps.json.lz', 'confidence-demo.json.lz',
  'confidence2.json.lz', 'flapping.json.lz', 'grab.json.lz', 'test-paddle-rightwards.json.lz', 'gun.json.lz', 'pinch.json.lz',
  'pinch-57fps.json.lz', 'rollAndPitchWithEntry.json.lz', 'three-claps.json.lz', 'wave.json.lz',
] as const;

/** Camera height above the device used for the Leap → camera frame conversion (metres). */
const LEAP_CAMERA_HEIGHT_M = 0.5;

export interface LeapHand {
  file: string;
  frameId: number;
  /** Leap's hand label. */
  handedness: 'left' | 'right';
  /** 21×3 metres, camera frame (see module doc), canonical order. */
  xyz: number[][];
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Unpack a format-2 frame given the packing structure (key list, nested lists for sub-records). */
function unpackLeapFrame(structure: Json[], values: Json[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  structure.forEach((key, i) => {
    const v = values[i];
    if (typeof key === 'string') { out[key] = v; return; }
    const name = Object.keys(key)[0];
    const sub = key[name];
    if (Array.isArray(sub) && Array.isArray(sub[0])) out[name] = (v as Json[]).map((item) => unpackLeapFrame(sub[0], item));
    else out[name] = unpackLeapFrame(sub, v);
  });
  return out;
}

/** Decode one .json.lz recording into its frames (unpacked). */
function decodeLeapFile(file: string): { metadata: Record<string, Json>; frames: Record<string, Json>[] } {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8').trim(); } catch (e) { throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code})`); }
  const json = LZString.decompressFromBase64(text);
  if (!json) throw new InputError(file, 'not an lz-string base64 stream');
  let doc: Json;
  try { doc = JSON.parse(json); } catch (e) { throw new InputError(file, `decoded text is not JSON (${(e as Error).message})`); }
  if (!doc || !Array.isArray(doc.frames)) throw new InputError(file, 'missing "frames" array');
  const metadata = doc.metadata ?? {};
  if (Number(metadata.formatVersion) === 2) {
    const [structure, ...rest] = doc.frames;
    return { metadata, frames: rest.map((v: Json[]) => unpackLeapFrame(structure, v)) };
  }
  return { metadata, frames: doc.frames };
}

const toCam = (p: number[]): number[] => [p[0] / 1000, p[2] / 1000, LEAP_CAMERA_HEIGHT_M - p[1] / 1000];

/** Bump when the conversion above changes, so cached conversions are not reused. */
const CONVERSION_VERSION = 1;

/**
 * All hands of one recording as canonical 21-joint poses in metres (camera frame, see module doc).
 * lz-string decoding is slow (about 10 s for all files), so converted hands are cached under
 * HANDGAP_CACHE/leap, keyed by file name, size, mtime and conversion version (`cache: false` skips it).
 */
export function readLeapFile(file: string, opts: { cache?: boolean } = {}): LeapHand[] {
  let cached: string | null = null;
  if (opts.cache ?? true) {
    try {
      const st = fs.statSync(file);
      cached = path.join(cacheDir(), 'leap', `${path.basename(file)}.${st.size}.${Math.round(st.mtimeMs)}.v${CONVERSION_VERSION}.json`);
      if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8')) as LeapHand[];
    } catch { cached = null; /* unreadable cache: convert again */ }
  }
  const hands = convertLeapFile(file);
  if (cached) { try { writeJsonAtomic(cached, hands); } catch { /* read-only cache: fine */ } }
  return hands;
}

function convertLeapFile(file: string): LeapHand[] {
  const { frames } = decodeLeapFile(file);
  const base = path.basename(file);
  const out: LeapHand[] = [];
  frames.forEach((fr, fi) => {
    for (const hand of fr.hands ?? []) {
      const fingers = (fr.pointables ?? []).filter((p: Json) => p.handId === hand.id && !p.tool);
      const byType = new Map<number, Json>();
      for (const p of fingers) byType.set(typeof p.type === 'number' ? p.type : p.id % 10, p);
      if (byType.size !== 5) throw new InputError(`${file}: frame ${fi} hand ${hand.id}`, `expected 5 fingers, found ${byType.size}`);
      const pp = hand.palmPosition, dir = hand.direction, nrm = hand.palmNormal;
      if (![pp, dir, nrm].every((v) => Array.isArray(v) && v.length === 3)) throw new InputError(`${file}: frame ${fi} hand ${hand.id}`, 'palmPosition/direction/palmNormal missing');
      const wrist = [0, 1, 2].map((c) => pp[c] - 43.2 * dir[c] - 11.5 * nrm[c]);
      const xyz: number[][] = [toCam(wrist)];
      for (let t = 0; t < 5; t++) {
        const f = byType.get(t)!;
        for (const key of ['mcpPosition', 'pipPosition', 'dipPosition', 'tipPosition']) {
          const v = f[key];
          if (!Array.isArray(v) || v.length !== 3) throw new InputError(`${file}: frame ${fi} finger ${t}`, `${key} missing`);
          xyz.push(toCam(v));
        }
      }
      out.push({ file: base, frameId: fr.id, handedness: hand.type === 'left' ? 'left' : 'right', xyz });
    }
  });
  return out;
}

/** All hands of a Leap folder; by default only the 15 independent recordings (no duplicated frames). */
export function readLeapDir(dir: string, opts: { allFiles?: boolean; cache?: boolean } = {}): LeapHand[] {
  if (!fs.existsSync(dir)) throw new InputError(dir, 'Leap recordings folder not found');
  const files = opts.allFiles ? fs.readdirSync(dir).filter((f) => f.endsWith('.json.lz')).sort() : [...LEAP_ORIGINAL_FILES];
  return files.flatMap((f) => readLeapFile(path.join(dir, f), opts));
}
