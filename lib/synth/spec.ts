/**
 * Per-sample render specs (pure): config + sample index → everything the Blender worker needs, drawn
 * from Rng.derive(config.seed, index, <factor>) so each factor has its own random stream. Switching one
 * factor on or off (forearm, objects, HDRI) therefore leaves every other factor of the sample unchanged,
 * and sample i is the same whatever the sharding.
 */
import { Rng } from '../util/rng.ts';
import { hsvToRgb } from '../image/colour.ts';
import { MAP_25_TO_21 } from '../hand/skeleton.ts';
import { sampleNaturalAngles, fingerPenetration } from '../hand/natural.ts';
import { poseRig, skinMesh } from '../hand/skinning.ts';
import { recombineFingers, FINGER_CHAINS25 } from '../hand/recombine.ts';
import { labelsFromVertices, type LabelDefinition } from '../hand/real-joints.ts';
import type { SkinnedMesh } from '../hand/gltf.ts';
import { graspObject, type GraspObject, type GraspKind } from './grasp.ts';
import { forwardKinematics, N_DOF, DOFS, DOF_MIN, DOF_MAX, type HandShape } from '../hand/model.ts';
import { matMul, axisAngleMatrix, matrixRotvec } from '../hand/math3.ts';
import { listedFrames, type RenderConfig, type Range } from './config.ts';
import { InputError } from '../util/errors.ts';

export type Mat3 = [[number, number, number], [number, number, number], [number, number, number]];

/** An object placed near a finger joint (placement "near"). */
export interface NearObjectSpec { kind: string; center: number[]; size: number[]; rotation: number[]; color: number[]; roughness: number; metallic: number; shapeSeed: number; nearJoint21: number }

/** A near object or an object held in the hand (lib/synth/grasp.ts). */
export type ObjectSpec = NearObjectSpec | GraspObject;

/** What one worker request carries (see lib/synth/blender/worker.py). */
export interface RenderSpec {
  index: number;
  seed: number;
  width: number;
  height: number;
  K: Mat3;
  /** 25×3, metres, OpenCV camera frame */
  joints25: number[][];
  hand: { subdivision: number; /** skin thickness across the bones (1 when absent: the asset's) */ girth?: number; skin: { tone: number[]; albedoMap?: string; roughness: number; specular: number; subsurface: number; detailScale: number; detailStrength: number } };
  forearm: { length: number; girth: number; taper: number; tone?: number[] } | null;
  hdri: { path: string; yaw: number; elevation: number; strength: number } | null;
  /** square area light at `position` (camera frame, metres) aimed at `target` */
  fill: { power: number; size: number; position: number[]; target: number[] } | null;
  backgroundColor: number[];
  objects: ObjectSpec[];
  markers?: { point: number[]; radius?: number }[];
  /** left hand from a fitted real set: rendered as a right hand in the mirrored frame; the driver flips the images and labels back */
  mirror?: boolean;
  /** samples per (sub-)pixel as Cycles gets them; supersample > 1: Blender renders supersample× the size, the worker averages */
  render: { samples: number; adaptive: boolean; adaptiveThreshold: number; filterWidth: number; supersample: number; jpegQuality: number };
  outputs: { rgb?: string; mask?: string; /** linear colour, albedo, normal, object index (.npy) for lib/synth/denoise.ts */ aux?: string };
  verts: boolean;
  computeOcclusion: boolean;
}

/** Recorded with every sample (everything needed to re-render it). */
export interface SampleParams {
  index: number;
  seed: number;
  pose: { source: string; angles: number[]; poseIndex?: number; /** 'fitted': the real frame shown, and whether it is a left hand rendered mirrored */ sourceIndex?: number; mirrored?: boolean; /** 'fitted' with pose.recombine: per finger, the real frame whose bend it shows (null: its own) */ fingersFrom?: (number | null)[]; /** self-penetrating draws that were redrawn */ rejectedDraws?: number; global: { rotation: number[]; translation: number[] }; handScale: number; /** palm and finger thickness across the bones, when not 1 */ handGirth?: number };
  camera: { K: Mat3; width: number; height: number; distance: number; yawDeg: number; pitchDeg: number; rollDeg: number };
  texture: { alpha: number[]; roughness: number; specular: number; subsurface: number; detailStrength: number; detailScale: number };
  hdri: { name: string; path: string; yaw: number; elevation: number; strength: number } | null;
  fill: { power: number; size: number; position: number[]; target: number[] } | null;
  forearm: { length: number; girth: number; taper: number } | null;
  objects: ObjectSpec[];
}

export interface ExpandContext {
  /** rest shape of the hand (lib/hand) */
  shape: HandShape;
  /** HDRI files of the library, sorted, already cut to the subset */
  hdris: string[];
  /** optional pose set: arrays of N_DOF angles (radians) */
  poseSet?: number[][];
  /** pose source 'fitted': a fitted real set (lib/data/pose-sets.ts, `poses fit --real-labels`) */
  fitted?: FittedPoses;
  /** the asset mesh, its rest joints and the label definition: held objects are placed against the posed surface */
  handMesh?: { mesh: SkinnedMesh; rest: Float64Array; labels: LabelDefinition };
  /** finger capsule radii (lib/hand/natural.ts `fingerRadii`): sampled poses whose fingers overlap by more than MAX_FINGER_PENETRATION are redrawn */
  fingerRadii?: number[][];
}

/** Sampled poses whose fingers interpenetrate deeper than this (metres) are rejected and redrawn. */
export const MAX_FINGER_PENETRATION = 0.002;
/** Draws of finger donors (pose.recombine) before a render keeps its fitted pose unchanged. */
const RECOMBINE_ATTEMPTS = 20;

/** The poses, views and K of a fitted real set, as the renderer uses them. */
export interface FittedPoses {
  /** N×75: rig targets, camera frame, x negated for mirrored (left) hands */
  rig25: Float64Array;
  K: number[][][];
  mirrored: boolean[];
  /** [width, height] of the real images K belongs to */
  imageSize: [number, number];
  /** index of each pose in the real set */
  sourceIndices: number[];
}

/**
 * K of a real W0×H0 frame for a W×H render of the same view (pixel centres: x' + 0.5 = s·(x + 0.5)), mirrored
 * left-right when the right-hand rig shows a left hand (the image is flipped back after rendering).
 */
export function fittedK(K: number[][], from: [number, number], W: number, H: number, mirrored: boolean): Mat3 {
  const s = W / from[0];
  if (Math.abs(H / from[1] - s) > 1e-9) throw new Error(`render size ${W}×${H} does not have the fitted set's aspect ratio (${from[0]}×${from[1]})`);
  const f = K[0][0] * s;
  let cx = (K[0][2] + 0.5) * s - 0.5;
  const cy = (K[1][2] + 0.5) * s - 0.5;
  if (mirrored) cx = W - 1 - cx;
  // the renderer supports square pixels only (fx = fy); real fy differs from fx by < 0.1 % in hgc-dev
  return [[f, 0, cx], [0, f, cy], [0, 0, 1]];
}

const DEG = Math.PI / 180;
const u = (r: Rng, [lo, hi]: Range) => r.uniform(lo, hi);

/** Resting hand: slight flexion everywhere (a relaxed hand is never flat). */
function relaxedMean(i: number): number {
  const d = DOFS[i];
  if (d.kind === 'flex') return Math.min(DOF_MAX[i], Math.max(DOF_MIN[i], 15 * DEG));
  return 0;
}

export function sampleAngles(cfg: RenderConfig['pose'], rng: Rng, poseSet?: number[][], opts: { grasp?: boolean } = {}): { angles: number[]; poseIndex?: number } {
  if (cfg.source === 'rest') return { angles: new Array(N_DOF).fill(0) };
  if (cfg.source === 'natural') return { angles: sampleNaturalAngles(rng, opts) };
  if (cfg.source === 'file') {
    if (!poseSet || poseSet.length === 0) throw new Error('pose source "file" needs a non-empty pose set');
    const k = rng.int(0, poseSet.length);
    return { angles: poseSet[k].slice(), poseIndex: k };
  }
  const angles: number[] = [];
  for (let i = 0; i < N_DOF; i++) {
    const std = cfg.spread * (DOF_MAX[i] - DOF_MIN[i]) / 4;
    angles.push(Math.min(DOF_MAX[i], Math.max(DOF_MIN[i], rng.normal(relaxedMean(i), std))));
  }
  return { angles };
}

/**
 * Canonical view: hand frame (fingers −y, palm toward −x, thumb −z) → camera frame with the palm facing
 * the camera and the fingers pointing up in the image.
 */
const R_CANONICAL = Float64Array.of(0, 0, -1, 0, 1, 0, 1, 0, 0);

export function viewRotation(yawDeg: number, pitchDeg: number, rollDeg: number): Float64Array {
  const Ry = axisAngleMatrix([0, 1, 0], yawDeg * DEG);
  const Rx = axisAngleMatrix([1, 0, 0], pitchDeg * DEG);
  const Rz = axisAngleMatrix([0, 0, 1], rollDeg * DEG);
  return matMul(Rz, matMul(Ry, matMul(Rx, R_CANONICAL)));
}

function scaledShape(shape: HandShape, s: number): HandShape {
  return { ...shape, rest: shape.rest.map((v) => v * s) as Float64Array };
}

/** Expand sample `index` of `cfg`. Pure: the same inputs give the same spec. */
export function expandSample(cfg: RenderConfig, index: number, ctx: ExpandContext): { params: SampleParams; spec: Omit<RenderSpec, 'outputs'> } {
  const seed = cfg.seed >>> 0;
  const stream = (name: string) => Rng.derive(seed, index, name);
  const sampleSeed = Rng.derive(seed, index, 'render').nextUint32() & 0x7fffffff;

  const W = cfg.image.width, H = cfg.image.height;
  const placed = cfg.pose.source === 'fitted' ? fittedPlacement(cfg, index, ctx, W, H, stream('recombine')) : sampledPlacement(cfg, ctx, stream, W, H);
  // its own stream, so a girth range leaves every other draw as it was
  const girth = u(stream('girth'), cfg.shape.girth);
  const { angles, poseIndex, handScale, K, R, translation, distance, yawDeg, pitchDeg, rollDeg, joints25 } = placed;

  // Texture α and material scalars.
  const rTex = stream('texture');
  const alpha = Array.from({ length: cfg.texture.components }, () => rTex.normal(0, cfg.texture.sigma));
  const texture = {
    alpha,
    roughness: u(rTex, cfg.texture.roughness), specular: u(rTex, cfg.texture.specular), subsurface: u(rTex, cfg.texture.subsurface),
    detailStrength: u(rTex, cfg.texture.detailStrength), detailScale: u(rTex, cfg.texture.detailScale),
  };

  // HDRI.
  const rH = stream('hdri');
  let hdri: SampleParams['hdri'] = null;
  if (cfg.hdri.enabled && ctx.hdris.length > 0) {
    const path = ctx.hdris[rH.int(0, ctx.hdris.length)];
    hdri = { name: path.split('/').pop()!, path, yaw: u(rH, cfg.hdri.yaw) * DEG, elevation: u(rH, cfg.hdri.elevation) * DEG, strength: u(rH, cfg.hdri.strength) };
  }

  // Fill light beside the camera, aimed at the hand's joint centroid.
  const rL = stream('fill');
  let fill: SampleParams['fill'] = null;
  if (cfg.fill.enabled) {
    const target = [0, 1, 2].map((k) => joints25.reduce((a, p) => a + p[k], 0) / joints25.length);
    const a = rL.uniform(0, 2 * Math.PI), r = cfg.fill.offset * Math.sqrt(rL.random());
    fill = { power: u(rL, cfg.fill.power), size: u(rL, cfg.fill.size), position: [r * Math.cos(a), r * Math.sin(a), 0], target };
  }

  // Forearm.
  const rF = stream('forearm');
  const forearmOn = cfg.forearm.enabled && rF.random() < cfg.forearm.probability;
  const forearm = forearmOn ? { length: u(rF, cfg.forearm.length), girth: u(rF, cfg.forearm.girth), taper: u(rF, cfg.forearm.taper) } : null;

  // Objects: held in grasp contact, or (placement "near") primitives just in front of a random finger joint.
  const rO = stream('objects');
  const objects: ObjectSpec[] = [];
  if (cfg.objects.enabled && rO.random() < cfg.objects.probability) {
    if (cfg.objects.placement === 'grasp') {
      if (!ctx.handMesh) throw new Error('objects.placement "grasp" needs the hand mesh in the expand context');
      const { mesh, rest, labels: def } = ctx.handMesh;
      const verts = skinMesh(mesh, poseRig(rest, joints25.flat(), girth));
      const labels = labelsFromVertices(def, verts);
      const palm = [0, 1, 2].map((k) => [0, 5, 9, 13, 17].reduce((a, j) => a + labels[j * 3 + k], 0) / 5);
      const held = graspObject(rO, rO.pick(cfg.objects.kinds) as GraspKind, rO.pick(cfg.objects.materials), verts, labels, palm);
      if (held) objects.push(held);
    } else {
      const count = rO.int(1, cfg.objects.maxCount + 1);
      for (let k = 0; k < count; k++) {
        const j21 = rO.int(1, 21);
        const p = joints25[MAP_25_TO_21[j21]];
        const size = u(rO, cfg.objects.size);
        const aspect = [rO.uniform(0.6, 1.4), rO.uniform(0.6, 1.4), rO.uniform(0.6, 1.4)];
        const toCam = Math.hypot(p[0], p[1], p[2]);
        const back = size * 0.5 + rO.uniform(0.005, 0.02);
        const lateral = [rO.normal(0, size * 0.3), rO.normal(0, size * 0.3)];
        const center = [p[0] - (p[0] / toCam) * back + lateral[0], p[1] - (p[1] / toCam) * back + lateral[1], p[2] - (p[2] / toCam) * back];
        objects.push({
          kind: rO.pick(cfg.objects.kinds), center, size: aspect.map((a) => a * size),
          rotation: [rO.uniform(-Math.PI, Math.PI), rO.uniform(-Math.PI, Math.PI), rO.uniform(-Math.PI, Math.PI)],
          color: hsvToRgb(rO.random(), rO.uniform(0.1, 0.9), rO.uniform(0.1, 0.9)), roughness: rO.uniform(0.1, 0.9),
          metallic: rO.random() < cfg.objects.metallic ? 1 : 0, shapeSeed: rO.int(0, 27), nearJoint21: j21,
        });
      }
    }
  }

  const params: SampleParams = {
    index, seed: sampleSeed,
    pose: { source: cfg.pose.source, angles, ...(poseIndex !== undefined ? { poseIndex } : {}), ...(placed.fitted ?? {}), ...(placed.rejected !== undefined ? { rejectedDraws: placed.rejected } : {}), global: { rotation: matrixRotvec(R), translation }, handScale, ...(girth !== 1 ? { handGirth: girth } : {}) },
    camera: { K, width: W, height: H, distance, yawDeg, pitchDeg, rollDeg },
    texture, hdri, fill, forearm, objects,
  };
  const spec: Omit<RenderSpec, 'outputs'> = {
    index, seed: sampleSeed, width: W, height: H, K, joints25,
    hand: { subdivision: cfg.render.subdivision, ...(girth !== 1 ? { girth } : {}), skin: { tone: [0.6, 0.4, 0.3], roughness: texture.roughness, specular: texture.specular, subsurface: texture.subsurface, detailScale: texture.detailScale, detailStrength: texture.detailStrength } },
    forearm, hdri: hdri ? { path: hdri.path, yaw: hdri.yaw, elevation: hdri.elevation, strength: hdri.strength } : null, fill,
    backgroundColor: cfg.hdri.backgroundColor, objects,
    render: renderSettings(cfg),
    verts: cfg.outputs.verts, computeOcclusion: objects.length > 0,
    ...(placed.fitted?.mirrored ? { mirror: true } : {}),
  };
  return { params, spec };
}

/** Point sampling inside a sub-pixel (Cycles' smallest filter width): the sub-pixel grid is the anti-aliasing. */
export const SUBPIXEL_FILTER_WIDTH = 0.01;

/** Cycles settings of a sample: `samples` per output pixel become samples per sub-pixel when supersampling. */
export function renderSettings(cfg: RenderConfig): RenderSpec['render'] {
  const S = cfg.render.supersample;
  return {
    samples: Math.ceil(cfg.render.samples / (S * S)), adaptive: cfg.render.adaptiveThreshold > 0, adaptiveThreshold: cfg.render.adaptiveThreshold,
    filterWidth: S > 1 ? SUBPIXEL_FILTER_WIDTH : cfg.render.filterWidth, supersample: S, jpegQuality: cfg.image.jpegQuality,
  };
}

interface Placement {
  angles: number[]; poseIndex?: number; handScale: number; K: Mat3; R: Float64Array; translation: number[]; distance: number;
  yawDeg: number; pitchDeg: number; rollDeg: number; joints25: number[][]; fitted?: { sourceIndex: number; mirrored: boolean; /** per finger (thumb … little): the real frame whose bend it shows, null for its own */ fingersFrom?: (number | null)[] }; /** self-penetrating draws redrawn */ rejected?: number;
}

/** Sampled pose, view and camera: the joint centroid on a ray near the image centre, every joint inside the image. */
function sampledPlacement(cfg: RenderConfig, ctx: ExpandContext, stream: (name: string) => Rng, W: number, H: number): Placement {
  const rPose = stream('pose');
  const handScale = u(stream('shape'), cfg.shape.scale);
  const shape = scaledShape(ctx.shape, handScale);
  // A share of natural hands take a grasp pose, drawn on its own stream (not from the objects factor, so
  // switching objects on or off leaves the pose unchanged); held objects find a placement more often there.
  const grasp = cfg.pose.source === 'natural' && stream('pose-grasp').random() < cfg.pose.grasp;
  let { angles, poseIndex } = sampleAngles(cfg.pose, rPose, ctx.poseSet, { grasp });
  // Redraw (same stream, so still deterministic) while two fingers interpenetrate; poses from files are kept as given.
  let rejected = 0;
  const sampled = cfg.pose.source === 'natural' || cfg.pose.source === 'random';
  while (sampled && ctx.fingerRadii && rejected < 200
    && fingerPenetration(forwardKinematics(shape, { angles }).flat(), ctx.fingerRadii, handScale).depth > MAX_FINGER_PENETRATION) {
    rejected++;
    ({ angles, poseIndex } = sampleAngles(cfg.pose, rPose, ctx.poseSet, { grasp }));
  }
  const rCam = stream('camera');
  const f = u(rCam, cfg.camera.focal);
  const K: Mat3 = [[f, 0, (W - 1) / 2], [0, f, (H - 1) / 2], [0, 0, 1]];
  const yawDeg = u(rCam, cfg.camera.yaw), pitchDeg = u(rCam, cfg.camera.pitch), rollDeg = u(rCam, cfg.camera.roll);
  let distance = u(rCam, cfg.camera.distance);
  const ox = rCam.uniform(-1, 1) * cfg.camera.offset * W, oy = rCam.uniform(-1, 1) * cfg.camera.offset * W;
  const R = viewRotation(yawDeg, pitchDeg, rollDeg);
  const local = forwardKinematics(shape, { angles, global: { rotation: matrixRotvec(R), translation: [0, 0, 0] } });
  const centroid = [0, 1, 2].map((k) => local.reduce((a, p) => a + p[k], 0) / local.length);
  // Put the joint centroid on the ray through pixel (cx + ox, cy + oy) at depth `distance`.
  const target = [(ox / f) * distance, (oy / f) * distance, distance];
  let translation = [target[0] - centroid[0], target[1] - centroid[1], target[2] - centroid[2]];
  let joints25 = local.map((p) => [p[0] + translation[0], p[1] + translation[1], p[2] + translation[2]]);
  // Keep every joint inside the image (with a margin): move the hand back along its ray until it fits.
  const margin = 0.04 * Math.min(W, H);
  for (let k = 0; k < 40 && !insideImage(project(K, joints25), W, H, margin); k++) {
    distance *= 1.08;
    const t = [(ox / f) * distance, (oy / f) * distance, distance];
    translation = [t[0] - centroid[0], t[1] - centroid[1], t[2] - centroid[2]];
    joints25 = local.map((p) => [p[0] + translation[0], p[1] + translation[1], p[2] + translation[2]]);
  }
  return { angles, poseIndex, handScale, K, R, translation, distance, yawDeg, pitchDeg, rollDeg, joints25, ...(sampled && ctx.fingerRadii ? { rejected } : {}) };
}

/** A fitted real set's pose ⌊index / repeat⌋ (of pose.frames when listed) with its own view and K (scaled to the render size). */
function fittedPlacement(cfg: RenderConfig, index: number, ctx: ExpandContext, W: number, H: number, rRecombine: Rng): Placement {
  const fp = ctx.fitted;
  if (!fp || fp.K.length === 0) throw new Error('pose source "fitted" needs a fitted real set (handgap poses fit --real-labels)');
  const frames = cfg.pose.frames ? listedFrames(cfg.pose.frames) : null;
  const poseOfSlot = (slot: number) => (frames ? fittedPoseOfFrame(fp, frames, slot) : slot % fp.K.length);
  const jointsOf = (k: number) => Array.from({ length: 25 }, (_, j) => Array.from(fp.rig25.subarray(k * 75 + j * 3, k * 75 + j * 3 + 3)));
  const k = poseOfSlot(Math.floor(index / cfg.pose.repeat));
  const mirrored = fp.mirrored[k];
  let joints25 = jointsOf(k);
  let recombined: (number | null)[] | undefined;
  if (cfg.pose.recombine > 0) {
    // donors among the slots this config renders (never a frame it does not show), of the same hand side; a draw
    // whose fingers interpenetrate deeper than the fitted pose's own (and the sampled poses' limit) is redrawn
    const slots = Math.ceil(cfg.n / cfg.pose.repeat);
    const depth = (pose: number[][]) => (ctx.fingerRadii ? fingerPenetration(pose.flat(), ctx.fingerRadii).depth : -Infinity);
    const allowed = Math.max(MAX_FINGER_PENETRATION, depth(joints25));
    for (let attempt = 0; attempt < RECOMBINE_ATTEMPTS && !recombined; attempt++) {
      const donors = FINGER_CHAINS25.map(() => {
        if (rRecombine.random() >= cfg.pose.recombine) return null;
        const d = poseOfSlot(rRecombine.int(0, slots));
        return fp.mirrored[d] === mirrored && d !== k ? d : null;
      });
      if (donors.every((d) => d === null)) break;
      const pose = recombineFingers(joints25, donors.map((d) => (d === null ? null : jointsOf(d))));
      if (depth(pose) > allowed) continue;
      joints25 = pose;
      recombined = donors.map((d) => (d === null ? null : fp.sourceIndices[d]));
    }
  }
  const K = fittedK(fp.K[k], fp.imageSize, W, H, mirrored);
  const wrist = joints25[0];
  return {
    angles: [], poseIndex: k, handScale: 1, K, R: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), translation: wrist, distance: Math.hypot(wrist[0], wrist[1], wrist[2]),
    yawDeg: 0, pitchDeg: 0, rollDeg: 0, joints25, fitted: { sourceIndex: fp.sourceIndices[k], mirrored, ...(recombined ? { fingersFrom: recombined } : {}) },
  };
}

/** Refuse, before any rendering, a pose.frames list naming a frame the fitted set does not hold. */
export function checkListedFrames(fp: FittedPoses, blocks: [number, number][]): void {
  const held = new Set(fp.sourceIndices);
  const missing = listedFrames(blocks).find((f) => !held.has(f));
  if (missing !== undefined) throw frameNotFitted(fp, missing);
}

/** The fitted pose showing the slot-th listed real frame (frames wrap like poses do). */
function fittedPoseOfFrame(fp: FittedPoses, frames: number[], slot: number): number {
  const frame = frames[slot % frames.length];
  const k = fp.sourceIndices.indexOf(frame);
  if (k < 0) throw frameNotFitted(fp, frame);
  return k;
}

const frameNotFitted = (fp: FittedPoses, frame: number) => new InputError('pose.frames', `lists real frame ${frame}, which the fitted set does not hold (it holds ${fp.sourceIndices.length} frames, ${fp.sourceIndices[0]}…${fp.sourceIndices[fp.sourceIndices.length - 1]})`);

function insideImage(uv: number[][], W: number, H: number, margin: number): boolean {
  return uv.every(([x, y]) => x >= margin && y >= margin && x <= W - 1 - margin && y <= H - 1 - margin);
}

/** Project camera-frame points (N×3, metres) with K to pixels (N×2, OpenCV pixel centres). */
export function project(K: Mat3 | number[][], pts: number[][]): number[][] {
  return pts.map((p) => [K[0][0] * p[0] / p[2] + K[0][2], K[1][1] * p[1] / p[2] + K[1][2]]);
}

