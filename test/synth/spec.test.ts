/** Pure parts of synthesis: config validation, per-sample expansion, texture model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig, DEFAULT_CONFIG } from '../../lib/synth/config.ts';
import { expandSample, project, viewRotation, checkListedFrames } from '../../lib/synth/spec.ts';
import { configHash, handMeshContext } from '../../lib/synth/driver.ts';
import { genericHandRestShape } from '../../lib/hand/asset.ts';
import { pcaTextureModel, proceduralTextureModel, synthesizeTexture } from '../../lib/synth/texture-model.ts';
import { InputError } from '../../lib/util/errors.ts';
import { Rng } from '../../lib/util/rng.ts';

const ctx = { shape: genericHandRestShape(), hdris: ['/x/a.exr', '/x/b.exr', '/x/c.exr'], handMesh: handMeshContext() };

test('config: a wrong field is named with its allowed values; unknown fields are listed', () => {
  const bad = (user: unknown, ...needles: string[]) => {
    assert.throws(() => validateConfig(user, 'my.json'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      for (const n of needles) assert.ok((e as Error).message.includes(n), `message lacks "${n}": ${(e as Error).message}`);
      return true;
    });
  };
  bad({ image: { format: 'gif' } }, 'my.json', 'image.format', '"jpg", "png"');
  bad({ camera: { focl: [1, 2] } }, 'camera.focl: unknown field (did you mean "focal"?)', 'allowed: focal, distance');
  bad({ objects: { kinds: ['sphere', 'teapot'] } }, 'objects.kinds[1]', '"blob"');
  bad({ camera: { distance: [0.7, 0.4] } }, 'camera.distance', 'lo <= hi');
  bad({ render: { samples: 0 } }, 'render.samples: got 0; expected an integer >= 1');
  bad({ pose: { source: 'file' } }, 'pose.file');
  const ok = validateConfig({ seed: 5, render: { samples: 4 } });
  assert.equal(ok.seed, 5); assert.equal(ok.render.samples, 4); assert.equal(ok.render.subdivision, DEFAULT_CONFIG.render.subdivision);
});

test('spec: deterministic per index, independent of other indices and of n; factor streams are independent', () => {
  const cfg = validateConfig({ seed: 11, objects: { enabled: true, probability: 1 } });
  // a sample that holds an object (not every pose has a placement in grasp contact)
  let i = 7;
  while (expandSample(cfg, i, ctx).spec.objects.length === 0) i++;
  const a = expandSample(cfg, i, ctx), b = expandSample({ ...cfg, n: 3 }, i, ctx);
  assert.deepEqual(a, b);
  assert.notDeepEqual(expandSample(cfg, i + 1, ctx).spec.joints25, a.spec.joints25);
  // Switching the forearm or objects off changes nothing else.
  const noArm = expandSample(validateConfig({ seed: 11, objects: { enabled: true, probability: 1 }, forearm: { enabled: false } }), i, ctx);
  assert.equal(noArm.spec.forearm, null); assert.ok(a.spec.forearm);
  assert.deepEqual(noArm.spec.joints25, a.spec.joints25); assert.deepEqual(noArm.spec.objects, a.spec.objects); assert.deepEqual(noArm.spec.hdri, a.spec.hdri);
  const noObj = expandSample(validateConfig({ seed: 11 }), i, ctx);
  assert.equal(noObj.spec.objects.length, 0); assert.ok(a.spec.objects.length > 0);
  assert.deepEqual(noObj.spec.joints25, a.spec.joints25); assert.deepEqual(noObj.params.texture, a.params.texture);
  // A different seed changes the sample.
  assert.notDeepEqual(expandSample(validateConfig({ seed: 12 }), i, ctx).spec.joints25, a.spec.joints25);
});

test('spec: every joint projects inside the image; K has square pixels and a centred principal point', () => {
  const cfg = validateConfig({ seed: 2, image: { width: 160, height: 120 } });
  for (let i = 0; i < 50; i++) {
    const { spec } = expandSample(cfg, i, ctx);
    assert.equal(spec.K[0][0], spec.K[1][1]);
    assert.equal(spec.K[0][2], 79.5); assert.equal(spec.K[1][2], 59.5);
    for (const [u, v] of project(spec.K, spec.joints25)) assert.ok(u >= 0 && v >= 0 && u <= 159 && v <= 119, `sample ${i}: joint at (${u}, ${v})`);
    assert.ok(spec.joints25.every((p) => p[2] > 0.1));
  }
});

test('spec: the canonical view shows the palm with the fingers up (OpenCV y down)', () => {
  const cfg = validateConfig({ pose: { source: 'rest' }, camera: { yaw: [0, 0], pitch: [0, 0], roll: [0, 0], offset: 0 }, shape: { scale: [1, 1] } });
  const { spec } = expandSample(cfg, 0, ctx);
  const [wrist, , , , thumbTip] = spec.joints25, middleTip = spec.joints25[14];
  assert.ok(middleTip[1] < wrist[1] - 0.1, 'middle fingertip above the wrist in the image');
  assert.ok(thumbTip[0] > wrist[0], 'right-hand thumb on the image right when the palm faces the camera');
  const R = viewRotation(0, 0, 0);
  assert.ok(Math.abs(R[0] * R[4] * R[8]) < 1e-12); // a permutation-like rotation, not identity
});

test('config hash ignores n and operational settings but not content', () => {
  const c = validateConfig({});
  assert.equal(configHash(c), configHash({ ...c, n: 5, render: { ...c.render, retries: 7, timeoutSec: 9 } }));
  assert.notEqual(configHash(c), configHash({ ...c, seed: 99 }));
});

test('pose.frames: a fitted set\'s listed frames in order (repeat each), n defaulting to their count; a frame the set lacks is refused before rendering', () => {
  const cfg = validateConfig({ seed: 3, pose: { source: 'fitted', file: 'fit.json', frames: [[11, 12]], repeat: 2 } });
  assert.equal(cfg.n, 4);
  assert.equal(validateConfig({ n: 3, pose: { source: 'fitted', file: 'fit.json', frames: [[11, 12], [10, 10]] } }).n, 3);
  assert.throws(() => validateConfig({ pose: { frames: [[1, 2]] } }, 'r.json'), (e: unknown) => e instanceof InputError && /pose\.frames/.test(e.message) && /fitted/.test(e.message));
  assert.throws(() => validateConfig({ pose: { source: 'fitted', file: 'f', frames: [[5, 3]] } }, 'r.json'), (e: unknown) => e instanceof InputError && /first <= last/.test(e.message));
  // a fitted set of three frames (source indices 10, 11, 12), each the same hand at its own distance
  const joints = expandSample(validateConfig({ seed: 1 }), 0, ctx).spec.joints25;
  const rig25 = Float64Array.from([0, 1, 2].flatMap((k) => joints.flatMap((p) => [p[0], p[1], p[2] + 0.1 * k])));
  const K = [[400, 0, 112], [0, 400, 112], [0, 0, 1]];
  const fitted = { rig25, K: [K, K, K], mirrored: [false, false, false], imageSize: [224, 224] as [number, number], sourceIndices: [10, 11, 12] };
  const shown = [0, 1, 2, 3, 4].map((i) => expandSample(cfg, i, { ...ctx, fitted }).params.pose.sourceIndex);
  assert.deepEqual(shown, [11, 11, 12, 12, 11]);
  assert.throws(() => checkListedFrames(fitted, [[12, 13]]), (e: unknown) => e instanceof InputError && /pose\.frames/.test(e.message) && /frame 13/.test(e.message));
  // listing frames is part of what the samples are; an unset list leaves the hash of sets rendered before the field existed
  const all = validateConfig({ pose: { source: 'fitted', file: 'fit.json' } });
  assert.notEqual(configHash(all), configHash({ ...all, pose: { ...all.pose, frames: [[11, 12]] } }));
});

test('pose.recombine: fingers are bent as in other frames the config renders (never another frame), seeded, recorded; fitted sets only', () => {
  assert.throws(() => validateConfig({ pose: { recombine: 0.3 } }, 'r.json'), (e: unknown) => e instanceof InputError && /pose\.recombine/.test(e.message) && /fitted/.test(e.message));
  // four fitted frames (source indices 10–13) with different finger bends
  const joints = (seed: number) => expandSample(validateConfig({ seed }), 0, ctx).spec.joints25;
  const rig25 = Float64Array.from([1, 2, 3, 4].flatMap((k) => joints(k).flat()));
  const K = [[400, 0, 112], [0, 400, 112], [0, 0, 1]];
  const fitted = { rig25, K: [K, K, K, K], mirrored: [false, false, false, false], imageSize: [224, 224] as [number, number], sourceIndices: [10, 11, 12, 13] };
  const expand = (c: object, i: number) => expandSample(validateConfig(c), i, { ...ctx, fitted });
  // the first two frames only (n = 2 slots): no finger comes from frames 12 or 13
  const two = { seed: 5, n: 40, pose: { source: 'fitted', file: 'fit.json', repeat: 20, recombine: 0.5 } };
  const from = Array.from({ length: 40 }, (_, i) => expand(two, i).params.pose.fingersFrom ?? []).flat().filter((f) => f !== null);
  assert.ok(from.length > 10, `expected fingers carried over, got ${from.length}`);
  assert.ok(from.every((f) => f === 10 || f === 11), `donor frames ${[...new Set(from)]}`);
  // listed frames: donors among them
  const listed = { seed: 5, pose: { source: 'fitted', file: 'fit.json', frames: [[12, 13]], repeat: 10, recombine: 0.5 } };
  const fromListed = Array.from({ length: 20 }, (_, i) => expand(listed, i).params.pose.fingersFrom ?? []).flat().filter((f) => f !== null);
  assert.ok(fromListed.length > 0 && fromListed.every((f) => f === 12 || f === 13));
  // a carried-over finger moves the joints (and so the labels); same seed, same sample
  const i = Array.from({ length: 40 }, (_, k) => k).find((k) => expand(two, k).params.pose.fingersFrom?.some((f) => f !== null))!;
  const plain = expand({ ...two, pose: { ...two.pose, recombine: 0 } }, i);
  assert.equal(plain.params.pose.fingersFrom, undefined);
  assert.notDeepEqual(expand(two, i).spec.joints25, plain.spec.joints25);
  assert.deepEqual(expand(two, i).spec.joints25, expand(two, i).spec.joints25);
  // part of what the samples are: it enters the hash when set
  const cfg = validateConfig(two);
  assert.notEqual(configHash(cfg), configHash({ ...cfg, pose: { ...cfg.pose, recombine: 0 } }));
});

test('texture model: procedural A(α) is deterministic, α moves tone, PCA recovers a planted basis', () => {
  const m = proceduralTextureModel(32);
  const zero = synthesizeTexture(m, [0, 0, 0, 0]);
  assert.deepEqual(Array.from(zero.slice(0, 3)).map((x) => +x.toFixed(3)), [0.62, 0.46, 0.37]);
  const lighter = synthesizeTexture(m, [-2, 0, 0, 0]), darker = synthesizeTexture(m, [2, 0, 0, 0]);
  const mean = (a: Float32Array) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(mean(lighter) > mean(zero) + 0.1 && mean(darker) < mean(zero) - 0.1, 'melanin α (component 0, +1 = one σ darker) changes brightness');
  assert.deepEqual(synthesizeTexture(proceduralTextureModel(32), [0.3, -1, 0.5, 2]), synthesizeTexture(m, [0.3, -1, 0.5, 2]));
  // PCA: maps = mean + a_i * u + b_i * v (u ⟂ v), 2 components must span {u, v}.
  const D = 8 * 8 * 3, r = new Rng(1);
  const u = Float32Array.from({ length: D }, (_, i) => (i % 2 ? 1 : -1) / Math.sqrt(D));
  const v = Float32Array.from({ length: D }, (_, i) => (i % 4 < 2 ? 1 : -1) / Math.sqrt(D));
  const maps = Array.from({ length: 12 }, () => { const a = r.normal(0, 3), b = r.normal(0, 1); return Float32Array.from({ length: D }, (_, i) => 0.5 + a * u[i] + b * v[i]); });
  const pca = pcaTextureModel(maps, 8, 8, 3);
  assert.equal(pca.basis.length, 2, 'rank-2 data gives 2 components');
  assert.ok(pca.stds[0] > pca.stds[1]);
  for (const c of pca.basis) {
    const pu = c.reduce((s, x, i) => s + x * u[i], 0), pv = c.reduce((s, x, i) => s + x * v[i], 0);
    assert.ok(Math.abs(pu * pu + pv * pv - 1) < 1e-4, 'component lies in span{u, v}');
  }
  // Reconstruction of a training map from its own coefficients.
  const x = maps[3];
  const alpha = pca.basis.map((c, k) => c.reduce((s, bi, i) => s + bi * (x[i] - pca.mean[i]), 0) / pca.stds[k]);
  const rec = synthesizeTexture(pca, alpha);
  assert.ok(rec.every((y, i) => Math.abs(y - Math.min(1, Math.max(0, x[i]))) < 1e-4));
});
