import type { AnyBulkWriteOperation, ClientSession, Db, Document } from 'mongodb';
import { PimError } from '../../core/errors.js';
import type { ItemWrite, StoreChange } from '../../core/store.js';
import { linkToRow, logToRow, memberStateToRow, outboxToRow, quarantineToRow, runToRow } from '../sqlite/rows.js';
import { claimNumbers, seqCounter } from './counters.js';
import { idOf, type ItemDoc, type VersionDoc } from './docs.js';
import { C } from './schema.js';

/** Any document of the store: every `_id` is a string or a number. */
export type Doc = Document & { _id: string | number };

/** Bound on ids per `$in` and documents per bulk write. */
const CHUNK = 1000;

/**
 * The body of `commit`, run inside one transaction (transaction.ts): a thrown error, a
 * version mismatch included, aborts all of it. Order as in the SQLite store: items, then
 * removals before additions of each kind.
 */
export async function applyChange(db: Db, session: ClientSession, change: StoreChange, now: string): Promise<{ logIds: number[]; outboxIds: number[] }> {
  if (change.items?.length) await writeItems(db, session, change.items, now);

  const linkOps: AnyBulkWriteOperation<Doc>[] = [
    ...(change.removeLinks ?? []).map((k) => ({ deleteOne: { filter: { _id: idOf(k.collection, k.member, k.href) } } })),
    ...(change.links ?? []).map((l) => {
      const _id = idOf(l.collection, l.member, l.href);
      return { replaceOne: { filter: { _id }, replacement: { _id, ...linkToRow(l) }, upsert: true } };
    }),
  ];
  await bulk(db, session, C.links, linkOps);

  const logIds: number[] = [];
  const log = change.log ?? [];
  if (log.length) {
    const first = await claimNumbers(db, session, 'log', log.length);
    const docs = log.map((e, i) => ({ _id: first + i, id: first + i, ...logToRow(e) }));
    await insertAll(db, session, C.log, docs);
    logIds.push(...docs.map((d) => d.id));
  }

  await bulk(db, session, C.quarantine, [
    ...(change.unquarantine ?? []).map((k) => ({ deleteOne: { filter: { _id: idOf(k.collection, k.member, k.href) } } })),
    ...(change.quarantine ?? []).map((q) => {
      const _id = idOf(q.collection, q.member, q.href);
      return { replaceOne: { filter: { _id }, replacement: { _id, ...quarantineToRow(q) }, upsert: true } };
    }),
  ]);

  const done = change.outboxDone ?? [];
  for (let i = 0; i < done.length; i += CHUNK) {
    await db.collection<Doc>(C.outbox).deleteMany({ _id: { $in: done.slice(i, i + CHUNK) } }, { session });
  }
  const outboxIds: number[] = [];
  const outbox = change.outbox ?? [];
  if (outbox.length) {
    const first = await claimNumbers(db, session, 'outbox', outbox.length);
    const docs = outbox.map((o, i) => ({ _id: first + i, id: first + i, ...outboxToRow(o) }));
    await insertAll(db, session, C.outbox, docs);
    outboxIds.push(...docs.map((d) => d.id));
  }

  await bulk(db, session, C.states, (change.memberStates ?? []).map((s) => {
    const _id = idOf(s.collection, s.member);
    return { replaceOne: { filter: { _id }, replacement: { _id, ...memberStateToRow(s) }, upsert: true } };
  }));

  const runs = change.runs ?? [];
  if (runs.length) {
    // Like SQLite's INSERT OR REPLACE (a new rowid): a replaced run sorts as the latest of equal starts.
    const ord = await claimNumbers(db, session, 'runs', runs.length);
    await bulk(db, session, C.runs, runs.map((r, i) => ({
      replaceOne: { filter: { _id: r.id }, replacement: { _id: r.id, ...runToRow(r), ord: ord + i }, upsert: true },
    })));
  }
  return { logIds, outboxIds };
}

async function writeItems(db: Db, session: ClientSession, writes: readonly ItemWrite[], now: string): Promise<void> {
  const items = db.collection<ItemDoc>(C.items);
  const state = new Map<string, { version: number; keys: string[] }>();
  const ids = [...new Set(writes.map((w) => w.id))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await items.aggregate<{ _id: string; version: number; keys?: string[] }>(
      [{ $match: { _id: { $in: ids.slice(i, i + CHUNK) } } }, { $project: { version: 1, keys: 1 } }], { session },
    ).toArray();
    for (const r of rows) state.set(r._id, { version: r.version, keys: r.keys ?? [] });
  }

  // Check every expectVersion in order (one step may write an item twice) before claiming numbers.
  const perCollection = new Map<string, number>();
  for (const w of writes) {
    const stored = state.get(w.id)?.version ?? 0;
    if (stored !== w.expectVersion) {
      throw new PimError(
        'precondition-failed',
        `item ${w.id} (uid ${w.uid} in ${w.collection}) is at version ${stored}, the change expected ${w.expectVersion}; nothing was written`,
      );
    }
    state.set(w.id, { version: w.expectVersion + 1, keys: state.get(w.id)?.keys ?? [] });
    perCollection.set(w.collection, (perCollection.get(w.collection) ?? 0) + 1);
  }
  const nextSeq = new Map<string, number>();
  for (const [collection, count] of perCollection) nextSeq.set(collection, await claimNumbers(db, session, seqCounter(collection), count));

  const finalDocs = new Map<string, ItemDoc>();
  const versions: VersionDoc[] = [];
  const keysOf = new Map<string, string[]>();
  for (const w of writes) {
    const version = w.expectVersion + 1;
    const seq = nextSeq.get(w.collection)!;
    nextSeq.set(w.collection, seq + 1);
    const deleted = w.deleted ? 1 : 0;
    const data = JSON.stringify(w.item);
    const prevKeys = keysOf.get(w.id) ?? state.get(w.id)?.keys ?? [];
    const keys = w.deleted ? [] : w.identityKeys !== undefined ? [...new Set(w.identityKeys)] : prevKeys;
    keysOf.set(w.id, keys);
    finalDocs.set(w.id, {
      _id: w.id, id: w.id, collection: w.collection, uid: w.uid, version, seq, deleted, data, meta: JSON.stringify(w.meta), updated_at: now, keys,
    });
    versions.push({ _id: idOf(w.id, version), item_id: w.id, version, deleted, data, time: now, run: w.run ?? '' });
  }
  await bulk(db, session, C.items, [...finalDocs.values()].map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })));
  // Inserted, not replaced: two writers of the same item version collide here (see counters.ts).
  await insertAll(db, session, C.versions, versions);
}

export async function bulk(db: Db, session: ClientSession, name: string, ops: AnyBulkWriteOperation<Doc>[]): Promise<void> {
  for (let i = 0; i < ops.length; i += CHUNK) {
    await db.collection<Doc>(name).bulkWrite(ops.slice(i, i + CHUNK), { session, ordered: true });
  }
}

export async function insertAll(db: Db, session: ClientSession, name: string, docs: Doc[]): Promise<void> {
  for (let i = 0; i < docs.length; i += CHUNK) {
    await db.collection<Doc>(name).insertMany(docs.slice(i, i + CHUNK), { session, ordered: true });
  }
}
