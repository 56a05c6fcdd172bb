/**
 * Dataset-level composition (IO): every sample of a synthetic set gets the arm and object of a real
 * (donor) sample pasted over it through soft masks, or random colours in their place (ablation).
 * Writes a new FreiHAND-layout set: synthetic labels carried over unchanged, composed images, a label
 * mask (synthetic labels with the pasted arm/object on top) and per-sample meta recording the donor,
 * fill mode, seed and the exact occluded fraction of the synthetic hand.
 *
 * Mask sources for the donor's arm and object:
 *   'labels'         the donor set's own label masks (our rendered masks: hand 255, forearm 128, object 64)
 *   <folder>         an external segmenter's output, either label maps <folder>/%08d.png (0..3 or the
 *                    rendered bytes) or soft masks <folder>/arm/%08d.png and <folder>/object/%08d.png (0..255)
 */
import fs from 'node:fs';
import path from 'node:path';
import { readFreihand, FreihandWriter, FREIHAND_LAYOUT } from '../data/freihand.ts';
import { readImage, writeImage, toFloat, toUint8, type Image } from '../image/io.ts';
import { composeImage, pairingPlan, labelsFromMask, resizeLabelsNearest, maskFromLabels, maskFromGray, type FillMode, type PairingMode, type SoftMask } from '../image/compose.ts';
import { LABEL, MASK_BYTES } from '../data/mask-labels.ts';
import { InputError } from '../util/errors.ts';
import { Progress } from '../util/progress.ts';
import { acquireOutputLock, refuseOverlap } from '../util/lock.ts';
import { commitFolder, repairFolderCommit } from '../util/fsx.ts';

export interface ComposeDatasetOptions {
  syn: string;
  donor?: string;
  out: string;
  masks?: 'labels' | string;
  pairing?: PairingMode;
  fill?: FillMode;
  seed?: number;
  arm?: boolean;
  object?: boolean;
  /** resize donor images and masks to the synthetic size (otherwise a size mismatch is an error) */
  resize?: boolean;
  split?: string;
  log?: (m: string) => void;
}

/** Test hook: HANDGAP_TEST_KILL_IN_COMPOSE=<sample index | commit> kills the process there (SIGKILL). */
function testKillPoint(at: string): void {
  if (process.env.HANDGAP_TEST_KILL_IN_COMPOSE === at) process.kill(process.pid, 'SIGKILL');
}

export interface ComposeDatasetResult { out: string; count: number; meanOccludedFraction: number }

/**
 * Exact occlusion after pasting: the synthetic mask shows the VISIBLE hand; when the renderer already
 * occluded part of it (meta.occlusionRatio r), the amodal hand is visible / (1 − r).
 */
function occlusionMeta(visibleHand: number, covered: number, meta: Record<string, unknown> | undefined): { handPixelsUnoccluded: number; handPixelsVisible: number; visibleFraction: number | null } {
  const r = typeof meta?.occlusionRatio === 'number' && meta.occlusionRatio < 1 ? meta.occlusionRatio : 0;
  const amodal = r > 0 ? visibleHand / (1 - r) : visibleHand;
  return { handPixelsUnoccluded: amodal, handPixelsVisible: visibleHand - covered, visibleFraction: amodal ? (visibleHand - covered) / amodal : null };
}

/** Decode a label mask, resized by nearest neighbour (label maps are never interpolated). */
function readLabels(img: Image, file: string, size: { width: number; height: number } | null): Image<Uint8Array> {
  const l = labelsFromMask(img, file);
  return size ? resizeLabelsNearest(l, size.width, size.height) : l;
}

async function donorMasks(source: string, donorIndex: number, maskPath: string | undefined, size: { width: number; height: number } | null): Promise<{ arm: SoftMask; obj: SoftMask }> {
  const resize = size ? { width: size.width, height: size.height } : {};
  const num = String(donorIndex).padStart(8, '0');
  if (source === 'labels') {
    if (!maskPath) throw new InputError(`donor sample ${donorIndex}`, 'has no label mask (use --masks <folder> with masks from a segmenter)');
    const l = readLabels(await readImage(maskPath, { gray: true }), maskPath, size);
    return { arm: maskFromLabels(l, [LABEL.forearm]), obj: maskFromLabels(l, [LABEL.object]) };
  }
  const find = (dir: string) => ['.png', '.jpg'].map((e) => path.join(dir, num + e)).find((p) => fs.existsSync(p));
  const label = find(source);
  if (label) {
    const l = readLabels(await readImage(label, { gray: true }), label, size);
    return { arm: maskFromLabels(l, [LABEL.forearm]), obj: maskFromLabels(l, [LABEL.object]) };
  }
  const armF = find(path.join(source, 'arm')), objF = find(path.join(source, 'object'));
  if (!armF && !objF) throw new InputError(source, `no mask for donor sample ${donorIndex} (looked for ${num}.png, arm/${num}.png, object/${num}.png)`);
  const read = async (f: string | undefined, other: string | undefined) => {
    if (f) return maskFromGray(await readImage(f, { gray: true, ...resize }), f);
    const ref = await readImage(other!, { gray: true, ...resize });
    return { data: new Float32Array(ref.width * ref.height), width: ref.width, height: ref.height };
  };
  return { arm: await read(armF, objF), obj: await read(objF, armF) };
}

export async function composeDataset(o: ComposeDatasetOptions): Promise<ComposeDatasetResult> {
  // writing into (or around) an input would replace its images and masks
  refuseOverlap(o.out, [{ name: 'synthetic set', path: o.syn }, { name: 'donor set', path: o.donor }, { name: 'mask folder', path: o.masks && o.masks !== 'labels' ? o.masks : undefined }]);
  refuseForeignOutput(o.out);
  const lock = acquireOutputLock(path.join(o.out, LOCKS), o.out, { command: 'handgap compose' });
  try {
    // the set is built in a sibling folder and renamed over --out at the end: a killed compose leaves the
    // previous output (or none), never a partial set; leftovers of a killed run are removed first
    repairFolderCommit(o.out);
    let result: ComposeDatasetResult | undefined;
    await commitFolder(o.out, async (tmp) => { result = await composeInto(o, tmp); });
    return { ...result!, out: o.out };
  } finally { lock.release(); }
}

const LOCKS = '.handgap-locks';

/** --out is replaced as a whole: refuse a folder that holds anything but an earlier compose output. */
function refuseForeignOutput(out: string): void {
  if (!fs.existsSync(out)) return;
  const names = fs.readdirSync(out).filter((n) => n !== LOCKS);
  if (names.length === 0) return;
  const metaFile = path.join(out, FREIHAND_LAYOUT.datasetMeta);
  const generator = fs.existsSync(metaFile) ? (() => { try { return (JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { generator?: unknown }).generator; } catch { return undefined; } })() : undefined;
  if (generator !== 'handgap compose') throw new InputError('--out', `${out} already holds files that are not an earlier compose output (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}); compose replaces its output folder as a whole, so choose a new or empty folder`);
}

async function composeInto(o: ComposeDatasetOptions, out: string): Promise<ComposeDatasetResult> {
  const fill = o.fill ?? 'real', seed = o.seed ?? 0, pairing = o.pairing ?? 'random';
  const masksSource = o.masks ?? 'labels';
  const syn = readFreihand(o.syn, { split: o.split });
  const donorDir = o.donor ?? o.syn;
  const donor = readFreihand(donorDir, { split: o.split });
  const plan = pairingPlan(syn.samples.length, donor.samples.length, pairing, seed);
  const writer = new FreihandWriter(out, {
    split: syn.split, imageExt: '.png',
    datasetMeta: { generator: 'handgap compose', synthetic: path.resolve(o.syn), donor: path.resolve(donorDir), masks: masksSource, pairing, fill, seed, arm: o.arm !== false, object: o.object !== false, resize: !!o.resize, source: syn.meta ?? null },
  });
  const prog = new Progress({ label: 'compose', total: syn.samples.length, unit: 'img' });
  let occSum = 0, occN = 0;
  for (let i = 0; i < syn.samples.length; i++) {
    const s = syn.samples[i], d = donor.samples[plan[i]];
    if (!s.xyz) throw new InputError(s.imagePath, 'synthetic sample has no 3D labels to carry over');
    const synImg = await readImage(s.imagePath);
    const size = o.resize ? { width: synImg.width, height: synImg.height } : null;
    const real = fill === 'real' ? await readImage(d.imagePath, size ?? {}) : null;
    const m = await donorMasks(masksSource, plan[i], d.maskPath, size);
    const masks = { arm: o.arm === false ? undefined : m.arm, obj: o.object === false ? undefined : m.obj };
    const composed = composeImage(toFloat(synImg), real ? toFloat(real) : null, masks, {
      fill, seed, seedKeys: [i], where: { syn: s.imagePath, real: d.imagePath, arm: `arm mask of donor ${plan[i]}`, obj: `object mask of donor ${plan[i]}` },
    });
    // output label mask: synthetic labels, pasted arm/object on top (> 0.5)
    const synLabels: Image<Uint8Array> | null = s.maskPath ? labelsFromMask(await readImage(s.maskPath, { gray: true }), s.maskPath) : null;
    const maskOut = new Uint8Array(synImg.width * synImg.height);
    let hand = 0, covered = 0;
    for (let p = 0; p < maskOut.length; p++) {
      let l: number = synLabels ? synLabels.data[p] : LABEL.background;
      const isHand = l === LABEL.hand;
      if (masks.arm && masks.arm.data[p] > 0.5) l = LABEL.forearm;
      if (masks.obj && masks.obj.data[p] > 0.5) l = LABEL.object;
      if (isHand) { hand++; if (l !== LABEL.hand) covered++; }
      maskOut[p] = l === LABEL.hand ? MASK_BYTES.hand : l === LABEL.forearm ? MASK_BYTES.forearm : l === LABEL.object ? MASK_BYTES.object : MASK_BYTES.background;
    }
    const idx = writer.add({ xyz: s.xyz, K: s.K, verts: s.verts, meta: {
      ...(s.meta ?? {}),
      compose: { donorIndex: plan[i], donorImage: d.imagePath, fill, seed },
      ...(synLabels ? { occlusion: occlusionMeta(hand, covered, s.meta) } : {}),
    } });
    await writeImage(writer.imagePath(idx), toUint8(composed));
    await writeImage(writer.maskPath(idx), { data: maskOut, width: synImg.width, height: synImg.height, channels: 1 });
    if (synLabels && hand) { const o = occlusionMeta(hand, covered, s.meta); occSum += 1 - (o.visibleFraction ?? 1); occN++; }
    prog.tick();
    testKillPoint(String(i));
  }
  prog.finish();
  writer.finish();
  testKillPoint('commit');
  return { out, count: syn.samples.length, meanOccludedFraction: occN ? occSum / occN : NaN };
}
