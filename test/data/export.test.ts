// `handgap export` round trip: a FreiHAND-layout set, predictions and a result JSON go to .npz/CSV
// through the CLI, and the system python's numpy reads them back and compares with the JSON labels it
// reads itself (no shared code between writer and checker).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FreihandWriter, writePredictions } from '../../lib/data/freihand.ts';
import { exportJson, numericArray } from '../../lib/data/export.ts';
import { Rng } from '../../lib/util/rng.ts';
import { projectRoot } from '../../lib/util/paths.ts';

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/main.ts'), 'export', ...args], { encoding: 'utf8' });
const python = (code: string, ...argv: string[]) => spawnSync('/usr/bin/python3', ['-c', code, ...argv], { encoding: 'utf8' });

test('numericArray and exportJson: shapes, paths as keys, records as tables, text listed', () => {
  assert.deepEqual(numericArray([[1, 2], [3, 4], [5, 6]])?.shape, [3, 2]);
  assert.equal(numericArray([[1, 2], [3]]), null, 'ragged');
  assert.equal(numericArray(['a']), null);
  const e = exportJson({ a: { radial: { mean: [1, 2, 3] } }, n: 4, name: 'x', rows: [{ set: 'real', err: 1.5 }, { set: 'syn', err: 2 }] });
  assert.deepEqual(Object.keys(e.arrays).sort(), ['a__radial__mean', 'n']);
  assert.deepEqual(e.arrays.n.shape, []);
  assert.deepEqual(e.tables.rows, { columns: ['set', 'err'], rows: [['real', 1.5], ['syn', 2]] });
  assert.deepEqual(e.skipped, ['name']);
});

test('handgap export dataset/predictions/json: numpy reads back what the JSON files hold', { timeout: 120_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-export-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const rng = new Rng(11);
  const set = path.join(tmp, 'set');
  const w = new FreihandWriter(set, { split: 'training' });
  const xyz: number[][][] = [];
  for (let i = 0; i < 5; i++) {
    const joints = Array.from({ length: 21 }, () => [rng.uniform() * 0.1 - 0.05, rng.uniform() * 0.1 - 0.05, 0.4 + rng.uniform() * 0.2]);
    xyz.push(joints);
    w.add({ xyz: joints, K: [[500 + i, 0, 112], [0, 500 + i, 112], [0, 0, 1]] });
  }
  w.finish();
  const npz = path.join(tmp, 'out', 'set.npz');
  const r = cli(['dataset', set, '--out', npz]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /5 samples; arrays K \(5,3,3\), index \(5\), xyz \(5,21,3\), scale \(5\)/);
  const check = python(`
import json, sys, numpy as np
d = np.load(sys.argv[1])
xyz = np.array(json.load(open(sys.argv[2] + '/training_xyz.json')))
K = np.array(json.load(open(sys.argv[2] + '/training_K.json')))
assert d['xyz'].shape == (5, 21, 3) and d['xyz'].dtype == np.float64, d['xyz'].shape
assert np.array_equal(d['xyz'], xyz), 'xyz differs'
assert np.array_equal(d['K'], K), 'K differs'
assert list(d['index']) == [0, 1, 2, 3, 4]
import csv
rows = list(csv.DictReader(open(sys.argv[1][:-4] + '.manifest.csv')))
assert [r['index'] for r in rows] == ['0', '1', '2', '3', '4'] and rows[0]['image'].endswith('.jpg'), rows[0]
print('ok', d['xyz'].shape, sorted(d.files))`, npz, set);
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /^ok \(5, 21, 3\) \['K', 'index', 'scale', 'xyz'\]/);

  const pred = path.join(tmp, 'pred.json');
  writePredictions(pred, { xyz, verts: null });
  const rp = cli(['predictions', pred, '--out', path.join(tmp, 'pred.npz')]);
  assert.equal(rp.status, 0, rp.stderr);
  const cp = python(`import json, sys, numpy as np\nd = np.load(sys.argv[1])\nassert np.array_equal(d['xyz'], np.array(json.load(open(sys.argv[2]))[0]))\nprint(sorted(d.files))`, path.join(tmp, 'pred.npz'), pred);
  assert.equal(cp.status, 0, cp.stderr);
  assert.equal(cp.stdout.trim(), "['xyz']");

  const res = path.join(tmp, 'spectrum.json');
  fs.writeFileSync(res, JSON.stringify({ tool: 'handgap spectrum', a: { count: 12, radial: { mean: [3, 2, 1], variance: [[1, 2], [3, 4]] } }, rows: [{ set: 'real', ratio: 1 }] }));
  const rj = cli(['json', res, '--out', path.join(tmp, 'spectrum.npz')]);
  assert.equal(rj.status, 0, rj.stderr);
  assert.match(rj.stdout, /left out \(text\): tool/);
  const cj = python(`import sys, numpy as np\nd = np.load(sys.argv[1])\nprint(d['a__radial__variance'].tolist(), float(d['a__count']), open(sys.argv[1][:-4] + '.rows.csv').read().strip().replace(chr(10), ';'))`, path.join(tmp, 'spectrum.npz'));
  assert.equal(cj.status, 0, cj.stderr);
  assert.equal(cj.stdout.trim(), '[[1.0, 2.0], [3.0, 4.0]] 12.0 set,ratio;real,1');
});

test('handgap export: bad input is one clear error, nothing written', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-export-bad-'));
  try {
    const r = cli(['dataset', path.join(tmp, 'nope'), '--out', path.join(tmp, 'x.npz')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nope: not found/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const r2 = cli(['predictions', path.join(tmp), '--out', path.join(tmp, 'x.csv')]);
    assert.notEqual(r2.status, 0);
    assert.deepEqual(fs.readdirSync(tmp), []);
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});

test('scripts/mano_to_json.py converts a MANO-layout pickle (chumpy arrays, sparse regressor) without chumpy; lbs.ts reads it', { timeout: 60_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-mano-'));
  try {
    // a tiny model in MANO's pickle layout, pickled with a stand-in chumpy module (not importable later)
    const make = python(`
import sys, types, pickle, numpy as np, scipy.sparse as sp
ch = types.ModuleType('chumpy'); chm = types.ModuleType('chumpy.ch')
class Ch(object):
    def __init__(self, x): self.x = np.asarray(x)
    def __getstate__(self): return {'x': self.x, 'dterms': []}
Ch.__module__ = 'chumpy.ch'; chm.Ch = Ch; ch.ch = chm
sys.modules['chumpy'] = ch; sys.modules['chumpy.ch'] = chm
rng = np.random.default_rng(3)
V, J = 6, 3
w = rng.random((V, J)); w /= w.sum(1, keepdims=True)
reg = np.zeros((J, V)); reg[0, :2] = 0.5; reg[1, 2:4] = 0.5; reg[2, 4:] = 0.5
model = {'v_template': Ch(rng.random((V, 3))), 'f': np.array([[0, 1, 2], [3, 4, 5]], dtype=np.uint32),
         'weights': Ch(w), 'J_regressor': sp.csc_matrix(reg), 'kintree_table': np.array([[4294967295, 0, 1], [0, 1, 2]]),
         'shapedirs': Ch(rng.random((V, 3, 10))), 'posedirs': rng.random((V, 3, 18)), 'hands_mean': np.zeros(45)}
pickle.dump(model, open(sys.argv[1], 'wb'), protocol=2)
np.save(sys.argv[2], model['v_template'].x)`, path.join(tmp, 'MANO_TEST.pkl'), path.join(tmp, 'template.npy'));
    assert.equal(make.status, 0, make.stderr);
    const conv = spawnSync('/usr/bin/python3', [path.join(projectRoot, 'scripts/mano_to_json.py'), path.join(tmp, 'MANO_TEST.pkl'), path.join(tmp, 'mano.json')], { encoding: 'utf8' });
    assert.equal(conv.status, 0, conv.stderr);
    assert.match(conv.stdout, /6 vertices, 2 faces, 3 joints, 10 shape components/);
    const { parseLbsModel, shapedVertices, regressJoints } = await import('../../lib/hand/lbs.ts');
    const m = parseLbsModel(JSON.parse(fs.readFileSync(path.join(tmp, 'mano.json'), 'utf8')), 'mano.json');
    assert.deepEqual(m.parents, [-1, 0, 1]);
    const { readNpy } = await import('../../lib/data/npy.ts');
    const tpl = readNpy(path.join(tmp, 'template.npy'));
    assert.deepEqual(shapedVertices(m).flat(), Array.from(tpl.data as Float64Array), 'zero betas give the template');
    const joints = regressJoints(m, m.template);
    assert.ok(Math.abs(joints[0][0] - (m.template[0][0] + m.template[1][0]) / 2) < 1e-12, 'the sparse regressor came through');
    const bad = spawnSync('/usr/bin/python3', [path.join(projectRoot, 'scripts/mano_to_json.py'), path.join(tmp, 'template.npy'), path.join(tmp, 'x.json')], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /template\.npy: cannot read the pickle|not a MANO model pickle/);
    assert.ok(!fs.existsSync(path.join(tmp, 'x.json')));
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
});
