import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { blenderConstantsPy, BLENDER_CONSTANTS_FILE } from '../../lib/synth/blender-constants.ts';
import { LABEL, MASK_BYTES } from '../../lib/data/mask-labels.ts';

test('lib/synth/blender/constants.py is the file generated from the TypeScript owners', () => {
  assert.equal(fs.readFileSync(BLENDER_CONSTANTS_FILE, 'utf8'), blenderConstantsPy(),
    'constants.py is stale: regenerate with node --import tsx lib/synth/blender-constants.ts');
});

test('Python reads the same label ids and mask bytes as TypeScript', () => {
  const code = 'import json, constants; print(json.dumps({"pass": constants.PASS_INDEX, "bytes": {str(k): v for k, v in constants.MASK_BYTE.items()}}))';
  const r = spawnSync('python3', ['-c', code], { cwd: new URL('../../lib/synth/blender/', import.meta.url).pathname, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const py = JSON.parse(r.stdout);
  assert.deepEqual(py.pass, LABEL);
  for (const [name, id] of Object.entries(LABEL)) assert.equal(py.bytes[String(id)], MASK_BYTES[name as keyof typeof MASK_BYTES], name);
});
