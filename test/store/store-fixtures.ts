import { test } from 'node:test';
import type { CollectionRecord, ItemWrite, LinkRecord, NewLogEntry, Store } from '../../src/core/store.js';
import type { ContactItem } from '../../src/model/item.js';
import { prop } from '../../src/model/property.js';
import { asEtag, asHref, asUid } from '../../src/core/types.js';

/** Small builders shared by the store tests. Items live in collection `c` unless told. */

export function contact(uid: string, fn: string): ContactItem {
  return { kind: 'contact', uid: asUid(uid), card: { name: 'vcard', props: [prop('uid', 'text', [uid]), prop('fn', 'text', [fn])], components: [] } };
}

export function write(id: string, fn: string, expectVersion = 0, extra: Partial<ItemWrite> = {}): ItemWrite {
  const uid = extra.uid ?? asUid(`uid-${id}`);
  return {
    id, collection: 'c', uid, item: contact(uid, fn), expectVersion,
    meta: { fieldSources: { fn: { connector: 'm1', time: '2024-01-01T00:00:00.000Z' } } }, ...extra,
  };
}

export function link(itemId: string, href: string, agreedVersion: number, member = 'm1', collection = 'c'): LinkRecord {
  return { collection, member, href: asHref(href), itemId, etag: asEtag(`"${href}-${agreedVersion}"`), base: contact(`uid-${itemId}`, 'base'), agreedVersion, updatedAt: '2024-01-02T00:00:00.000Z' };
}

export function logEntry(uid: string, action: NewLogEntry['action'], time: string, collection = 'c'): NewLogEntry {
  return { run: 'r1', time, collection, uid, action, connector: 'm1' };
}

export const coll = (name: string, extra: Partial<CollectionRecord> = {}): CollectionRecord =>
  ({ name, kind: 'contacts', origin: 'config', createdAt: '2024-01-01T00:00:00.000Z', ...extra });

/** A fresh, initialised, empty store for each test, and how to remove it. */
export type StoreSetup = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

/** A test on a fresh store from `setup`, cleaned up afterwards. */
export function storeTest(setup: StoreSetup): (title: string, fn: (s: Store) => Promise<void>) => void {
  return (title, fn) => {
    test(title, async () => {
      const { store, cleanup } = await setup();
      try {
        await fn(store);
      } finally {
        await cleanup();
      }
    });
  };
}
