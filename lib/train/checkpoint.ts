/**
 * Checkpoints as plain files through a custom tf.io.IOHandler (tfjs-node's file:// handler does not exist
 * on the wasm and cpu backends). Layout of a checkpoint directory:
 *   model.json     tfjs "model.json" format: modelTopology, weightsManifest (paths: ["weights.bin"]), plus
 *                  userDefinedMetadata (handgap config, epoch, step, seed, backend, ...)
 *   weights.bin    little-endian float32 weights in manifest order
 *   optimizer.bin + optimizer.json   optional optimizer state (Adam moments) for exact resume
 * Both files are written atomically (temp + rename), model.json last, so a crash leaves the previous
 * checkpoint readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, readJson, ensureDir } from '../util/fsx.ts';
import { InputError } from '../util/errors.ts';

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
  writeFileAtomic(path.join(dir, 'optimizer.json'), JSON.stringify({ className: optimizer.getClassName(), weights: specs }));
}

/** Restore optimizer state saved by saveOptimizerState; returns false when the checkpoint has none. */
export async function loadOptimizerState(dir: string, optimizer: tf.Optimizer): Promise<boolean> {
  const jf = path.join(dir, 'optimizer.json'), bf = path.join(dir, 'optimizer.bin');
  if (!fs.existsSync(jf) || !fs.existsSync(bf)) return false;
  const meta = readJson<{ className: string; weights: Array<{ name: string; shape: number[] }> }>(jf);
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
  return true;
}
