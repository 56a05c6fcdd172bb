import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioTable, ablationTable, toCsv, toMarkdown, toLatex, toHtml, toDataFrame, fromDataFrame, isDataFrameLike, writeTable } from '../../lib/analysis/tables.ts';
import { tableBundle } from '../../lib/plot/display.ts';

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

test('HTML tables: escaped, numbers right-aligned, long tables elided; DataFrames through the display bundle', async () => {
  const t = { columns: ['name', 'error <cm>'], rows: Array.from({ length: 100 }, (_, i) => [`r&${i}`, i + 0.5] as [string, number]) };
  const html = toHtml(t, { maxRows: 10, digits: 1 });
  assert.match(html, /^<table class="dataframe"/);
  assert.match(html, /<th>error &lt;cm&gt;<\/th>/);
  assert.match(html, /<td>r&amp;0<\/td><td style="text-align:right">0\.5<\/td>/);
  assert.equal((html.match(/<tr>/g) ?? []).length, 11, '10 rows kept + one elision row');
  assert.match(html, /r&amp;99<\/td>/);
  assert.doesNotMatch(html, /r&amp;50</);
  assert.match(html, /100 rows × 2 columns/);
  const df = await toDataFrame({ columns: ['set', 'mm'], rows: [['a', 1.5], ['b', 2]] });
  assert.equal(isDataFrameLike(df), true);
  assert.equal(isDataFrameLike({ columns: [], values: [] }), false);
  const b = tableBundle(df);
  assert.match(b['text/html'], /<thead><tr style="text-align:right"><th>set<\/th><th>mm<\/th><\/tr><\/thead>/, 'default index not shown');
  assert.match(b['text/plain'], /\| a \| 1\.500 \|/);
  const indexed = tableBundle(df.setIndex({ column: 'set', drop: true }));
  assert.match(indexed['text/html'], /<th><\/th><th>mm<\/th>/);
  assert.match(indexed['text/html'], /<tr><th>a<\/th><td style="text-align:right">1\.500<\/td><\/tr>/);
});

test('a user slices a result DataFrame and hands the slice to the writers directly', async () => {
  const t = ratioTable([{ method: 'S2HAND', realError: 1.0, synError: 1.02 }, { method: 'ours', realError: 2.72, synError: 3.49 }, { method: 'simpleHand', realError: 0.7, synError: 0.75 }]);
  const df = await toDataFrame(t);
  assert.ok(isDataFrameLike(df));
  const ratioCol = 'Syn→Real ratio (%)';
  const low = df.query(df[ratioCol].lt(90));          // danfojs slicing: the methods with a large gap
  assert.deepEqual(low.shape, [1, 4]);
  assert.match(toMarkdown(low, 1), /\| ours \| 2\.7 \| 3\.5 \| 77\.9 \|/);
  assert.match(toCsv(low), /^Method,Real PA-MPJPE \(cm\),Synthetic PA-MPJPE \(cm\),Syn→Real ratio \(%\)\nours,2\.72,3\.49,77\.9\n$/);
  const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'handgap-tables-'));
  const files = await writeTable(`${dir}/low`, low, { caption: 'large gap' });
  assert.match((await import('node:fs')).readFileSync(files[2], 'utf8'), /ours & 2\.72 & 3\.49 & 77\.90 \\\\/);
});
