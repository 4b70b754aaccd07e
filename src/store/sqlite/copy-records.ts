import { assertNever } from '../../core/errors.js';
import type { ItemVersion, StoreRecords, StoreTable, StoredItem } from '../../core/store.js';
import type { Item } from '../../model/item.js';
import type { StatementCache } from './statement-cache.js';
import { LINK_COLS, LINKS_FROM, putLink } from './link-base.js';
import {
  collectionFromRow, collectionToRow, itemFromRow, linkFromRow, logFromRow, logToRow, memberStateFromRow, memberStateToRow,
  outboxFromRow, outboxToRow, quarantineFromRow, quarantineToRow, runFromRow, runToRow,
  type CollectionRow, type ItemRow, type LinkRow, type LogRow, type MemberStateRow, type OutboxRow, type QuarantineRow, type RunRow,
} from './rows.js';

/** Store.exportPage and Store.importRecords of the SQLite store (`pimhub migrate`). */

const ORDER: Record<StoreTable, string> = {
  collections: 'SELECT * FROM collections ORDER BY name',
  items: 'SELECT * FROM items ORDER BY id',
  versions: 'SELECT * FROM item_versions ORDER BY item_id, version',
  links: `SELECT ${LINK_COLS} FROM ${LINKS_FROM} ORDER BY l.collection, l.member, l.href`,
  memberStates: 'SELECT * FROM member_states ORDER BY collection, member',
  quarantine: 'SELECT * FROM quarantine ORDER BY collection, member, href',
  outbox: 'SELECT * FROM outbox ORDER BY id',
  log: 'SELECT * FROM log ORDER BY id',
  runs: 'SELECT * FROM runs ORDER BY rowid',
  seqs: 'SELECT * FROM collection_seq ORDER BY collection',
  deadProps: 'SELECT * FROM dead_props ORDER BY collection, href',
  dismissedPairs: 'SELECT collection, a, b, time FROM dismissed_pairs ORDER BY collection, a, b',
};

type VersionRow = { item_id: string; version: number; deleted: number; data: string; time: string; run: string };

export function exportPage<T extends StoreTable>(stmt: StatementCache, table: T, offset: number, limit: number): StoreRecords[T] {
  const rows = stmt(`${ORDER[table]} LIMIT ? OFFSET ?`).all(limit, offset) as unknown[];
  const out = ((): unknown[] => {
    switch (table) {
      case 'collections': return (rows as CollectionRow[]).map(collectionFromRow);
      case 'items': return (rows as ItemRow[]).map((r) => ({
        ...itemFromRow(r),
        identityKeys: (stmt('SELECT key FROM identity_keys WHERE item_id = ? ORDER BY key').all(r.id) as Array<{ key: string }>).map((k) => k.key),
      }));
      case 'versions': return (rows as VersionRow[]).map((r) => ({
        itemId: r.item_id, version: r.version, item: JSON.parse(r.data) as Item, deleted: r.deleted === 1, time: r.time, run: r.run,
      }));
      case 'links': return (rows as LinkRow[]).map((r) => ({ ...linkFromRow(r) }));
      case 'memberStates': return (rows as MemberStateRow[]).map(memberStateFromRow);
      case 'quarantine': return (rows as QuarantineRow[]).map(quarantineFromRow);
      case 'outbox': return (rows as OutboxRow[]).map(outboxFromRow);
      case 'log': return (rows as LogRow[]).map(logFromRow);
      case 'runs': return (rows as RunRow[]).map(runFromRow);
      case 'seqs': return (rows as Array<{ collection: string; seq: number }>).map((r) => ({ collection: r.collection, seq: r.seq }));
      case 'deadProps': return (rows as Array<{ collection: string; href: string; props: string }>).map((r) => ({ collection: r.collection, href: r.href, props: JSON.parse(r.props) as Record<string, string> }));
      case 'dismissedPairs': return rows;
      default: return assertNever(table, 'store table');
    }
  })();
  return out as StoreRecords[T];
}

/** Must run inside one IMMEDIATE transaction. Log and outbox ids are inserted as given (AUTOINCREMENT continues past them). */
export function importRecords(stmt: StatementCache, r: Partial<StoreRecords>): void {
  for (const c of r.collections ?? []) {
    stmt(`INSERT OR REPLACE INTO collections (name, kind, owner, display_name, color, description, origin, created_at)
          VALUES (@name, @kind, @owner, @display_name, @color, @description, @origin, @created_at)`).run(collectionToRow(c));
  }
  for (const i of r.items ?? []) importItem(stmt, i);
  for (const v of r.versions ?? []) importVersion(stmt, v.itemId, v);
  for (const d of r.deadProps ?? []) {
    stmt('INSERT OR REPLACE INTO dead_props (collection, href, props) VALUES (?, ?, ?)').run(d.collection, d.href, JSON.stringify(d.props));
  }
  for (const d of r.dismissedPairs ?? []) {
    stmt('INSERT OR REPLACE INTO dismissed_pairs (collection, a, b, time) VALUES (?, ?, ?, ?)').run(d.collection, d.a, d.b, d.time);
  }
  // Versions come before links (STORE_TABLES), so a base equal to its agreed version is stored by reference again.
  for (const l of r.links ?? []) putLink(stmt, l, JSON.stringify(l.base));
  for (const s of r.memberStates ?? []) {
    stmt(`INSERT OR REPLACE INTO member_states (collection, member, token, last_sync, errors, last_error)
          VALUES (@collection, @member, @token, @last_sync, @errors, @last_error)`).run(memberStateToRow(s));
  }
  for (const q of r.quarantine ?? []) {
    stmt(`INSERT OR REPLACE INTO quarantine (collection, member, href, location, message, raw, time)
          VALUES (@collection, @member, @href, @location, @message, @raw, @time)`).run(quarantineToRow(q));
  }
  for (const o of r.outbox ?? []) {
    stmt(`INSERT INTO outbox (id, collection, member, item_id, op, href, etag, version, created_at)
          VALUES (@id, @collection, @member, @item_id, @op, @href, @etag, @version, @created_at)`).run({ id: o.id, ...outboxToRow(o) });
  }
  for (const e of r.log ?? []) {
    stmt(`INSERT INTO log (id, run, time, collection, uid, item_id, action, connector, fields, message, resolves, entry)
          VALUES (@id, @run, @time, @collection, @uid, @item_id, @action, @connector, @fields, @message, @resolves, @entry)`).run({ id: e.id, ...logToRow(e) });
  }
  for (const run of r.runs ?? []) {
    stmt(`INSERT OR REPLACE INTO runs (id, start, "end", trigger, command, collections)
          VALUES (@id, @start, @end, @trigger, @command, @collections)`).run(runToRow(run));
  }
  for (const s of r.seqs ?? []) {
    stmt(`INSERT INTO collection_seq (collection, seq) VALUES (?, ?)
          ON CONFLICT (collection) DO UPDATE SET seq = max(seq, excluded.seq)`).run(s.collection, s.seq);
  }
}

function importItem(stmt: StatementCache, i: StoredItem & { identityKeys: string[] }): void {
  stmt(`INSERT OR REPLACE INTO items (id, collection, uid, version, seq, deleted, data, meta, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    i.id, i.collection, i.uid, i.version, i.seq, i.deleted ? 1 : 0, JSON.stringify(i.item), JSON.stringify(i.meta), i.updatedAt,
  );
  stmt('DELETE FROM identity_keys WHERE item_id = ?').run(i.id);
  if (!i.deleted) {
    for (const key of new Set(i.identityKeys)) stmt('INSERT INTO identity_keys (item_id, key, collection) VALUES (?, ?, ?)').run(i.id, key, i.collection);
  }
}

function importVersion(stmt: StatementCache, itemId: string, v: ItemVersion): void {
  stmt('INSERT OR REPLACE INTO item_versions (item_id, version, deleted, data, time, run) VALUES (?, ?, ?, ?, ?, ?)').run(
    itemId, v.version, v.deleted ? 1 : 0, JSON.stringify(v.item), v.time, v.run,
  );
}
