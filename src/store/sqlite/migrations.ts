import type Database from 'better-sqlite3';
import { PimError } from '../../core/errors.js';

/**
 * Schema migrations of the SQLite store, in order. Migration `i` (0-based) brings the
 * schema from version `i` to `i + 1`; the version lives in `PRAGMA user_version`. Never edit
 * a released migration: append a new one.
 */
export type Migration = (db: Database.Database) => void;

export const migrations: readonly Migration[] = [
  // 1: the initial schema.
  (db) => {
    db.exec(`
      CREATE TABLE collections (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        owner TEXT,
        display_name TEXT,
        color TEXT,
        description TEXT,
        origin TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      -- UIDs may repeat transiently (two sources created the same item), so (collection, uid)
      -- is indexed, not unique.
      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        collection TEXT NOT NULL,
        uid TEXT NOT NULL,
        version INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        meta TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX items_collection_uid ON items (collection, uid);
      CREATE INDEX items_collection_seq ON items (collection, seq);

      -- Every version an item had (the current one included), for review and undo.
      CREATE TABLE item_versions (
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        data TEXT NOT NULL,
        time TEXT NOT NULL,
        PRIMARY KEY (item_id, version)
      ) WITHOUT ROWID;

      CREATE TABLE identity_keys (
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        collection TEXT NOT NULL,
        PRIMARY KEY (item_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX identity_keys_lookup ON identity_keys (collection, key);

      -- The primary key also serves lookups by (collection, member). links_item leads with
      -- item_id and also holds (collection, member), so pendingForMember's join probes it by
      -- all three instead of scanning the member's links for every item.
      CREATE TABLE links (
        collection TEXT NOT NULL,
        member TEXT NOT NULL,
        href TEXT NOT NULL,
        item_id TEXT NOT NULL,
        etag TEXT NOT NULL,
        base TEXT NOT NULL,
        agreed_version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (collection, member, href)
      );
      CREATE INDEX links_item ON links (item_id, collection, member);

      CREATE TABLE member_states (
        collection TEXT NOT NULL,
        member TEXT NOT NULL,
        token TEXT,
        last_sync TEXT,
        errors INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        PRIMARY KEY (collection, member)
      );

      CREATE TABLE log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        collection TEXT NOT NULL,
        uid TEXT NOT NULL,
        item_id TEXT,
        action TEXT NOT NULL,
        connector TEXT NOT NULL,
        fields TEXT,
        message TEXT,
        resolves INTEGER
      );
      CREATE INDEX log_time ON log (time);
      CREATE INDEX log_collection ON log (collection, id);
      CREATE INDEX log_uid ON log (uid, id);

      CREATE TABLE quarantine (
        collection TEXT NOT NULL,
        member TEXT NOT NULL,
        href TEXT NOT NULL,
        location TEXT NOT NULL,
        message TEXT NOT NULL,
        raw TEXT,
        time TEXT NOT NULL,
        PRIMARY KEY (collection, member, href)
      );

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        member TEXT NOT NULL,
        item_id TEXT NOT NULL,
        op TEXT NOT NULL,
        href TEXT,
        etag TEXT,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX outbox_member ON outbox (collection, member, id);

      -- Kept when a collection is deleted, so a re-created collection never reuses a sync token.
      CREATE TABLE collection_seq (
        collection TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
      );

      CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `);
  },
  // 2: run ids (SPEC §4): every log entry and item version names the run that made it.
  // Entries from before get the run id 'legacy'.
  (db) => {
    db.exec(`
      ALTER TABLE log ADD COLUMN run TEXT NOT NULL DEFAULT 'legacy';
      CREATE INDEX log_run ON log (run, id);
      ALTER TABLE item_versions ADD COLUMN run TEXT NOT NULL DEFAULT '';
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        start TEXT NOT NULL,
        "end" TEXT,
        trigger TEXT NOT NULL,
        command TEXT,
        collections TEXT NOT NULL
      );
      CREATE INDEX runs_start ON runs (start);
    `);
  },
  // 3: the text a member holds at a link (LinkRecord.raw), for round-trip fidelity; dead
  // properties of the endpoint's resources (href '' is the collection).
  (db) => {
    db.exec(`
      ALTER TABLE links ADD COLUMN raw TEXT;
      CREATE TABLE dead_props (
        collection TEXT NOT NULL,
        href TEXT NOT NULL,
        props TEXT NOT NULL,
        PRIMARY KEY (collection, href)
      ) WITHOUT ROWID;
    `);
  },
  // 4: pairs of items the user dismissed as no duplicates (item ids, a < b).
  (db) => {
    db.exec(`
      CREATE TABLE dismissed_pairs (
        collection TEXT NOT NULL,
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        time TEXT NOT NULL,
        PRIMARY KEY (collection, a, b)
      ) WITHOUT ROWID;
    `);
  },
  // 5: a `matched` entry keeps the member's entry as it came (exact split on undo).
  (db) => {
    db.exec('ALTER TABLE log ADD COLUMN entry TEXT;');
  },
  // 6: covering indexes for the endpoint's listings (Store.listItemHeads, linkHrefs): a
  // PROPFIND Depth 1 of 10,000 objects reads both from the index alone instead of visiting
  // every row (measured 65 → 30 ms and 46 → 14 ms), at the cost of one more index entry per
  // item and link write. links_href_item replaces neither key: the primary key still
  // enforces uniqueness.
  (db) => {
    db.exec(`
      CREATE INDEX items_collection_heads ON items (collection, id, uid, version, seq, deleted, updated_at);
      CREATE INDEX links_href_item ON links (collection, member, href, item_id);
    `);
  },
  // 7: item_versions as a rowid table. WITHOUT ROWID keeps each whole row inside the
  // primary-key B-tree, where a row of more than ~1,000 bytes (a contact's JSON, 1.1 KB on
  // average in the bench) spills its tail onto an overflow page of its own: 10,000 versions
  // took 30 MB of pages for 11 MB of data, and every batch wrote them. As a rowid table the
  // rows pack into pages (a synthetic 10,000 × 1.1 KB: 46.8 → 14.2 MB, CPU of the inserts
  // halved); the primary key stays, as an index.
  (db) => {
    db.exec(`
      CREATE TABLE item_versions_7 (
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        data TEXT NOT NULL,
        time TEXT NOT NULL,
        run TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (item_id, version)
      );
      INSERT INTO item_versions_7 (item_id, version, deleted, data, time, run)
        SELECT item_id, version, deleted, data, time, run FROM item_versions ORDER BY item_id, version;
      DROP TABLE item_versions;
      ALTER TABLE item_versions_7 RENAME TO item_versions;
    `);
  },
  // 8: links_href_item gains the ETag, so a sync reads a member's link heads (Store.linkHeads:
  // href, item, ETag) from the index alone instead of visiting every row with its base
  // (20,000 links: ~0.4 s of a 1 %-changed sync); the endpoint's linkHrefs stays covered.
  (db) => {
    db.exec(`
      DROP INDEX links_href_item;
      CREATE INDEX links_href_item ON links (collection, member, href, item_id, etag);
    `);
  },
  // 9: links_href_item gains the agreed version, so the link heads a sync keeps per entry
  // (href, item, ETag, agreed version) come from the index alone, not from rows whose base
  // runs onto overflow pages. The pending-writes queries name links_item (INDEXED BY): with
  // this index covering all they need, the planner otherwise scanned every link of the
  // member per item (a no-change sync of 10,000: 18 s of CPU).
  (db) => {
    db.exec(`
      DROP INDEX links_href_item;
      CREATE INDEX links_href_item ON links (collection, member, href, item_id, etag, agreed_version);
    `);
  },
  // 10: a link's base stored by reference (link-base.ts): `base_version` names the version of
  // the item the base equals, byte for byte, and `base` holds JSON only when it equals none
  // ('' otherwise: a pimhub of schema 9 still running fails on it instead of reading no base).
  // Most bases are the version the member agreed to, so a first sync no longer writes each
  // card's JSON once per member besides the item and its history (10,000 contacts: links
  // were 30 MB of a 77 MB store). The table is rebuilt (for the CHECK, and to pack the rows); a
  // base equal to its agreed version becomes a reference, every other stays as it was.
  (db) => {
    db.exec(`
      CREATE TABLE links_10 (
        collection TEXT NOT NULL,
        member TEXT NOT NULL,
        href TEXT NOT NULL,
        item_id TEXT NOT NULL,
        etag TEXT NOT NULL,
        base TEXT NOT NULL,
        base_version INTEGER,
        agreed_version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        raw TEXT,
        PRIMARY KEY (collection, member, href),
        CHECK ((base = '') = (base_version IS NOT NULL))
      );
      INSERT INTO links_10 (collection, member, href, item_id, etag, base, base_version, agreed_version, updated_at, raw)
        SELECT l.collection, l.member, l.href, l.item_id, l.etag, CASE WHEN v.version IS NULL THEN l.base ELSE '' END, v.version,
               l.agreed_version, l.updated_at, l.raw
        FROM links l LEFT JOIN item_versions v ON v.item_id = l.item_id AND v.version = l.agreed_version AND v.data = l.base
        ORDER BY l.collection, l.member, l.href;
      DROP TABLE links;
      ALTER TABLE links_10 RENAME TO links;
      CREATE INDEX links_item ON links (item_id, collection, member);
      CREATE INDEX links_href_item ON links (collection, member, href, item_id, etag, agreed_version);
    `);
  },
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to date. Each migration runs in its own IMMEDIATE transaction that
 * re-reads the version first, so two processes opening a new file at once do not both
 * migrate. Returns how many migrations ran.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations, where = ''): number {
  // A store already at this version (every start but the first) needs no write lock to say so:
  // versions only grow, and a newer one is refused below, inside the transaction.
  if (schemaVersion(db) === list.length) return 0;
  let ran = 0;
  for (;;) {
    const step = db.transaction((): boolean => {
      const v = schemaVersion(db);
      if (v > list.length) {
        throw new PimError('unsupported', `the store has schema version ${v}, newer than this pimhub knows (${list.length}); upgrade pimhub`, { where });
      }
      if (v === list.length) return false;
      list[v](db);
      db.pragma(`user_version = ${v + 1}`);
      return true;
    });
    if (!step.immediate()) return ran;
    ran++;
  }
}
