/**
 * The render driver: expands a config into per-sample specs, runs persistent Blender workers, writes
 * every sample atomically (images by Blender via temp+rename, then a per-sample record that marks it
 * done), resumes by skipping samples whose record exists, restarts crashed or hung workers and retries
 * a sample a bounded number of times, shows progress, and assembles the FreiHAND-layout label files
 * (through lib/data/freihand.ts) once every sample of the set is present. Shards render disjoint index
 * blocks; `mergeShards` joins shard folders. Sample i is identical whatever the sharding.
 *
 * Layout of <out> (besides the FreiHAND files): handgap_work/manifest.json (config, hash),
 * handgap_work/records/%08d.json (labels + metadata of finished samples), handgap_work/failed.json,
 * handgap_work/locks/ (one lock per running writer and its index range: a second writer of overlapping
 * samples is refused; shards of disjoint ranges share the folder), handgap_work/scratch/<pid>-.../ (the
 * per-process texture maps, removed at the end and when their process is gone).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { readJson, writeJsonAtomic, ensureDir } from '../util/fsx.ts';
import { InputError, HandgapError } from '../util/errors.ts';
import { Progress } from '../util/progress.ts';
import { FreihandWriter, FREIHAND_LAYOUT, imageFile } from '../data/freihand.ts';
import { MASK_BYTES } from '../data/mask-labels.ts';
import { readPoseFile, anglesRows } from '../data/pose-sets.ts';
import { genericHandRestShape, genericHandMesh } from '../hand/asset.ts';
import { fingerRadii } from '../hand/natural.ts';
import { buildLabelDefinition, labelsFromVertices, LABEL_CONVENTION, type LabelDefinition } from '../hand/real-joints.ts';
import { N_DOF } from '../hand/model.ts';
import { validateConfig, type RenderConfig } from './config.ts';
import { expandSample, checkListedFrames, type RenderSpec, type SampleParams, type FittedPoses } from './spec.ts';
import { shardRange, type Shard } from '../util/shard.ts';
import { readImage, writeImage } from '../image/io.ts';
import { fittedSetFile } from './fitted-set.ts';
import { BlenderWorker, WorkerCrashed, WorkerTimeout, SampleFailed, type RenderResult } from './worker.ts';
import { acquireOutputLock, scratchDir, type OutputLock } from '../util/lock.ts';
import { loadTextureModel, writeTextureMap } from './texture-io.ts';
import { synthesizeTexture, meanColor, weightedMeanColor, type TextureModel } from './texture-model.ts';
import { finishImage } from './denoise-io.ts';

const WORK = 'handgap_work';

export interface SampleRecord {
  index: number;
  xyz: number[][];
  K: number[][];
  joints25: number[][];
  verts?: number[][];
  meta: Record<string, unknown>;
}

export interface RenderOptions {
  config: RenderConfig;
  out: string;
  n?: number;
  /** this shard's contiguous block of samples (lib/util/shard.ts) */
  shard?: Shard;
  workers?: number;
  /** worker threads (default: cores / workers) */
  threads?: number;
  quiet?: boolean;
  /** extra environment for Blender (tests) */
  env?: Record<string, string>;
  /** stop after this many newly rendered samples (tests, benchmarks) */
  limit?: number;
}

export interface RenderSummary { rendered: number; skipped: number; failed: number[]; total: number; finalized: boolean; secondsPerImage: number; /** Blender CPU seconds per rendered image (Linux; 0 if unknown) */ cpuSecondsPerImage: number; out: string }

/** Bump when the Blender scripts change what a spec renders to (part of the config hash). */
export const RENDERER_VERSION = 13;

/** Hash of everything that determines the samples (not n: a set can be extended), incl. the renderer version. */
export function configHash(cfg: RenderConfig): string {
  // pose.frames and pose.recombine enter the hash only when set, so sets rendered before the fields existed keep their hash
  const pose = Object.fromEntries(Object.entries(cfg.pose).filter(([k, v]) => !(k === 'frames' && v === null) && !(k === 'recombine' && v === 0)));
  const { n: _n, render, ...rest } = { ...cfg, pose };
  const { timeoutSec: _t, retries: _r, workerMaxSamples: _w, threads: _th, ...renderKey } = render;
  return crypto.createHash('sha256').update(JSON.stringify({ ...rest, render: renderKey, renderer: RENDERER_VERSION })).digest('hex').slice(0, 16);
}

export function hdriLibrary(cfg: RenderConfig, blenderDatafiles: string): string[] {
  if (!cfg.hdri.enabled) return [];
  const dir = cfg.hdri.library === 'blender' ? path.join(blenderDatafiles, 'studiolights', 'world') : path.resolve(cfg.hdri.library);
  if (!fs.existsSync(dir)) throw new InputError('config.hdri.library', `folder ${dir} does not exist`);
  const all = fs.readdirSync(dir).filter((f) => /\.(exr|hdr)$/i.test(f)).sort().map((f) => path.join(dir, f));
  if (all.length === 0) throw new InputError('config.hdri.library', `no .exr/.hdr files in ${dir}`);
  const keep = cfg.hdri.subset <= 0 ? 0 : Math.max(1, Math.ceil(cfg.hdri.subset * all.length));
  const used = all.slice(0, keep);
  used.forEach(checkHdriFile);
  return used;
}

/** An HDRI must be a non-empty Radiance (.hdr, "#?") or OpenEXR (.exr, magic 76 2f 31 01) file; Blender decodes it (worker: assets.py). */
export function checkHdriFile(file: string): void {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try { head = Buffer.alloc(4); head = head.subarray(0, fs.readSync(fd, head, 0, 4, 0)); } finally { fs.closeSync(fd); }
  } catch (e) { throw new InputError(file, `cannot read the HDRI (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  if (head.length === 0) throw new InputError(file, 'HDRI file is empty (0 bytes)');
  const exr = head.length === 4 && head.readUInt32LE(0) === 0x01312f76;
  const hdr = head.subarray(0, 2).toString('latin1') === '#?';
  if (/\.exr$/i.test(file) ? !exr : !hdr) throw new InputError(file, `not ${/\.exr$/i.test(file) ? 'an OpenEXR' : 'a Radiance .hdr'} image (header bytes ${head.toString('hex')})`);
}

/** The renderer's poses: the model angles of a handgap pose file (lib/data/pose-sets.ts), one row per pose. */
export function loadPoseSet(file: string): number[][] {
  const set = readPoseFile(file);
  const angles = anglesRows(set);
  if (!angles || set.count === 0) throw new InputError(file, 'has no "angles" (model joint angles, radians): the renderer needs them; write the file with \'handgap poses sample\' or an experiment\'s pose-pool step, which fit them');
  if (angles[0].length !== N_DOF) throw new InputError(`${file}: angles[0]`, `has ${angles[0].length} angles, the hand model has ${N_DOF} (lib/hand DOFS order)`);
  return angles;
}

/** The renderer's view of a fitted real set (`handgap poses fit --real-labels`): rig targets, K, image size. */
export function loadFittedPoses(file: string): FittedPoses {
  const set = readPoseFile(file);
  if (!set.rig25 || !set.K || set.count === 0) throw new InputError(file, 'has no "rig25" and "K": pose source "fitted" needs a fitted real set (write it with \'handgap poses fit <real set> --real-labels --out <file>\')');
  const size = set.meta.imageSize;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((x) => Number.isInteger(x) && x > 0)) throw new InputError(`${file}: meta.imageSize`, 'expected [width, height] of the real images');
  const src = set.meta.sourceIndices;
  const sourceIndices = Array.isArray(src) && src.length === set.count ? src as number[] : Array.from({ length: set.count }, (_, i) => i);
  return { rig25: set.rig25, K: set.K, mirrored: set.handedness.map((h) => h === 'left'), imageSize: size as [number, number], sourceIndices };
}

/** Flip an image file left-right in place (atomic): a left hand rendered as a mirrored right hand. */
async function flipFile(file: string, quality: number, gray: boolean): Promise<void> {
  const img = await readImage(file, { gray });
  const { width: w, height: h, channels: c, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = data[(y * w + (w - 1 - x)) * c + k];
  await writeImage(file, { ...img, data: out }, { quality });
}

/**
 * Undo the mirrored rendering of a left hand: images flipped, every 3D point x → −x, K's cx → W − 1 − cx. `rgb` is
 * the finished image (with the denoiser it is written from the passes after Blender returns, so it is not among
 * the worker's outputs: it must be flipped all the same, or the picture shows the right hand its labels are not).
 */
async function unmirror(spec: RenderSpec, r: RenderResult, rgb: string, jpegQuality: number): Promise<RenderResult> {
  await flipFile(rgb, jpegQuality, false);
  if (spec.outputs.mask) await flipFile(spec.outputs.mask, 100, true);
  const mx = (pts: number[][]) => pts.map((p) => [-p[0], p[1], p[2]]);
  const K = r.K.map((row) => row.slice()) as RenderResult['K'];
  K[0][2] = r.width - 1 - K[0][2];
  return { ...r, joints25: mx(r.joints25), xyz: mx(r.xyz), verts: mx(r.verts), K };
}

const recordPath = (out: string, i: number) => path.join(out, WORK, 'records', `${String(i).padStart(8, '0')}.json`);
const auxPath = (out: string, i: number) => path.join(out, WORK, 'aux', `${String(i).padStart(8, '0')}.npy`);

/** Rendered sets are written as FreiHAND's training split. */
const SPLIT = 'training';

function paths(out: string, cfg: RenderConfig, i: number): { rgb: string; mask: string } {
  // Masks are always PNG (lossless labels); the reader accepts .png masks.
  return { rgb: imageFile(out, SPLIT, 'rgb', i, cfg.image.format === 'png' ? '.png' : '.jpg'), mask: imageFile(out, SPLIT, 'mask', i, '.png') };
}

/** Whether sample i is complete on disk: record parses and both images exist. */
export function sampleDone(out: string, cfg: RenderConfig, i: number): boolean {
  const rp = recordPath(out, i);
  if (!fs.existsSync(rp)) return false;
  try { JSON.parse(fs.readFileSync(rp, 'utf8')); } catch { return false; }
  const p = paths(out, cfg, i);
  return fs.existsSync(p.rgb) && fs.existsSync(p.mask);
}

/** Refuse a folder holding samples of another config or set size; returns whether the manifest is still to be written. */
function checkManifest(out: string, cfg: RenderConfig, n: number): boolean {
  const file = path.join(out, WORK, 'manifest.json');
  const hash = configHash(cfg);
  if (!fs.existsSync(file)) return true;
  const m = readJson<{ configHash: string; n?: number }>(file);
  if (m.configHash !== hash) throw new InputError(out, `holds samples of a different config (hash ${m.configHash}, this config ${hash}); use another --out or remove the folder`);
  // the set size is part of the output: labels for fewer samples than the images present would be a silently different set
  if (m.n !== undefined && m.n !== n) throw new InputError('--n', `got ${n}, but ${out} holds a set of ${m.n} samples; render it with --n ${m.n} (or use another --out)`);
  const above = m.n === undefined ? highestRecord(out) : -1;
  if (above >= n) throw new InputError('--n', `got ${n}, but ${out} holds sample ${above}; render it with its own --n (or use another --out)`);
  return false;
}

/** Written only once the config's assets are validated, so a failed start never blocks the corrected run. */
function writeManifest(out: string, cfg: RenderConfig, n: number): void {
  writeJsonAtomic(path.join(out, WORK, 'manifest.json'), { generator: 'handgap render', configHash: configHash(cfg), config: cfg, n }, 1);
}

/** For folders from before the manifest recorded n: the highest sample index with a record (-1: none). */
function highestRecord(out: string): number {
  const dir = path.join(out, WORK, 'records');
  let max = -1;
  if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) { const m = /^(\d+)\.json$/.exec(f); if (m) max = Math.max(max, Number(m[1])); }
  return max;
}

/** The exclusive lock of <out> for samples [lo, hi) (see lib/util/lock.ts). */
function lockOutput(out: string, range: [number, number], command: string): OutputLock {
  return acquireOutputLock(path.join(out, WORK, 'locks'), out, { command, range });
}

function srgbToLinear(c: number): number { return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }

export interface SampleContext { cfg: RenderConfig; out: string; hdris: string[]; poseSet?: number[][]; fitted?: FittedPoses; texture: TextureModel; blender: string; /** this process's scratch folder */ scratch: string }

/** The image of a rendered sample (denoised from the worker's passes when the config says so). */
export async function finishSample(cfg: RenderConfig, out: string, spec: RenderSpec, i: number): Promise<void> {
  if (spec.outputs.aux) await finishImage(spec.outputs.aux, paths(out, cfg, i).rgb, { denoise: cfg.render.denoise, quality: cfg.image.jpegQuality });
}

/** The full worker spec of sample i (writes its texture map into this process's scratch folder). */
export async function prepareSample(ctx: SampleContext, i: number): Promise<{ spec: RenderSpec; params: SampleParams }> {
  const { params, spec } = expandSample(ctx.cfg, i, { shape: genericHandRestShape('right'), hdris: ctx.hdris, poseSet: ctx.poseSet, fitted: ctx.fitted, fingerRadii: handFingerRadii(), handMesh: handMeshContext() });
  const map = synthesizeTexture(ctx.texture, params.texture.alpha);
  const tp = path.join(ctx.scratch, `tex-${String(i).padStart(8, '0')}.png`);
  await writeTextureMap(tp, map, ctx.texture.width, ctx.texture.height);
  const tone = (ctx.texture.toneWeight ? weightedMeanColor(map, ctx.texture.toneWeight) : meanColor(map)).map(srgbToLinear);
  const full: RenderSpec = {
    ...spec,
    hand: { ...spec.hand, skin: { ...spec.hand.skin, tone, albedoMap: tp } },
    forearm: spec.forearm ? { ...spec.forearm, tone } : null,
    // with the denoiser, Blender writes the passes and finishSample writes the image
    outputs: ctx.cfg.render.denoise ? { mask: paths(ctx.out, ctx.cfg, i).mask, aux: auxPath(ctx.out, i) } : paths(ctx.out, ctx.cfg, i),
  };
  return { spec: full, params };
}

/** Labels in the real data's convention (lib/hand/real-joints.ts) from Blender's posed vertices (21×3, metres). */
export function realLabels(verts: number[][]): number[][] {
  const mesh = genericHandMesh('right');
  if (verts.length * 3 !== mesh.positions.length) throw new HandgapError(`the worker returned ${verts.length} vertices, the asset has ${mesh.positions.length / 3}`);
  labelDefinition ??= buildLabelDefinition(mesh, genericHandRestShape('right').rest);
  const l = labelsFromVertices(labelDefinition, verts.flat());
  return Array.from({ length: 21 }, (_, j) => [l[j * 3], l[j * 3 + 1], l[j * 3 + 2]]);
}
let labelDefinition: LabelDefinition | undefined;

/** The asset mesh with its rest joints and label definition (objects are placed against the posed surface). */
export function handMeshContext(): { mesh: ReturnType<typeof genericHandMesh>; rest: Float64Array; labels: LabelDefinition } {
  const mesh = genericHandMesh('right'), rest = genericHandRestShape('right').rest;
  labelDefinition ??= buildLabelDefinition(mesh, rest);
  return { mesh, rest, labels: labelDefinition };
}

/** Finger capsule radii of the asset (for rejecting self-penetrating sampled poses). */
export function handFingerRadii(): number[][] {
  fingerRadiiCache ??= fingerRadii(genericHandMesh('right'), genericHandRestShape('right').rest);
  return fingerRadiiCache;
}
let fingerRadiiCache: number[][] | undefined;

function record(ctx: SampleContext, params: SampleParams, r: RenderResult): SampleRecord {
  return {
    index: params.index, xyz: realLabels(r.verts), K: r.K, joints25: r.joints25, ...(ctx.cfg.outputs.verts ? { verts: r.verts } : {}),
    meta: {
      seed: params.seed, configSeed: ctx.cfg.seed, pose: params.pose, camera: params.camera, texture: params.texture,
      hdri: params.hdri ? { ...params.hdri, path: path.basename(params.hdri.path) } : null,
      fill: params.fill, forearm: params.forearm, objects: params.objects,
      occlusionRatio: r.occlusion?.ratio ?? 0, maskCounts: r.maskCounts,
      // the rig's own joints (WebXR/NIMBLE-style) and their 21 through MAP_25_TO_21, for the topology study
      joints25: r.joints25, rigXyz21: r.xyz, labelConvention: LABEL_CONVENTION,
    },
  };
}

/** Render (the shard of) a set. Resumable: finished samples are skipped. */
export async function runRender(opts: RenderOptions): Promise<RenderSummary> {
  const cfg = opts.config;
  const n = opts.n ?? cfg.n;
  const out = path.resolve(opts.out);
  const [lo, hi] = opts.shard ? shardRange(n, opts.shard) : [0, n];
  ensureDir(path.join(out, WORK, 'records'));
  const lock = lockOutput(out, [lo, hi], 'handgap render');
  try { return await renderLocked(opts, cfg, n, out, lo, hi); } finally { lock.release(); }
}

async function renderLocked(opts: RenderOptions, cfg: RenderConfig, n: number, out: string, lo: number, hi: number): Promise<RenderSummary> {
  let manifestDue = checkManifest(out, cfg, n);
  removeStaleTemps(out);
  const todo: number[] = [];
  let skipped = 0;
  for (let i = lo; i < hi; i++) { if (sampleDone(out, cfg, i)) skipped++; else todo.push(i); }
  const queue = opts.limit !== undefined ? todo.slice(0, opts.limit) : todo.slice();
  const nWorkers = Math.max(1, Math.min(opts.workers ?? 1, queue.length || 1));
  const cores = os.availableParallelism();
  const threads = opts.threads ?? (cfg.render.threads || Math.max(1, Math.floor(cores / nWorkers)));
  const log = opts.quiet ? () => {} : (s: string) => process.stderr.write(s + '\n');

  const failed: number[] = [];
  const errors: Record<number, string> = {};
  let rendered = 0, cpuSeconds = 0;
  const t0 = Date.now();
  if (queue.length > 0) {
    const texture = await loadTextureModel(cfg.texture);
    const poseSet = cfg.pose.source === 'file' ? loadPoseSet(path.resolve(cfg.pose.file!)) : undefined;
    const fitted = cfg.pose.source === 'fitted' ? loadFittedPoses(await fittedSetFile(cfg.pose.file!)) : undefined;
    if (fitted && cfg.pose.frames) checkListedFrames(fitted, cfg.pose.frames);
    const workers = Array.from({ length: nWorkers }, () => new BlenderWorker({ threads, env: opts.env }));
    const scratch = scratchDir(path.join(out, WORK, 'scratch'));
    // every worker is stopped whatever fails from here on (a live Blender would keep this process waiting)
    let ctx: SampleContext;
    let first: Awaited<ReturnType<BlenderWorker['start']>>;
    try {
      first = await workers[0].start();
      ctx = { cfg, out, hdris: hdriLibrary(cfg, first.datafiles), poseSet, fitted, texture, blender: first.blender, scratch: scratch.dir };
    } catch (e) {
      await Promise.all(workers.map((w) => w.stop()));
      scratch.release();
      throw e;
    }
    if (manifestDue) { writeManifest(out, cfg, n); manifestDue = false; }
    log(`render: ${hi - lo} samples [${lo}, ${hi}) of ${n}; ${skipped} already done, ${queue.length} to render with ${nWorkers} worker(s) × ${threads} thread(s); Blender ${first.blender}; ${ctx.hdris.length} HDRI(s)`);
    const progress = opts.quiet ? null : new Progress({ label: 'render', total: queue.length, unit: 'img' });
    const attempts = new Map<number, number>();
    let stopping = false;
    const onSignal = () => { stopping = true; for (const w of workers) w.kill(); };
    process.on('SIGINT', onSignal); // 'on': a Ctrl-C reaches us twice through the npx launcher
    process.on('SIGTERM', onSignal);
    try {
      await Promise.all(workers.map(async (w) => {
        while (!stopping) {
          const i = queue.shift();
          if (i === undefined) break;
          const { spec, params } = await prepareSample(ctx, i);
          try {
            if (!w.alive()) await w.start();
            if (w.rendered >= cfg.render.workerMaxSamples) { await w.stop(); await w.start(); }
            const c0 = w.cpuSeconds();
            const raw = await w.render(spec, cfg.render.timeoutSec * 1000);
            const c1 = w.cpuSeconds();
            if (c0 !== null && c1 !== null) cpuSeconds += c1 - c0;
            await finishSample(cfg, out, spec, i);
            // after the image exists (the denoiser writes it from the passes), so the flip reaches it
            const r = spec.mirror ? await unmirror(spec, raw, paths(out, cfg, i).rgb, cfg.image.jpegQuality) : raw;
            writeJsonAtomic(recordPath(out, i), record(ctx, params, r));
            rendered++;
            progress?.tick(1);
          } catch (e) {
            if (stopping) break;
            const k = (attempts.get(i) ?? 0) + 1;
            attempts.set(i, k);
            const gone = e instanceof WorkerCrashed || e instanceof WorkerTimeout;
            const asset = e instanceof SampleFailed && e.asset; // an unreadable image: retrying cannot help
            const message = (e as Error).message.split('\n')[0];
            log(`render: sample ${i} attempt ${k} failed: ${message}${gone ? ' (restarting the worker)' : ''}`);
            if (gone) w.kill();
            if (k <= cfg.render.retries && !asset) queue.unshift(i);
            else { failed.push(i); errors[i] = message; progress?.tick(1, `${failed.length} failed`); }
          } finally {
            fs.rmSync(spec.hand.skin.albedoMap!, { force: true });
          }
        }
      }));
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await Promise.all(workers.map((w) => w.stop()));
      scratch.release();
    }
    progress?.finish();
    if (stopping) throw new HandgapError('render interrupted; run the same command again to resume', 130);
    if (failed.length) writeJsonAtomic(path.join(out, WORK, 'failed.json'), { failed: failed.sort((a, b) => a - b), errors });
  }
  if (manifestDue) writeManifest(out, cfg, n);
  const secondsPerImage = rendered ? (Date.now() - t0) / 1000 / rendered : 0;
  const finalized = failed.length === 0 && tryFinalize(out, cfg, n);
  if (finalized) log(`render: complete set of ${n} samples in ${out}`);
  else if (!failed.length) log(`render: ${countDone(out, cfg, n)}/${n} samples present; labels are written when all are (run the other shards, or 'handgap render merge')`);
  return { rendered, skipped, failed, total: hi - lo, finalized, secondsPerImage, cpuSecondsPerImage: rendered ? cpuSeconds / rendered : 0, out };
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Temp files left by an interrupted run (a killed Blender mid-write): never read as samples; dropped when stale. */
function removeStaleTemps(out: string): void {
  fs.rmSync(path.join(out, WORK, 'tex'), { recursive: true, force: true }); // scratch of renderers before per-process scratch
  for (const sub of [FREIHAND_LAYOUT.imageDir(SPLIT, 'rgb'), FREIHAND_LAYOUT.imageDir(SPLIT, 'mask'), `${WORK}/records`, `${WORK}/aux`]) {
    const dir = path.join(out, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      const m = /\.(\d+)\.(?:[a-z0-9]+\.)?tmp(\.|$)/.exec(f);
      if (!m) continue;
      const file = path.join(dir, f);
      const age = Date.now() - fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs!;
      // Another shard may be writing into the same folder: only drop temps whose writer is gone.
      if ((age > 60_000 && !pidAlive(Number(m[1]))) || age > 3_600_000) fs.rmSync(file, { force: true });
    }
  }
}

function countDone(out: string, cfg: RenderConfig, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (sampleDone(out, cfg, i)) c++;
  return c;
}

/** Write the FreiHAND label files if all n samples are present; returns whether it did. */
function tryFinalize(out: string, cfg: RenderConfig, n: number): boolean {
  for (let i = 0; i < n; i++) if (!sampleDone(out, cfg, i)) return false;
  const fw = new FreihandWriter(out, {
    split: SPLIT,
    imageExt: cfg.image.format === 'png' ? '.png' : '.jpg',
    datasetMeta: { generator: 'handgap render', configHash: configHash(cfg), seed: cfg.seed, config: cfg, maskValues: MASK_BYTES },
  });
  for (let i = 0; i < n; i++) {
    const r = readJson<SampleRecord>(recordPath(out, i));
    if (r.index !== i) throw new InputError(recordPath(out, i), `holds sample ${r.index}, expected ${i}`);
    fw.add({ xyz: r.xyz, K: r.K as never, ...(r.verts ? { verts: r.verts } : {}), meta: { index: i, ...r.meta } });
  }
  fw.finish();
  return true;
}

/** Join shard folders (same config) into `out` and write the labels. */
export function mergeShards(out: string, shardDirs: string[], n?: number): { count: number } {
  if (shardDirs.length === 0) throw new HandgapError('render merge: give the shard folders to join');
  let cfg: RenderConfig | null = null;
  let hash = '';
  for (const d of shardDirs) {
    const mf = path.join(d, WORK, 'manifest.json');
    if (!fs.existsSync(mf)) throw new InputError(d, 'is not a handgap render folder (no handgap_work/manifest.json)');
    const m = readJson<{ configHash: string; config: RenderConfig }>(mf);
    if (cfg && m.configHash !== hash) throw new InputError(d, `was rendered from a different config (hash ${m.configHash} vs ${hash})`);
    cfg = validateConfig(m.config, mf); hash = m.configHash;
  }
  const total = n ?? cfg!.n;
  ensureDir(path.join(out, WORK, 'records'));
  const lock = lockOutput(out, [0, total], 'handgap render merge');
  try {
    if (checkManifest(out, cfg!, total)) writeManifest(out, cfg!, total);
    for (const d of shardDirs) {
      if (path.resolve(d) === path.resolve(out)) continue;
      for (let i = 0; i < total; i++) {
        if (!sampleDone(d, cfg!, i) || sampleDone(out, cfg!, i)) continue;
        const src = paths(d, cfg!, i), dst = paths(out, cfg!, i);
        for (const [a, b] of [[src.rgb, dst.rgb], [src.mask, dst.mask]]) { ensureDir(path.dirname(b)); fs.copyFileSync(a, b + '.tmp'); fs.renameSync(b + '.tmp', b); }
        fs.copyFileSync(recordPath(d, i), recordPath(out, i) + '.tmp'); fs.renameSync(recordPath(out, i) + '.tmp', recordPath(out, i));
      }
    }
    const missing: number[] = [];
    for (let i = 0; i < total && missing.length < 20; i++) if (!sampleDone(out, cfg!, i)) missing.push(i);
    if (missing.length) throw new HandgapError(`samples missing from all shards, e.g. ${missing.join(', ')}; render them (same config, same --n) first`);
    tryFinalize(out, cfg!, total);
    return { count: total };
  } finally { lock.release(); }
}

/** Read back a finished record (labels + metadata of sample i). */
export function readRecord(out: string, i: number): SampleRecord { return readJson<SampleRecord>(recordPath(out, i)); }
export function imagePathOf(out: string, cfg: RenderConfig, i: number): string { return paths(out, cfg, i).rgb; }
export function readManifestConfig(out: string): RenderConfig {
  const mf = path.join(out, WORK, 'manifest.json');
  return validateConfig(readJson<{ config: RenderConfig }>(mf).config, mf);
}
