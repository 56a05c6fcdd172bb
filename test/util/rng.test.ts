import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../lib/util/rng.ts';

test('Rng is deterministic per seed and key path', () => {
  const a = Rng.derive(7, 'render', 3), b = Rng.derive(7, 'render', 3), c = Rng.derive(7, 'render', 4);
  const xa = Array.from({ length: 5 }, () => a.random());
  assert.deepEqual(xa, Array.from({ length: 5 }, () => b.random()));
  assert.notDeepEqual(xa, Array.from({ length: 5 }, () => c.random()));
});

test('Rng uniform and normal have the right moments', () => {
  const r = new Rng(1);
  const n = 20000;
  let su = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) { su += r.random(); const z = r.normal(); sn += z; sn2 += z * z; }
  assert.ok(Math.abs(su / n - 0.5) < 0.01);
  assert.ok(Math.abs(sn / n) < 0.03);
  assert.ok(Math.abs(sn2 / n - 1) < 0.05);
});
