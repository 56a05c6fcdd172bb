import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { blenderConstantsPy, BLENDER_CONSTANTS_FILE } from '../../lib/synth/blender-constants.ts';
import { LABEL, MASK_BYTES } from '../../lib/data/mask-labels.ts';
import { JOINTS25, PARENTS25, MAP_25_TO_21 } from '../../lib/hand/skeleton.ts';

test('lib/synth/blender/constants.py is the file generated from the TypeScript owners', () => {
  assert.equal(fs.readFileSync(BLENDER_CONSTANTS_FILE, 'utf8'), blenderConstantsPy(),
    'constants.py is stale: regenerate with node --import tsx lib/synth/blender-constants.ts');
});

test('Python reads the same label ids, mask bytes and 25-joint skeleton as TypeScript', () => {
  const code = 'import json, constants as c; print(json.dumps({"pass": c.PASS_INDEX, "bytes": {str(k): v for k, v in c.MASK_BYTE.items()}, "joints": c.JOINTS25, "parents": c.PARENTS25, "map": c.MAP_25_TO_21}))';
  const r = spawnSync('python3', ['-c', code], { cwd: new URL('../../lib/synth/blender/', import.meta.url).pathname, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const py = JSON.parse(r.stdout);
  assert.deepEqual(py.pass, LABEL);
  for (const [name, id] of Object.entries(LABEL)) assert.equal(py.bytes[String(id)], MASK_BYTES[name as keyof typeof MASK_BYTES], name);
  assert.deepEqual([py.joints, py.parents, py.map], [[...JOINTS25], [...PARENTS25], [...MAP_25_TO_21]]);
});
