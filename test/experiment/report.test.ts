import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseExperiment, resolveExperiment } from '../../lib/experiment/declaration.ts';
import { runExperiment, collectResults } from '../../lib/experiment/runner.ts';
import { writeExperimentReport } from '../../lib/experiment/report.ts';
import { defineKind, type StepKind } from '../../lib/experiment/step.ts';
import { z } from '../../lib/config/schema.ts';
import { fractionReaching } from '../../lib/analysis/saturation.ts';

// a deterministic "error" curve standing in for train+eval results: 10 + 8·exp(−x/0.15) mm
const TRUE = { model: 'exp' as const, a: 10, b: 8, c: 0.15 };
const kinds: StepKind[] = [
  defineKind({ name: 'r-curve', version: 1, summary: 'test', config: z.strictObject({ x: z.number() }), async run(config) {
    const x = config.x, wiggle = 0.02 * Math.sin(37 * x); // small deterministic noise
    return { paMpjpeMm: TRUE.a + TRUE.b * Math.exp(-x / TRUE.c) + wiggle };
  } }),
  defineKind({ name: 'r-abl', version: 1, summary: 'test', config: z.record(z.string(), z.unknown()), async run(config) {
    return { paMpjpeMm: 10 + (config.arm ? 0 : 0.5) + (config.amp ? 0 : 0.9) + (config.test === 'b' ? 1 : 0) };
  } }),
];
const names = kinds.map((k) => k.name);
const kindVersion = { version: () => 1 };

const scales = { smoke: {}, demo: {}, study: {}, paper: {} };

test('saturation report: results and fit tables from a sweep', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-report-'));
  const decl = parseExperiment({ name: 'sat', seed: 1, scales, sweep: { x: [0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0] },
    steps: [{ id: 'score', kind: 'r-curve', config: { x: '$sweep.x' } }], collect: { step: 'score', fields: ['paMpjpeMm'] },
    report: { type: 'saturation', x: 'x', y: 'paMpjpeMm', replicates: 100 } }, 'sat.json', names);
  const exp = resolveExperiment(decl, 'smoke', kindVersion);
  await runExperiment(exp, { kinds, root: tmp, log: () => {} });
  const rows = collectResults(exp, 'score', ['paMpjpeMm'], tmp);
  const out = await writeExperimentReport(exp, decl.report, rows, ['paMpjpeMm'], path.join(tmp, 'tables'), 1, { png: false });
  assert.deepEqual(out.tables.results.columns, ['x', 'paMpjpeMm', 'run']);
  assert.equal(out.tables.results.rows.length, 8);
  const sat = out.tables.saturation.rows[0];
  assert.equal(sat[2], 'exp');
  const x90 = fractionReaching(TRUE, 0.9);
  assert.ok(Math.abs(Number(sat[6]) - x90) < 0.02, `x90 ${sat[6]} vs ${x90}`);
  for (const ext of ['csv', 'md', 'tex']) assert.ok(fs.existsSync(path.join(tmp, 'tables', `saturation.${ext}`)));
  assert.ok(fs.existsSync(path.join(tmp, 'tables', 'saturation-figure.plotly.json')));
  assert.match(fs.readFileSync(path.join(tmp, 'tables', 'results.csv'), 'utf8'), /^x,paMpjpeMm,run\n0\.05,/);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('ablation report: rows by component, one column per test set, mm → cm', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handgap-report-'));
  const pts = (test: string) => [
    { row: '(i) No Arm', arm: false, amp: true, object: true, test },
    { row: '(ii) No Amp', arm: true, amp: false, object: true, test },
    { row: '(v) Full', arm: true, amp: true, object: true, test },
  ];
  const decl = parseExperiment({ name: 'abl', seed: 1, scales, points: [...pts('a'), ...pts('b')],
    steps: [{ id: 'score', kind: 'r-abl', config: { arm: '$sweep.arm', amp: '$sweep.amp', test: '$sweep.test' } }], collect: { step: 'score', fields: ['paMpjpeMm'] },
    report: { type: 'ablation', name: 'row', arm: 'arm', amplitudeAug: 'amp', object: 'object', testSet: 'test', y: 'paMpjpeMm' } }, 'abl.json', names);
  const exp = resolveExperiment(decl, 'smoke', kindVersion);
  await runExperiment(exp, { kinds, root: tmp, log: () => {} });
  const out = await writeExperimentReport(exp, decl.report, collectResults(exp, 'score', ['paMpjpeMm'], tmp), ['paMpjpeMm'], path.join(tmp, 'tables'), 1);
  const t = out.tables.ablation;
  assert.deepEqual(t.columns.slice(4), ['a PA-MPJPE (cm)↓', 'b PA-MPJPE (cm)↓']);
  assert.deepEqual(t.rows.map((r) => [r[0], r[1], r[2], r[4], r[5]]), [['(i) No Arm', '✗', '✓', 1.05, 1.15], ['(ii) No Amp', '✓', '✗', 1.09, 1.19], ['(v) Full', '✓', '✓', 1, 1.1]]);
  assert.match(fs.readFileSync(path.join(tmp, 'tables', 'ablation.tex'), 'utf8'), /\(v\) Full & \\checkmark & \\checkmark & \\checkmark & 1 & 1\.10/);
  fs.rmSync(tmp, { recursive: true, force: true });
});
