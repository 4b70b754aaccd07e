import type { Db, IndexDescription } from 'mongodb';
import { PimError } from '../../core/errors.js';

/**
 * The MongoDB store's collections and indexes. Records keep the SQLite store's row shapes
 * (src/store/sqlite/rows.ts) plus an `_id`, so both stores map records the same way; item
 * data, meta and link bases are JSON text, as in SQLite, so an item round-trips byte for byte.
 */
export const C = {
  collections: 'collections',
  /** `_id` = item id; `keys` holds the identity keys of a live item (none for a tombstone). */
  items: 'items',
  /** `_id` = JSON [itemId, version]: two writers of one version collide on it. */
  versions: 'item_versions',
  /** `_id` = JSON [collection, member, href]. */
  links: 'links',
  /** `_id` = JSON [collection, member]. */
  states: 'member_states',
  /** `_id` = the log entry id. */
  log: 'log',
  /** `_id` = JSON [collection, member, href]. */
  quarantine: 'quarantine',
  /** `_id` = the outbox entry id. */
  outbox: 'outbox',
  /** Number blocks handed out (`log`, `outbox`, `runs`, `seq:<collection>`); see counters.ts. */
  counters: 'counters',
  /** `_id` = run id; `ord` orders runs with equal start times. */
  runs: 'runs',
  /** `_id` = lock name. */
  locks: 'locks',
  /** `_id` = JSON [collection, href]; `props` is JSON text. Dead properties of the endpoint's resources. */
  dead: 'dead_props',
  /** `_id` = JSON [collection, a, b]. Pairs dismissed as no duplicates. */
  dismissed: 'dismissed_pairs',
  /** Commits being applied without a transaction (journal.ts). */
  journal: 'journal',
  /** `_id: 'schema'` holds the schema version. */
  meta: 'meta',
} as const;

/**
 * 2: a link's base may be a reference to an item version (`base: ''`, `base_version`;
 * link-base.ts), which a pimhub of schema 1 cannot read: it is refused on open.
 * Documents of schema 1 are valid in 2 as they are.
 */
export const SCHEMA_VERSION = 2;

const INDEXES: Record<string, IndexDescription[]> = {
  [C.items]: [
    { key: { collection: 1, uid: 1 }, name: 'collection_uid' },
    { key: { collection: 1, seq: 1 }, name: 'collection_seq' },
    { key: { collection: 1, keys: 1 }, name: 'collection_keys' },
    // Covers listItemHeads (the endpoint's listings): its projection is read from the index alone.
    { key: { collection: 1, _id: 1, uid: 1, version: 1, seq: 1, deleted: 1, updated_at: 1 }, name: 'collection_heads' },
  ],
  [C.versions]: [{ key: { item_id: 1, version: -1 }, name: 'item_version' }],
  [C.links]: [
    { key: { collection: 1, member: 1, href: 1 }, name: 'collection_member_href' },
    { key: { item_id: 1, collection: 1, member: 1 }, name: 'item' },
    // Covers linkHrefs (the endpoint's listings: href and item only, in href order).
    { key: { collection: 1, member: 1, href: 1, item_id: 1 }, name: 'collection_member_href_item' },
  ],
  [C.states]: [{ key: { collection: 1, member: 1 }, name: 'collection_member' }],
  [C.log]: [
    { key: { collection: 1, _id: -1 }, name: 'collection_id' },
    { key: { uid: 1, _id: -1 }, name: 'uid_id' },
    { key: { run: 1, _id: -1 }, name: 'run_id' },
    { key: { time: 1 }, name: 'time' },
  ],
  [C.quarantine]: [{ key: { collection: 1, member: 1, href: 1 }, name: 'collection_member_href' }],
  [C.outbox]: [{ key: { collection: 1, member: 1, _id: 1 }, name: 'collection_member_id' }],
  [C.counters]: [{ key: { name: 1, last: -1 }, name: 'name_last' }],
  [C.runs]: [{ key: { start: -1, ord: -1 }, name: 'start_ord' }],
  [C.journal]: [{ key: { commit: 1 }, name: 'commit' }],
};

/**
 * Creates the indexes (idempotent: createIndexes with the same definition is a no-op) and
 * records the schema version; refuses a database written by a newer pimhub.
 */
export async function ensureSchema(db: Db, where: string): Promise<void> {
  const meta = db.collection<{ _id: string; version: number }>(C.meta);
  const found = await meta.findOne({ _id: 'schema' });
  if (found && found.version > SCHEMA_VERSION) {
    throw new PimError('unsupported', `the MongoDB store has schema version ${found.version}, newer than this pimhub knows (${SCHEMA_VERSION}); upgrade pimhub`, { where });
  }
  for (const [name, indexes] of Object.entries(INDEXES)) await db.collection(name).createIndexes(indexes);
  if (!found || found.version < SCHEMA_VERSION) {
    await meta.updateOne({ _id: 'schema' }, { $set: { version: SCHEMA_VERSION } }, { upsert: true });
  }
}
