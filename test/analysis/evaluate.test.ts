import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findKnownSet } from '../../lib/util/paths.ts';
import { readFreihand, writePredictions } from '../../lib/data/freihand.ts';
import { evaluatePredictions } from '../../lib/analysis/evaluate.ts';

test('evaluate: exact predictions score 0, a rigid copy scores 0 after PA only, offsets are measured in mm', async (t) => {
  const dir = findKnownSet('hgc-dev');
  if (!dir) return t.skip('hgc-dev not found');
  const indices = [0, 1, 2, 3, 4];
  const gt = readFreihand(dir, { indices }).samples.map((s) => s.xyz!);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-eval-'));
  const f = path.join(tmp, 'pred.json');
  writePredictions(f, { xyz: gt, verts: null });
  const exact = await evaluatePredictions(dir, f, { indices });
  assert.equal(exact.n, 5);
  assert.ok(exact.paMpjpeMm < 1e-3 && exact.mpjpeMm < 1e-9, `${exact.paMpjpeMm} ${exact.mpjpeMm}`); // official alignment has a 1e-8 epsilon
  // rotate 90° about z and scale by 1.2 about the wrist: PA removes it, root alignment does not
  writePredictions(f, { xyz: gt.map((p) => p.map(([x, y, z]) => [p[0][0] - 1.2 * (y - p[0][1]), p[0][1] + 1.2 * (x - p[0][0]), p[0][2] + 1.2 * (z - p[0][2])])), verts: null });
  const rigid = await evaluatePredictions(dir, f, { indices });
  assert.ok(rigid.paMpjpeMm < 1e-3, `PA ${rigid.paMpjpeMm}`);
  assert.ok(rigid.mpjpeMm > 50, `root-aligned ${rigid.mpjpeMm}`);
  // shift one joint (index tip) by 21 mm: root MPJPE = 1 mm
  writePredictions(f, { xyz: gt.map((p) => p.map((q, j) => (j === 8 ? [q[0] + 0.021, q[1], q[2]] : q))), verts: null });
  const one = await evaluatePredictions(dir, f, { indices });
  assert.ok(Math.abs(one.mpjpeMm - 1) < 1e-6, `${one.mpjpeMm}`);
  assert.ok(one.paMpjpeMm > 0.3 && one.paMpjpeMm < 3, `${one.paMpjpeMm}`); // PA spreads the 21 mm outlier over the joints
  assert.equal(one.byOcclusion, null);
  writePredictions(f, { xyz: gt.slice(0, 3), verts: null });
  await assert.rejects(evaluatePredictions(dir, f, { indices }), /has 3 predictions but the ground truth has 5/);
  fs.rmSync(tmp, { recursive: true, force: true });
});
