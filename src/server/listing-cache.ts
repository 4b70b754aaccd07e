/**
 * The endpoint's listings kept between requests. Reading the heads and endpoint links of
 * 10,000 items, naming them and rendering their `response`s cost 0.3–0.6 s of CPU per
 * PROPFIND Depth 1; what a listing holds changes only with the collection's items, so each
 * collection's listing is kept at the store's change seq and, when the seq has moved, patched
 * from the items changed since (`Store.changesSince`, as a sync-collection with a token reads
 * them): a listing costs what changed, not the size of the collection.
 *
 * The key is the seq read from the store, never an event of this process: a `pimhub sync` in
 * another process writing the same store is seen like a PUT here. Names come from the endpoint
 * links, which change only in commits that also write an item of theirs (a PUT, DELETE, MOVE,
 * COPY, merge or undo writes the item the link names), so the seq covers them too.
 * Memory is bounded: least recently listed collections are dropped past a byte cap.
 */
import type { CollectionRecord, ItemHead, Store, StoredItem } from '../core/store.js';
import type { Href } from '../core/types.js';
import { ENDPOINT_MEMBER } from '../sync/endpoint-write.js';
import { entriesOf, type Entry } from './names.js';

/** Bytes of listings kept over all collections (an estimate: 400 bytes per object plus its renderings). */
export const LISTING_CACHE_BYTES = 64 * 1024 * 1024;

/** Renderings of one kind of request (its properties, its user) kept per collection. */
const RENDERINGS_PER_COLLECTION = 4;

/** Estimated bytes of one item's head, names and map entries. */
const HEAD_BYTES = 400;

/** A collection's listing at one seq: its live objects' names and heads. */
export interface Listing {
  seq: number;
  /** Each live object once; an object unchanged since the last listing is the same `Entry` object. */
  entries: Array<Entry<ItemHead>>;
  /**
   * The `response`s rendered for requests of this kind (`kind`: the properties asked for and
   * the user), UTF-8, by entry: an object written since is a new entry and misses.
   */
  rendered(kind: string): Rendered;
  /**
   * The live object served under this name, when exactly one entry has it; undefined when
   * none has it, two have it, or an endpoint link of another item (a tombstone's) has it:
   * `resolveName` settles those.
   */
  named(name: Href): Entry<ItemHead> | undefined;
}

/** The kept `response`s of one kind of request. */
export interface Rendered {
  get(e: Entry<ItemHead>): Buffer | undefined;
  /** Keeps a rendering, unless the entry was replaced meanwhile (its item written during the listing). */
  set(e: Entry<ItemHead>, response: Buffer): void;
}

export class ListingCache {
  private readonly byCollection = new Map<string, CollectionListing>();
  /** A refresh under way per collection: concurrent listings wait for it instead of reading twice. */
  private readonly refreshing = new Map<string, Promise<CollectionListing>>();

  constructor(private readonly capBytes = LISTING_CACHE_BYTES) {}

  /** The collection's listing as the store holds it now. */
  async list(store: Store, col: CollectionRecord): Promise<Listing> {
    const key = keyOf(col);
    for (;;) {
      const pending = this.refreshing.get(key);
      if (!pending) break;
      await pending.catch(() => undefined);
    }
    const job = this.refresh(store, col, key);
    this.refreshing.set(key, job);
    try {
      return (await job).view();
    } finally {
      this.refreshing.delete(key);
    }
  }

  private async refresh(store: Store, col: CollectionRecord, key: string): Promise<CollectionListing> {
    const cached = this.byCollection.get(key);
    const seq = await store.currentSeq(col.name);
    let listing: CollectionListing;
    if (cached && cached.seq === seq) listing = cached;
    else if (cached && seq > cached.seq && seq - cached.seq <= Math.max(256, cached.size / 8)) {
      try {
        const changes = await store.changesSince(col.name, cached.seq);
        await cached.patch(store, changes.items, changes.seq);
      } catch (e) {
        // Half patched (the store failed between reads): read it whole next time.
        this.byCollection.delete(key);
        throw e;
      }
      listing = cached;
    } else {
      // Read the seq first: an item written meanwhile comes in the heads and again as a change.
      listing = new CollectionListing(col, seq, await store.listItemHeads(col.name), await store.linkHrefs(col.name, ENDPOINT_MEMBER));
    }
    this.byCollection.delete(key);
    this.byCollection.set(key, listing);
    this.evict();
    return listing;
  }

  private evict(): void {
    let total = 0;
    for (const l of this.byCollection.values()) total += l.bytes();
    for (const [k, l] of this.byCollection) {
      if (total <= this.capBytes) break;
      total -= l.bytes();
      this.byCollection.delete(k);
    }
  }
}

const keyOf = (col: CollectionRecord) => `${col.name}\n${col.createdAt}`;

/** One collection's heads, endpoint links and names, patched item by item. */
class CollectionListing {
  private readonly heads = new Map<string, ItemHead>();
  /** Item id → its endpoint links' hrefs. */
  private readonly links = new Map<string, Href[]>();
  /** Endpoint link href → the item it names. */
  private readonly hrefOwner = new Map<Href, string>();
  private readonly byUid = new Map<string, Set<string>>();
  /** Item id → the entries (names) a live item is served under. */
  private readonly named = new Map<string, Array<Entry<ItemHead>>>();
  private entries: Array<Entry<ItemHead>> | undefined;
  /** Name → its entry (null: more than one entry has it), made with `entries`. */
  private byName: Map<Href, Entry<ItemHead> | null> | undefined;
  /** Per kind of request, the rendered `response` of each current entry (dropped with the entry). */
  private readonly renderings = new Map<string, { byEntry: Map<Entry<ItemHead>, Buffer>; bytes: number }>();

  constructor(private readonly col: CollectionRecord, public seq: number, heads: ItemHead[], links: Array<{ href: Href; itemId: string }>) {
    for (const h of heads) this.setHead(h);
    for (const l of links) {
      const ls = this.links.get(l.itemId);
      if (ls) ls.push(l.href);
      else this.links.set(l.itemId, [l.href]);
      this.hrefOwner.set(l.href, l.itemId);
    }
    this.rename(this.heads.keys());
  }

  get size(): number {
    return this.heads.size;
  }

  bytes(): number {
    let b = this.heads.size * HEAD_BYTES;
    for (const r of this.renderings.values()) b += r.bytes;
    return b;
  }

  view(): Listing {
    this.entries ??= [...this.named.values()].flat();
    return { seq: this.seq, entries: this.entries, rendered: (kind) => this.rendering(kind), named: (name) => this.entryNamed(name) };
  }

  private entryNamed(name: Href): Entry<ItemHead> | undefined {
    if (!this.byName) {
      const byName = new Map<Href, Entry<ItemHead> | null>();
      for (const e of this.view().entries) byName.set(e.name, byName.has(e.name) ? null : e);
      this.byName = byName;
    }
    const e = this.byName.get(name) ?? undefined;
    // An endpoint link names another item (a tombstone's, say): `resolveName` decides.
    const owner = this.hrefOwner.get(name);
    return e && (owner === undefined || owner === e.item.id) ? e : undefined;
  }

  private rendering(kind: string): Rendered {
    let r = this.renderings.get(kind);
    if (r) {
      this.renderings.delete(kind);
    } else {
      r = { byEntry: new Map(), bytes: 0 };
      for (const k of this.renderings.keys()) {
        if (this.renderings.size < RENDERINGS_PER_COLLECTION) break;
        this.renderings.delete(k);
      }
    }
    this.renderings.set(kind, r);
    const kept = r;
    return {
      get: (e) => kept.byEntry.get(e),
      set: (e, response) => {
        if (!this.named.get(e.item.id)?.includes(e) || kept.byEntry.has(e)) return;
        kept.byEntry.set(e, response);
        kept.bytes += response.length;
      },
    };
  }

  /**
   * Applies the items changed since `this.seq`: their heads, their endpoint links, and the
   * names of every item sharing a UID with them (which of them is `UID.vcf` may change).
   */
  async patch(store: Store, changed: StoredItem[], seq: number): Promise<void> {
    const touched = new Set<string>();
    for (const item of changed) {
      // The items of its old UID too (rename takes in those of its new one).
      const old = this.heads.get(item.id);
      if (old && old.uid !== item.uid) for (const id of this.byUid.get(old.uid) ?? []) touched.add(id);
      this.setHead({ id: item.id, uid: item.uid, version: item.version, seq: item.seq, deleted: item.deleted, updatedAt: item.updatedAt });
      touched.add(item.id);
      const hrefs = (await store.linksForItem(item.id)).filter((l) => l.member === ENDPOINT_MEMBER && l.collection === this.col.name).map((l) => l.href);
      // An href names one item: a link moved to this item no longer names the one it left.
      for (const href of hrefs) {
        const from = this.hrefOwner.get(href);
        if (from === undefined || from === item.id) continue;
        this.setLinks(from, (this.links.get(from) ?? []).filter((h) => h !== href));
        touched.add(from);
      }
      this.setLinks(item.id, hrefs);
    }
    this.rename(touched);
    this.seq = seq;
    this.entries = undefined;
    this.byName = undefined;
  }

  private setHead(h: ItemHead): void {
    const old = this.heads.get(h.id);
    if (old && old.uid !== h.uid) this.byUid.get(old.uid)?.delete(h.id);
    this.heads.set(h.id, h);
    const ids = this.byUid.get(h.uid);
    if (ids) ids.add(h.id);
    else this.byUid.set(h.uid, new Set([h.id]));
  }

  private setLinks(id: string, hrefs: Href[]): void {
    for (const h of this.links.get(id) ?? []) if (this.hrefOwner.get(h) === id) this.hrefOwner.delete(h);
    if (hrefs.length > 0) this.links.set(id, hrefs);
    else this.links.delete(id);
    for (const h of hrefs) this.hrefOwner.set(h, id);
  }

  /** Names these items again, with every item of their UIDs (the one naming rule: `entriesOf`). */
  private rename(ids: Iterable<string>): void {
    const group = new Map<string, ItemHead>();
    for (const id of ids) {
      const h = this.heads.get(id);
      if (!h) continue;
      for (const other of this.byUid.get(h.uid) ?? []) group.set(other, this.heads.get(other)!);
    }
    const heads = [...group.values()];
    const links = heads.flatMap((h) => (this.links.get(h.id) ?? []).map((href) => ({ href, itemId: h.id })));
    for (const h of heads) {
      for (const e of this.named.get(h.id) ?? []) {
        for (const r of this.renderings.values()) {
          const b = r.byEntry.get(e);
          if (b && r.byEntry.delete(e)) r.bytes -= b.length;
        }
      }
      this.named.delete(h.id);
    }
    for (const e of entriesOf(this.col, heads, links)) {
      if (e.item.deleted) continue;
      const es = this.named.get(e.item.id);
      if (es) es.push(e);
      else this.named.set(e.item.id, [e]);
    }
  }
}
