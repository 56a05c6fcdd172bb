import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Progress, formatStage, reporterForHere, quietReporter, consoleReporter } from '../../lib/util/progress.ts';

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const w = new Writable({ write(chunk, _enc, cb) { out += chunk; cb(); } });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => out };
}

test('progress line: no "?" rate before the first item; count, rate and ETA after; "in" when done', () => {
  const p = new Progress({ label: 'render', total: 4, unit: 'images', quiet: false, stream: sink().stream });
  assert.match(p.line(), /^render: 0\/4 \(0%\) elapsed \S+, ETA after the first images$/);
  assert.doesNotMatch(p.line(), /\?/);
  const start = Date.now(); while (Date.now() - start < 60) { /* let some time pass */ }
  p.tick(1);
  assert.match(p.line(), /^render: 1\/4 \(25%\) \d+\.\d\d images\/s, elapsed \S+, ETA \S+$/);
  p.tick(3);
  assert.match(p.line(), /^render: 4\/4 \(100%\) \d+\.\d\d images\/s, in \S+$/);
});

test('a log gets the final line once (last tick, then finish)', () => {
  const s = sink();
  const p = new Progress({ label: 'imgs', total: 2, quiet: false, stream: s.stream, minIntervalMs: 60_000 });
  p.tick(); p.tick(); p.finish();
  assert.equal(s.text().split('\n').filter(Boolean).length, 2, 'first tick and the final line, no repeat');
});

test('quiet progress prints nothing while running and one line at the end', () => {
  const s = sink();
  const p = new Progress({ label: 'runs', total: 3, quiet: true, stream: s.stream, minIntervalMs: 0 });
  p.tick(); p.tick();
  assert.equal(s.text(), '');
  p.tick(); p.finish();
  assert.equal(s.text().trim().split('\n').length, 1);
  assert.match(s.text(), /^runs: 3\/3 \(100%\)/);
});

test('reporters: one stage line; details only on the console; the kernel gets the quiet one', () => {
  assert.equal(formatStage({ stage: 'saturation', scale: 'smoke', ran: 2, cached: 10, seconds: 12.34, results: 'runs/saturation-smoke.json' }), 'saturation [smoke]: 2 ran, 10 from cache in 12s → runs/saturation-smoke.json');
  assert.equal(formatStage({ stage: 'x', ran: 0, cached: 1, waited: 2, seconds: 1 }), 'x: 0 ran, 1 from cache, 2 by other processes in 1.0s');
  const q = sink(), c = sink();
  const quiet = quietReporter(q.stream), loud = consoleReporter(c.stream);
  for (const r of [quiet, loud]) { r.detail('run train-abc {"indices":[1,2,3]}'); r.stage({ stage: 's', ran: 1, cached: 0, seconds: 2 }); r.note('skipped: no real data'); }
  assert.equal(q.text(), 's: 1 ran, 0 from cache in 2.0s\nskipped: no real data\n');
  assert.equal(c.text(), 'run train-abc {"indices":[1,2,3]}\ns: 1 ran, 0 from cache in 2.0s\nskipped: no real data\n');
  const inKernel = reporterForHere({ HANDGAP_KERNEL: '1' }).progress('a', 1);
  assert.equal(inKernel.quiet, true);
  assert.equal(reporterForHere({}).progress('a', 1).quiet, process.env.HANDGAP_KERNEL === '1');
});

test('items found done (skip) count but are not in the rate; an estimate from the caller replaces the rate ETA', () => {
  const p = new Progress({ label: 'runs', total: 10, unit: 'runs', quiet: false, stream: sink().stream });
  p.skip(8);
  const start = Date.now(); while (Date.now() - start < 60) { /* let some time pass */ }
  // eight cached runs in no time are not a rate: no speed and no ETA until one run is worked
  assert.match(p.line(), /^runs: 8\/10 \(80%\) elapsed \S+, ETA after the first runs$/);
  p.estimate(3 * 3600);
  assert.match(p.line(), /ETA 3h00m$/);
  p.estimate(undefined);
  assert.match(p.line(), /ETA after the first runs$/);
  p.tick();
  assert.match(p.line(), /^runs: 9\/10 \(90%\) \d+\.\d\d runs\/s, elapsed \S+, ETA after the first runs$/);
});
