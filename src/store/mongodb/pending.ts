import type { Db } from 'mongodb';
import type { LinkRecord, StoredItem } from '../../core/store.js';
import { itemFromRow, linkFromRow, type LinkRow } from '../sqlite/rows.js';
import type { ItemDoc } from './docs.js';
import { withBases } from './link-base.js';
import { C } from './schema.js';

const CHUNK = 1000;

type Wanted = { itemId: string; seq: number; linkId?: string; href: string };

/** The pending (item, link) pairs from two light passes, in seq then href order. */
async function wantedFor(db: Db, collection: string, member: string): Promise<Wanted[]> {
  const items = await db.collection(C.items).aggregate<{ _id: string; version: number; seq: number; deleted: number }>(
    [{ $match: { collection } }, { $project: { version: 1, seq: 1, deleted: 1 } }],
  ).toArray();
  const links = await db.collection(C.links).aggregate<{ _id: string; item_id: string; href: string; agreed_version: number }>(
    [{ $match: { collection, member } }, { $project: { item_id: 1, href: 1, agreed_version: 1 } }],
  ).toArray();
  const byItem = new Map<string, typeof links>();
  for (const l of links) {
    const list = byItem.get(l.item_id);
    if (list) list.push(l);
    else byItem.set(l.item_id, [l]);
  }
  const wanted: Wanted[] = [];
  for (const it of items) {
    const ls = byItem.get(it._id);
    if (!ls) {
      if (it.deleted === 0) wanted.push({ itemId: it._id, seq: it.seq, href: '' });
      continue;
    }
    for (const l of ls) {
      if (it.deleted !== 0 || it.version > l.agreed_version) wanted.push({ itemId: it._id, seq: it.seq, linkId: l._id, href: l.href });
    }
  }
  wanted.sort((a, b) => a.seq - b.seq || (a.href < b.href ? -1 : a.href > b.href ? 1 : 0));

  return wanted;
}

/** Store.pendingIdsForMember: the light passes only. */
export async function pendingIdsForMember(db: Db, collection: string, member: string): Promise<string[]> {
  return [...new Set((await wantedFor(db, collection, member)).map((w) => w.itemId))];
}

/**
 * What a member must be written (Store.pendingForMember): live items it has no link to,
 * items above the link's agreed version, tombstones it still links to. Two light passes
 * ($project: version and flags of the items, item ids of the links; `find` would return
 * whole documents), then only the pending items and links are fetched whole. Ordered by the
 * item's seq, then href, as in the SQLite store.
 */
export async function pendingForMember(db: Db, collection: string, member: string): Promise<Array<{ item: StoredItem; link?: LinkRecord }>> {
  const wanted = await wantedFor(db, collection, member);
  if (wanted.length === 0) return [];
  const fullItems = new Map<string, StoredItem>();
  const itemIds = [...new Set(wanted.map((w) => w.itemId))];
  for (let i = 0; i < itemIds.length; i += CHUNK) {
    for (const d of await db.collection<ItemDoc>(C.items).find({ _id: { $in: itemIds.slice(i, i + CHUNK) } }).toArray()) fullItems.set(d._id, itemFromRow(d));
  }
  const fullLinks = new Map<string, LinkRecord>();
  const linkIds = wanted.flatMap((w) => (w.linkId ? [w.linkId] : []));
  for (let i = 0; i < linkIds.length; i += CHUNK) {
    const docs = await withBases(db, await db.collection<LinkRow & { _id: string }>(C.links).find({ _id: { $in: linkIds.slice(i, i + CHUNK) } }).toArray());
    for (const d of docs) fullLinks.set(d._id, linkFromRow(d));
  }
  const out: Array<{ item: StoredItem; link?: LinkRecord }> = [];
  for (const w of wanted) {
    const item = fullItems.get(w.itemId);
    if (!item) continue; // removed between the passes: the next run sees it again
    if (!w.linkId) {
      out.push({ item });
      continue;
    }
    const link = fullLinks.get(w.linkId);
    if (link) out.push({ item, link });
  }
  return out;
}
