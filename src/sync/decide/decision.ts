import type { FieldDecision, ItemWrite, LinkRecord, LogAction, NewLogEntry, QuarantineRecord, StoredItem } from '../../core/store.js';
import type { Href, Uid } from '../../core/types.js';
import type { Item } from '../../model/item.js';
import { itemLabel } from '../item-info.js';
import type { ItemError, StoreChangeSummary } from '../types.js';

/**
 * What the decide step concluded about one entry (a changed entry, a gone entry, an
 * unreadable one): plain data, nothing written. The plan stages decisions in order
 * (src/sync/plan/stage.ts); a dry run and a real run stage the same ones.
 */
export interface Decision {
  /** A new version of one canonical item. */
  item?: Omit<ItemWrite, 'run'>;
  removeLinks?: Array<{ member: string; href: Href }>;
  links?: LinkRecord[];
  logs?: DecidedLog[];
  /** How the run report counts the decision. */
  changes?: StoreChangeSummary[];
  quarantine?: QuarantineRecord[];
  unquarantine?: Array<{ member: string; href: Href }>;
  errors?: ItemError[];
}

/** A log entry as decided; the plan adds the run and the collection. */
export type DecidedLog = Omit<NewLogEntry, 'run' | 'collection'>;

/** The version an item write leads to, as the store will hold it. */
export function afterWrite(write: Omit<ItemWrite, 'run'>, time: string): StoredItem {
  return {
    id: write.id, collection: write.collection, uid: write.uid, version: write.expectVersion + 1, seq: 0,
    deleted: write.deleted ?? false, item: write.item, meta: write.meta, updatedAt: time,
  };
}

/** The log entry and the report line of one action on one item. */
export function logged(
  d: Decision,
  e: {
    time: string; item: { uid: Uid; id: string; item: Item }; action: LogAction; member: string; fields?: FieldDecision[]; message?: string;
    summary?: StoreChangeSummary['action']; entry?: Item;
  },
): void {
  (d.logs ??= []).push({
    time: e.time, uid: e.item.uid, itemId: e.item.id, action: e.action, connector: e.member,
    ...(e.fields && e.fields.length ? { fields: e.fields } : {}), ...(e.message ? { message: e.message } : {}), ...(e.entry ? { entry: e.entry } : {}),
  });
  const counted = e.summary ?? (e.action as StoreChangeSummary['action']);
  if (['created', 'updated', 'merged', 'conflict', 'matched', 'deleted', 'restored'].includes(counted)) {
    (d.changes ??= []).push({
      action: counted, uid: e.item.uid, member: e.member, label: itemLabel(e.item.item),
      ...(e.fields && e.fields.length ? { fields: e.fields.map((f) => f.field) } : {}),
    });
  }
}
