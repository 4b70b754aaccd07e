import type { ItemVersion, StoredItem } from '../../core/store.js';
import type { Item } from '../../model/item.js';
import type { ItemRow } from '../sqlite/rows.js';

/**
 * Document shapes of the MongoDB store. They are the SQLite store's rows (one mapping of
 * records, src/store/sqlite/rows.ts) with an `_id`; this file adds what only MongoDB keeps.
 */

/** `_id` of a composite key: JSON text of its parts (no separator can collide). */
export const idOf = (...parts: Array<string | number>): string => JSON.stringify(parts);

export type ItemDoc = ItemRow & { _id: string; keys: string[] };

export interface VersionDoc {
  _id: string;
  item_id: string;
  version: number;
  deleted: number;
  data: string;
  time: string;
  run: string;
}

export function versionDoc(itemId: string, v: ItemVersion): VersionDoc {
  return { _id: idOf(itemId, v.version), item_id: itemId, version: v.version, deleted: v.deleted ? 1 : 0, data: JSON.stringify(v.item), time: v.time, run: v.run };
}

export function versionFromDoc(d: VersionDoc): ItemVersion {
  return { version: d.version, item: JSON.parse(d.data) as Item, deleted: d.deleted === 1, time: d.time, run: d.run };
}

export function itemDoc(s: StoredItem, keys: readonly string[]): ItemDoc {
  return {
    _id: s.id, id: s.id, collection: s.collection, uid: s.uid, version: s.version, seq: s.seq, deleted: s.deleted ? 1 : 0,
    data: JSON.stringify(s.item), meta: JSON.stringify(s.meta), updated_at: s.updatedAt, keys: s.deleted ? [] : [...new Set(keys)],
  };
}
