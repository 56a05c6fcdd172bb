/**
 * Pose sets: collections of 3D hand poses (no images) that drive the renderer and the pose-gap
 * statistics. One in-memory form for all sources:
 *   PoseSet.joints: N×21×3 flat Float64Array, metres, canonical JOINTS21 order; the frame is
 *   recorded in `frame` ('camera' = OpenCV camera frame, 'hand' = the model's hand frame).
 * Sources: FreiHAND-style `<split>_xyz.json` (any skeleton of lib/hand/joint-maps), the hgc-dev set
 * (LEFT hands), the Leap recordings (lib/data/leap.ts) and handgap pose files written by
 * `writePoseFile` (what `handgap poses sample` produces).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../util/errors.ts';
import { writeJsonAtomic } from '../util/fsx.ts';
import { findKnownSet } from '../util/paths.ts';
import { readLabelJson, expectList, expectMatrix } from './json-labels.ts';
import { z, int, parseConfig } from '../config/schema.ts';
import { N_DOF } from '../hand/model.ts';
import { readLeapDir, readLeapFile } from './leap.ts';
import { labelFile, FREIHAND_LAYOUT } from './freihand.ts';
import { readDexYcb, type DexYcbSetup, type DexYcbSplit } from './dexycb.ts';
import { TO21, SKELETON_SIZE, type SkeletonName } from '../hand/joint-maps.ts';
import { handednessOfSet } from '../hand/handedness.ts';

export type Handedness = 'left' | 'right';

export interface PoseSet {
  name: string;
  /** N×21×3 flat, metres, canonical order. */
  joints: Float64Array;
  count: number;
  /** Per pose. */
  handedness: Handedness[];
  frame: 'camera' | 'hand';
  /** Where it came from, seeds, sampler settings, ... */
  meta: Record<string, unknown>;
  /** Optional N×N_DOF joint angles (radians) when the set was sampled from / fitted to the model. */
  angles?: Float64Array;
  /**
   * Optional, for a fitted real set (`handgap poses fit --real-labels`): N×25×3 flat rig targets (metres) that
   * the renderer poses its right-hand rig to (in the mirrored camera frame, x → −x, for left hands), and
   * each pose's camera intrinsics (3×3, pixels, of an image of meta.imageSize).
   */
  rig25?: Float64Array;
  K?: number[][][];
}

/** Pose i as 21 [x, y, z] rows. */
export function poseAt(set: PoseSet, i: number): number[][] {
  return Array.from({ length: 21 }, (_, j) => [set.joints[i * 63 + j * 3], set.joints[i * 63 + j * 3 + 1], set.joints[i * 63 + j * 3 + 2]]);
}

/** Make a pose set from rows of 21×3 poses. */
export function poseSetFromArrays(name: string, poses: number[][][], handedness: Handedness | Handedness[], meta: Record<string, unknown> = {}, frame: 'camera' | 'hand' = 'camera'): PoseSet {
  const joints = new Float64Array(poses.length * 63);
  poses.forEach((p, i) => p.forEach((q, j) => { joints[i * 63 + j * 3] = q[0]; joints[i * 63 + j * 3 + 1] = q[1]; joints[i * 63 + j * 3 + 2] = q[2]; }));
  return { name, joints, count: poses.length, handedness: Array.isArray(handedness) ? handedness : poses.map(() => handedness), frame, meta };
}

/** The subset of a set at the given indices (in that order). */
export function selectPoses(set: PoseSet, indices: readonly number[], name = `${set.name}[${indices.length}]`): PoseSet {
  const joints = new Float64Array(indices.length * 63);
  indices.forEach((src, i) => {
    if (src < 0 || src >= set.count) throw new InputError(`${set.name}`, `pose index ${src} out of range 0..${set.count - 1}`);
    joints.set(set.joints.subarray(src * 63, src * 63 + 63), i * 63);
  });
  const out: PoseSet = { name, joints, count: indices.length, handedness: indices.map((i) => set.handedness[i]), frame: set.frame, meta: { ...set.meta, subsetOf: set.name, subsetSize: indices.length } };
  if (set.angles) {
    const n = set.angles.length / set.count;
    out.angles = new Float64Array(indices.length * n);
    indices.forEach((src, i) => out.angles!.set(set.angles!.subarray(src * n, src * n + n), i * n));
  }
  // a fitted real set keeps its rig targets, cameras and per-pose provenance (which real frame each pose is)
  if (set.rig25) {
    out.rig25 = new Float64Array(indices.length * 75);
    indices.forEach((src, i) => out.rig25!.set(set.rig25!.subarray(src * 75, src * 75 + 75), i * 75));
  }
  if (set.K) out.K = indices.map((i) => set.K![i].map((row) => row.slice()));
  for (const k of PER_POSE_META) {
    const v = set.meta[k];
    if (Array.isArray(v) && v.length === set.count) out.meta[k] = indices.map((i) => v[i]);
  }
  return out;
}

/** Meta fields holding one value per pose (a fitted real set's source frame and fit residual): subset with the poses. */
const PER_POSE_META = ['sourceIndices', 'residualMm', 'frames'] as const;

/**
 * Read a FreiHAND-style xyz file: a JSON list of J×3 joint arrays (metres). `skeleton` says which
 * joint order the file uses (default FreiHAND); joints are converted to the canonical order.
 */
export function readXyzJson(file: string, opts: { skeleton?: SkeletonName; handedness?: Handedness; name?: string } = {}): PoseSet {
  const skeleton = opts.skeleton ?? 'freihand';
  const J = SKELETON_SIZE[skeleton];
  const list = expectList(readLabelJson(file), file);
  const map = TO21[skeleton];
  const poses = list.map((entry, i) => {
    const m = expectMatrix(entry, J, 3, `${file}[${i}]`);
    return map.map((k) => m[k]);
  });
  // the hand side comes from the labels (lib/hand/handedness) unless the caller knows it
  const vote = opts.handedness ? null : handednessOfSet(poses.map((p) => p.flat()));
  const meta: Record<string, unknown> = { source: path.resolve(file), skeleton, units: 'm' };
  if (vote) meta.handednessFromLabels = { hand: vote.hand, agreement: vote.agreement };
  return poseSetFromArrays(opts.name ?? path.basename(file, '.json'), poses, opts.handedness ?? vote!.hand, meta);
}

/** The hgc-dev set (300 left hands, camera frame; the side is read from the labels) from its folder (default: found through paths.ts). */
export function readHgcDev(dir = findKnownSet('hgc-dev')): PoseSet {
  if (!dir) throw new InputError('hgc-dev', 'data set not found (set HANDGAP_SHARED or HANDGAP_DATA)');
  const set = readXyzJson(labelFile(dir, 'evaluation', 'xyz'), { name: 'hgc-dev' });
  set.meta.note = 'hand-graph-cnn real-world test set, dev split 0..299';
  return set;
}

/** The Leap recordings as a pose set (by default only the 15 independent recordings). */
export function readLeapPoses(dirOrFile = findKnownSet('leap'), opts: { allFiles?: boolean; cache?: boolean } = {}): PoseSet {
  if (!dirOrFile) throw new InputError('leap', 'Leap recordings not found (set HANDGAP_SHARED or HANDGAP_DATA)');
  const hands = fs.statSync(dirOrFile).isDirectory() ? readLeapDir(dirOrFile, opts) : readLeapFile(dirOrFile, opts);
  const set = poseSetFromArrays(fs.statSync(dirOrFile).isDirectory() ? 'leap' : path.basename(dirOrFile, '.json.lz'), hands.map((h) => h.xyz), hands.map((h) => h.handedness),
    { source: path.resolve(dirOrFile), frameFrom: 'leap device → camera 0.5 m above (x, z, 0.5 − y)', wrist: 'approximated from palm position/direction/normal' });
  set.meta.frames = hands.map((h) => `${h.file}#${h.frameId}`);
  return set;
}

/**
 * Dex-YCB joint labels (joint_3d, canonical order, metres, camera frame) of one setup/split through the
 * data area's reader; handedness from each sequence's mano_sides.
 */
function readDexYcbPoses(root: string, opts: { setup?: DexYcbSetup; split?: DexYcbSplit; limit?: number } = {}): PoseSet {
  const set = readDexYcb(root, { setup: opts.setup, split: opts.split, limit: opts.limit });
  const samples = set.samples.filter((s) => s.xyz);
  return poseSetFromArrays(`dex-ycb-${set.setup}-${set.split}`, samples.map((s) => s.xyz!), samples.map((s) => (s.meta?.handSide === 'left' ? 'left' : 'right')),
    { source: path.resolve(root), setup: set.setup, split: set.split, missing: set.missing });
}

export const POSE_FILE_FORMAT = 'handgap-poses';

/** Write a pose set as a handgap pose file (JSON, atomic). */
export function writePoseFile(file: string, set: PoseSet, extra: Record<string, unknown> = {}): void {
  const poses = Array.from({ length: set.count }, (_, i) => poseAt(set, i).map((p) => p.map((v) => +v.toFixed(7))));
  const doc: Record<string, unknown> = {
    format: POSE_FILE_FORMAT, version: 1, name: set.name, count: set.count, units: 'm', joints: 'JOINTS21 (FreiHAND order)', frame: set.frame,
    meta: { ...set.meta, ...extra }, handedness: set.handedness, xyz: poses,
  };
  if (set.angles) {
    const n = set.angles.length / set.count;
    doc.angles = Array.from({ length: set.count }, (_, i) => Array.from(set.angles!.subarray(i * n, i * n + n), (v) => +v.toFixed(7)));
  }
  if (set.rig25) doc.rig25 = Array.from({ length: set.count }, (_, i) => Array.from({ length: 25 }, (_, j) => Array.from(set.rig25!.subarray(i * 75 + j * 3, i * 75 + j * 3 + 3), (v) => +v.toFixed(7))));
  if (set.K) doc.K = set.K;
  writeJsonAtomic(file, doc);
}

/**
 * The fields of a handgap pose file (zod, lib/config/schema.ts): unknown fields, a wrong handedness, a
 * count that disagrees with the poses or an empty file are named before anything reads the poses. The
 * pose and angle matrices themselves are checked row by row below (fast for large files).
 */
const POSE_FILE = z.strictObject({
  format: z.literal(POSE_FILE_FORMAT),
  version: z.literal(1).optional(),
  name: z.string().optional(),
  count: int(1, 1e9).optional(),
  units: z.literal('m').optional(),
  joints: z.string().optional(),
  frame: z.enum(['camera', 'hand']).default('camera'),
  meta: z.record(z.string(), z.unknown()).default({}),
  handedness: z.array(z.enum(['left', 'right'])).optional(),
  xyz: z.array(z.unknown()).min(1),
  angles: z.array(z.unknown()).optional(),
  rig25: z.array(z.unknown()).optional(),
  K: z.array(z.unknown()).optional(),
}).superRefine((d, ctx) => {
  if (d.count !== undefined && d.count !== d.xyz.length) ctx.addIssue({ code: 'custom', path: ['count'], message: `says ${d.count} poses but xyz holds ${d.xyz.length}` });
  if (d.handedness && d.handedness.length !== d.xyz.length) ctx.addIssue({ code: 'custom', path: ['handedness'], message: `has ${d.handedness.length} entries for ${d.xyz.length} poses` });
  for (const k of ['angles', 'rig25', 'K'] as const) {
    const v = d[k];
    if (v && v.length !== d.xyz.length) ctx.addIssue({ code: 'custom', path: [k], message: `has ${v.length} entries for ${d.xyz.length} poses` });
  }
});

/** Read a handgap pose file. */
export function readPoseFile(file: string): PoseSet {
  const raw = readLabelJson(file) as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object' || raw.format !== POSE_FILE_FORMAT) throw new InputError(file, `not a ${POSE_FILE_FORMAT} file (field "format")`);
  const doc = parseConfig(POSE_FILE, raw, file, 'pose file');
  const xyz = doc.xyz.map((e, i) => expectMatrix(e, 21, 3, `${file}: xyz[${i}]`));
  const hd = doc.handedness ?? xyz.map(() => 'right' as Handedness);
  const set = poseSetFromArrays(doc.name ?? path.basename(file), xyz, hd, doc.meta, doc.frame);
  // angles: the hand model's joint angles, N_DOF per pose (lib/hand/model.ts)
  if (doc.angles !== undefined) set.angles = Float64Array.from(expectMatrix(doc.angles, xyz.length, N_DOF, `${file}: angles`).flat());
  // rig25 and K: the rig's 25 joints and the camera of each pose (fitted real sets)
  if (doc.rig25 !== undefined) set.rig25 = Float64Array.from(doc.rig25.flatMap((e, i) => expectMatrix(e, 25, 3, `${file}: rig25[${i}]`).flat()));
  if (doc.K !== undefined) set.K = doc.K.map((e, i) => expectMatrix(e, 3, 3, `${file}: K[${i}]`));
  return set;
}

/** The joint angles of a pose set as one row per pose, or null when it has none. */
export function anglesRows(set: PoseSet): number[][] | null {
  if (!set.angles) return null;
  const n = set.angles.length / set.count;
  return Array.from({ length: set.count }, (_, i) => Array.from(set.angles!.subarray(i * n, (i + 1) * n)));
}

/**
 * Resolve a pose source argument: 'hgc-dev', 'leap', a handgap pose file, a `*_xyz.json` file
 * (FreiHAND order), a FreiHAND-layout folder (its training_xyz.json, else evaluation_xyz.json), a
 * Dex-YCB root (s0/test labels), or a Leap .json.lz file. `skeleton` applies to xyz files.
 */
export function loadPoseSource(arg: string, opts: { skeleton?: SkeletonName; handedness?: Handedness } = {}): PoseSet {
  const set = readPoseSource(arg, opts);
  // statistics of no poses are NaN: an empty source is an error, not a result
  if (set.count === 0) throw new InputError(arg, 'holds no poses');
  return set;
}

function readPoseSource(arg: string, opts: { skeleton?: SkeletonName; handedness?: Handedness }): PoseSet {
  if (arg === 'hgc-dev') return readHgcDev();
  if (arg === 'leap') return readLeapPoses();
  if (!fs.existsSync(arg)) throw new InputError(arg, 'no such pose source (use hgc-dev, leap, a pose file, an *_xyz.json file or a FreiHAND folder)');
  if (fs.statSync(arg).isDirectory()) {
    if (fs.existsSync(path.join(arg, 'calibration', 'intrinsics'))) return readDexYcbPoses(arg);
    if (fs.existsSync(path.join(arg, 'manifest.json')) && fs.readdirSync(arg).some((f) => f.endsWith('.json.lz'))) return readLeapPoses(arg);
    for (const split of FREIHAND_LAYOUT.splits) {
      const f = labelFile(arg, split, 'xyz');
      if (fs.existsSync(f)) return readXyzJson(f, { ...opts, name: path.basename(arg) });
    }
    throw new InputError(arg, 'folder has no training_xyz.json or evaluation_xyz.json');
  }
  if (arg.endsWith('.json.lz')) return readLeapPoses(arg);
  const head = fs.readFileSync(arg, 'utf8').slice(0, 200);
  if (head.includes(`"${POSE_FILE_FORMAT}"`)) return readPoseFile(arg);
  return readXyzJson(arg, opts);
}
