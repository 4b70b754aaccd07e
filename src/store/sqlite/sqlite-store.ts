import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { PimError, isPimError, messageOf } from '../../core/errors.js';
import type {
  DismissedPair,
  CollectionRecord, ItemVersion, LinkAt, LinkHead, LinkRecord, LogEntry, LogQuery, MemberState, NewLogEntry, OutboxEntry,
  ItemHead, QuarantineRecord, RunRecord, Store, StoreChange, StoredItem, StoreRecords, StoreTable,
} from '../../core/store.js';
import type { Etag, Href } from '../../core/types.js';
import type { Item } from '../../model/item.js';
import { applyChange, insertLog } from './apply-change.js';
import { exportPage, importRecords } from './copy-records.js';
import { LINK_COLS, LINKS_FROM } from './link-base.js';
import { migrate, schemaVersion } from './migrations.js';
import {
  collectionFromRow, collectionToRow, itemFromRow, linkFromRow, logFromRow, memberStateFromRow,
  outboxFromRow, quarantineFromRow, runFromRow,
  type CollectionRow, type ItemRow, type LinkRow, type LogRow, type MemberStateRow, type OutboxRow, type QuarantineRow, type RunRow,
} from './rows.js';
import { killPoint } from '../../core/kill-point.js';

/** How long a statement waits for another process's write lock before failing with `busy`. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Set on every open, in one `exec` (one native call instead of a prepared statement per
 * pragma). NORMAL is durable across application crashes in WAL mode; only a power loss may
 * lose the last commits. wal_autocheckpoint: the WAL is copied into the file every 10,000
 * pages (40 MB) instead of SQLite's 1,000: a sync's batches rewrite the same index pages
 * (hrefs, UIDs, identity keys arrive in no order), and each checkpoint writes a page once
 * however often it changed. First sync of 10,000 contacts: 0.82M → 0.65M blocks written
 * (docs/performance.md, "Speed round 4"). better-sqlite3 sets the busy timeout itself from
 * its `timeout` option.
 */
const OPEN_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000; PRAGMA foreign_keys = ON;';

let addonPath: string | undefined | null = null;
/**
 * better-sqlite3's compiled addon, by path: without it the library asks the `bindings`
 * package, which loads two more modules and probes a dozen paths on every start
 * (docs/performance.md, "Speed round 6"). An install that put the addon elsewhere (a debug
 * build) leaves it undefined, and the library searches as before.
 */
function nativeBinding(): string | undefined {
  if (addonPath === null) {
    const file = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    addonPath = existsSync(file) ? file : undefined;
  }
  return addonPath;
}
/** Bound on `?` placeholders per IN list (SQLite's limit is 32766; keep statements small). */
const IN_CHUNK = 500;
/** Link heads read per statement (`linkHeads`). */
const HEADS_PAGE = 2000;
const DEFAULT_LOG_LIMIT = 100;

const ITEM_COLS = 'i.id, i.collection, i.uid, i.version, i.seq, i.deleted, i.data, i.meta, i.updated_at';

type PendingRow = ItemRow & { l_href: Href | null; l_etag: Etag; l_base: string | null; l_base_version: number | null; l_agreed: number; l_updated: string; l_raw: string | null };

/**
 * The default store: one SQLite file in WAL mode, so `pimhub sync` and `pimhub serve` can
 * share it from two processes (readers never block the writer; writers wait up to 5 s for
 * each other). Every `commit` is one IMMEDIATE transaction. See docs/store.md.
 */
export class SqliteStore implements Store {
  private db: Database.Database | undefined;
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly stmt = (sql: string): Database.Statement => {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.conn().prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  };

  constructor(readonly path: string) {}

  /** Opens the file synchronously (creating its folder and migrating); idempotent. */
  open(): this {
    if (this.db) return this;
    this.guard(() => {
      if (this.path !== ':memory:' && this.path !== '') mkdirSync(dirname(this.path), { recursive: true });
      const db = new Database(this.path, { timeout: BUSY_TIMEOUT_MS, nativeBinding: nativeBinding() });
      try {
        db.exec(OPEN_PRAGMAS);
        migrate(db, undefined, this.path);
      } catch (e) {
        db.close();
        throw e;
      }
      this.db = db;
    });
    return this;
  }

  /** The schema version (`PRAGMA user_version`). */
  schemaVersion(): number {
    return this.guard(() => schemaVersion(this.conn()));
  }

  async init(): Promise<void> {
    this.open();
  }

  async close(): Promise<void> {
    this.stmts.clear();
    this.db?.close();
    this.db = undefined;
  }

  async upsertCollection(c: CollectionRecord): Promise<void> {
    this.guard(() =>
      this.stmt(`INSERT OR REPLACE INTO collections (name, kind, owner, display_name, color, description, origin, created_at)
                 VALUES (@name, @kind, @owner, @display_name, @color, @description, @origin, @created_at)`).run(collectionToRow(c)),
    );
  }

  async getCollection(name: string): Promise<CollectionRecord | undefined> {
    const r = this.guard(() => this.stmt('SELECT * FROM collections WHERE name = ?').get(name) as CollectionRow | undefined);
    return r && collectionFromRow(r);
  }

  async listCollections(): Promise<CollectionRecord[]> {
    return this.all<CollectionRow>('SELECT * FROM collections ORDER BY name').map(collectionFromRow);
  }

  async deleteCollection(name: string): Promise<void> {
    this.write(() => {
      // item_versions and identity_keys follow items through ON DELETE CASCADE. The log goes
      // too: whoever re-creates the name must not see (or reverse) the old collection's merges.
      for (const table of ['items', 'identity_keys', 'links', 'member_states', 'quarantine', 'outbox', 'log', 'dead_props', 'dismissed_pairs', 'collections']) {
        this.stmt(`DELETE FROM ${table} WHERE ${table === 'collections' ? 'name' : 'collection'} = ?`).run(name);
      }
    });
  }

  async deadProperties(collection: string): Promise<Record<string, Record<string, string>>> {
    const rows = this.all<{ href: string; props: string }>('SELECT href, props FROM dead_props WHERE collection = ?', collection);
    return Object.fromEntries(rows.map((r) => [r.href, JSON.parse(r.props) as Record<string, string>]));
  }

  async setDeadProperties(collection: string, href: string, props: Record<string, string>): Promise<void> {
    this.write(() => {
      if (Object.keys(props).length === 0) this.stmt('DELETE FROM dead_props WHERE collection = ? AND href = ?').run(collection, href);
      else this.stmt('INSERT OR REPLACE INTO dead_props (collection, href, props) VALUES (?, ?, ?)').run(collection, href, JSON.stringify(props));
    });
  }

  async listDismissedPairs(collection: string): Promise<DismissedPair[]> {
    return this.all<DismissedPair>('SELECT collection, a, b, time FROM dismissed_pairs WHERE collection = ? ORDER BY time, a, b', collection);
  }

  async dismissPair(collection: string, a: string, b: string, time: string): Promise<void> {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    this.write(() => {
      this.stmt('INSERT OR IGNORE INTO dismissed_pairs (collection, a, b, time) VALUES (?, ?, ?, ?)').run(collection, lo, hi, time);
    });
  }

  async getItem(id: string): Promise<StoredItem | undefined> {
    const r = this.guard(() => this.stmt('SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined);
    return r && itemFromRow(r);
  }

  async getItemByUid(collection: string, uid: string): Promise<StoredItem | undefined> {
    // UIDs may repeat transiently: prefer the live item, then the latest change.
    const r = this.guard(() => this.stmt(
      'SELECT * FROM items WHERE collection = ? AND uid = ? ORDER BY deleted, seq DESC LIMIT 1',
    ).get(collection, uid) as ItemRow | undefined);
    return r && itemFromRow(r);
  }

  async listItems(collection: string, opts: { includeDeleted?: boolean } = {}): Promise<StoredItem[]> {
    const live = opts.includeDeleted ? '' : ' AND deleted = 0';
    return this.all<ItemRow>(`SELECT * FROM items WHERE collection = ?${live} ORDER BY uid, id`, collection).map(itemFromRow);
  }

  async listItemHeads(collection: string): Promise<ItemHead[]> {
    return this.all<Pick<ItemRow, 'id' | 'uid' | 'version' | 'seq' | 'deleted' | 'updated_at'>>(
      'SELECT id, uid, version, seq, deleted, updated_at FROM items WHERE collection = ? ORDER BY id', collection,
    ).map((r) => ({ id: r.id, uid: r.uid, version: r.version, seq: r.seq, deleted: r.deleted === 1, updatedAt: r.updated_at }));
  }

  async getItems(ids: readonly string[]): Promise<StoredItem[]> {
    const byId = new Map<string, StoredItem>();
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      for (const r of this.all<ItemRow>(`SELECT * FROM items WHERE id IN (${chunk.map(() => '?').join(',')})`, ...chunk)) byId.set(r.id, itemFromRow(r));
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async countItems(collection: string): Promise<number> {
    return this.guard(() => (this.stmt('SELECT count(*) AS n FROM items WHERE collection = ? AND deleted = 0').get(collection) as { n: number }).n);
  }

  async findByIdentity(collection: string, keys: readonly string[]): Promise<string[]> {
    const ids = new Set<string>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const chunk = unique.slice(i, i + IN_CHUNK);
      const rows = this.all<{ id: string }>(
        `SELECT DISTINCT k.item_id AS id FROM identity_keys k JOIN items i ON i.id = k.item_id
         WHERE k.collection = ? AND k.key IN (${chunk.map(() => '?').join(',')}) AND i.deleted = 0 AND i.collection = k.collection`,
        collection, ...chunk,
      );
      for (const r of rows) ids.add(r.id);
    }
    return [...ids].sort();
  }

  async changesSince(collection: string, seq: number): Promise<{ items: StoredItem[]; seq: number }> {
    // One read transaction: the items and the seq come from the same snapshot.
    return this.guard(() => this.conn().transaction(() => ({
      items: (this.stmt('SELECT * FROM items WHERE collection = ? AND seq > ? ORDER BY seq').all(collection, seq) as ItemRow[]).map(itemFromRow),
      seq: this.seqOf(collection),
    }))());
  }

  async currentSeq(collection: string): Promise<number> {
    return this.guard(() => this.seqOf(collection));
  }

  async history(itemId: string, limit = -1): Promise<ItemVersion[]> {
    return this.all<{ version: number; data: string; time: string; deleted: number; run: string }>(
      'SELECT version, data, time, deleted, run FROM item_versions WHERE item_id = ? ORDER BY version DESC LIMIT ?', itemId, limit,
    ).map((r) => ({ version: r.version, item: JSON.parse(r.data) as Item, time: r.time, deleted: r.deleted === 1, run: r.run }));
  }

  async getLink(collection: string, member: string, href: Href): Promise<LinkRecord | undefined> {
    const r = this.guard(() => this.stmt(`SELECT ${LINK_COLS} FROM ${LINKS_FROM} WHERE l.collection = ? AND l.member = ? AND l.href = ?`)
      .get(collection, member, href) as LinkRow | undefined);
    return r && linkFromRow(r);
  }

  async linksForMember(collection: string, member: string): Promise<LinkRecord[]> {
    return this.all<LinkRow>(`SELECT ${LINK_COLS} FROM ${LINKS_FROM} WHERE l.collection = ? AND l.member = ? ORDER BY l.href`, collection, member).map(linkFromRow);
  }

  async linkHrefs(collection: string, member: string): Promise<Array<{ href: Href; itemId: string }>> {
    return this.all<{ href: Href; item_id: string }>('SELECT href, item_id FROM links WHERE collection = ? AND member = ? ORDER BY href', collection, member)
      .map((r) => ({ href: r.href, itemId: r.item_id }));
  }

  async linkHeads(collection: string, member: string): Promise<LinkHead[]> {
    // From links_href_item alone (migration 9), in pages by href with a turn of the event
    // loop between them: 10,000 heads in one synchronous read held back the request a sync
    // had just asked its server (the no-change sync's longest wait) by 0.1-0.25 s. The run
    // holds the collection's lock, so no other sync moves this member's links between pages.
    const out: LinkHead[] = [];
    for (let after: string | undefined; ;) {
      const rows = this.all<{ href: Href; item_id: string; etag: Etag; agreed_version: number }>(
        `SELECT href, item_id, etag, agreed_version FROM links WHERE collection = ? AND member = ?${after === undefined ? '' : ' AND href > ?'} ORDER BY href LIMIT ${HEADS_PAGE}`,
        collection, member, ...(after === undefined ? [] : [after]),
      );
      for (const r of rows) out.push({ member, href: r.href, itemId: r.item_id, etag: r.etag, agreedVersion: r.agreed_version });
      if (rows.length < HEADS_PAGE) return out;
      after = rows[rows.length - 1]!.href;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async getLinks(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkRecord[]> {
    const out: LinkRecord[] = [];
    for (let i = 0; i < hrefs.length; i += IN_CHUNK) {
      const chunk = hrefs.slice(i, i + IN_CHUNK);
      const rows = this.all<LinkRow>(`SELECT ${LINK_COLS} FROM ${LINKS_FROM} WHERE l.collection = ? AND l.member = ? AND l.href IN (${chunk.map(() => '?').join(',')})`, collection, member, ...chunk);
      for (const r of rows) out.push(linkFromRow(r));
    }
    return out;
  }

  async linksAt(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkAt[]> {
    const out: LinkAt[] = [];
    for (let i = 0; i < hrefs.length; i += IN_CHUNK) {
      const chunk = hrefs.slice(i, i + IN_CHUNK);
      const rows = this.all<{ href: Href; item_id: string; agreed_version: number; raw: string | null }>(
        `SELECT href, item_id, agreed_version, raw FROM links WHERE collection = ? AND member = ? AND href IN (${chunk.map(() => '?').join(',')})`,
        collection, member, ...chunk,
      );
      for (const r of rows) out.push({ href: r.href, itemId: r.item_id, agreedVersion: r.agreed_version, ...(r.raw === null ? {} : { raw: r.raw }) });
    }
    return out;
  }

  async linksForItem(itemId: string): Promise<LinkRecord[]> {
    return this.all<LinkRow>(`SELECT ${LINK_COLS} FROM ${LINKS_FROM} WHERE l.item_id = ? ORDER BY l.collection, l.member, l.href`, itemId).map(linkFromRow);
  }

  async pendingIdsForMember(collection: string, member: string): Promise<string[]> {
    const rows = this.all<{ id: string }>(
      `SELECT i.id FROM items i LEFT JOIN links l INDEXED BY links_item ON l.item_id = i.id AND l.collection = @collection AND l.member = @member
       WHERE i.collection = @collection
         AND CASE WHEN i.deleted = 0 THEN l.href IS NULL OR i.version > l.agreed_version ELSE l.href IS NOT NULL END
       GROUP BY i.id ORDER BY MIN(i.seq)`,
      { collection, member },
    );
    return rows.map((r) => r.id);
  }

  async pendingForMember(collection: string, member: string): Promise<Array<{ item: StoredItem; link?: LinkRecord }>> {
    // One pass over the collection's items, probing links by the item_id index; only the
    // result rows are decoded.
    const rows = this.all<PendingRow>(
      `SELECT ${ITEM_COLS}, l.href AS l_href, l.etag AS l_etag, coalesce(nullif(l.base, ''), v.data) AS l_base, l.base_version AS l_base_version,
              l.agreed_version AS l_agreed, l.updated_at AS l_updated, l.raw AS l_raw
       FROM items i LEFT JOIN links l INDEXED BY links_item ON l.item_id = i.id AND l.collection = @collection AND l.member = @member
         LEFT JOIN item_versions v ON l.base = '' AND v.item_id = l.item_id AND v.version = l.base_version
       WHERE i.collection = @collection
         AND CASE WHEN i.deleted = 0 THEN l.href IS NULL OR i.version > l.agreed_version ELSE l.href IS NOT NULL END
       ORDER BY i.seq, l.href`,
      { collection, member },
    );
    return rows.map((r) => {
      const item = itemFromRow(r);
      if (r.l_href === null) return { item };
      const link = linkFromRow({
        collection, member, href: r.l_href, item_id: r.id, etag: r.l_etag, base: r.l_base, base_version: r.l_base_version,
        agreed_version: r.l_agreed, updated_at: r.l_updated, raw: r.l_raw,
      });
      return { item, link };
    });
  }

  async getMemberState(collection: string, member: string): Promise<MemberState | undefined> {
    const r = this.guard(() => this.stmt('SELECT * FROM member_states WHERE collection = ? AND member = ?')
      .get(collection, member) as MemberStateRow | undefined);
    return r && memberStateFromRow(r);
  }

  async listMemberStates(collection?: string): Promise<MemberState[]> {
    const rows = collection === undefined
      ? this.all<MemberStateRow>('SELECT * FROM member_states ORDER BY collection, member')
      : this.all<MemberStateRow>('SELECT * FROM member_states WHERE collection = ? ORDER BY member', collection);
    return rows.map(memberStateFromRow);
  }

  async appendLog(entries: NewLogEntry[]): Promise<number[]> {
    return this.write(() => entries.map((e) => insertLog(this.stmt, e)));
  }

  async listLog(q: LogQuery = {}): Promise<LogEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.collection !== undefined) { where.push('collection = ?'); params.push(q.collection); }
    if (q.uid !== undefined) { where.push('uid = ?'); params.push(q.uid); }
    if (q.since !== undefined) { where.push('time >= ?'); params.push(q.since); }
    if (q.run !== undefined) { where.push('run = ?'); params.push(q.run); }
    if (q.actions !== undefined) {
      if (q.actions.length === 0) return [];
      where.push(`action IN (${q.actions.map(() => '?').join(',')})`);
      params.push(...q.actions);
    }
    const sql = `SELECT * FROM log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.all<LogRow>(sql, ...params, q.limit ?? DEFAULT_LOG_LIMIT).map(logFromRow);
  }

  async listRuns(limit = DEFAULT_LOG_LIMIT): Promise<RunRecord[]> {
    return this.all<RunRow>('SELECT * FROM runs ORDER BY start DESC, rowid DESC LIMIT ?', limit).map(runFromRow);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const r = this.guard(() => this.stmt('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined);
    return r && runFromRow(r);
  }

  async getLogEntry(id: number): Promise<LogEntry | undefined> {
    const r = this.guard(() => this.stmt('SELECT * FROM log WHERE id = ?').get(id) as LogRow | undefined);
    return r && logFromRow(r);
  }

  async listQuarantine(collection?: string): Promise<QuarantineRecord[]> {
    const rows = collection === undefined
      ? this.all<QuarantineRow>('SELECT * FROM quarantine ORDER BY collection, member, href')
      : this.all<QuarantineRow>('SELECT * FROM quarantine WHERE collection = ? ORDER BY member, href', collection);
    return rows.map(quarantineFromRow);
  }

  async listOutbox(collection?: string, member?: string): Promise<OutboxEntry[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (collection !== undefined) { where.push('collection = ?'); params.push(collection); }
    if (member !== undefined) { where.push('member = ?'); params.push(member); }
    return this.all<OutboxRow>(`SELECT * FROM outbox${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, ...params)
      .map(outboxFromRow);
  }

  async commit(change: StoreChange): Promise<{ logIds: number[]; outboxIds: number[] }> {
    const now = new Date().toISOString();
    return this.write(() => {
      const done = applyChange(this.stmt, change, now);
      killPoint('sqlite.in-transaction');
      return done;
    });
  }

  async exportPage<T extends StoreTable>(table: T, offset: number, limit: number): Promise<StoreRecords[T]> {
    return this.guard(() => exportPage(this.stmt, table, offset, limit));
  }

  async importRecords(records: Partial<StoreRecords>): Promise<void> {
    // item_versions reference items (foreign key): a page of versions comes after its items.
    this.write(() => importRecords(this.stmt, records));
  }

  async tryLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.write(() => {
      const now = Date.now();
      const held = this.stmt('SELECT owner, expires_at FROM locks WHERE name = ?').get(name) as { owner: string; expires_at: number } | undefined;
      // Free, expired, or already ours (then the call renews it).
      if (held && held.owner !== owner && held.expires_at > now) return false;
      this.stmt('INSERT OR REPLACE INTO locks (name, owner, expires_at) VALUES (?, ?, ?)').run(name, owner, now + ttlMs);
      return true;
    });
  }

  async unlock(name: string, owner: string): Promise<void> {
    this.guard(() => this.stmt('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, owner));
  }

  async lockHolder(name: string): Promise<string | undefined> {
    const held = this.guard(() => this.stmt('SELECT owner, expires_at FROM locks WHERE name = ?').get(name)) as { owner: string; expires_at: number } | undefined;
    return held && held.expires_at > Date.now() ? held.owner : undefined;
  }

  private conn(): Database.Database {
    if (!this.db) throw new PimError('io', 'the store is not open (call init() first, or it was closed)', { where: this.path });
    return this.db;
  }

  private seqOf(collection: string): number {
    const r = this.stmt('SELECT seq FROM collection_seq WHERE collection = ?').get(collection) as { seq: number } | undefined;
    return r?.seq ?? 0;
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return this.guard(() => this.stmt(sql).all(...params) as T[]);
  }

  /** A write transaction, IMMEDIATE so it takes the write lock up front (waiting up to the busy timeout). */
  private write<T>(fn: () => T): T {
    return this.guard(() => this.conn().transaction(fn).immediate());
  }

  /** Translates database errors into PimError (`busy` when another process holds the lock, else `io`). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (isPimError(e)) throw e;
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
        throw new PimError('busy', `the store is busy (another pimhub process is writing): ${messageOf(e)}`, { where: this.path, cause: e });
      }
      throw new PimError('io', `store database error: ${messageOf(e)}`, { where: this.path, cause: e });
    }
  }
}

/** Opens (creating and migrating) the SQLite store at `path` (`:memory:` for a private in-memory one). */
export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(path).open();
}
