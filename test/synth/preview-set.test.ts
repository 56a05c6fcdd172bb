import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePreview } from '../../lib/synth/preview.ts';

const real = path.join(process.env.HANDGAP_SHARED ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'shared'), 'data', 'real', 'hgc-dev');

test('render preview: a labelled set handgap did not render gets the same contact sheet (renders beside real images)', { skip: fs.existsSync(real) ? false : `no real set at ${real}` }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-preview-set-'));
  try {
    const r = await writePreview(real, { count: 4, cellSize: 64, file: path.join(tmp, 'sheet.png') });
    assert.equal(r.indices.length, 4);
    assert.deepEqual(r.indices, [0, 75, 150, 225]);
    assert.ok(fs.statSync(r.file).size > 1000);
    assert.ok(r.image.width >= 4 * 64 && r.image.height > 64);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
