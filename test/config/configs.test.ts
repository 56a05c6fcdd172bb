/**
 * Every config kind the project reads (render, training, occlusion prior metadata) rejects an unknown or
 * misspelled key, a wrong type and an out-of-range value with one message naming the file, the field
 * path and what is allowed; parsing a training config loads no TensorFlow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readConfigFile, type z } from '../../lib/config/schema.ts';
import { RENDER_CONFIG, DEFAULT_CONFIG } from '../../lib/synth/config.ts';
import { TRAIN_CONFIG } from '../../lib/train/pose/config.ts';
import { PRIOR_META, DEFAULT_VAE } from '../../lib/train/prior/config.ts';
import { DEFAULT_AUGMENT } from '../../lib/train/pipeline/transform.ts';
import { STANDARD_POSENET } from '../../lib/train/pose/model-config.ts';
import { InputError } from '../../lib/util/errors.ts';
import { projectRoot } from '../../lib/util/paths.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-config-'));
let k = 0;
/** Write `value` to a file, parse it with `schema`, and check the one message has every needle. */
function rejects(schema: z.ZodType, value: unknown, ...needles: (string | RegExp)[]): string {
  const file = path.join(tmp, `c${k++}.json`);
  fs.writeFileSync(file, JSON.stringify(value));
  let message = '';
  assert.throws(() => readConfigFile(schema, file), (e: unknown) => { message = (e as Error).message; return e instanceof InputError; });
  assert.ok(message.startsWith(`${file}: invalid `), message);
  for (const n of needles) assert.ok(typeof n === 'string' ? message.includes(n) : n.test(message), `message lacks ${n}: ${message}`);
  return message;
}

test('render config: unknown key, wrong type, out of range, null, n: 0, pose.file rule', () => {
  rejects(RENDER_CONFIG, { camera: { focl: [400, 450] } }, 'camera.focl: unknown field (did you mean "focal"?)', 'allowed: focal, distance, offset, yaw, pitch, roll');
  rejects(RENDER_CONFIG, { image: { width: 'wide' } }, 'image.width: got "wide"; expected an integer >= 8 and <= 8192');
  rejects(RENDER_CONFIG, { render: { samples: 0 } }, 'render.samples: got 0; expected an integer >= 1 and <= 65536');
  rejects(RENDER_CONFIG, { camera: { distance: [0.7, 0.4] } }, 'camera.distance: got [0.7,0.4]; expected [lo, hi] with lo <= hi');
  rejects(RENDER_CONFIG, null, '(top level): got null');
  rejects(RENDER_CONFIG, { n: 0 }, 'n: got 0; expected an integer >= 1');
  rejects(RENDER_CONFIG, { n: 2.5 }, 'n: got 2.5; expected an integer');
  rejects(RENDER_CONFIG, { pose: { source: 'file' } }, 'pose.file: got nothing; required when pose.source is "file"');
  rejects(RENDER_CONFIG, { objects: { kinds: ['teapot'] } }, 'objects.kinds[0]: got "teapot"; expected one of "ball", "can"');
  // defaults: every field, nested groups built from their own defaults
  assert.deepEqual(RENDER_CONFIG.parse({}), DEFAULT_CONFIG);
  assert.equal(DEFAULT_CONFIG.n, 100);
  assert.deepEqual(DEFAULT_CONFIG.camera.focal, [380, 460]);
  const c = RENDER_CONFIG.parse({ camera: { offset: 0.1 } });
  assert.equal(c.camera.offset, 0.1);
  assert.deepEqual(c.camera.focal, DEFAULT_CONFIG.camera.focal);
});

test('training config: unknown key, wrong type, out of range; defaults owned by the schema', () => {
  const base = { out: 'run', train: ['hgc-dev'] };
  rejects(TRAIN_CONFIG, { ...base, learningrate: 0.01 }, 'learningrate: unknown field (did you mean "learningRate"?)');
  rejects(TRAIN_CONFIG, { ...base, batchSize: 2.5 }, 'batchSize: got 2.5; expected an integer >= 1');
  rejects(TRAIN_CONFIG, { ...base, learningRate: 0 }, 'learningRate: got 0; expected a finite number > 0');
  rejects(TRAIN_CONFIG, { ...base, epochs: '3' }, 'epochs: got "3"; expected an integer');
  rejects(TRAIN_CONFIG, { ...base, model: { inputSize: -64 } }, 'model.inputSize: got -64; expected an integer >= 16');
  rejects(TRAIN_CONFIG, { ...base, model: { widths: [8, 16], blocks: [1] } }, 'model.blocks', 'as many entries as model.widths');
  rejects(TRAIN_CONFIG, { ...base, augment: { scale: [0, 0] } }, 'augment.scale');
  rejects(TRAIN_CONFIG, { ...base, augment: { rotation: 10 } }, 'augment.rotation: unknown field (did you mean "rotationDeg"?)');
  rejects(TRAIN_CONFIG, { ...base, augment: { flip: 'yes' } }, 'augment.flip: got "yes"; expected true or false');
  rejects(TRAIN_CONFIG, { ...base, spectral: { kind: 'blur' } }, 'spectral.kind');
  rejects(TRAIN_CONFIG, { ...base, spectral: { kind: 'mix', eta: 1, beta: 2 } }, 'spectral.beta: unknown field');
  rejects(TRAIN_CONFIG, { ...base, train: [{ path: 'x', wieght: 2 }] }, 'train[0].wieght: unknown field (did you mean "weight"?)');
  rejects(TRAIN_CONFIG, { ...base, train: [] }, 'train: got []');
  rejects(TRAIN_CONFIG, { train: ['x'] }, 'out: got nothing');
  rejects(TRAIN_CONFIG, { ...base, schedule: 'linear' }, 'schedule: got "linear"; expected one of "cosine", "constant", "step"');
  const c = TRAIN_CONFIG.parse(base);
  assert.deepEqual(c.augment, DEFAULT_AUGMENT);
  assert.deepEqual(c.model, STANDARD_POSENET);
  assert.deepEqual(c.train, [{ path: 'hgc-dev' }]);
  assert.equal(c.val, null);
  assert.equal(TRAIN_CONFIG.parse({ ...base, augment: { flip: true } }).augment.rotationDeg, DEFAULT_AUGMENT.rotationDeg);
});

test('occlusion prior metadata: unknown key, wrong type, out of range', () => {
  rejects(PRIOR_META, { vae: { latnet: 8 } }, 'vae.latnet: unknown field (did you mean "latent"?)');
  rejects(PRIOR_META, { vae: {}, seed: 'one' }, 'seed: got "one"; expected an integer');
  rejects(PRIOR_META, { vae: { maskProb: 2 } }, 'vae.maskProb: got 2; expected a finite number >= 0 and <= 1');
  rejects(PRIOR_META, { step: 3 }, 'vae: got nothing');
  // metadata without klNormalisation / inputScale is a prior saved before they existed: per-sample KL, cm
  assert.deepEqual(PRIOR_META.parse({ vae: {} }).vae, { ...DEFAULT_VAE, klNormalisation: 'per-sample', inputScale: 100 });
  assert.deepEqual(PRIOR_META.parse({ vae: DEFAULT_VAE }).vae, DEFAULT_VAE);
});

test('data fetch lock: a damaged pin is named before any download', async () => {
  const { fetchSource } = await import('../../lib/data/fetch.ts');
  const root = fs.mkdtempSync(path.join(tmp, 'data-'));
  fs.writeFileSync(path.join(root, 'fetch-lock.json'), JSON.stringify({ tiny: { sha256: 'ABC', size: 1, url: 'http://127.0.0.1:9/x.zip', extra: 1 } }));
  await assert.rejects(fetchSource({ name: 'tiny', description: 'tiny', url: 'http://127.0.0.1:9/x.zip' }, root, { progress: false }),
    (e: Error) => e instanceof InputError && /fetch-lock\.json: invalid fetch lock/.test(e.message) && /tiny\.sha256: got "ABC"/.test(e.message) && /tiny\.extra: unknown field/.test(e.message));
});

test('a missing file and bad JSON are one message naming the file', () => {
  assert.throws(() => readConfigFile(TRAIN_CONFIG, path.join(tmp, 'absent.json')), /absent\.json: cannot read config file \(ENOENT\)/);
  const bad = path.join(tmp, 'bad.json');
  fs.writeFileSync(bad, '{ "out": ');
  assert.throws(() => readConfigFile(TRAIN_CONFIG, bad), /bad\.json: not valid JSON/);
});

test('parsing a training or render config loads no TensorFlow (and the check would see it)', () => {
  const probe = (mod: string, call: string) => {
    const code = `const m = await import(${JSON.stringify(path.join(projectRoot, mod))}); ${call};
      const { createRequire } = await import('node:module'); const req = createRequire(import.meta.url);
      console.log(JSON.stringify(Object.keys(req.cache).filter((f) => f.includes('@tensorflow'))));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', cwd: projectRoot });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as string[];
  };
  assert.deepEqual(probe('lib/train/pose/config.ts', "m.parseTrainConfig({ out: 'x', train: ['hgc-dev'] }, 'probe')"), []);
  assert.deepEqual(probe('lib/train/prior/config.ts', "m.parsePriorMeta({ vae: {} }, 'probe')"), []);
  assert.deepEqual(probe('lib/synth/config.ts', "m.validateConfig({}, 'probe')"), []);
  // positive control: the network module does load it
  assert.ok(probe('lib/train/pose/model.ts', 'void m').length > 0);
});
