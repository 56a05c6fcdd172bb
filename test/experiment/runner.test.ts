import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseExperiment, resolveExperiment, canonicalJson, type ExperimentDecl } from '../../lib/experiment/declaration.ts';
import { runExperiment, collectResults, shardPoints, planLeft, type RunOptions } from '../../lib/experiment/runner.ts';
import { defineKind, type StepKind } from '../../lib/experiment/step.ts';
import { KINDS, stepKind } from '../../lib/experiment/kinds.ts';
import { parseShard, shardRange } from '../../lib/util/shard.ts';
import { z } from '../../lib/config/schema.ts';
import { Writable } from 'node:stream';
import { quietReporter, Progress } from '../../lib/util/progress.ts';

const calls: { kind: string; config: unknown }[] = [];
const toys: StepKind[] = ['t-data', 't-train', 't-eval', 't-base'].map((name) => defineKind({
  name, version: 1, summary: 'test step',
  config: z.record(z.string(), z.unknown()),
  async run(config, ctx) {
    calls.push({ kind: name, config });
    await new Promise((r) => setTimeout(r, 5));
    const upstream = Object.values(ctx.deps).reduce((s, d) => s + Number(d.result.value ?? 0), 0);
    return { value: upstream + Number(config.frac ?? 0) + Number(config.epochs ?? 0) };
  },
}));
const kinds = [...KINDS, ...toys];
const names = kinds.map((k) => k.name);
const kindVersion = { version: (k: string) => stepKind(k, kinds).version };
const run = (exp: Parameters<typeof runExperiment>[0], o: RunOptions) => runExperiment(exp, { kinds, ...o });

function decl(epochs = 2): ExperimentDecl {
  return parseExperiment({
    name: 'toy', seed: 3,
    scales: { smoke: { n: 4, epochs }, demo: { n: 40, epochs: 5 }, study: { n: 100, epochs: 10 }, paper: { n: 400, epochs: 50 } },
    sweep: { frac: [0.25, 0.5, 1], testSet: ['a', 'b'] },
    steps: [
      { id: 'base', kind: 't-base', config: { n: '$scale.n' } },
      { id: 'data', kind: 't-data', config: { n: '$scale.n', frac: '$sweep.frac', seed: '$seed' } },
      { id: 'train', kind: 't-train', config: { data: '@data', epochs: '$scale.epochs' } },
      { id: 'eval', kind: 't-eval', config: { model: '@train', base: '@base', testSet: '$sweep.testSet', name: '${sweep.testSet}-x' } },
    ],
    collect: { step: 'eval', fields: ['value'] },
  }, 'toy.json', names);
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
  assert.throws(() => parseExperiment({ ...decl(), scales: { smoke: {}, demo: {} } }, 'e.json', names), /e.json[\s\S]*scales.study[\s\S]*scales.paper/);
  assert.throws(() => parseExperiment({ ...decl(), steps: [{ id: 'x', kind: 'trian', config: {} }] }, 'e.json', names), /e.json: steps\[0\].kind.*"trian" is not a step kind/);
  assert.throws(() => parseExperiment({ ...decl(), sede: 1 }, 'e.json', names), /e.json[\s\S]*sede/);
  assert.deepEqual(parseShard('1/3'), { index: 1, count: 3 });
  assert.deepEqual(parseShard(undefined), { index: 0, count: 1 });
  assert.throws(() => parseShard('3/3'), /i\/N/);
  // one scheme: contiguous blocks that cover every item once, for sweep points as for render samples
  const seen = new Array(10).fill(0);
  for (let i = 0; i < 3; i++) { const [lo, hi] = shardRange(10, { index: i, count: 3 }); for (let j = lo; j < hi; j++) seen[j]++; }
  assert.deepEqual(seen, new Array(10).fill(1));
  assert.deepEqual(shardPoints([0, 1, 2, 3, 4, 5], { index: 1, count: 2 }), [3, 4, 5]);
});

test('cache: second run does no work; a changed knob re-runs only what depends on it', async () => {
  const root = tmp();
  calls.length = 0;
  const first = await run(resolveExperiment(decl(), 'smoke', kindVersion), { root, log: quiet });
  assert.equal(first.executed.length, 13);
  assert.equal(calls.length, 13);
  const second = await run(resolveExperiment(decl(), 'smoke', kindVersion), { root, log: quiet });
  assert.equal(second.executed.length, 0);
  assert.equal(second.cached.length, 13);
  assert.equal(calls.length, 13);
  calls.length = 0;
  const third = await run(resolveExperiment(decl(3), 'smoke', kindVersion), { root, log: quiet });
  assert.equal(count('t-data'), 0);
  assert.equal(count('t-base'), 0);
  assert.equal(count('t-train'), 3);
  assert.equal(count('t-eval'), 6);
  assert.equal(third.cached.length, 4);
  const rows = collectResults(resolveExperiment(decl(3), 'smoke', kindVersion), 'eval', ['value'], root);
  assert.deepEqual(rows.map((r) => r.values!.value), [3.25, 3.25, 3.5, 3.5, 4, 4]);
  calls.length = 0;
  await run(resolveExperiment(decl(3), 'smoke', kindVersion), { root, log: quiet, force: ['train'] });
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
  const [s0, s1] = await Promise.all([0, 1].map((i) => run(exp, { root, log: quiet, shard: { index: i, count: 2 }, pollMs: 5 })));
  assert.equal(calls.length, 13, 'no run executed twice');
  assert.equal(s0.executed.length + s1.executed.length, 13);
  assert.ok(s0.executed.length > 0 && s1.executed.length > 0);
  assert.ok(collectResults(exp, 'eval', ['value'], root).every((r) => r.values !== null));
  fs.rmSync(root, { recursive: true, force: true });
});

test('with the notebook reporter the runner prints one line per experiment (what ran, what was cached, where) and no per-run details', async () => {
  const root = tmp();
  let text = '';
  const sink = new Writable({ write(chunk, _enc, cb) { text += chunk; cb(); } }) as unknown as NodeJS.WriteStream;
  try {
    await run(resolveExperiment(decl(), 'smoke', kindVersion), { root, reporter: quietReporter(sink) });
    await run(resolveExperiment(decl(), 'smoke', kindVersion), { root, reporter: quietReporter(sink) });
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 2, text);
  assert.match(lines[0], /^toy \[smoke\]: 13 ran, 0 from cache in \S+ → .*experiments\/toy-smoke\.json$/);
  assert.match(lines[1], /^toy \[smoke\]: 0 ran, 13 from cache in /);
});

test('progress on resume: cached runs are not a rate; the ETA comes from the seconds each kind recorded', async () => {
  const root = tmp();
  const exp = resolveExperiment(decl(), 'smoke', kindVersion);
  let text = '';
  const sink = new Writable({ write(chunk, _enc, cb) { text += chunk; cb(); } }) as unknown as NodeJS.WriteStream;
  const reporter = { ...quietReporter(sink), quiet: false, detail: () => {}, stage: () => {},
    progress: (label: string, total: number, unit?: string) => new Progress({ label, total, unit, stream: sink, quiet: false, minIntervalMs: 0 }) };
  try {
    await run(exp, { root, log: quiet });
    // the evaluations of the last two points are lost: every run before them is found in the cache
    for (const p of exp.points.slice(-2)) fs.rmSync(path.join(root, `t-eval-${p.runs.eval}`, 'result.json'));
    // the dry-run's plan: two evaluations to do, timed by the four cached ones
    const plan = planLeft(exp, root);
    const ev = plan.kinds.find((k) => k.kind === 't-eval')!;
    assert.deepEqual([ev.cached, ev.todo], [4, 2]);
    assert.ok(ev.meanSeconds! > 0 && Math.abs(plan.secondsLeft! - 2 * ev.meanSeconds!) < 1e-9, JSON.stringify(plan));
    await run(exp, { root, reporter });
  } finally { fs.rmSync(root, { recursive: true, force: true }); }
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 13, text);
  // before any run is worked (the eleven cached ones): no runs/s, and an ETA from the cached evaluations' recorded seconds
  const beforeWork = lines.slice(0, 11);
  for (const l of beforeWork) assert.doesNotMatch(l, /runs\/s/, l);
  assert.ok(beforeWork.some((l) => /ETA \d+(\.\d)?s$/.test(l)), text);
});

test('a copied run cache reads its own files, never the original\'s (results store cache paths relative to the root)', async () => {
  const fileKinds: StepKind[] = [
    defineKind({ name: 'f-make', version: 1, summary: 'writes a file in its run folder', config: z.record(z.string(), z.unknown()),
      async run(_c, ctx) { const f = path.join(ctx.dir, 'data.txt'); fs.writeFileSync(f, 'original'); return { dir: ctx.dir, file: f, outside: '/usr/share' }; } }),
    defineKind({ name: 'f-read', version: 1, summary: 'reads its dependency\'s file', config: z.record(z.string(), z.unknown()),
      async run(_c, ctx) { const d = Object.values(ctx.deps)[0]; return { text: fs.readFileSync(String(d.result.file), 'utf8'), from: String(d.result.file) }; } }),
  ];
  const ks = [...KINDS, ...fileKinds];
  const d = parseExperiment({
    name: 'files', seed: 1, scales: { smoke: {}, demo: {}, study: {}, paper: {} },
    steps: [{ id: 'make', kind: 'f-make', config: {} }, { id: 'read', kind: 'f-read', config: { src: '@make' } }],
  }, 'files.json', ks.map((k) => k.name));
  const exp = resolveExperiment(d, 'smoke', { version: (k: string) => stepKind(k, ks).version });
  const original = tmp();
  await runExperiment(exp, { kinds: ks, root: original, log: quiet });
  const makeKey = exp.points[0].runs.make;
  const stored = JSON.parse(fs.readFileSync(path.join(original, `f-make-${makeKey}`, 'result.json'), 'utf8')).result;
  assert.equal(stored.file, `$runs/f-make-${makeKey}/data.txt`, 'stored relative to the cache root');
  assert.equal(stored.outside, '/usr/share', 'paths outside the cache stay as they are');
  // copy the cache, change the copy's file, drop the read step's result: the re-run reads the copy
  const copy = tmp();
  fs.cpSync(original, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, `f-make-${makeKey}`, 'data.txt'), 'copy');
  fs.rmSync(path.join(copy, `f-read-${exp.points[0].runs.read}`), { recursive: true });
  fs.rmSync(original, { recursive: true });
  await runExperiment(exp, { kinds: ks, root: copy, log: quiet });
  const [row] = collectResults(exp, 'read', ['text', 'from'], copy);
  assert.equal(row.values?.text, 'copy');
  assert.equal(row.values?.from, path.join(copy, `f-make-${makeKey}`, 'data.txt'));
});
