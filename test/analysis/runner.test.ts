import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateExperiment, resolveExperiment, canonicalJson, type ExperimentDecl } from '../../lib/analysis/experiment.ts';
import { parseShard, shardRange } from '../../lib/util/shard.ts';
import { registerStepKind, runExperiment, collectResults, kindVersion } from '../../lib/analysis/runner.ts';

const calls: { kind: string; config: unknown }[] = [];
for (const name of ['t-data', 't-train', 't-eval', 't-base']) {
  registerStepKind({
    name, version: 1, summary: 'test step',
    async run(ctx) {
      calls.push({ kind: name, config: ctx.config });
      await new Promise((r) => setTimeout(r, 5));
      const upstream = Object.values(ctx.deps).reduce((s, d) => s + Number(d.result.value ?? 0), 0);
      return { value: upstream + Number(ctx.config.frac ?? 0) + Number(ctx.config.epochs ?? 0) };
    },
  });
}

function decl(epochs = 2): ExperimentDecl {
  return validateExperiment({
    name: 'toy', seed: 3,
    scales: { smoke: { n: 4, epochs }, demo: { n: 40, epochs: 5 }, paper: { n: 400, epochs: 50 } },
    sweep: { frac: [0.25, 0.5, 1], testSet: ['a', 'b'] },
    steps: [
      { id: 'base', kind: 't-base', config: { n: '$scale.n' } },
      { id: 'data', kind: 't-data', config: { n: '$scale.n', frac: '$sweep.frac', seed: '$seed' } },
      { id: 'train', kind: 't-train', config: { data: '@data', epochs: '$scale.epochs' } },
      { id: 'eval', kind: 't-eval', config: { model: '@train', base: '@base', testSet: '$sweep.testSet', name: '${sweep.testSet}-x' } },
    ],
    collect: { step: 'eval', fields: ['value'] },
  }, 'toy.json');
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-runner-'));
const quiet = () => {};
const count = (kind: string) => calls.filter((c) => c.kind === kind).length;

test('resolution: shared runs deduplicate, keys ignore key order', () => {
  const r = resolveExperiment(decl(), 'smoke', kindVersion);
  assert.equal(r.points.length, 6);
  assert.equal(r.runs.size, 1 + 3 + 3 + 6); // base once, data/train per frac, eval per point
  assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }));
  const ev = r.runs.get(r.points[1].runs.eval)!;
  assert.equal(ev.config.name, 'b-x');
  assert.match(String(ev.config.model), /^@train:[0-9a-f]{16}$/);
  assert.throws(() => resolveExperiment({ ...decl(), steps: [{ id: 'x', kind: 't-data', config: { n: '$scale.nope' } }] }, 'smoke', kindVersion), /steps.x.config.n.*not defined for this scale/);
  assert.throws(() => validateExperiment({ ...decl(), scales: { smoke: {}, demo: {} } }, 'e.json'), /e.json: scales.paper: missing/);
  assert.deepEqual(parseShard('1/3'), { index: 1, count: 3 });
  assert.throws(() => parseShard('3/3'), /i\/N/);
});

test('cache: second run does no work; a changed knob re-runs only what depends on it', async () => {
  const root = tmp();
  calls.length = 0;
  const first = await runExperiment(resolveExperiment(decl(), 'smoke', kindVersion), { root, log: quiet });
  assert.equal(first.executed.length, 13);
  assert.equal(calls.length, 13);
  const second = await runExperiment(resolveExperiment(decl(), 'smoke', kindVersion), { root, log: quiet });
  assert.equal(second.executed.length, 0);
  assert.equal(second.cached.length, 13);
  assert.equal(calls.length, 13);
  calls.length = 0;
  const third = await runExperiment(resolveExperiment(decl(3), 'smoke', kindVersion), { root, log: quiet });
  assert.equal(count('t-data'), 0);
  assert.equal(count('t-base'), 0);
  assert.equal(count('t-train'), 3);
  assert.equal(count('t-eval'), 6);
  assert.equal(third.cached.length, 4);
  const rows = collectResults(resolveExperiment(decl(3), 'smoke', kindVersion), 'eval', ['value'], root);
  assert.deepEqual(rows.map((r) => r.values!.value), [3.25, 3.25, 3.5, 3.5, 4, 4]);
  calls.length = 0;
  await runExperiment(resolveExperiment(decl(3), 'smoke', kindVersion), { root, log: quiet, force: ['train'] });
  assert.equal(count('t-train'), 3);
  assert.equal(count('t-eval'), 0);
  const cfg = JSON.parse(fs.readFileSync(path.join(first.root, `t-data-${resolveExperiment(decl(), 'smoke', kindVersion).points[0].runs.data}`, 'config.json'), 'utf8'));
  assert.equal(cfg.seed, 3);
  assert.equal(cfg.config.seed, 3);
  fs.rmSync(root, { recursive: true, force: true });
});

test('sharding: two concurrent shards cover every run once', async () => {
  const root = tmp();
  calls.length = 0;
  const exp = resolveExperiment(decl(), 'smoke', kindVersion);
  const [s0, s1] = await Promise.all([0, 1].map((i) => runExperiment(exp, { root, log: quiet, shard: { index: i, count: 2 }, pollMs: 5 })));
  assert.equal(calls.length, 13, 'no run executed twice');
  assert.equal(s0.executed.length + s1.executed.length, 13);
  assert.ok(s0.executed.length > 0 && s1.executed.length > 0);
  assert.ok(collectResults(exp, 'eval', ['value'], root).every((r) => r.values !== null));
  fs.rmSync(root, { recursive: true, force: true });
});
