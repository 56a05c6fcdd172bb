/**
 * The named estimator configurations (lib/train/pose/model-config.ts POSENET_PRESETS) build, and their parameter
 * counts are the ones docs/training.md's table states; a config names them as `"model": "<name>"`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../lib/train/backend.ts';
import { buildPoseNet, POSENET_PRESETS } from '../../lib/train/pose/model.ts';
import { parseTrainConfig } from '../../lib/train/pose/config.ts';

// millions of parameters, as docs/training.md's table states them (≈, within 15 %)
const DOCUMENTED: Record<string, number> = { tiny: 0.03, cpu: 0.25, 'cpu-large': 1.8, resnet: 12 };

test('every named configuration builds with the documented number of parameters', async () => {
  await initBackend({ force: 'wasm' });
  assert.deepEqual(Object.keys(POSENET_PRESETS).sort(), Object.keys(DOCUMENTED).sort());
  for (const [name, cfg] of Object.entries(POSENET_PRESETS)) {
    const net = buildPoseNet(cfg);
    const millions = net.countParams() / 1e6;
    net.dispose();
    assert.ok(Math.abs(millions / DOCUMENTED[name] - 1) < 0.15, `${name}: ${millions.toFixed(3)} M parameters, documented ≈ ${DOCUMENTED[name]} M`);
    const parsed = parseTrainConfig({ out: '/tmp/unused', train: [{ path: 'hgc-dev' }], model: name }, 'test config');
    assert.deepEqual(parsed.model, cfg);
  }
});
