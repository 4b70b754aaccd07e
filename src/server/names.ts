/**
 * Which name (the last path segment) each item of a collection is served under. An item
 * the endpoint has served before keeps the href recorded in its `endpoint` link (a client
 * that PUT `a b@c.vcf` finds it there); any other item is `UID.vcf` / `UID.ics`, or
 * `ID.vcf` when another item of the collection already answers to that UID or when the UID
 * cannot be a path segment (NUL, lone surrogates: no href can carry them).
 */
import type { CollectionRecord, ItemHead, Store, StoredItem } from '../core/store.js';
import { asHref, asUid, type Href } from '../core/types.js';
import { ENDPOINT_MEMBER } from '../sync/endpoint-write.js';
import { isServableName } from './paths.js';

export interface Entry<I extends ItemHead = StoredItem> {
  name: Href;
  item: I;
}

export const extensionOf = (col: CollectionRecord): string => (col.kind === 'contacts' ? '.vcf' : '.ics');

/** Every entry of a collection (live items; tombstones too with `includeDeleted`, for sync-collection). */
export async function listEntries(store: Store, col: CollectionRecord, includeDeleted = false): Promise<Entry[]> {
  const items = await store.listItems(col.name, { includeDeleted: true });
  const links = await store.linkHrefs(col.name, ENDPOINT_MEMBER);
  return entriesOf(col, items, links).filter((e) => includeDeleted || !e.item.deleted);
}

export function entriesOf<I extends ItemHead>(col: CollectionRecord, items: I[], links: Array<{ href: Href; itemId: string }>): Array<Entry<I>> {
  const byId = new Map(items.map((i) => [i.id, i] as const));
  const linked = new Map<string, Array<{ href: Href; itemId: string }>>();
  for (const l of links) {
    if (!byId.has(l.itemId)) continue;
    const ls = linked.get(l.itemId);
    if (ls) ls.push(l);
    else linked.set(l.itemId, [l]);
  }
  const out: Array<Entry<I>> = [];
  // The store's getItemByUid answer for each UID: live before deleted, then the newest.
  const uidOwner = new Map<string, I>();
  for (const i of items) {
    const o = uidOwner.get(i.uid);
    if (!o || Number(i.deleted) - Number(o.deleted) < 0 || (i.deleted === o.deleted && i.seq > o.seq)) uidOwner.set(i.uid, i);
  }
  for (const item of items) {
    const ls = linked.get(item.id);
    if (ls) for (const l of ls) out.push({ name: l.href, item });
    else out.push({ name: defaultName(col, item, uidOwner.get(item.uid)?.id === item.id), item });
  }
  return out;
}

/** Whether an item that owns its UID is served as `UID.ext` (else as `ID.ext`). */
const uidNamed = (col: CollectionRecord, uid: string): boolean => uid !== '' && isServableName(`${uid}${extensionOf(col)}`);

function defaultName(col: CollectionRecord, item: ItemHead, ownsUid: boolean): Href {
  return asHref(ownsUid && uidNamed(col, item.uid) ? `${item.uid}${extensionOf(col)}` : `${item.id}${extensionOf(col)}`);
}

/** The item a name answers to (live or tombstone), without listing the collection. */
export async function resolveName(store: Store, col: CollectionRecord, name: Href): Promise<StoredItem | undefined> {
  const link = await store.getLink(col.name, ENDPOINT_MEMBER, name);
  const linked = link ? await store.getItem(link.itemId) : undefined;
  if (linked && linked.collection === col.name && !linked.deleted) return linked;
  // A tombstone's link yields to a live item whose default name it is (a listing serves that
  // item under the name: entriesOf); with none, the name is the tombstone's.
  const byDefault = await byDefaultName(store, col, name);
  return byDefault && !byDefault.deleted ? byDefault : linked && linked.collection === col.name ? linked : byDefault;
}

/** The item without endpoint links whose default name (`UID.ext`, else `ID.ext`) this is. */
async function byDefaultName(store: Store, col: CollectionRecord, name: Href): Promise<StoredItem | undefined> {
  const ext = extensionOf(col);
  if (!name.endsWith(ext)) return undefined;
  const stem = name.slice(0, -ext.length);
  const unlinked = async (i: StoredItem | undefined) =>
    i && i.collection === col.name && !(await store.linksForItem(i.id)).some((l) => l.member === ENDPOINT_MEMBER && l.collection === col.name) ? i : undefined;
  const byUid = await unlinked(await store.getItemByUid(col.name, asUid(stem)));
  if (byUid) return byUid;
  const byId = await unlinked(await store.getItem(stem));
  return byId && (!uidNamed(col, byId.uid) || (await store.getItemByUid(col.name, byId.uid))?.id !== byId.id) ? byId : undefined;
}

/** The names of one item (all its endpoint links, or its default name). */
export async function namesOf(store: Store, col: CollectionRecord, item: StoredItem): Promise<Href[]> {
  const ls = (await store.linksForItem(item.id)).filter((l) => l.member === ENDPOINT_MEMBER && l.collection === col.name);
  if (ls.length > 0) return ls.map((l) => l.href);
  const owner = await store.getItemByUid(col.name, item.uid);
  return [defaultName(col, item, owner?.id === item.id)];
}
