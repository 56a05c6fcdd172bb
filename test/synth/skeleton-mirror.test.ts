/**
 * lib/synth/blender/hand_rig.py runs inside Blender's Python and cannot import lib/hand/skeleton.ts, so it
 * keeps its own copy of the 25-joint tables. This test keeps the copy equal to the canonical definitions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { JOINTS25, PARENTS25, MAP_25_TO_21 } from '../../lib/hand/skeleton.ts';

const py = fs.readFileSync(new URL('../../lib/synth/blender/hand_rig.py', import.meta.url), 'utf8');

function pyList(name: string): unknown[] {
  const m = py.match(new RegExp(`^${name} = (\\[[\\s\\S]*?\\])\\n`, 'm'));
  assert.ok(m, `${name} not found in hand_rig.py`);
  return JSON.parse(m[1].replace(/'/g, '"').replace(/,\s*\]/, ']'));
}

test('hand_rig.py mirrors the canonical 25-joint skeleton exactly', () => {
  assert.deepEqual(pyList('JOINTS25'), [...JOINTS25]);
  assert.deepEqual(pyList('PARENTS25'), [...PARENTS25]);
  assert.deepEqual(pyList('MAP_25_TO_21'), [...MAP_25_TO_21]);
});
