import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JOINTS21, JOINTS25, MAP_25_TO_21 } from '../../lib/hand/skeleton.ts';
import { TO21, SKELETON_SIZE, toCanonical21, fromCanonical21, invertMap, MANO16_TIPS_TO21, RHD_TO21, type SkeletonName } from '../../lib/hand/joint-maps.ts';

// Native joint names of each skeleton, written from the datasets' documentation, in canonical vocabulary.
const f = (finger: string, parts: string[]) => parts.map((p) => `${finger}_${p}`);
const MANO16_TIPS_NAMES = ['wrist', ...f('index', ['mcp', 'pip', 'dip']), ...f('middle', ['mcp', 'pip', 'dip']), ...f('little', ['mcp', 'pip', 'dip']), ...f('ring', ['mcp', 'pip', 'dip']),
  ...f('thumb', ['cmc', 'mcp', 'ip']), 'thumb_tip', 'index_tip', 'middle_tip', 'ring_tip', 'little_tip'];
const RHD_NAMES = ['wrist', ...f('thumb', ['tip', 'ip', 'mcp', 'cmc']), ...['index', 'middle', 'ring', 'little'].flatMap((x) => f(x, ['tip', 'dip', 'pip', 'mcp']))];

test('every 21-joint map is a permutation and round-trips exactly', () => {
  const pose = Array.from({ length: 21 }, (_, i) => [i * 0.01 + 0.001, -i * 0.02, 0.3 + i * 1e-3]);
  for (const name of Object.keys(TO21) as SkeletonName[]) {
    if (SKELETON_SIZE[name] !== 21) continue;
    assert.deepEqual([...TO21[name]].sort((a, b) => a - b), Array.from({ length: 21 }, (_, i) => i), name);
    const other = fromCanonical21(pose, name);
    assert.deepEqual(toCanonical21(other, name), pose, `${name}: 21 → other → 21`);
    assert.deepEqual(fromCanonical21(toCanonical21(other, name), name), other, `${name}: other → 21 → other`);
  }
});

test('MANO 16 + tips and RHD land named joints at the canonical names', () => {
  assert.deepEqual(MANO16_TIPS_TO21.map((k) => MANO16_TIPS_NAMES[k]), [...JOINTS21]);
  assert.deepEqual(RHD_TO21.map((k) => RHD_NAMES[k]), [...JOINTS21]);
  // Dex-YCB, DART and MediaPipe use the canonical order itself
  for (const s of ['dexycb', 'dart', 'mediapipe'] as const) assert.deepEqual([...TO21[s]], Array.from({ length: 21 }, (_, i) => i));
});

test('25 → 21 picks the joints with the same anatomical names, and 21 → 25 → 21 is exact', () => {
  const canon25: Record<string, string> = { 'thumb-metacarpal': 'thumb_cmc', 'thumb-phalanx-proximal': 'thumb_mcp', 'thumb-phalanx-distal': 'thumb_ip', 'thumb-tip': 'thumb_tip' };
  const fingerNames: Record<string, string> = { index: 'index', middle: 'middle', ring: 'ring', pinky: 'little' };
  for (const [w, c] of Object.entries(fingerNames)) {
    canon25[`${w}-finger-phalanx-proximal`] = `${c}_mcp`; canon25[`${w}-finger-phalanx-intermediate`] = `${c}_pip`;
    canon25[`${w}-finger-phalanx-distal`] = `${c}_dip`; canon25[`${w}-finger-tip`] = `${c}_tip`;
  }
  canon25.wrist = 'wrist';
  assert.deepEqual(MAP_25_TO_21.map((k) => canon25[JOINTS25[k]]), [...JOINTS21]);
  const pose = Array.from({ length: 21 }, (_, i) => [Math.sin(i), Math.cos(i), i]);
  const p25 = fromCanonical21(pose, 'webxr25');
  assert.equal(p25.length, 25);
  assert.deepEqual(toCanonical21(p25, 'webxr25'), pose);
  // metacarpal bases lie between the wrist and the MCP
  const b = p25[10], w = pose[0], m = pose[9];
  for (let c = 0; c < 3; c++) assert.ok((b[c] - w[c]) * (m[c] - b[c]) >= -1e-12);
});

test('invertMap rejects non-permutations and toCanonical21 rejects wrong sizes', () => {
  assert.throws(() => invertMap([0, 0, 1]));
  assert.throws(() => toCanonical21([[0, 0, 0]], 'rhd'), /21 joints/);
});
