/**
 * Adding a step kind through the documented path (docs/experiments.md "Adding a kind"): defineKind with a
 * zod config schema and a run function, appended to the kinds list the runner is given, used by a
 * declaration; its config is checked before anything runs and its result is cached by config hash.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from '../../lib/config/schema.ts';
import { defineKind } from '../../lib/experiment/step.ts';
import { KINDS } from '../../lib/experiment/kinds.ts';
import { readExperiment, resolve, runExperiment, collectResults } from '../../lib/experiment/runner.ts';

let calls = 0;
const squares = defineKind({
  name: 'squares', version: 1, summary: 'sum of squares 1..n (a toy kind)',
  config: z.strictObject({ n: z.number().int().min(1), offset: z.number().default(0) }),
  async run(config, { dir }) {
    calls++;
    fs.writeFileSync(path.join(dir, 'note.txt'), 'written into the run folder');
    let s = config.offset;
    for (let i = 1; i <= config.n; i++) s += i * i;
    return { value: s };
  },
});
const kinds = [...KINDS, squares];

test('a toy kind added through the documented path runs, caches, and rejects a bad config naming the field', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-toy-'));
  const file = path.join(tmp, 'toy.json');
  fs.writeFileSync(file, JSON.stringify({
    name: 'toy', seed: 1,
    scales: { smoke: { n: 3 }, demo: { n: 10 }, study: { n: 20 }, paper: { n: 100 } },
    steps: [{ id: 'sq', kind: 'squares', config: { n: '$scale.n' } }],
    collect: { step: 'sq', fields: ['value'] },
  }));
  // the default list does not know it; the extended list does
  assert.throws(() => readExperiment(file), /steps\[0\]\.kind.*"squares" is not a step kind/);
  const decl = readExperiment(file, kinds);
  const root = path.join(tmp, 'runs');
  const exp = resolve(decl, 'smoke', { kinds });
  const first = await runExperiment(exp, { root, kinds, log: () => {} });
  assert.equal(first.executed.length, 1);
  assert.deepEqual(collectResults(exp, 'sq', ['value'], root).map((r) => r.values!.value), [14]);
  await runExperiment(exp, { root, kinds, log: () => {} });
  assert.equal(calls, 1, 'second run comes from the cache');
  // the default (offset: 0) is applied; a misspelled key is rejected before anything runs
  const bad = resolve({ ...decl, steps: [{ id: 'sq', kind: 'squares', config: { n: 3, ofset: 1 } }] }, 'demo', { kinds });
  await assert.rejects(runExperiment(bad, { root, kinds, log: () => {} }), /steps\.sq\.config[\s\S]*ofset/);
  const wrong = resolve({ ...decl, steps: [{ id: 'sq', kind: 'squares', config: { n: 0 } }] }, 'demo', { kinds });
  await assert.rejects(runExperiment(wrong, { root, kinds, log: () => {} }), /steps\.sq\.config[\s\S]*n/);
  assert.equal(calls, 1);
  fs.rmSync(tmp, { recursive: true, force: true });
});
