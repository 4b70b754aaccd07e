import type { ClientSession, Db, Document, MongoClient } from 'mongodb';
import { PimError, isPimError } from '../../core/errors.js';
import type {
  DismissedPair,
  CollectionRecord, ItemVersion, LinkAt, LinkHead, LinkRecord, LogEntry, LogQuery, MemberState, NewLogEntry, OutboxEntry,
  ItemHead, QuarantineRecord, RunRecord, Store, StoreChange, StoredItem, StoreRecords, StoreTable,
} from '../../core/store.js';
import type { Href } from '../../core/types.js';
import {
  collectionFromRow, collectionToRow, itemFromRow, linkFromRow, logFromRow, memberStateFromRow, outboxFromRow,
  quarantineFromRow, runFromRow, type CollectionRow, type LinkRow, type LogRow, type MemberStateRow, type OutboxRow,
  type QuarantineRow, type RunRow,
} from '../sqlite/rows.js';
import { redactUrl } from '../store-url.js';
import { applyOps } from './apply.js';
import { LocalQueue, withCommitLease } from './commit-lease.js';
import { commitThroughJournal, replayJournal } from './journal.js';
import { planChange, planDeleteCollection, type Doc, type Plan } from './plan.js';
import { connectMongo, isJongodb, mongoError } from './connect.js';
import { exportPage, planImport } from './copy-records.js';
import { lastNumber, seqCounter } from './counters.js';
import { idOf, versionFromDoc, type ItemDoc, type VersionDoc } from './docs.js';
import { withBases } from './link-base.js';
import { acquireLock, lockHolder, releaseLock } from './locks.js';
import { pendingForMember, pendingIdsForMember } from './pending.js';
import { C, ensureSchema } from './schema.js';
import { inTransaction } from './transaction.js';

const DEFAULT_LOG_LIMIT = 100;
const CHUNK = 1000;

/**
 * How commits are made atomic: `transaction` (a multi-document transaction; real MongoDB) or
 * `journal` (journal.ts; chosen for jongodb, whose transactions copy the database and grow
 * slow with its size). Both run under the commit lease.
 */
export type CommitMode = 'transaction' | 'journal';

/**
 * The Store on a MongoDB replica set (SPEC §6), for several gateway processes sharing one
 * store. Every `commit` is one multi-document transaction, run under the store's commit
 * lease (commit-lease.ts); locks are documents with an expiry, taken with a single
 * conditional upsert. See docs/store.md.
 */
export class MongoStore implements Store {
  private client: MongoClient | undefined;
  private database: Db | undefined;
  private readonly writes = new LocalQueue();
  private mode: CommitMode | undefined;

  /** `commitMode` overrides the choice made from the server (tests run both modes). */
  constructor(private readonly url: string, private readonly opts: { commitMode?: CommitMode } = {}) {}

  /** The commit mode in use (after init). */
  get commitMode(): CommitMode | undefined {
    return this.mode;
  }

  /** The URL without credentials, for messages. */
  get where(): string {
    return redactUrl(this.url);
  }

  async init(): Promise<void> {
    if (this.client) return;
    const { client, db } = await connectMongo(this.url);
    try {
      await ensureSchema(db, this.where);
      this.mode = this.opts.commitMode ?? ((await isJongodb(db)) ? 'journal' : 'transaction');
      this.client = client;
      this.database = db;
      // A writer killed mid-commit may have left a journal: finish its commit before anything is read.
      await this.tx('finish an interrupted commit', async () => ({ ops: [], result: undefined }));
    } catch (e) {
      this.client = undefined;
      this.database = undefined;
      await client.close().catch(() => undefined);
      throw mongoError(e, this.url, 'cannot prepare the MongoDB store');
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.database = undefined;
    await c?.close();
  }

  async upsertCollection(c: CollectionRecord): Promise<void> {
    await this.op('save the collection', (db) => db.collection<Doc>(C.collections).replaceOne({ _id: c.name }, { _id: c.name, ...collectionToRow(c) }, { upsert: true }));
  }

  async getCollection(name: string): Promise<CollectionRecord | undefined> {
    const r = await this.op('read a collection', (db) => db.collection<CollectionRow>(C.collections).findOne({ name }));
    return r ? collectionFromRow(r) : undefined;
  }

  async listCollections(): Promise<CollectionRecord[]> {
    return (await this.find<CollectionRow>(C.collections, {}, { name: 1 })).map(collectionFromRow);
  }

  async deleteCollection(name: string): Promise<void> {
    // The log goes too: whoever re-creates the name must not see the old collection's merges.
    // Its change sequence (counters) stays, so sync tokens are never reused.
    await this.tx('delete the collection', (db, session) => planDeleteCollection(db, session, name));
  }

  async deadProperties(collection: string): Promise<Record<string, Record<string, string>>> {
    const docs = await this.find<{ href: string; props: string }>(C.dead, { collection }, { href: 1 });
    return Object.fromEntries(docs.map((d) => [d.href, JSON.parse(d.props) as Record<string, string>]));
  }

  async setDeadProperties(collection: string, href: string, props: Record<string, string>): Promise<void> {
    const _id = idOf(collection, href);
    if (Object.keys(props).length === 0) await this.op('save dead properties', (db) => db.collection<Doc>(C.dead).deleteOne({ _id }));
    else await this.op('save dead properties', (db) => db.collection<Doc>(C.dead).replaceOne({ _id }, { _id, collection, href, props: JSON.stringify(props) }, { upsert: true }));
  }

  async listDismissedPairs(collection: string): Promise<DismissedPair[]> {
    const docs = await this.find<DismissedPair>(C.dismissed, { collection }, { time: 1, a: 1, b: 1 });
    return docs.map((d) => ({ collection: d.collection, a: d.a, b: d.b, time: d.time }));
  }

  async dismissPair(collection: string, a: string, b: string, time: string): Promise<void> {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const _id = idOf(collection, lo, hi);
    await this.op('save a dismissed pair', (db) => db.collection<Doc>(C.dismissed).updateOne({ _id }, { $setOnInsert: { _id, collection, a: lo, b: hi, time } }, { upsert: true }));
  }

  async getItem(id: string): Promise<StoredItem | undefined> {
    const r = await this.op('read an item', (db) => db.collection<ItemDoc>(C.items).findOne({ _id: id }));
    return r ? itemFromRow(r) : undefined;
  }

  async getItemByUid(collection: string, uid: string): Promise<StoredItem | undefined> {
    // UIDs may repeat transiently: prefer the live item, then the latest change.
    const [r] = await this.find<ItemDoc>(C.items, { collection, uid }, { deleted: 1, seq: -1 }, 1);
    return r ? itemFromRow(r) : undefined;
  }

  async listItems(collection: string, opts: { includeDeleted?: boolean } = {}): Promise<StoredItem[]> {
    const filter = opts.includeDeleted ? { collection } : { collection, deleted: 0 };
    return (await this.find<ItemDoc>(C.items, filter, { uid: 1, _id: 1 })).map(itemFromRow);
  }

  async listItemHeads(collection: string): Promise<ItemHead[]> {
    const rows = await this.op('list item heads', (db) => db.collection<ItemDoc>(C.items)
      .find({ collection }, { projection: { _id: 1, uid: 1, version: 1, seq: 1, deleted: 1, updated_at: 1 } }).sort({ _id: 1 }).toArray());
    return rows.map((r) => ({ id: r._id, uid: r.uid, version: r.version, seq: r.seq, deleted: r.deleted === 1, updatedAt: r.updated_at }));
  }

  async getItems(ids: readonly string[]): Promise<StoredItem[]> {
    const byId = new Map<string, StoredItem>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      for (const r of await this.op('read items', (db) => db.collection<ItemDoc>(C.items).find({ _id: { $in: chunk } }).toArray())) byId.set(r._id, itemFromRow(r));
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async countItems(collection: string): Promise<number> {
    return this.op('count items', (db) => db.collection(C.items).countDocuments({ collection, deleted: 0 }));
  }

  async findByIdentity(collection: string, keys: readonly string[]): Promise<string[]> {
    const unique = [...new Set(keys)];
    const ids = new Set<string>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.op('look up identity keys', (db) => db.collection(C.items).aggregate<{ _id: string }>([
        { $match: { collection, deleted: 0, keys: { $in: unique.slice(i, i + CHUNK) } } }, { $project: { _id: 1 } },
      ]).toArray());
      for (const r of rows) ids.add(r._id);
    }
    return [...ids].sort();
  }

  async changesSince(collection: string, seq: number): Promise<{ items: StoredItem[]; seq: number }> {
    // The seq first: a commit writes its counter after its items, so every item at or below it
    // is there; an item committed meanwhile comes now and again next time, never not at all.
    const current = await this.currentSeq(collection);
    const items = (await this.find<ItemDoc>(C.items, { collection, seq: { $gt: seq } }, { seq: 1 })).map(itemFromRow);
    return { items, seq: current };
  }

  async currentSeq(collection: string): Promise<number> {
    return this.op('read the change sequence', (db) => lastNumber(db, seqCounter(collection)));
  }

  async history(itemId: string, limit = -1): Promise<ItemVersion[]> {
    if (limit === 0) return [];
    return (await this.find<VersionDoc>(C.versions, { item_id: itemId }, { version: -1 }, limit > 0 ? limit : undefined)).map(versionFromDoc);
  }

  async getLink(collection: string, member: string, href: Href): Promise<LinkRecord | undefined> {
    const r = await this.op('read a link', (db) => db.collection<LinkRow & { _id: string }>(C.links).findOne({ _id: idOf(collection, member, href) }));
    return r ? linkFromRow((await this.op('read a link', (db) => withBases(db, [r])))[0]!) : undefined;
  }

  async linksForMember(collection: string, member: string): Promise<LinkRecord[]> {
    return (await this.links(await this.find<LinkRow>(C.links, { collection, member }, { href: 1 }))).map(linkFromRow);
  }

  async linkHrefs(collection: string, member: string): Promise<Array<{ href: Href; itemId: string }>> {
    const rows = await this.op('list link hrefs', (db) => db.collection<LinkRow>(C.links)
      .find({ collection, member }, { projection: { _id: 0, href: 1, item_id: 1 } }).sort({ href: 1 }).toArray());
    return rows.map((r) => ({ href: r.href, itemId: r.item_id }));
  }

  async linkHeads(collection: string, member: string): Promise<LinkHead[]> {
    const rows = await this.op('list link heads', (db) => db.collection<LinkRow>(C.links)
      .find({ collection, member }, { projection: { _id: 0, href: 1, item_id: 1, etag: 1, agreed_version: 1 } }).toArray());
    return rows.map((r) => ({ member, href: r.href, itemId: r.item_id, etag: r.etag, agreedVersion: r.agreed_version }));
  }

  async getLinks(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkRecord[]> {
    const out: LinkRecord[] = [];
    for (let i = 0; i < hrefs.length; i += CHUNK) {
      const chunk = hrefs.slice(i, i + CHUNK);
      out.push(...(await this.links(await this.find<LinkRow>(C.links, { collection, member, href: { $in: chunk } }, { href: 1 }))).map(linkFromRow));
    }
    return out;
  }

  async linksAt(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkAt[]> {
    const out: LinkAt[] = [];
    for (let i = 0; i < hrefs.length; i += CHUNK) {
      const rows = await this.op('read links', (db) => db.collection<LinkRow>(C.links)
        .find({ collection, member, href: { $in: hrefs.slice(i, i + CHUNK) } }, { projection: { _id: 0, href: 1, item_id: 1, agreed_version: 1, raw: 1 } }).toArray());
      for (const r of rows) out.push({ href: r.href, itemId: r.item_id, agreedVersion: r.agreed_version, ...(typeof r.raw === 'string' ? { raw: r.raw } : {}) });
    }
    return out;
  }

  async linksForItem(itemId: string): Promise<LinkRecord[]> {
    return (await this.links(await this.find<LinkRow>(C.links, { item_id: itemId }, { collection: 1, member: 1, href: 1 }))).map(linkFromRow);
  }

  async pendingIdsForMember(collection: string, member: string): Promise<string[]> {
    return this.op('list pending writes', (db) => pendingIdsForMember(db, collection, member));
  }

  async pendingForMember(collection: string, member: string): Promise<Array<{ item: StoredItem; link?: LinkRecord }>> {
    return this.op('list pending writes', (db) => pendingForMember(db, collection, member));
  }

  async getMemberState(collection: string, member: string): Promise<MemberState | undefined> {
    const r = await this.op('read a member state', (db) => db.collection<MemberStateRow & { _id: string }>(C.states).findOne({ _id: idOf(collection, member) }));
    return r ? memberStateFromRow(r) : undefined;
  }

  async listMemberStates(collection?: string): Promise<MemberState[]> {
    const filter = collection === undefined ? {} : { collection };
    return (await this.find<MemberStateRow>(C.states, filter, { collection: 1, member: 1 })).map(memberStateFromRow);
  }

  async appendLog(entries: NewLogEntry[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const now = new Date().toISOString();
    return (await this.tx('append to the log', (db, session) => planChange(db, session, { log: entries }, now))).logIds;
  }

  async listLog(q: LogQuery = {}): Promise<LogEntry[]> {
    if (q.actions !== undefined && q.actions.length === 0) return [];
    const filter: Document = {};
    if (q.collection !== undefined) filter.collection = q.collection;
    if (q.uid !== undefined) filter.uid = q.uid;
    if (q.since !== undefined) filter.time = { $gte: q.since };
    if (q.run !== undefined) filter.run = q.run;
    if (q.actions !== undefined) filter.action = { $in: q.actions };
    const limit = q.limit ?? DEFAULT_LOG_LIMIT;
    if (limit === 0) return [];
    return (await this.find<LogRow>(C.log, filter, { _id: -1 }, limit > 0 ? limit : undefined)).map(logFromRow);
  }

  async getLogEntry(id: number): Promise<LogEntry | undefined> {
    const r = await this.op('read a log entry', (db) => db.collection<LogRow & { _id: number }>(C.log).findOne({ _id: id }));
    return r ? logFromRow(r) : undefined;
  }

  async listQuarantine(collection?: string): Promise<QuarantineRecord[]> {
    const filter = collection === undefined ? {} : { collection };
    return (await this.find<QuarantineRow>(C.quarantine, filter, { collection: 1, member: 1, href: 1 })).map(quarantineFromRow);
  }

  async listOutbox(collection?: string, member?: string): Promise<OutboxEntry[]> {
    const filter: Document = {};
    if (collection !== undefined) filter.collection = collection;
    if (member !== undefined) filter.member = member;
    return (await this.find<OutboxRow>(C.outbox, filter, { _id: 1 })).map(outboxFromRow);
  }

  async listRuns(limit = DEFAULT_LOG_LIMIT): Promise<RunRecord[]> {
    if (limit === 0) return [];
    return (await this.find<RunRow>(C.runs, {}, { start: -1, ord: -1 }, limit > 0 ? limit : undefined)).map(runFromRow);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const r = await this.op('read a run', (db) => db.collection<RunRow & { _id: string }>(C.runs).findOne({ _id: id }));
    return r ? runFromRow(r) : undefined;
  }

  async commit(change: StoreChange): Promise<{ logIds: number[]; outboxIds: number[] }> {
    const now = new Date().toISOString();
    return this.tx('commit', (db, session) => planChange(db, session, change, now));
  }

  async exportPage<T extends StoreTable>(table: T, offset: number, limit: number): Promise<StoreRecords[T]> {
    return this.op(`export ${table}`, (db) => exportPage(db, table, offset, limit));
  }

  async importRecords(records: Partial<StoreRecords>): Promise<void> {
    await this.tx('import records', (db, session) => planImport(db, session, records));
  }

  async tryLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.op('take a lock', (db) => acquireLock(db, name, owner, ttlMs));
  }

  async unlock(name: string, owner: string): Promise<void> {
    await this.op('release a lock', (db) => releaseLock(db, name, owner));
  }

  async lockHolder(name: string): Promise<string | undefined> {
    return this.op('read a lock', (db) => lockHolder(db, name));
  }

  /** The database, for the export and import of whole tables (store-copy). */
  db(): Db {
    if (!this.database) throw new PimError('io', 'the store is not open (call init() first, or it was closed)', { where: this.where });
    return this.database;
  }

  /** Link documents with the bases they name by version filled in. */
  private async links(docs: LinkRow[]): Promise<LinkRow[]> {
    return this.op('read link bases', (db) => withBases(db, docs));
  }

  private async find<T>(name: string, filter: Document, sort: Record<string, 1 | -1>, limit?: number): Promise<T[]> {
    return this.op(`read ${name}`, (db) => {
      const cursor = db.collection(name).find(filter).sort(sort);
      if (limit !== undefined) cursor.limit(limit);
      return cursor.toArray() as Promise<T[]>;
    });
  }

  private async op<T>(what: string, fn: (db: Db) => Promise<T>): Promise<T> {
    const db = this.db();
    try {
      return await fn(db);
    } catch (e) {
      throw isPimError(e) ? e : mongoError(e, this.url, `MongoDB store: cannot ${what}`);
    }
  }

  /**
   * A write: planned and applied under the commit lease, one at a time per process; in a
   * transaction or through the journal (CommitMode).
   */
  private async tx<T>(what: string, plan: (db: Db, session: ClientSession | undefined) => Promise<Plan<T>>): Promise<T> {
    const db = this.db();
    const client = this.client!;
    try {
      return await this.writes.run(() => withCommitLease(db, async () => {
        await replayJournal(db);
        if (this.mode === 'journal') {
          const p = await plan(db, undefined);
          await commitThroughJournal(db, p.ops);
          return p.result;
        }
        return inTransaction(client, async (session) => {
          const p = await plan(db, session);
          await applyOps(db, p.ops, session);
          return p.result;
        });
      }));
    } catch (e) {
      throw isPimError(e) ? e : mongoError(e, this.url, `MongoDB store: cannot ${what}`);
    }
  }
}
