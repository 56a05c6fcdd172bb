import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioTable, ablationTable, toCsv, toMarkdown, toLatex, toDataFrame, fromDataFrame } from '../../lib/analysis/tables.ts';

test('syn→real ratio table from the study numbers', () => {
  const t = ratioTable([
    { method: 'S2HAND', realError: 0.99, synError: 1.02 },
    { method: 'CMR', realError: 0.77, synError: 0.85 },
    { method: 'simpleHand', realError: 0.65, synError: 0.77 },
  ]);
  assert.equal(t.columns.length, 4);
  assert.deepEqual(t.rows.map((r) => r[3]), [97.1, 90.6, 84.4]);
  assert.throws(() => ratioTable([{ method: 'X', realError: 1, synError: 0 }]), /method X: errors must be positive/);
});

test('ablation table shape, marks and values; CSV, markdown and LaTeX', async () => {
  const t = ablationTable([
    { name: '(i) No Arm', arm: false, amplitudeAug: true, object: true, errors: { SynFrei: 1.07, SynDex: 0.9 } },
    { name: '(iv) Random Arm + Object', arm: 'random', amplitudeAug: true, object: 'random', errors: { SynFrei: 1.04 } },
  ], ['SynFrei', 'SynDex']);
  assert.equal(t.columns.length, 6);
  assert.deepEqual(t.rows[0], ['(i) No Arm', '✗', '✓', '✓', 1.07, 0.9]);
  assert.deepEqual(t.rows[1].slice(1, 4), ['~✓', '✓', '~✓']);
  assert.equal(t.rows[1][5], null);
  const csv = toCsv(t).trim().split('\n');
  assert.equal(csv.length, 3);
  assert.equal(csv[2], '(iv) Random Arm + Object,~✓,✓,~✓,1.04,');
  const md = toMarkdown(t).trim().split('\n');
  assert.equal(md.length, 4);
  assert.match(md[2], /\| \(i\) No Arm \| ✗ \| ✓ \| ✓ \| 1\.07 \| 0\.90 \|/);
  assert.match(md[3], /\| – \|$/);
  const tex = toLatex(t, { caption: 'Ablation', label: 'tab:abl' });
  assert.match(tex, /\\begin\{tabular\}\{llllrr\}/);
  assert.match(tex, /\(i\) No Arm & \\texttimes & \\checkmark & \\checkmark & 1\.07 & 0\.90 \\\\/);
  assert.match(tex, /\\label\{tab:abl\}/);
  const df = await toDataFrame(t);
  assert.deepEqual(df.shape, [2, 6]);
  const back = fromDataFrame(df);
  assert.deepEqual(back.columns, t.columns);
  assert.equal(back.rows[0][4], 1.07);
});
