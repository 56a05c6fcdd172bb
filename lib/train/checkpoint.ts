/**
 * Checkpoints as plain files through a custom tf.io.IOHandler (tfjs-node's file:// handler does not exist
 * on the wasm and cpu backends). Layout of a checkpoint directory:
 *   model.json     tfjs "model.json" format: modelTopology, weightsManifest (paths: ["weights.bin"]), plus
 *                  userDefinedMetadata (handgap config, epoch, step, seed, backend, ...)
 *   weights.bin    little-endian float32 weights in manifest order
 *   optimizer.bin + optimizer.json   optional optimizer state (Adam moments, iteration count and the
 *                  running β powers, so a resumed run takes bit-identical steps)
 *   state.json     written last: where training stands (step counter, data-order state, log length,
 *                  what the run was trained on); its presence marks a complete checkpoint
 * A checkpoint is one unit: commitCheckpoint writes everything into `<dir>.next-*` and renames it over
 * `<dir>` (commitFolder in lib/util/fsx.ts), so a kill at any moment leaves either the previous
 * checkpoint or the new one, never a mix; openCheckpoint repairs the folder after such a kill.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic, readJson, ensureDir, commitFolder, repairFolderCommit } from '../util/fsx.ts';
import { InputError, HandgapError } from '../util/errors.ts';

interface ModelJson {
  format?: string;
  generatedBy?: string;
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  userDefinedMetadata?: Record<string, unknown>;
}

function concatBuffers(data: tf.io.WeightData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const parts = data as ArrayBuffer[];
  const total = parts.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of parts) { out.set(new Uint8Array(b), o); o += b.byteLength; }
  return out;
}

/** IOHandler that saves to / loads from `dir` (model.json + weights.bin). */
export function fileHandler(dir: string, metadata: Record<string, unknown> = {}): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      ensureDir(dir);
      const weights = concatBuffers(artifacts.weightData ?? new ArrayBuffer(0));
      writeFileAtomic(path.join(dir, 'weights.bin'), weights);
      const json: ModelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), ...metadata },
      };
      writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const file = path.join(dir, 'model.json');
      if (!fs.existsSync(file)) throw new InputError(file, 'no checkpoint here (model.json missing)');
      const json = readJson<ModelJson>(file);
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new InputError(file, 'not a tfjs model.json (modelTopology / weightsManifest missing)');
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const [g, group] of json.weightsManifest.entries()) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const wf = path.join(dir, p);
          if (!fs.existsSync(wf)) throw new InputError(file, `weightsManifest[${g}] names ${p}, which is missing`);
          buffers.push(fs.readFileSync(wf));
        }
      }
      const total = buffers.reduce((s, b) => s + b.byteLength, 0);
      const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
      if (total !== expected) throw new InputError(file, `weights are ${total} bytes, the manifest describes ${expected}`);
      const all = new Uint8Array(total);
      let o = 0;
      for (const b of buffers) { all.set(b, o); o += b.byteLength; }
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: specs,
        weightData: all.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts["userDefinedMetadata"],
      };
    },
  };
}

/** Metadata stored with a checkpoint (userDefinedMetadata of model.json). */
export function readCheckpointMeta(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'model.json');
  if (!fs.existsSync(file)) throw new InputError(file, 'no checkpoint here (model.json missing)');
  return readJson<ModelJson>(file).userDefinedMetadata ?? {};
}

/** Optimizer state (e.g. Adam moments and iteration count) to optimizer.json + optimizer.bin. */
export async function saveOptimizerState(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const named = await optimizer.getWeights();
  const specs: Array<{ name: string; shape: number[] }> = [];
  const chunks: Float32Array[] = [];
  for (const w of named) {
    specs.push({ name: w.name, shape: w.tensor.shape });
    chunks.push(Float32Array.from(await w.tensor.data() as Float32Array));
  }
  // getWeights() makes a fresh scalar for the iteration count; the rest are the optimizer's own variables
  for (const w of named) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const flat = new Float32Array(total);
  let o = 0;
  for (const c of chunks) { flat.set(c, o); o += c.length; }
  ensureDir(dir);
  writeFileAtomic(path.join(dir, 'optimizer.bin'), new Uint8Array(flat.buffer));
  writeFileAtomic(path.join(dir, 'optimizer.json'), JSON.stringify({ className: optimizer.getClassName(), weights: specs, betaPowers: await betaPowers(optimizer) }));
}

/**
 * Adam's running powers β1^t, β2^t: tfjs's setWeights recomputes them as pow(β, t+1), which differs from the
 * product accumulated step by step in the last float32 bits; saving them keeps a resumed run on the same path.
 */
type WithBetaPowers = { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
async function betaPowers(optimizer: tf.Optimizer): Promise<number[] | undefined> {
  const o = optimizer as unknown as WithBetaPowers;
  if (!o.accBeta1 || !o.accBeta2) return undefined;
  return [(await o.accBeta1.data())[0], (await o.accBeta2.data())[0]];
}

/** Restore optimizer state saved by saveOptimizerState; returns false when the checkpoint has none. */
export async function loadOptimizerState(dir: string, optimizer: tf.Optimizer): Promise<boolean> {
  const jf = path.join(dir, 'optimizer.json'), bf = path.join(dir, 'optimizer.bin');
  if (!fs.existsSync(jf) || !fs.existsSync(bf)) return false;
  const meta = readJson<{ className: string; weights: Array<{ name: string; shape: number[] }>; betaPowers?: [number, number] }>(jf);
  if (meta.className !== optimizer.getClassName()) throw new InputError(jf, `optimizer is ${meta.className}, the run uses ${optimizer.getClassName()}`);
  const buf = fs.readFileSync(bf);
  const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  let o = 0;
  const named: Array<{ name: string; tensor: tf.Tensor }> = meta.weights.map((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(flat.subarray(o, o + n), w.shape);
    o += n;
    return { name: w.name, tensor: t };
  });
  if (o !== flat.length) throw new InputError(bf, `${flat.length} floats, optimizer.json describes ${o}`);
  await optimizer.setWeights(named);
  named.forEach((n) => n.tensor.dispose());
  const adam = optimizer as unknown as WithBetaPowers;
  if (meta.betaPowers && adam.accBeta1 && adam.accBeta2) {
    adam.accBeta1.assign(tf.scalar(meta.betaPowers[0]));
    adam.accBeta2.assign(tf.scalar(meta.betaPowers[1]));
  }
  return true;
}

/** Where training stands, saved with the weights (state.json). */
export interface CheckpointState {
  /** optimizer steps taken */
  step: number;
  epoch: number;
  /** what decides the order of the data from here on (seed, epoch plan inputs) */
  dataOrder: Record<string, unknown>;
  /** what must not change on resume (data, batch size, model, ...): compared by verifyResume */
  identity: Record<string, unknown>;
  /** bytes of the run's log at this checkpoint: a resumed run cuts the log back to it (no repeated lines) */
  logBytes?: number;
}

/**
 * Write a checkpoint as one unit: `fill` writes every file into a fresh folder, state.json is added last,
 * then the folder replaces `dir` by rename.
 */
export async function commitCheckpoint(dir: string, state: CheckpointState, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  await commitFolder(dir, async (next) => {
    await fill(next);
    writeJsonAtomic(path.join(next, 'state.json'), state, 1);
  });
}

/**
 * Repair `dir` after a kill during commitCheckpoint (repairFolderCommit) and return its state, or null if
 * there is no checkpoint. A checkpoint without state.json predates one-unit checkpoints and cannot be
 * resumed safely.
 */
export function openCheckpoint(dir: string): CheckpointState | null {
  repairFolderCommit(dir);
  if (!fs.existsSync(dir)) return null;
  const sf = path.join(dir, 'state.json');
  if (!fs.existsSync(sf)) throw new InputError(dir, 'checkpoint has no state.json (written by an older handgap, or not a checkpoint); it cannot be resumed safely: train afresh without --resume or into another folder');
  return readJson<CheckpointState>(sf);
}

/** Refuse to resume when what the run is trained on differs from what the checkpoint was trained on. */
export function verifyResume(dir: string, saved: CheckpointState, identity: Record<string, unknown>): void {
  const diffs: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
    } else diffs.push(`${at}: checkpoint ${JSON.stringify(a) ?? 'unset'}, now ${JSON.stringify(b) ?? 'unset'}`);
  };
  walk(saved.identity, identity, '');
  if (diffs.length) throw new HandgapError(`--resume: ${dir} was trained with a different setup, so it cannot continue this run:\n  ${diffs.slice(0, 8).join('\n  ')}${diffs.length > 8 ? `\n  ... ${diffs.length - 8} more` : ''}\nUse the original config, or train afresh without --resume (or into another out folder)`);
}

/** Cut a JSON-lines log back to its length at the checkpoint (a killed run may have logged steps past it). */
export function truncateLog(file: string, bytes: number | undefined): void {
  if (bytes === undefined || !fs.existsSync(file)) return;
  if (fs.statSync(file).size > bytes) fs.truncateSync(file, bytes);
}
