import type { Store, StoredItem } from '../core/store.js';
import { pairKey } from '../normalize/duplicates.js';
import { resolveRefs } from './merge-duplicates.js';

export interface DismissResult {
  collection: string;
  items: StoredItem[];
  /** Pairs remembered (every pair of the items given). */
  pairs: number;
}

/**
 * "These are not duplicates" (`pimhub duplicates --dismiss`, the review page's Dismiss
 * button): every pair of the items is remembered in the store, and `duplicates` no longer
 * reports it. Items merged later are gone from the candidates anyway.
 */
export async function dismissDuplicates(store: Store, refs: string[], collection: string | undefined, now: Date): Promise<DismissResult> {
  const items = await resolveRefs(store, refs, collection);
  const col = items[0]!.collection;
  let pairs = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      await store.dismissPair(col, items[i]!.id, items[j]!.id, now.toISOString());
      pairs++;
    }
  }
  return { collection: col, items, pairs };
}

/** The dismissed pairs of a collection as `findDuplicates` takes them. */
export async function dismissedPairs(store: Store, collection: string): Promise<Set<string>> {
  return new Set((await store.listDismissedPairs(collection)).map((p) => pairKey(p.a, p.b)));
}
