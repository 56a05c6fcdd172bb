import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KindTimes } from '../../lib/experiment/eta.ts';

test('seconds left: the mean of each kind over the runs left; unknown while a kind left has no timing', () => {
  const t = new KindTimes();
  assert.equal(t.remaining([]), 0);
  t.add('render', 240); t.add('render', 260); t.add('evaluate', 10);
  assert.equal(t.mean('render'), 250);
  // two renders and three evaluations left: 2 x 250 + 3 x 10, not 5 x the mean of all runs (170)
  assert.equal(t.remaining(['render', 'evaluate', 'render', 'evaluate', 'evaluate']), 530);
  assert.equal(t.remaining(['render', 'train']), undefined, 'no training timed yet: no guess');
  t.add('train', Number.NaN); t.add('train', -1);
  assert.equal(t.mean('train'), undefined, 'invalid timings are ignored');
});
