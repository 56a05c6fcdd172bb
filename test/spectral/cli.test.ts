import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import spectrum from '../../lib/cli/commands/spectrum.ts';
import { parseCommandArgs } from '../../lib/cli/command.ts';
import { writeImage } from '../../lib/image/io.ts';
import { Rng } from '../../lib/util/rng.ts';
import { InputError } from '../../lib/util/errors.ts';
import { loadReferencePool } from '../../lib/spectral/dataset.ts';

async function makeSet(dir: string, n: number, amplitude: number, seed: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(40 * 40 * 3);
    for (let j = 0; j < data.length; j++) data[j] = Math.round(128 + rng.uniform(-amplitude, amplitude));
    await writeImage(path.join(dir, `${String(i).padStart(4, '0')}.png`), { data, width: 40, height: 40, channels: 3 });
  }
}

test('handgap spectrum: two folders, comparison with bootstrap, maps; gap with augmentation; bad input named', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-spectrum-'));
  try {
    await makeSet(path.join(tmp, 'flat'), 8, 10, 1);
    await makeSet(path.join(tmp, 'busy'), 8, 100, 2);
    const out = path.join(tmp, 'spec.json');
    await spectrum.run(parseCommandArgs(spectrum, [path.join(tmp, 'flat'), '--vs', path.join(tmp, 'busy'), '--out', out, '--size', '32', '--workers', '1', '--bootstrap', '20', '--maps']));
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    // <set> is the reference, --vs the candidate: the ratio is busy ÷ flat
    assert.equal(r.reference.images, 8);
    assert.equal(r.reference.summary.radialEdges.length, r.reference.summary.radialCenters.length + 1);
    const y = r.comparison['y.amp'];
    assert.equal(y.ratio, 'candidate ÷ reference');
    assert.ok(y.scalar > 10, `busy ÷ flat variance ratio ${y.scalar}`);
    assert.ok(y.interval[0] <= y.scalar && y.scalar <= y.interval[1]);
    assert.equal(fs.statSync(out + '.maps.bin').size, r.maps.entries.length * 32 * 32 * 4);

    const gapOut = path.join(tmp, 'gap.json');
    // real (busy) first, synthetic (flat) second: the ratio synthetic ÷ real is < 1
    await spectrum.run(parseCommandArgs(spectrum, ['gap', path.join(tmp, 'busy'), path.join(tmp, 'flat'), '--out', gapOut, '--size', '32', '--workers', '1', '--bootstrap', '20', '--augment', 'mix', '--eta', '1']));
    const g = JSON.parse(fs.readFileSync(gapOut, 'utf8'));
    assert.ok(g.before.scalar < 0.1, `flat ÷ busy variance ratio ${g.before.scalar}`);
    assert.ok(g.after.scalar > 3 * g.before.scalar, `mixing with the busy (real) set raises the variance: ${g.before.scalar} -> ${g.after.scalar}`);

    const { pool, files } = await loadReferencePool(path.join(tmp, 'busy'), { size: 32, limit: 3, seed: 4 });
    assert.equal(pool.size, 3); assert.equal(files.length, 3);
    assert.equal(pool.amplitude(0).amp.length, 3);

    fs.mkdirSync(path.join(tmp, 'empty'));
    await assert.rejects(spectrum.run(parseCommandArgs(spectrum, [path.join(tmp, 'empty'), '--out', out])), (e: unknown) => e instanceof InputError && /no \.jpg/.test((e as Error).message));
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
