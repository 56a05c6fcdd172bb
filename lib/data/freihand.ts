/**
 * FreiHAND layout: the only module that knows its file names.
 *
 *   <root>/<split>_K.json        list of 3×3 intrinsics (pixels)            required
 *   <root>/<split>_xyz.json      list of 21×3 joints (metres, camera frame)  optional (not public for evaluation)
 *   <root>/<split>_verts.json    list of 778×3 MANO vertices (metres)        optional, loaded on request
 *   <root>/<split>_scale.json    list of numbers: |xyz[10]-xyz[9]| (metres)   optional
 *   <root>/<split>_mano.json     list of MANO parameter vectors              optional, loaded on request
 *   <root>/<split>_meta.json     list of per-sample objects (handgap output) optional
 *   <root>/<split>_ids.json      list of source ids (subsets of other sets)  optional
 *   <root>/handgap_dataset.json  dataset-level metadata (handgap output)     optional
 *   <root>/<split>/rgb/%08d.jpg  image of sample i in version v: id = i + N·v (N = label count;
 *                                versions gs, hom, sample, auto; evaluation has gs only)
 *   <root>/<split>/mask/%08d.jpg mask of sample i (training)
 * Images may be .jpg or .png and of any size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../util/errors.ts';
import { writeJsonAtomic, writeFileAtomic } from '../util/fsx.ts';
import type { HandSample, Mat3 } from './types.ts';
import { readLabelJson, expectList, expectMatrix, expectK, expectNumber } from './json-labels.ts';
import { freihandScale } from './geometry.ts';

export const FREIHAND_VERSIONS = ['gs', 'hom', 'sample', 'auto'] as const;
export type FreihandVersion = (typeof FREIHAND_VERSIONS)[number];
const IMAGE_EXTS = ['.jpg', '.png', '.jpeg'];

export type LabelKind = 'K' | 'xyz' | 'verts' | 'scale' | 'mano' | 'meta' | 'ids';
export type ImageKind = 'rgb' | 'mask';

/**
 * The layout's file names relative to a set's root (see the table above): the one description every
 * reader and writer of FreiHAND-layout folders uses.
 */
export const FREIHAND_LAYOUT = {
  datasetMeta: 'handgap_dataset.json',
  /** Splits in the order readers try them. */
  splits: ['training', 'evaluation'],
  labelFile: (split: string, kind: LabelKind): string => `${split}_${kind}.json`,
  imageDir: (split: string, sub: ImageKind): string => path.join(split, sub),
  imageFile: (split: string, sub: ImageKind, id: number, ext = '.jpg'): string => path.join(split, sub, `${String(id).padStart(8, '0')}${ext}`),
} as const;

export function labelFile(root: string, split: string, kind: LabelKind): string {
  return path.join(root, FREIHAND_LAYOUT.labelFile(split, kind));
}

/** FreiHAND image id of sample `index` in `version`, for a split with `count` labelled samples. */
export function imageId(index: number, count: number, version: FreihandVersion = 'gs'): number {
  const v = FREIHAND_VERSIONS.indexOf(version);
  if (v < 0) throw new InputError('version', `unknown FreiHAND image version "${version}" (use ${FREIHAND_VERSIONS.join(', ')})`);
  return index + count * v;
}

/** Path of image `id` (rgb or mask) of a split under `root`. */
export function imageFile(root: string, split: string, sub: ImageKind, id: number, ext = '.jpg'): string {
  return path.join(root, FREIHAND_LAYOUT.imageFile(split, sub, id, ext));
}

/** Existing image path for an id (first of .jpg/.png/.jpeg), or null. */
function findImage(root: string, split: string, sub: ImageKind, id: number): string | null {
  for (const ext of IMAGE_EXTS) { const p = imageFile(root, split, sub, id, ext); if (fs.existsSync(p)) return p; }
  return null;
}

export interface FreihandReadOptions {
  /** Split name (file prefix); default: 'training' if its K file exists, else 'evaluation'. */
  split?: string;
  /** Image version (default 'gs'); 'all' yields every version present, N·versions samples. */
  version?: FreihandVersion | 'all';
  /** Load `<split>_verts.json` (large for the full set). Default false. */
  verts?: boolean;
  /** Load `<split>_mano.json` into meta.mano. Default false. */
  mano?: boolean;
  /** Fail on a missing image (default true); false leaves imagePath pointing at the expected file. */
  checkImages?: boolean;
  /** Only these sample indices (labels are still validated for all). */
  indices?: number[];
}

export interface FreihandSet {
  root: string;
  split: string;
  /** Number of labelled samples N (entries of <split>_K.json). */
  count: number;
  samples: HandSample[];
  /** Which optional files were present. */
  files: Record<string, string | null>;
  /** Dataset-level metadata (handgap_dataset.json), if any. */
  meta?: Record<string, unknown>;
}

/** Splits present in a folder (those with a <split>_K.json). */
export function freihandSplits(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  const suffix = FREIHAND_LAYOUT.labelFile('', 'K');
  return fs.readdirSync(root).filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length)).sort();
}

export function readFreihand(root: string, opts: FreihandReadOptions = {}): FreihandSet {
  if (!fs.existsSync(root)) throw new InputError(root, 'dataset folder not found');
  const splits = freihandSplits(root);
  const split = opts.split ?? FREIHAND_LAYOUT.splits.find((s) => splits.includes(s)) ?? splits[0];
  if (!split) throw new InputError(root, 'no <split>_K.json here: not a FreiHAND-layout folder');
  const kFile = labelFile(root, split, 'K');
  if (!fs.existsSync(kFile)) throw new InputError(kFile, `missing (splits found here: ${splits.join(', ') || 'none'})`);

  const Ks = expectList(readLabelJson(kFile), kFile).map((k, i) => expectK(k, `${kFile}[${i}]`));
  const count = Ks.length;
  const files: Record<string, string | null> = { K: kFile };
  const optionalList = (kind: Exclude<LabelKind, 'K'>, load: boolean): unknown[] | null => {
    const f = labelFile(root, split, kind);
    files[kind] = fs.existsSync(f) ? f : null;
    if (!files[kind] || !load) return null;
    const list = expectList(readLabelJson(f), f);
    if (list.length !== count) throw new InputError(f, `has ${list.length} entries but ${path.basename(kFile)} has ${count}; the label files disagree`);
    return list;
  };
  const xyzList = optionalList('xyz', true);
  const vertsList = optionalList('verts', !!opts.verts);
  const scaleList = optionalList('scale', true);
  const manoList = optionalList('mano', !!opts.mano);
  const metaList = optionalList('meta', true);
  const idsList = optionalList('ids', true);
  const xyzFile = files.xyz!, vertsFile = files.verts!, scaleFile = files.scale!;
  const xyz = xyzList?.map((v, i) => expectMatrix(v, 21, 3, `${xyzFile}[${i}]`));
  const verts = vertsList?.map((v, i) => expectMatrix(v, null, 3, `${vertsFile}[${i}]`));
  const scales = scaleList?.map((v, i) => expectNumber(Array.isArray(v) && v.length === 1 ? v[0] : v, `${scaleFile}[${i}]`));
  const dsMetaFile = path.join(root, FREIHAND_LAYOUT.datasetMeta);
  const dsMeta = fs.existsSync(dsMetaFile) ? (readLabelJson(dsMetaFile) as Record<string, unknown>) : undefined;

  const versions: FreihandVersion[] = opts.version === 'all'
    ? FREIHAND_VERSIONS.filter((v) => v === 'gs' || findImage(root, split, 'rgb', imageId(0, count, v)) !== null)
    : [opts.version ?? 'gs'];
  const checkImages = opts.checkImages ?? true;
  const indices = opts.indices ?? Array.from({ length: count }, (_, i) => i);
  const samples: HandSample[] = [];
  for (const version of versions) {
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= count) throw new InputError(kFile, `sample index ${i} out of range 0..${count - 1}`);
      const id = imageId(i, count, version);
      const img = findImage(root, split, 'rgb', id);
      if (!img && checkImages) throw new InputError(imageFile(root, split, 'rgb', id), `image of sample ${i} (version ${version}) not found`);
      const mask = findImage(root, split, 'mask', i);
      const meta: Record<string, unknown> = { dataset: 'freihand-layout', split, version, imageId: id };
      if (scales) meta.scale = scales[i];
      if (manoList) meta.mano = manoList[i];
      if (idsList) meta.sourceId = idsList[i];
      if (metaList && metaList[i] && typeof metaList[i] === 'object') Object.assign(meta, metaList[i] as object);
      const s: HandSample = { index: i, imagePath: img ?? imageFile(root, split, 'rgb', id), K: Ks[i], meta };
      if (xyz) s.xyz = xyz[i];
      if (verts) s.verts = verts[i];
      if (mask) s.maskPath = mask;
      samples.push(s);
    }
  }
  return { root, split, count, samples, files, meta: dsMeta };
}

// ---------------------------------------------------------------------------------------------
// Writer

export interface FreihandRecord {
  xyz: number[][];
  K: Mat3;
  verts?: number[][];
  /** Default: freihandScale(xyz). */
  scale?: number;
  mano?: number[] | number[][];
  meta?: Record<string, unknown>;
}

export interface FreihandWriterOptions {
  split?: string;
  /** Dataset-level metadata written to handgap_dataset.json (generator, seed, config, ...). */
  datasetMeta?: Record<string, unknown>;
  /** Extension of images the writer names (default .jpg). */
  imageExt?: '.jpg' | '.png';
}

/**
 * Collects records and writes the label files atomically on `finish()`. Images are written by the
 * caller to `imagePath(i)` (e.g. by Blender) or passed to `add` as a file to copy or bytes.
 */
export class FreihandWriter {
  readonly split: string;
  private records: FreihandRecord[] = [];
  private readonly ext: string;

  constructor(readonly root: string, private readonly opts: FreihandWriterOptions = {}) {
    this.split = opts.split ?? 'training';
    this.ext = opts.imageExt ?? '.jpg';
  }

  get count(): number { return this.records.length; }

  /** Where the image of sample `index` goes (gs version; other versions need the final count). */
  imagePath(index: number): string { return imageFile(this.root, this.split, 'rgb', index, this.ext); }
  maskPath(index: number): string { return imageFile(this.root, this.split, 'mask', index, this.ext); }

  /** Add one record; returns its index. `image`: a file to copy, or encoded bytes matching imageExt. */
  add(rec: FreihandRecord, image?: { copyFrom?: string; bytes?: Uint8Array; maskCopyFrom?: string }): number {
    const i = this.records.length;
    const where = `record ${i}`;
    expectMatrix(rec.xyz, 21, 3, `${where}.xyz`);
    expectK(rec.K, `${where}.K`);
    if (rec.verts) expectMatrix(rec.verts, null, 3, `${where}.verts`);
    if (image?.copyFrom) fs.mkdirSync(path.dirname(this.imagePath(i)), { recursive: true }), fs.copyFileSync(image.copyFrom, this.imagePath(i));
    if (image?.bytes) writeFileAtomic(this.imagePath(i), image.bytes);
    if (image?.maskCopyFrom) fs.mkdirSync(path.dirname(this.maskPath(i)), { recursive: true }), fs.copyFileSync(image.maskCopyFrom, this.maskPath(i));
    this.records.push(rec);
    return i;
  }

  /** Write <split>_{K,xyz,scale}.json, plus verts/mano/meta when every record has them. */
  finish(): { root: string; split: string; count: number } {
    const r = this.records;
    const all = <T>(f: (x: FreihandRecord) => T | undefined, name: LabelKind): T[] | null => {
      const have = r.filter((x) => f(x) !== undefined).length;
      if (have === 0) return null;
      if (have !== r.length) throw new InputError(FREIHAND_LAYOUT.labelFile(this.split, name), `only ${have} of ${r.length} records have ${name}; all or none must`);
      return r.map((x) => f(x) as T);
    };
    const verts = all((x) => x.verts, 'verts');
    const mano = all((x) => x.mano, 'mano');
    const meta = all((x) => x.meta, 'meta');
    writeJsonAtomic(labelFile(this.root, this.split, 'K'), r.map((x) => x.K));
    writeJsonAtomic(labelFile(this.root, this.split, 'xyz'), r.map((x) => x.xyz));
    writeJsonAtomic(labelFile(this.root, this.split, 'scale'), r.map((x) => x.scale ?? freihandScale(x.xyz)));
    if (verts) writeJsonAtomic(labelFile(this.root, this.split, 'verts'), verts);
    if (mano) writeJsonAtomic(labelFile(this.root, this.split, 'mano'), mano);
    if (meta) writeJsonAtomic(labelFile(this.root, this.split, 'meta'), meta);
    if (this.opts.datasetMeta) writeJsonAtomic(path.join(this.root, FREIHAND_LAYOUT.datasetMeta), { ...this.opts.datasetMeta, split: this.split, count: r.length }, 1);
    return { root: this.root, split: this.split, count: r.length };
  }
}

/** Write HandSamples (with xyz) as a FreiHAND-layout set, copying their images. */
export function writeFreihand(root: string, samples: HandSample[], opts: FreihandWriterOptions = {}): { root: string; split: string; count: number } {
  const w = new FreihandWriter(root, { ...opts, imageExt: opts.imageExt ?? (samples[0]?.imagePath.toLowerCase().endsWith('.png') ? '.png' : '.jpg') });
  samples.forEach((s, i) => {
    if (!s.xyz) throw new InputError(`sample ${i}`, 'has no xyz; only labelled samples can be written');
    w.add({ xyz: s.xyz, K: s.K, verts: s.verts, meta: s.meta }, { copyFrom: s.imagePath, maskCopyFrom: s.maskPath });
  });
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// Predictions in FreiHAND's submission format: pred.json = [xyz_list, verts_list]

export interface Predictions {
  /** Per sample 21×3 (metres). */
  xyz: number[][][];
  /** Per sample V×3 (metres), or null when the file has no vertices (empty lists). */
  verts: number[][][] | null;
}

export function readPredictions(file: string, opts: { expectedCount?: number; numJoints?: number } = {}): Predictions {
  const v = readLabelJson(file);
  if (!Array.isArray(v) || v.length !== 2) throw new InputError(file, `expected FreiHAND's submission format [xyz_list, verts_list], got ${Array.isArray(v) ? `a list of length ${v.length}` : typeof v}`);
  const [xl, vl] = v;
  if (!Array.isArray(xl)) throw new InputError(`${file}[0]`, 'xyz_list is not a list');
  if (!Array.isArray(vl)) throw new InputError(`${file}[1]`, 'verts_list is not a list');
  const n = xl.length;
  if (opts.expectedCount !== undefined && n !== opts.expectedCount) throw new InputError(file, `has ${n} predictions but the ground truth has ${opts.expectedCount} samples`);
  if (vl.length !== n && vl.length !== 0) throw new InputError(file, `xyz_list has ${n} entries but verts_list has ${vl.length}`);
  // coordinates in metres: anything beyond a kilometre is a unit or overflow error, not a prediction
  const xyz = xl.map((p, i) => expectMatrix(p, opts.numJoints ?? 21, 3, `${file}: xyz_list[${i}]`, 1000));
  const noVerts = vl.length === 0 || vl.every((p) => Array.isArray(p) && p.length === 0);
  const verts = noVerts ? null : vl.map((p, i) => expectMatrix(p, null, 3, `${file}: verts_list[${i}]`, 1000));
  if (verts) {
    const nv = verts[0].length;
    verts.forEach((p, i) => { if (p.length !== nv) throw new InputError(`${file}: verts_list[${i}]`, `has ${p.length} vertices, sample 0 has ${nv}`); });
  }
  return { xyz, verts };
}

export function writePredictions(file: string, pred: Predictions): void {
  writeJsonAtomic(file, [pred.xyz, pred.verts ?? pred.xyz.map(() => [])]);
}
