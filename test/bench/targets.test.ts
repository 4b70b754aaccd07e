import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judged, ratioLimit } from '../../bench/targets.js';

test('the summary judges each ratio by the target of its size, and leaves a target stated for another size unjudged', () => {
  assert.equal(judged('B1', 'first sync', 0.45, '0.45×', ratioLimit('B1', 1000)).met, true);
  assert.equal(judged('B1', 'first sync', 0.45, '0.45×', ratioLimit('B1', 10_000)).met, false);
  assert.equal(judged('B2', 'no change', 0.05, '0.05×', ratioLimit('B2', 10_000)).met, true);
  assert.equal(judged('B3', '1 %', 0.01, '0.01×', ratioLimit('B3', 1000)).met, undefined);
  assert.equal(judged('B3', '1 %', 0.06, '0.06×', ratioLimit('B3', 10_000)).met, false);
  assert.equal(judged('B4', 'first', 0.31, '0.31×', ratioLimit('B4 first', 1000)).met, false);
  assert.equal(judged('B7', 'mongo', Number.NaN, 'n/a', ratioLimit('B7', 1000)).met, undefined);
  assert.match(ratioLimit('B4 no-change', 10_000).text, /0\.08/);
});
