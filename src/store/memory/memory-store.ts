import { PimError, assertNever } from '../../core/errors.js';
import type {
  CollectionRecord, DismissedPair, ItemVersion, LinkAt, LinkHead, LinkRecord, LogEntry, LogQuery, MemberState, NewLogEntry, OutboxEntry,
  ItemHead, QuarantineRecord, RunRecord, Store, StoreChange, StoredItem, StoreRecords, StoreTable,
} from '../../core/store.js';
import type { Href } from '../../core/types.js';

/**
 * The Store in plain maps, for tests. Records are cloned on the way in and out, as a
 * database would. Orders match the SQLite store so the contract suite can compare lists.
 */

const key = (...parts: string[]): string => JSON.stringify(parts);
const byStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const clone = <T>(v: T): T => structuredClone(v);
const DEFAULT_LOG_LIMIT = 100;


export class MemoryStore implements Store {
  private collections = new Map<string, CollectionRecord>();
  private items = new Map<string, StoredItem>();
  private versions = new Map<string, ItemVersion[]>();
  private runs = new Map<string, RunRecord>();
  private identity = new Map<string, { collection: string; keys: Set<string> }>();
  private links = new Map<string, LinkRecord>();
  private dead = new Map<string, Map<string, Record<string, string>>>();
  /** Keyed by key(collection, a, b). */
  private dismissed = new Map<string, DismissedPair>();
  private states = new Map<string, MemberState>();
  private log: LogEntry[] = [];
  private quarantine = new Map<string, QuarantineRecord>();
  private outbox = new Map<number, OutboxEntry>();
  private seqs = new Map<string, number>();
  private locks = new Map<string, { owner: string; expiresAt: number }>();
  private nextLogId = 1;
  private nextOutboxId = 1;

  async init(): Promise<void> {}
  async close(): Promise<void> {}

  async upsertCollection(c: CollectionRecord): Promise<void> {
    this.collections.set(c.name, clone(c));
  }

  async getCollection(name: string): Promise<CollectionRecord | undefined> {
    return clone(this.collections.get(name));
  }

  async listCollections(): Promise<CollectionRecord[]> {
    return [...this.collections.values()].sort((a, b) => byStr(a.name, b.name)).map(clone);
  }

  async deleteCollection(name: string): Promise<void> {
    this.collections.delete(name);
    this.dead.delete(name);
    for (const [k, d] of this.dismissed) if (d.collection === name) this.dismissed.delete(k);
    for (const [id, it] of this.items) {
      if (it.collection !== name) continue;
      this.items.delete(id);
      this.versions.delete(id);
      this.identity.delete(id);
    }
    for (const m of [this.links, this.states, this.quarantine] as Map<unknown, { collection: string }>[]) {
      for (const [k, v] of m) if (v.collection === name) m.delete(k);
    }
    for (const [id, o] of this.outbox) if (o.collection === name) this.outbox.delete(id);
    // The log goes too: whoever re-creates the name must not see the old collection's merges.
    this.log = this.log.filter((e) => e.collection !== name);
    // The collection's seq stays, so a re-created collection never reuses a sync token.
  }

  async deadProperties(collection: string): Promise<Record<string, Record<string, string>>> {
    return clone(Object.fromEntries([...(this.dead.get(collection) ?? new Map()).entries()]));
  }

  async setDeadProperties(collection: string, href: string, props: Record<string, string>): Promise<void> {
    const byHref = this.dead.get(collection) ?? new Map<string, Record<string, string>>();
    if (Object.keys(props).length === 0) byHref.delete(href);
    else byHref.set(href, clone(props));
    this.dead.set(collection, byHref);
  }

  async listDismissedPairs(collection: string): Promise<DismissedPair[]> {
    return [...this.dismissed.values()].filter((d) => d.collection === collection)
      .sort((x, y) => byStr(x.time, y.time) || byStr(x.a, y.a) || byStr(x.b, y.b)).map(clone);
  }

  async dismissPair(collection: string, a: string, b: string, time: string): Promise<void> {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const k = key(collection, lo, hi);
    if (!this.dismissed.has(k)) this.dismissed.set(k, { collection, a: lo, b: hi, time });
  }

  async getItem(id: string): Promise<StoredItem | undefined> {
    return clone(this.items.get(id));
  }

  async getItemByUid(collection: string, uid: string): Promise<StoredItem | undefined> {
    const found = [...this.items.values()]
      .filter((i) => i.collection === collection && i.uid === uid)
      .sort((a, b) => Number(a.deleted) - Number(b.deleted) || b.seq - a.seq);
    return clone(found[0]);
  }

  async listItems(collection: string, opts: { includeDeleted?: boolean } = {}): Promise<StoredItem[]> {
    return this.itemsOf(collection)
      .filter((i) => opts.includeDeleted || !i.deleted)
      .sort((a, b) => byStr(a.uid, b.uid) || byStr(a.id, b.id))
      .map(clone);
  }

  async listItemHeads(collection: string): Promise<ItemHead[]> {
    return this.itemsOf(collection)
      .sort((a, b) => byStr(a.id, b.id))
      .map((i) => ({ id: i.id, uid: i.uid, version: i.version, seq: i.seq, deleted: i.deleted, updatedAt: i.updatedAt }));
  }

  async getItems(ids: readonly string[]): Promise<StoredItem[]> {
    return ids.flatMap((id) => {
      const i = this.items.get(id);
      return i ? [clone(i)] : [];
    });
  }

  async countItems(collection: string): Promise<number> {
    return this.itemsOf(collection).filter((i) => !i.deleted).length;
  }

  async findByIdentity(collection: string, keys: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const [id, k] of this.identity) {
      const it = this.items.get(id);
      if (!it || it.deleted || it.collection !== collection || k.collection !== collection) continue;
      if (keys.some((x) => k.keys.has(x))) out.push(id);
    }
    return out.sort(byStr);
  }

  async changesSince(collection: string, seq: number): Promise<{ items: StoredItem[]; seq: number }> {
    const items = this.itemsOf(collection).filter((i) => i.seq > seq).sort((a, b) => a.seq - b.seq).map(clone);
    return { items, seq: this.seqs.get(collection) ?? 0 };
  }

  async currentSeq(collection: string): Promise<number> {
    return this.seqs.get(collection) ?? 0;
  }

  async history(itemId: string, limit?: number): Promise<ItemVersion[]> {
    const all = [...(this.versions.get(itemId) ?? [])].sort((a, b) => b.version - a.version);
    return clone(limit === undefined || limit < 0 ? all : all.slice(0, limit));
  }

  async getLink(collection: string, member: string, href: Href): Promise<LinkRecord | undefined> {
    return clone(this.links.get(key(collection, member, href)));
  }

  async linksForMember(collection: string, member: string): Promise<LinkRecord[]> {
    return [...this.links.values()]
      .filter((l) => l.collection === collection && l.member === member)
      .sort((a, b) => byStr(a.href, b.href))
      .map(clone);
  }

  async linkHrefs(collection: string, member: string): Promise<Array<{ href: Href; itemId: string }>> {
    return [...this.links.values()]
      .filter((l) => l.collection === collection && l.member === member)
      .sort((a, b) => byStr(a.href, b.href))
      .map((l) => ({ href: l.href, itemId: l.itemId }));
  }

  async linkHeads(collection: string, member: string): Promise<LinkHead[]> {
    return [...this.links.values()]
      .filter((l) => l.collection === collection && l.member === member)
      .map((l) => ({ member, href: l.href, itemId: l.itemId, etag: l.etag, agreedVersion: l.agreedVersion }));
  }

  async getLinks(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkRecord[]> {
    return [...new Set(hrefs)].flatMap((href) => {
      const l = this.links.get(key(collection, member, href));
      return l ? [clone(l)] : [];
    });
  }

  async linksAt(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkAt[]> {
    return hrefs.flatMap((href) => {
      const l = this.links.get(key(collection, member, href));
      return l ? [{ href: l.href, itemId: l.itemId, agreedVersion: l.agreedVersion, ...(l.raw === undefined ? {} : { raw: l.raw }) }] : [];
    });
  }

  async linksForItem(itemId: string): Promise<LinkRecord[]> {
    return [...this.links.values()]
      .filter((l) => l.itemId === itemId)
      .sort((a, b) => byStr(a.collection, b.collection) || byStr(a.member, b.member) || byStr(a.href, b.href))
      .map(clone);
  }

  async pendingIdsForMember(collection: string, member: string): Promise<string[]> {
    return [...new Set((await this.pendingForMember(collection, member)).map((p) => p.item.id))];
  }

  async pendingForMember(collection: string, member: string): Promise<Array<{ item: StoredItem; link?: LinkRecord }>> {
    const byItem = new Map<string, LinkRecord[]>();
    for (const l of this.links.values()) {
      if (l.collection !== collection || l.member !== member) continue;
      byItem.set(l.itemId, [...(byItem.get(l.itemId) ?? []), l]);
    }
    const out: Array<{ item: StoredItem; link?: LinkRecord }> = [];
    for (const item of this.itemsOf(collection).sort((a, b) => a.seq - b.seq)) {
      const links = (byItem.get(item.id) ?? []).sort((a, b) => byStr(a.href, b.href));
      if (links.length === 0) {
        if (!item.deleted) out.push({ item: clone(item) });
        continue;
      }
      for (const link of links) {
        if (item.deleted || item.version > link.agreedVersion) out.push({ item: clone(item), link: clone(link) });
      }
    }
    return out;
  }

  async getMemberState(collection: string, member: string): Promise<MemberState | undefined> {
    return clone(this.states.get(key(collection, member)));
  }

  async listMemberStates(collection?: string): Promise<MemberState[]> {
    return [...this.states.values()]
      .filter((s) => collection === undefined || s.collection === collection)
      .sort((a, b) => byStr(a.collection, b.collection) || byStr(a.member, b.member))
      .map(clone);
  }

  async appendLog(entries: NewLogEntry[]): Promise<number[]> {
    return entries.map((e) => this.pushLog(e));
  }

  async listLog(q: LogQuery = {}): Promise<LogEntry[]> {
    const { collection, uid, since, actions, run } = q;
    return this.log
      .filter((e) => (collection === undefined || e.collection === collection)
        && (uid === undefined || e.uid === uid)
        && (run === undefined || e.run === run)
        && (since === undefined || e.time >= since)
        && (actions === undefined || actions.includes(e.action)))
      .reverse()
      .slice(0, q.limit ?? DEFAULT_LOG_LIMIT)
      .map(clone);
  }

  async listRuns(limit = DEFAULT_LOG_LIMIT): Promise<RunRecord[]> {
    // Insertion order breaks ties of equal start times, as the SQLite store's rowid does.
    const all = [...this.runs.values()].map((r, i) => ({ r, i }));
    all.sort((a, b) => byStr(b.r.start, a.r.start) || b.i - a.i);
    return all.slice(0, limit).map((x) => clone(x.r));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return clone(this.runs.get(id));
  }

  async getLogEntry(id: number): Promise<LogEntry | undefined> {
    return clone(this.log.find((e) => e.id === id));
  }

  async listQuarantine(collection?: string): Promise<QuarantineRecord[]> {
    return [...this.quarantine.values()]
      .filter((r) => collection === undefined || r.collection === collection)
      .sort((a, b) => byStr(a.collection, b.collection) || byStr(a.member, b.member) || byStr(a.href, b.href))
      .map(clone);
  }

  async listOutbox(collection?: string, member?: string): Promise<OutboxEntry[]> {
    return [...this.outbox.values()]
      .filter((o) => (collection === undefined || o.collection === collection) && (member === undefined || o.member === member))
      .sort((a, b) => a.id - b.id)
      .map(clone);
  }

  async commit(change: StoreChange): Promise<{ logIds: number[]; outboxIds: number[] }> {
    // Validate every expectVersion first (in order, so one step may write an item twice), then apply.
    const seen = new Map<string, number>();
    for (const w of change.items ?? []) {
      const stored = seen.get(w.id) ?? this.items.get(w.id)?.version ?? 0;
      if (stored !== w.expectVersion) {
        throw new PimError(
          'precondition-failed',
          `item ${w.id} (uid ${w.uid} in ${w.collection}) is at version ${stored}, the change expected ${w.expectVersion}; nothing was written`,
        );
      }
      seen.set(w.id, w.expectVersion + 1);
    }

    const now = new Date().toISOString();
    for (const w of change.items ?? []) {
      const seq = (this.seqs.get(w.collection) ?? 0) + 1;
      this.seqs.set(w.collection, seq);
      const version = w.expectVersion + 1;
      const deleted = w.deleted ?? false;
      this.items.set(w.id, clone({
        id: w.id, collection: w.collection, uid: w.uid, version, seq, deleted, item: w.item, meta: w.meta, updatedAt: now,
      }));
      const hist = (this.versions.get(w.id) ?? []).filter((v) => v.version !== version);
      this.versions.set(w.id, [...hist, { version, item: clone(w.item), time: now, deleted, run: w.run ?? '' }]);
      if (deleted) this.identity.delete(w.id);
      else if (w.identityKeys !== undefined) this.identity.set(w.id, { collection: w.collection, keys: new Set(w.identityKeys) });
    }
    for (const k of change.removeLinks ?? []) this.links.delete(key(k.collection, k.member, k.href));
    for (const l of change.links ?? []) this.links.set(key(l.collection, l.member, l.href), clone(l));
    const logIds = (change.log ?? []).map((e) => this.pushLog(e));
    for (const k of change.unquarantine ?? []) this.quarantine.delete(key(k.collection, k.member, k.href));
    for (const q of change.quarantine ?? []) this.quarantine.set(key(q.collection, q.member, q.href), clone(q));
    for (const id of change.outboxDone ?? []) this.outbox.delete(id);
    const outboxIds = (change.outbox ?? []).map((o) => {
      const id = this.nextOutboxId++;
      this.outbox.set(id, { ...clone(o), id });
      return id;
    });
    for (const s of change.memberStates ?? []) this.states.set(key(s.collection, s.member), clone(s));
    for (const r of change.runs ?? []) this.runs.set(r.id, clone(r));
    return { logIds, outboxIds };
  }

  async exportPage<T extends StoreTable>(table: T, offset: number, limit: number): Promise<StoreRecords[T]> {
    const all = ((): unknown[] => {
      switch (table) {
        case 'collections': return [...this.collections.values()].sort((a, b) => byStr(a.name, b.name));
        case 'items': return [...this.items.values()].sort((a, b) => byStr(a.id, b.id))
          .map((i) => ({ ...i, identityKeys: [...(this.identity.get(i.id)?.keys ?? [])].sort(byStr) }));
        case 'versions': return [...this.versions.entries()].sort((a, b) => byStr(a[0], b[0]))
          .flatMap(([itemId, vs]) => [...vs].sort((a, b) => a.version - b.version).map((v) => ({ ...v, itemId })));
        case 'links': return [...this.links.values()].sort((a, b) => byStr(a.collection, b.collection) || byStr(a.member, b.member) || byStr(a.href, b.href));
        case 'memberStates': return [...this.states.values()].sort((a, b) => byStr(a.collection, b.collection) || byStr(a.member, b.member));
        case 'quarantine': return [...this.quarantine.values()].sort((a, b) => byStr(a.collection, b.collection) || byStr(a.member, b.member) || byStr(a.href, b.href));
        case 'outbox': return [...this.outbox.values()].sort((a, b) => a.id - b.id);
        case 'log': return this.log;
        case 'runs': return [...this.runs.values()];
        case 'seqs': return [...this.seqs.entries()].sort((a, b) => byStr(a[0], b[0])).map(([collection, seq]) => ({ collection, seq }));
        case 'deadProps': return [...this.dead.entries()].sort((a, b) => byStr(a[0], b[0]))
          .flatMap(([collection, byHref]) => [...byHref.entries()].sort((a, b) => byStr(a[0], b[0])).map(([href, props]) => ({ collection, href, props })));
        case 'dismissedPairs': return [...this.dismissed.values()].sort((x, y) => byStr(x.collection, y.collection) || byStr(x.a, y.a) || byStr(x.b, y.b));
        default: return assertNever(table, 'store table');
      }
    })();
    return clone(all.slice(offset, offset + limit)) as StoreRecords[T];
  }

  async importRecords(r: Partial<StoreRecords>): Promise<void> {
    for (const c of r.collections ?? []) this.collections.set(c.name, clone(c));
    for (const { identityKeys, ...i } of r.items ?? []) {
      this.items.set(i.id, clone(i));
      if (i.deleted) this.identity.delete(i.id);
      else this.identity.set(i.id, { collection: i.collection, keys: new Set(identityKeys) });
    }
    for (const { itemId, ...v } of r.versions ?? []) {
      this.versions.set(itemId, [...(this.versions.get(itemId) ?? []).filter((x) => x.version !== v.version), clone(v)]);
    }
    for (const l of r.links ?? []) this.links.set(key(l.collection, l.member, l.href), clone(l));
    for (const d of r.deadProps ?? []) await this.setDeadProperties(d.collection, d.href, d.props);
    for (const d of r.dismissedPairs ?? []) this.dismissed.set(key(d.collection, d.a, d.b), clone(d));
    for (const st of r.memberStates ?? []) this.states.set(key(st.collection, st.member), clone(st));
    for (const q of r.quarantine ?? []) this.quarantine.set(key(q.collection, q.member, q.href), clone(q));
    for (const o of r.outbox ?? []) {
      this.outbox.set(o.id, clone(o));
      this.nextOutboxId = Math.max(this.nextOutboxId, o.id + 1);
    }
    for (const e of r.log ?? []) {
      this.log.push(clone(e));
      this.nextLogId = Math.max(this.nextLogId, e.id + 1);
    }
    this.log.sort((a, b) => a.id - b.id);
    for (const run of r.runs ?? []) this.runs.set(run.id, clone(run));
    for (const { collection, seq } of r.seqs ?? []) this.seqs.set(collection, Math.max(seq, this.seqs.get(collection) ?? 0));
  }

  async tryLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const held = this.locks.get(name);
    if (held && held.owner !== owner && held.expiresAt > now) return false;
    this.locks.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async unlock(name: string, owner: string): Promise<void> {
    if (this.locks.get(name)?.owner === owner) this.locks.delete(name);
  }

  async lockHolder(name: string): Promise<string | undefined> {
    const held = this.locks.get(name);
    return held && held.expiresAt > Date.now() ? held.owner : undefined;
  }

  private itemsOf(collection: string): StoredItem[] {
    return [...this.items.values()].filter((i) => i.collection === collection);
  }

  private pushLog(e: NewLogEntry): number {
    const id = this.nextLogId++;
    this.log.push({ ...clone(e), id });
    return id;
  }
}
