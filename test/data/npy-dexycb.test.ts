/** .npy/.npz parsing (interop with numpy itself), ZIP handling, the YAML subset, and the Dex-YCB reader on a built fixture. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readNpz, writeNpz, readNpy, encodeNpy, parseNpy } from '../../lib/data/npy.ts';
import { unzipBuffer, zipBuffer } from '../../lib/data/zip.ts';
import { parseYamlLite } from '../../lib/data/yaml-lite.ts';
import { readDexYcb, dexYcbSelection, DEXYCB_SERIALS } from '../../lib/data/dexycb.ts';
import { project } from '../../lib/data/geometry.ts';
import { InputError } from '../../lib/util/errors.ts';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-test-data-'));
const tmp = (): string => fs.mkdtempSync(path.join(tmpRoot, 'd-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
const hasNumpy = (() => { try { execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }); return true; } catch { return false; } })();

test('npz written by numpy (savez and savez_compressed, Fortran order, several dtypes) is read exactly', { skip: !hasNumpy }, () => {
  const dir = tmp();
  execFileSync('/usr/bin/python3', ['-c', `
import numpy as np
a = np.arange(63, dtype=np.float32).reshape(1, 21, 3) / 7
b = np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4))
c = (np.arange(20).reshape(4, 5) % 3).astype(np.uint8)
np.savez('${dir}/plain.npz', joint_3d=a, f=b, seg=c)
np.savez_compressed('${dir}/comp.npz', joint_3d=a, f=b, seg=c, i=np.array([-5, 7], dtype=np.int64))
np.save('${dir}/one.npy', a)
`]);
  for (const name of ['plain.npz', 'comp.npz']) {
    const z = readNpz(path.join(dir, name));
    assert.deepEqual(z.joint_3d.shape, [1, 21, 3]);
    assert.equal(z.joint_3d.dtype, '<f4');
    assert.equal(z.joint_3d.data[22], Math.fround(22 / 7));
    assert.deepEqual(z.f.shape, [3, 4]);
    assert.deepEqual(Array.from(z.f.data as Float64Array), Array.from({ length: 12 }, (_, i) => i), 'Fortran order converted to C order');
    assert.deepEqual(Array.from(z.seg.data as Uint8Array).slice(0, 6), [0, 1, 2, 0, 1, 2]);
  }
  assert.deepEqual(Array.from(readNpz(path.join(dir, 'comp.npz')).i.data as BigInt64Array), [-5n, 7n]);
  assert.deepEqual(readNpy(path.join(dir, 'one.npy')).shape, [1, 21, 3]);
});

test('npz written by us is read back by numpy', { skip: !hasNumpy }, () => {
  const dir = tmp();
  writeNpz(path.join(dir, 'ours.npz'), { x: { shape: [2, 3], data: new Float64Array([1, 2, 3, 4, 5, 6.5]) }, m: { shape: [3], data: new Uint8Array([9, 8, 7]) } }, { compress: true });
  const out = execFileSync('/usr/bin/python3', ['-c', `import numpy as np; z = np.load('${dir}/ours.npz'); print(z['x'].tolist(), z['m'].tolist(), z['x'].dtype)`]).toString().trim();
  assert.equal(out, '[[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]] [9, 8, 7] float64');
});

test('bad npy/zip input: bad magic, truncated data, corrupt CRC, truncated archive', () => {
  assert.throws(() => parseNpy(Buffer.from('hello world!'), 'x.npy'), /x\.npy.*bad magic/);
  const npy = encodeNpy({ shape: [4], data: new Float32Array([1, 2, 3, 4]) });
  assert.throws(() => parseNpy(npy.subarray(0, npy.length - 3), 'y.npy'), /y\.npy.*truncated/);
  const zip = zipBuffer([{ name: 'a.npy', data: npy }]);
  assert.equal(unzipBuffer(zip).get('a.npy')!.length, npy.length);
  const bad = Buffer.from(zip); bad[40] ^= 0xff; // inside a.npy's stored data
  assert.throws(() => unzipBuffer(bad, 'bad.npz'), (e: Error) => e instanceof InputError && /bad\.npz: a\.npy/.test(e.message) && /CRC/.test(e.message));
  assert.throws(() => unzipBuffer(zip.subarray(0, zip.length - 30), 'cut.npz'), /cut\.npz/);
});

test('YAML subset: Dex-YCB meta and intrinsics shapes', () => {
  const y = parseYamlLite(`serials:\n- '836212060125'\n- '839512060362'\nnum_frames: 72\nmano_sides:\n- right\nycb_ids: [2, 10]\ncolor:\n  fx: 615.5\n  ppx: 320.1 # comment\npcd: null\n`) as any;
  assert.deepEqual(y.serials, ['836212060125', '839512060362']);
  assert.equal(y.num_frames, 72);
  assert.deepEqual(y.mano_sides, ['right']);
  assert.deepEqual(y.ycb_ids, [2, 10]);
  assert.equal(y.color.fx, 615.5);
  assert.equal(y.color.ppx, 320.1);
  assert.equal(y.pcd, null);
});

/** Build a tiny Dex-YCB tree: 2 subjects × 5 sequences, all 8 cameras, 2 frames; frame 1 of one camera has no hand. */
function buildDexYcb(): string {
  const root = tmp();
  const intr = path.join(root, 'calibration', 'intrinsics');
  fs.mkdirSync(intr, { recursive: true });
  DEXYCB_SERIALS.forEach((s, c) => fs.writeFileSync(path.join(intr, `${s}_640x480.yml`), `color:\n  fx: ${600 + c}\n  fy: ${601 + c}\n  ppx: ${320 + c}\n  ppy: 240.5\ndepth:\n  fx: 1\n  fy: 1\n  ppx: 1\n  ppy: 1\n`));
  for (const subj of ['20200709-subject-01', '20200813-subject-02']) {
    for (let q = 0; q < 5; q++) {
      const seqDir = path.join(root, subj, `20200709_14190${q}`);
      fs.mkdirSync(seqDir, { recursive: true });
      fs.writeFileSync(path.join(seqDir, 'meta.yml'), `serials:\n${DEXYCB_SERIALS.map((s) => `- '${s}'`).join('\n')}\nnum_frames: 2\nycb_ids:\n- 6\nycb_grasp_ind: 0\nmano_sides:\n- ${subj.endsWith('02') ? 'left' : 'right'}\nmano_calib:\n- x\n`);
      DEXYCB_SERIALS.forEach((serial, c) => {
        const d = path.join(seqDir, serial);
        fs.mkdirSync(d, { recursive: true });
        for (let f = 0; f < 2; f++) {
          const empty = c === 3 && f === 1;
          const j3 = new Float32Array(63).map((_, k) => empty ? -1 : (k % 3 === 2 ? 0.6 + 0.001 * k : 0.002 * (k % 7) - 0.006 + 0.01 * q));
          const K = [[600 + c, 0, 320 + c], [0, 601 + c, 240.5], [0, 0, 1]] as any;
          const xyz = Array.from({ length: 21 }, (_, j) => [j3[3 * j], j3[3 * j + 1], j3[3 * j + 2]]);
          const uv = empty ? xyz.map(() => [-1, -1]) : project(xyz, K);
          writeNpz(path.join(d, `labels_${String(f).padStart(6, '0')}.npz`), {
            joint_3d: { shape: [1, 21, 3], data: j3 },
            joint_2d: { shape: [1, 21, 2], data: new Float32Array(uv.flat()) },
            seg: { shape: [4, 4], data: new Uint8Array(16).fill(255) },
            pose_m: { shape: [1, 51], data: new Float32Array(51) },
          }, { compress: f === 0 });
          fs.writeFileSync(path.join(d, `color_${String(f).padStart(6, '0')}.jpg`), '');
        }
      });
    }
  }
  return root;
}

test('Dex-YCB: s0/val selects subjects 0–1, sequence 4, all cameras; skips frames without a hand; K per camera', () => {
  const root = buildDexYcb();
  const set = readDexYcb(root, { setup: 's0', split: 'val' });
  // 2 subjects × 1 sequence × 8 cameras × 2 frames, minus the 2 empty frames (camera 3, frame 1)
  assert.equal(set.samples.length, 2 * 8 * 2 - 2);
  const s = set.samples[0];
  assert.equal(s.meta!.sequence, '20200709_141904');
  assert.equal(s.meta!.serial, DEXYCB_SERIALS[0]);
  assert.deepEqual(s.K, [[600, 0, 320], [0, 601, 240.5], [0, 0, 1]]);
  assert.equal(s.xyz!.length, 21);
  // order: sequence, camera, frame
  assert.deepEqual(set.samples.slice(0, 3).map((x) => [x.meta!.serial, x.meta!.frame]), [[DEXYCB_SERIALS[0], 0], [DEXYCB_SERIALS[0], 1], [DEXYCB_SERIALS[1], 0]]);
  // projections with the reader's K agree with the stored joint_2d (float32) for every sample
  for (const x of set.samples) {
    const uv = project(x.xyz!, x.K), j2 = x.meta!.joint2d as number[][];
    uv.forEach((p, j) => assert.ok(Math.abs(p[0] - j2[j][0]) < 1e-3 && Math.abs(p[1] - j2[j][1]) < 1e-3, `sample ${x.index} joint ${j}`));
  }
  assert.equal(set.samples.filter((x) => x.meta!.handSide === 'left').length, 15);
  assert.equal(readDexYcb(root, { setup: 's0', split: 'val', includeEmpty: true }).samples.length, 32);
  // s2/test: camera 7 only, all sequences present (5 per subject here)
  const s2 = readDexYcb(root, { setup: 's2', split: 'test' });
  assert.ok(s2.samples.every((x) => x.meta!.serial === DEXYCB_SERIALS[7]));
  assert.equal(s2.samples.length, 2 * 5 * 2);
  assert.equal(s2.missing.length, 8, 'subjects 2..9 are absent from the fixture');
  assert.deepEqual(dexYcbSelection('s3', 'val').sequences.slice(0, 6), [15, 16, 17, 18, 19, 95]);
});

test('Dex-YCB: missing intrinsics and broken label files name the file', () => {
  const root = buildDexYcb();
  fs.rmSync(path.join(root, 'calibration', 'intrinsics', `${DEXYCB_SERIALS[7]}_640x480.yml`));
  assert.throws(() => readDexYcb(root, { setup: 's2', split: 'test' }), (e: Error) => e instanceof InputError && e.message.includes(`${DEXYCB_SERIALS[7]}_640x480.yml`));
  const lab = path.join(root, '20200709-subject-01', '20200709_141904', DEXYCB_SERIALS[0], 'labels_000000.npz');
  fs.writeFileSync(lab, fs.readFileSync(lab).subarray(0, 200));
  assert.throws(() => readDexYcb(root, { setup: 's0', split: 'val' }), (e: Error) => e instanceof InputError && e.message.includes(lab));
  assert.throws(() => readDexYcb(path.join(root, 'nope')), /licence form/);
});
