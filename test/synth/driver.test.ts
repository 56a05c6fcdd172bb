/**
 * The driver end to end with real Blender renders (64×64, 4 samples): the same config gives the same
 * labels and images with 1 shard or 3 (+ merge); killing the CLI at 3 points and re-running yields the
 * complete, identical set; a crashed and a hung worker are restarted and their samples retried; the set
 * loads through lib/data's FreiHAND reader.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { validateConfig } from '../../lib/synth/config.ts';
import { runRender, mergeShards } from '../../lib/synth/driver.ts';
import { readFreihand } from '../../lib/data/freihand.ts';
import { readImage } from '../../lib/image/io.ts';
import { projectRoot } from '../../lib/util/paths.ts';
import { writePreview } from '../../lib/synth/preview.ts';

const N = 4;
const USER_CONFIG = { seed: 21, n: N, image: { width: 64, height: 64 }, render: { samples: 4 }, objects: { enabled: true, probability: 0.5 } };
const cfg = validateConfig(USER_CONFIG);
let tmp: string;
let ref: string;

const LABEL_FILES = ['training_xyz.json', 'training_K.json', 'training_meta.json', 'training_scale.json'];
const files = (dir: string) => [
  ...LABEL_FILES.map((f) => path.join(dir, f)),
  ...Array.from({ length: N }, (_, i) => path.join(dir, 'training', 'rgb', `${String(i).padStart(8, '0')}.jpg`)),
  ...Array.from({ length: N }, (_, i) => path.join(dir, 'training', 'mask', `${String(i).padStart(8, '0')}.png`)),
];

/** Byte-compare two finished sets; images may differ by <= 2 levels (reported); returns the number of byte-identical images. */
async function assertSameSet(a: string, b: string): Promise<number> {
  let identical = 0;
  for (const fa of files(a)) {
    const fb = path.join(b, path.relative(a, fa));
    const ba = fs.readFileSync(fa), bb = fs.readFileSync(fb);
    if (ba.equals(bb)) { if (!fa.endsWith('.json')) identical++; continue; }
    assert.ok(!fa.endsWith('.json'), `${path.relative(a, fa)} differs (labels must be byte-identical)`);
    const [ia, ib] = [await readImage(fa), await readImage(fb)];
    let maxd = 0;
    for (let i = 0; i < ia.data.length; i++) maxd = Math.max(maxd, Math.abs(ia.data[i] - ib.data[i]));
    assert.ok(maxd <= 2, `${path.relative(a, fa)} differs by up to ${maxd} levels`);
  }
  return identical;
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-synth-driver-'));
  ref = path.join(tmp, 'ref');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('determinism: 1 shard and 3 shards (+ merge) give the same labels and images; the set loads', async (t) => {
  const r = await runRender({ config: cfg, out: ref, workers: 1, quiet: true });
  assert.equal(r.rendered, N); assert.ok(r.finalized);
  const set = readFreihand(ref);
  assert.equal(set.samples.length, N);
  assert.equal(set.samples[0].xyz!.length, 21);
  assert.ok(set.samples.every((s) => s.maskPath && fs.existsSync(s.maskPath)));
  const shardDirs = [0, 1, 2].map((s) => path.join(tmp, `shard${s}`));
  for (const [s, d] of shardDirs.entries()) {
    const rs = await runRender({ config: cfg, out: d, shard: { index: s, count: 3 }, workers: 1, quiet: true });
    assert.equal(rs.finalized, false, 'a shard alone is not a complete set');
  }
  const merged = path.join(tmp, 'merged');
  assert.equal(mergeShards(merged, shardDirs).count, N);
  const identical = await assertSameSet(ref, merged);
  t.diagnostic(`${identical} of ${2 * N} images (rgb + mask) byte-identical between 1 shard and 3 shards`);
  assert.equal(identical, 2 * N, 'every image byte-identical');
  // The contact sheet: every finished sample (here 4 < 16), joints drawn, written as a PNG.
  const sheet = await writePreview(ref, { cellSize: 96 });
  assert.deepEqual(sheet.indices, [0, 1, 2, 3]);
  assert.ok(fs.existsSync(sheet.file) && sheet.image.width > 4 * 96 && sheet.image.height > 96);
  // Re-running a finished set renders nothing.
  const again = await runRender({ config: cfg, out: ref, workers: 1, quiet: true });
  assert.equal(again.rendered, 0); assert.equal(again.skipped, N);
});

function recordsIn(dir: string): number {
  const d = path.join(dir, 'handgap_work', 'records');
  return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => /^\d{8}\.json$/.test(f)).length : 0;
}

/** Run the CLI in its own process group and SIGKILL the whole group when `when()` holds. */
async function runAndKill(configFile: string, out: string, when: () => boolean): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), 'render', '--config', configFile, '--out', out],
    { cwd: projectRoot, detached: true, stdio: 'ignore' });
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (when()) { clearInterval(timer); try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }
    }, 100);
    child.on('exit', () => { clearInterval(timer); resolve(); });
  });
}

test('resume: killed at 3 points, then re-run (with a crashing and a hanging worker) gives the complete identical set', async (t) => {
  const out = path.join(tmp, 'resume');
  const configFile = path.join(tmp, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(USER_CONFIG));
  const t0 = Date.now();
  // Kill 1: during start-up or the first render; kill 2: after one finished sample; kill 3: after two.
  await runAndKill(configFile, out, () => Date.now() - t0 > 4000 || recordsIn(out) >= 1);
  for (const k of [1, 2]) await runAndKill(configFile, out, () => recordsIn(out) >= k);
  assert.ok(recordsIn(out) < N, 'the kills left work to do');
  const before = recordsIn(out);
  // The re-run: the worker hangs once on one remaining sample and crashes once on another.
  const remaining = Array.from({ length: N }, (_, i) => i).filter((i) => !fs.existsSync(path.join(out, 'handgap_work', 'records', `${String(i).padStart(8, '0')}.json`)));
  const hang = path.join(tmp, 'hang.flag'), crash = path.join(tmp, 'crash.flag');
  const env: Record<string, string> = { HANDGAP_TEST_HANG_ONCE: hang, HANDGAP_TEST_HANG_INDEX: String(remaining[0]) };
  if (remaining.length > 1) Object.assign(env, { HANDGAP_TEST_CRASH_ONCE: crash, HANDGAP_TEST_CRASH_INDEX: String(remaining[1]) });
  const r = await runRender({ config: { ...cfg, render: { ...cfg.render, timeoutSec: 25, retries: 3 } }, out, workers: 1, quiet: true, env });
  assert.ok(fs.existsSync(hang), 'the hang hook fired');
  if (remaining.length > 1) assert.ok(fs.existsSync(crash), 'the crash hook fired');
  assert.deepEqual(r.failed, []);
  assert.equal(r.skipped, before); assert.equal(r.rendered, N - before);
  assert.ok(r.finalized);
  assert.equal(recordsIn(out), N);
  for (const sub of ['rgb', 'mask']) {
    const names = fs.readdirSync(path.join(out, 'training', sub));
    assert.equal(names.length, N, `${sub}: ${names.join(', ')}`);
  }
  for (const f of files(out)) if (!f.endsWith('.json')) await readImage(f); // every image decodes
  const identical = await assertSameSet(ref, out);
  t.diagnostic(`${identical} of ${2 * N} images byte-identical to the uninterrupted run`);
  assert.equal(identical, 2 * N, 'every image byte-identical');
});
