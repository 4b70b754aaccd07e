import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectionRecord, Store } from '../../src/core/store.js';
import { asUid } from '../../src/core/types.js';
import { ListingCache } from '../../src/server/listing-cache.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { contact } from '../store/store-fixtures.js';

/**
 * What the listing cache reads from the store: the whole collection once, then only what
 * changed (a listing's cost follows the changes, not the collection's size); and it stays
 * within its byte cap by dropping the least recently listed collection.
 */
const col = (name: string): CollectionRecord => ({ name, kind: 'contacts', owner: 'alice', origin: 'config', createdAt: '2024-01-01T00:00:00.000Z' });

/** The store, counting the calls of each method. */
function counting(store: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

async function seeded(collections: string[], n: number): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.init();
  for (const c of collections) {
    await store.commit({
      items: Array.from({ length: n }, (_, i) => ({ id: `${c}-${i}`, collection: c, uid: asUid(`${c}-u${i}`), item: contact(asUid(`${c}-u${i}`), `N ${i}`), meta: { fieldSources: {} }, expectVersion: 0 })),
    });
  }
  return store;
}

test('listing cache: the collection is read once; a change is read as a change', async () => {
  const mem = await seeded(['a'], 50);
  const { store, calls } = counting(mem);
  const cache = new ListingCache();
  const first = await cache.list(store, col('a'));
  assert.equal(first.entries.length, 50);
  assert.equal(calls.get('listItemHeads'), 1);
  await cache.list(store, col('a'));
  assert.equal(calls.get('listItemHeads'), 1, 'the same seq: nothing read but the seq');
  assert.equal(calls.get('changesSince'), undefined);

  const cur = (await mem.getItem('a-7'))!;
  await mem.commit({ items: [{ id: cur.id, collection: 'a', uid: cur.uid, item: contact(cur.uid, 'changed'), meta: cur.meta, expectVersion: cur.version, deleted: true }] });
  const next = await cache.list(store, col('a'));
  assert.equal(calls.get('listItemHeads'), 1, 'patched, not read again');
  assert.equal(calls.get('changesSince'), 1);
  assert.equal(next.entries.length, 49);
  assert.ok(!next.entries.some((e) => e.item.id === 'a-7'));
  assert.equal(next.seq, await mem.currentSeq('a'));

  // A re-created collection (another creation time) is another listing.
  const again = await cache.list(store, { ...col('a'), createdAt: '2025-01-01T00:00:00.000Z' });
  assert.equal(again.entries.length, 49);
  assert.equal(calls.get('listItemHeads'), 2);
});

test('listing cache: past its byte cap the least recently listed collection is dropped', async () => {
  const { store, calls } = counting(await seeded(['a', 'b', 'c'], 40));
  // Room for about two collections of 40 heads (400 bytes each).
  const cache = new ListingCache(2 * 40 * 400 + 100);
  await cache.list(store, col('a'));
  await cache.list(store, col('b'));
  await cache.list(store, col('a'));
  assert.equal(calls.get('listItemHeads'), 2);
  await cache.list(store, col('c'));
  assert.equal(calls.get('listItemHeads'), 3);
  await cache.list(store, col('a'));
  assert.equal(calls.get('listItemHeads'), 3, 'a was listed more recently than b: kept');
  await cache.list(store, col('b'));
  assert.equal(calls.get('listItemHeads'), 4, 'b was dropped');
});

test('listing cache: a patch the store fails is not half kept; the next listing reads the collection whole', async () => {
  const mem = await seeded(['a'], 20);
  const { store, calls } = counting(mem);
  let failing = false;
  const flaky = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'changesSince' && failing) return async () => { throw new Error('store busy'); };
      return Reflect.get(target, prop, receiver);
    },
  });
  const cache = new ListingCache();
  await cache.list(flaky, col('a'));
  const cur = (await mem.getItem('a-3'))!;
  await mem.commit({ items: [{ id: cur.id, collection: 'a', uid: cur.uid, item: contact(cur.uid, 'gone'), meta: cur.meta, expectVersion: cur.version, deleted: true }] });
  failing = true;
  await assert.rejects(cache.list(flaky, col('a')), /store busy/);
  failing = false;
  const after = await cache.list(flaky, col('a'));
  assert.equal(calls.get('listItemHeads'), 2, 'read whole again');
  assert.equal(after.entries.length, 19);
  assert.ok(!after.entries.some((e) => e.item.id === 'a-3'));
});
