import { createHash } from 'node:crypto';
import { newItemId } from '../../core/item-id.js';
import type { FieldDecision, ItemWrite, LogAction, StoredItem } from '../../core/store.js';
import { asUid, type Uid } from '../../core/types.js';
import { itemFingerprint } from '../../merge/fingerprint.js';
import { mergeItem } from '../../merge/merge-item.js';
import type { ConflictPolicy } from '../../merge/policy.js';
import type { FormatCapabilities } from '../../model/capabilities.js';
import type { Item } from '../../model/item.js';
import { itemTime, withUid } from '../item-info.js';
import type { Identity } from '../types.js';

/**
 * The one decision of what a member's changed entry does to its canonical item: the
 * three-way merge against the member's base, the new version (if any) and the log entries.
 * Pure apart from new ids; a sync (src/sync/merge-incoming.ts) and a write through the
 * endpoint (src/sync/endpoint-write.ts) both decide here, so they cannot disagree.
 */
export interface MergeEntryInput {
  stored: StoredItem;
  /** What the member last agreed with the store; undefined for a first match. */
  base: Item | undefined;
  incoming: Item;
  member: string;
  /** What the member's format holds: the rest is kept from the store. */
  caps: FormatCapabilities;
  /** When the change was made, for `newest` (SPEC §4). */
  time: string;
  policy: ConflictPolicy;
  identity: Identity;
  /** The incoming entry is another member's copy found by UID or identity, not this member's own. */
  matched: boolean;
  /** The store's UID was made up and the incoming one is free: adopt it. */
  adoptUid: boolean;
  /** For messages: the href or file of the entry. */
  where: string;
}

/** A log entry as decided; the caller adds the run, time, collection and item. */
export interface LogDraft {
  action: LogAction;
  fields?: FieldDecision[];
  message?: string;
  /** How the run report counts it when the action alone does not say (a restore is logged `updated`). */
  summary?: 'restored';
  /** For `matched`: the member's entry as it came (LogEntry.entry). */
  entry?: Item;
}

export interface EntryDecision {
  /** The new version to store; undefined when the canonical item does not change. */
  write?: Omit<ItemWrite, 'run'>;
  item: Item;
  logs: LogDraft[];
}

export function mergeEntry(i: MergeEntryInput): EntryDecision {
  const { stored, identity } = i;
  const keyOf = identity.keyOf;
  const restored = stored.deleted;
  const r = mergeItem({
    // A restore still merges against what this member last agreed to: its removals count.
    base: i.base,
    current: stored.item,
    incoming: i.incoming,
    caps: i.caps,
    keyOf,
    policy: i.policy,
    incomingSource: { connector: i.member, time: i.time },
    fieldSources: stored.meta.fieldSources,
    currentFallback: { connector: 'store', time: itemTime(stored.item) ?? stored.updatedAt },
  });
  const merged = i.adoptUid ? withUid(r.item, i.incoming.uid) : r.item;
  const changed = restored || i.adoptUid || itemFingerprint(merged, keyOf) !== itemFingerprint(stored.item, keyOf);
  const write: Omit<ItemWrite, 'run'> | undefined = changed
    ? {
      id: stored.id, collection: stored.collection, uid: merged.uid, item: merged,
      meta: { fieldSources: r.fieldSources, ...(stored.meta.uidInvented && !i.adoptUid ? { uidInvented: true } : {}) },
      expectVersion: stored.version, deleted: false, identityKeys: identity.identityKeys(merged),
    }
    : undefined;
  const logs: LogDraft[] = [];
  if (i.matched || restored) {
    // The entry as it came is kept when the match changed the item: undo splits it off exactly.
    if (i.matched) logs.push({ action: 'matched', fields: r.decisions, message: `matched ${i.where} to an existing item`, ...(write ? { entry: i.incoming } : {}) });
    else logs.push({ action: 'updated', fields: r.decisions, message: `restored: edited at ${i.member} after it was deleted elsewhere`, summary: 'restored' });
    // Conflicts decided on the way are listed with the others (log --conflicts, review page, resolve).
    const conflicts = r.decisions.filter((d) => d.conflict);
    if (conflicts.length > 0) logs.push({ action: 'conflict', fields: conflicts, message: i.matched ? 'while matching' : 'while restoring' });
  } else if (changed || r.conflicts > 0) {
    // A conflict the store's value won changes nothing in the store, but is logged all the same.
    logs.push({ action: r.conflicts > 0 ? 'conflict' : r.currentChanged ? 'merged' : 'updated', fields: r.decisions });
  }
  return { ...(write ? { write } : {}), item: merged, logs };
}

/**
 * A new canonical item for an entry nobody had: its UID, or one made up (and marked so a real
 * one can replace it). A made-up UID is derived from `seed` (where the entry is and what it
 * holds), so a dry run shows the UIDs the real run then uses.
 */
export function newEntry(incoming: Item, collection: string, identity: Identity, seed: string, keys?: readonly string[]): EntryDecision {
  const uid = incoming.uid || uidFrom(`${collection}\n${seed}\n${JSON.stringify(incoming)}`);
  const item = incoming.uid ? incoming : withUid(incoming, uid);
  return {
    write: {
      id: newItemId(), collection, uid, item, meta: { fieldSources: {}, ...(incoming.uid ? {} : { uidInvented: true }) },
      // Keys hold no UID: those of the entry as it came are the item's.
      expectVersion: 0, identityKeys: keys ? [...keys] : identity.identityKeys(item),
    },
    item,
    logs: [{ action: 'created' }],
  };
}

/** A UUID-shaped id (version 5 layout) from a SHA-1 of the seed. */
function uidFrom(seed: string): Uid {
  const h = createHash('sha1').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return asUid(`${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`);
}
