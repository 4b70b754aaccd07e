import type { StatementCache } from './statement-cache.js';
import { PimError } from '../../core/errors.js';
import type { ItemWrite, StoreChange } from '../../core/store.js';
import { jsonOnce } from '../json-once.js';
import { putLink, type WrittenVersions } from './link-base.js';
import { logToRow, memberStateToRow, outboxToRow, quarantineToRow, runToRow } from './rows.js';

/**
 * Applies one `StoreChange`. Must run inside an IMMEDIATE transaction: a thrown error
 * (a version mismatch included) rolls everything back. Removals run before additions of
 * the same kind, so a step may replace a link or a quarantine record.
 */
export function applyChange(stmt: StatementCache, change: StoreChange, now: string): { logIds: number[]; outboxIds: number[] } {
  const json = jsonOnce();
  const written: WrittenVersions = new Map();
  if (change.items?.length) writeItems(stmt, change.items, now, json, written);

  for (const k of change.removeLinks ?? []) {
    stmt('DELETE FROM links WHERE collection = ? AND member = ? AND href = ?').run(k.collection, k.member, k.href);
  }
  for (const l of change.links ?? []) putLink(stmt, l, json(l.base), written);

  const logIds: number[] = [];
  for (const e of change.log ?? []) logIds.push(insertLog(stmt, e));

  for (const k of change.unquarantine ?? []) {
    stmt('DELETE FROM quarantine WHERE collection = ? AND member = ? AND href = ?').run(k.collection, k.member, k.href);
  }
  for (const q of change.quarantine ?? []) {
    stmt(`INSERT OR REPLACE INTO quarantine (collection, member, href, location, message, raw, time)
          VALUES (@collection, @member, @href, @location, @message, @raw, @time)`).run(quarantineToRow(q));
  }

  for (const id of change.outboxDone ?? []) stmt('DELETE FROM outbox WHERE id = ?').run(id);
  const outboxIds: number[] = [];
  for (const o of change.outbox ?? []) {
    const info = stmt(`INSERT INTO outbox (collection, member, item_id, op, href, etag, version, created_at)
                       VALUES (@collection, @member, @item_id, @op, @href, @etag, @version, @created_at)`).run(outboxToRow(o));
    outboxIds.push(Number(info.lastInsertRowid));
  }

  for (const s of change.memberStates ?? []) {
    stmt(`INSERT OR REPLACE INTO member_states (collection, member, token, last_sync, errors, last_error)
          VALUES (@collection, @member, @token, @last_sync, @errors, @last_error)`).run(memberStateToRow(s));
  }
  for (const r of change.runs ?? []) {
    stmt(`INSERT OR REPLACE INTO runs (id, start, "end", trigger, command, collections)
          VALUES (@id, @start, @end, @trigger, @command, @collections)`).run(runToRow(r));
  }
  return { logIds, outboxIds };
}

export function insertLog(stmt: StatementCache, e: Parameters<typeof logToRow>[0]): number {
  const info = stmt(`INSERT INTO log (run, time, collection, uid, item_id, action, connector, fields, message, resolves, entry)
                     VALUES (@run, @time, @collection, @uid, @item_id, @action, @connector, @fields, @message, @resolves, @entry)`).run(logToRow(e));
  return Number(info.lastInsertRowid);
}

function writeItems(stmt: StatementCache, writes: readonly ItemWrite[], now: string, json: (value: object) => string, written: WrittenVersions): void {
  const seqs = new Map<string, number>();
  const nextSeq = (collection: string): number => {
    let v = seqs.get(collection);
    if (v === undefined) {
      const row = stmt('SELECT seq FROM collection_seq WHERE collection = ?').get(collection) as { seq: number } | undefined;
      v = row?.seq ?? 0;
    }
    seqs.set(collection, ++v);
    return v;
  };

  for (const w of writes) {
    const cur = stmt('SELECT version FROM items WHERE id = ?').get(w.id) as { version: number } | undefined;
    const stored = cur?.version ?? 0;
    if (stored !== w.expectVersion) {
      throw new PimError(
        'precondition-failed',
        `item ${w.id} (uid ${w.uid} in ${w.collection}) is at version ${stored}, the change expected ${w.expectVersion}; nothing was written`,
      );
    }
    const version = w.expectVersion + 1;
    const deleted = w.deleted ? 1 : 0;
    const data = json(w.item);
    stmt(`INSERT INTO items (id, collection, uid, version, seq, deleted, data, meta, updated_at)
          VALUES (@id, @collection, @uid, @version, @seq, @deleted, @data, @meta, @now)
          ON CONFLICT (id) DO UPDATE SET collection = excluded.collection, uid = excluded.uid,
            version = excluded.version, seq = excluded.seq, deleted = excluded.deleted,
            data = excluded.data, meta = excluded.meta, updated_at = excluded.updated_at`).run({
      id: w.id,
      collection: w.collection,
      uid: w.uid,
      version,
      seq: nextSeq(w.collection),
      deleted,
      data,
      meta: JSON.stringify(w.meta),
      now,
    });
    stmt('INSERT OR REPLACE INTO item_versions (item_id, version, deleted, data, time, run) VALUES (?, ?, ?, ?, ?, ?)').run(
      w.id, version, deleted, data, now, w.run ?? '',
    );
    let mine = written.get(w.id);
    if (!mine) written.set(w.id, (mine = new Map()));
    mine.set(version, data);
    if (w.deleted || w.identityKeys !== undefined) {
      stmt('DELETE FROM identity_keys WHERE item_id = ?').run(w.id);
      if (!w.deleted) {
        for (const key of new Set(w.identityKeys)) {
          stmt('INSERT INTO identity_keys (item_id, key, collection) VALUES (?, ?, ?)').run(w.id, key, w.collection);
        }
      }
    }
  }

  for (const [collection, seq] of seqs) {
    stmt(`INSERT INTO collection_seq (collection, seq) VALUES (?, ?)
          ON CONFLICT (collection) DO UPDATE SET seq = excluded.seq`).run(collection, seq);
  }
}
