import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newItemId } from '../../src/core/item-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('item ids are UUIDs of version 7, unique, and sort in the order they were made (so the store appends)', () => {
  // More than 4,096 in a row: most fall in the same millisecond, so the counter must carry over.
  const ids = Array.from({ length: 20_000 }, () => newItemId());
  for (const id of ids) assert.match(id, UUID_V7);
  assert.equal(new Set(ids).size, ids.length);
  const sorted = [...ids].sort();
  assert.ok(ids.every((id, i) => id === sorted[i]), 'each id sorts after the one before it');
});

test('the first 48 bits of an item id are the time it was made, in ms', () => {
  const before = Date.now();
  const id = newItemId();
  const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  // Not below the clock; above it only when the counter borrowed a millisecond (a few at most).
  assert.ok(ms >= before && ms <= Date.now() + 1000, `${ms} vs ${before}`);
});
