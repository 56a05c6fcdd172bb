/**
 * Dex-YCB in the layout of NVlabs/dex-ycb-toolkit (licence form required; the user downloads it):
 *   <root>/<subject>/<sequence>/meta.yml                      serials, num_frames, mano_sides, ycb_ids, ...
 *   <root>/<subject>/<sequence>/<serial>/color_%06d.jpg
 *   <root>/<subject>/<sequence>/<serial>/labels_%06d.npz      joint_3d (1×21×3, metres, camera frame),
 *                                                              joint_2d (1×21×2, px), seg (H×W), pose_m, pose_y
 *   <root>/calibration/intrinsics/<serial>_640x480.yml         color: {fx, fy, ppx, ppy}
 * The s0–s3 setups and train/val/test splits select subjects, cameras and sequences exactly as the
 * toolkit's dex_ycb.py does; sample order is sequence, then camera, then frame. Dex-YCB's 21 joints are
 * already in the canonical FreiHAND/MANO order. Frames without a hand (joint_3d all -1) are skipped
 * unless asked for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../util/errors.ts';
import { Progress } from '../util/progress.ts';
import type { HandSample, Mat3 } from './types.ts';
import { readNpz, type NpyArray } from './npy.ts';
import { readYamlLite } from './yaml-lite.ts';

/** Subject folders by recording date (the toolkit has renamed them once; the date prefix is stable). */
const DEXYCB_SUBJECT_DATES = ['20200709', '20200813', '20200820', '20200903', '20200908', '20200918', '20200928', '20201002', '20201015', '20201022'];
export const DEXYCB_SERIALS = ['836212060125', '839512060362', '840412060917', '841412060263', '932122060857', '932122060861', '932122061900', '932122062010'];
export type DexYcbSetup = 's0' | 's1' | 's2' | 's3';
export type DexYcbSplit = 'train' | 'val' | 'test';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const ALL_SUBJ = range(10), ALL_CAM = range(8);

/** (subject, camera, sequence) index selections of the toolkit's setups. */
export function dexYcbSelection(setup: DexYcbSetup, split: DexYcbSplit): { subjects: number[]; serials: number[]; sequences: number[] } {
  const seq = range(100);
  const table: Record<DexYcbSetup, Record<DexYcbSplit, { subjects: number[]; serials: number[]; sequences: number[] }>> = {
    s0: {
      train: { subjects: ALL_SUBJ, serials: ALL_CAM, sequences: seq.filter((i) => i % 5 !== 4) },
      val: { subjects: [0, 1], serials: ALL_CAM, sequences: seq.filter((i) => i % 5 === 4) },
      test: { subjects: [2, 3, 4, 5, 6, 7, 8, 9], serials: ALL_CAM, sequences: seq.filter((i) => i % 5 === 4) },
    },
    s1: {
      train: { subjects: [0, 1, 2, 3, 4, 5, 9], serials: ALL_CAM, sequences: seq },
      val: { subjects: [6], serials: ALL_CAM, sequences: seq },
      test: { subjects: [7, 8], serials: ALL_CAM, sequences: seq },
    },
    s2: {
      train: { subjects: ALL_SUBJ, serials: [0, 1, 2, 3, 4, 5], sequences: seq },
      val: { subjects: ALL_SUBJ, serials: [6], sequences: seq },
      test: { subjects: ALL_SUBJ, serials: [7], sequences: seq },
    },
    s3: {
      train: { subjects: ALL_SUBJ, serials: ALL_CAM, sequences: seq.filter((i) => ![3, 7, 11, 15, 19].includes(Math.floor(i / 5))) },
      val: { subjects: ALL_SUBJ, serials: ALL_CAM, sequences: seq.filter((i) => [3, 19].includes(Math.floor(i / 5))) },
      test: { subjects: ALL_SUBJ, serials: ALL_CAM, sequences: seq.filter((i) => [7, 11, 15].includes(Math.floor(i / 5))) },
    },
  };
  const s = table[setup]?.[split];
  if (!s) throw new InputError('dex-ycb', `unknown setup/split "${setup}/${split}" (setups s0–s3, splits train/val/test)`);
  return s;
}

export interface DexYcbLabels {
  /** 21×3 metres, camera frame; null when the frame has no hand (all -1). */
  joint3d: number[][] | null;
  joint2d: number[][] | null;
  seg: NpyArray | null;
  poseM: number[] | null;
}

function rows(a: NpyArray, cols: number, where: string, field: string): number[][] {
  const n = a.data.length / cols;
  if (!Number.isInteger(n) || a.shape[a.shape.length - 1] !== cols) throw new InputError(`${where}: ${field}`, `expected shape (1, 21, ${cols}), got (${a.shape.join(', ')})`);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(Array.from({ length: cols }, (_, c) => Number(a.data[i * cols + c])));
  return out;
}

/** Read one labels_%06d.npz. */
export function readDexYcbLabels(file: string): DexYcbLabels {
  const z = readNpz(file);
  if (!z.joint_3d) throw new InputError(file, `no joint_3d array (arrays: ${Object.keys(z).join(', ') || 'none'})`);
  const j3 = rows(z.joint_3d, 3, file, 'joint_3d');
  if (j3.length !== 21) throw new InputError(`${file}: joint_3d`, `expected 21 joints, got ${j3.length}`);
  const noHand = j3.every((r) => r.every((v) => v === -1));
  if (!noHand) j3.forEach((r, j) => r.forEach((v, c) => { if (!Number.isFinite(v)) throw new InputError(`${file}: joint_3d[0][${j}][${c}]`, `is ${v}`); }));
  return {
    joint3d: noHand ? null : j3,
    joint2d: z.joint_2d ? rows(z.joint_2d, 2, file, 'joint_2d') : null,
    seg: z.seg ?? null,
    poseM: z.pose_m ? Array.from(z.pose_m.data as Float32Array, Number) : null,
  };
}

/** K of a camera from calibration/intrinsics/<serial>_<w>x<h>.yml (colour stream). */
export function readDexYcbIntrinsics(root: string, serial: string, width = 640, height = 480): Mat3 {
  const f = path.join(root, 'calibration', 'intrinsics', `${serial}_${width}x${height}.yml`);
  if (!fs.existsSync(f)) throw new InputError(f, `intrinsics of camera ${serial} not found`);
  const y = readYamlLite(f);
  const c = y?.color;
  for (const k of ['fx', 'fy', 'ppx', 'ppy']) if (typeof c?.[k] !== 'number') throw new InputError(`${f}: color.${k}`, 'missing or not a number');
  return [[c.fx, 0, c.ppx], [0, c.fy, c.ppy], [0, 0, 1]];
}

export interface DexYcbReadOptions {
  setup?: DexYcbSetup;
  split?: DexYcbSplit;
  /** Keep frames without a hand (xyz absent). Default false. */
  includeEmpty?: boolean;
  /** Only the first n samples of the split (for quick looks). */
  limit?: number;
  /** Require every subject folder of the split (default false: missing subjects are skipped, listed in `missing`). */
  strict?: boolean;
  progress?: boolean;
}

export interface DexYcbSet { root: string; setup: DexYcbSetup; split: DexYcbSplit; samples: HandSample[]; missing: string[] }

function findSubjectDir(root: string, date: string): string | null {
  if (!fs.existsSync(root)) return null;
  const d = fs.readdirSync(root).filter((n) => n.startsWith(`${date}-`)).sort();
  return d.length ? path.join(root, d[0]) : null;
}

export function readDexYcb(root: string, opts: DexYcbReadOptions = {}): DexYcbSet {
  const setup = opts.setup ?? 's0', split = opts.split ?? 'test';
  if (!fs.existsSync(root)) throw new InputError(root, 'Dex-YCB folder not found (Dex-YCB needs a licence form: see `handgap data fetch dex-ycb`)');
  const sel = dexYcbSelection(setup, split);
  const serials = sel.serials.map((i) => DEXYCB_SERIALS[i]);
  const Ks = new Map<string, Mat3>();
  const missing: string[] = [];
  const samples: HandSample[] = [];
  const jobs: { file: string; color: string; serial: string; frame: number; subject: string; sequence: string; meta: any }[] = [];
  for (const si of sel.subjects) {
    const subjDir = findSubjectDir(root, DEXYCB_SUBJECT_DATES[si]);
    if (!subjDir) {
      if (opts.strict) throw new InputError(path.join(root, `${DEXYCB_SUBJECT_DATES[si]}-*`), `subject folder ${si} of split ${setup}/${split} not found`);
      missing.push(`${DEXYCB_SUBJECT_DATES[si]}-*`);
      continue;
    }
    const seqs = fs.readdirSync(subjDir).filter((n) => fs.statSync(path.join(subjDir, n)).isDirectory()).sort();
    if (opts.strict && seqs.length !== 100) throw new InputError(subjDir, `expected 100 sequences, found ${seqs.length}`);
    for (const qi of sel.sequences) {
      const seq = seqs[qi];
      if (seq === undefined) continue; // partial copies: sequences beyond what is present
      const seqDir = path.join(subjDir, seq);
      const metaFile = path.join(seqDir, 'meta.yml');
      if (!fs.existsSync(metaFile)) throw new InputError(metaFile, 'sequence meta.yml not found');
      const meta = readYamlLite(metaFile);
      const nFrames = meta?.num_frames;
      if (typeof nFrames !== 'number') throw new InputError(`${metaFile}: num_frames`, 'missing or not a number');
      for (const serial of serials) {
        for (let f = 0; f < nFrames; f++) {
          const id = String(f).padStart(6, '0');
          jobs.push({ file: path.join(seqDir, serial, `labels_${id}.npz`), color: path.join(seqDir, serial, `color_${id}.jpg`), serial, frame: f, subject: path.basename(subjDir), sequence: seq, meta });
        }
      }
    }
  }
  const progress = opts.progress ? new Progress({ label: `dex-ycb ${setup}/${split}`, total: jobs.length, unit: 'labels' }) : null;
  for (const j of jobs) {
    if (opts.limit !== undefined && samples.length >= opts.limit) break;
    if (!Ks.has(j.serial)) Ks.set(j.serial, readDexYcbIntrinsics(root, j.serial));
    if (!fs.existsSync(j.file)) throw new InputError(j.file, 'label file not found');
    const lab = readDexYcbLabels(j.file);
    progress?.tick();
    if (!lab.joint3d && !opts.includeEmpty) continue;
    const s: HandSample = {
      index: samples.length,
      imagePath: j.color,
      K: Ks.get(j.serial)!,
      meta: {
        dataset: 'dex-ycb', setup, split, subject: j.subject, sequence: j.sequence, serial: j.serial, frame: j.frame,
        labelFile: j.file, handSide: Array.isArray(j.meta.mano_sides) ? j.meta.mano_sides[0] : undefined,
        ycbIds: j.meta.ycb_ids, ycbGraspInd: j.meta.ycb_grasp_ind, joint2d: lab.joint2d ?? undefined,
      },
    };
    if (lab.joint3d) s.xyz = lab.joint3d;
    samples.push(s);
  }
  progress?.finish();
  return { root, setup, split, samples, missing };
}
