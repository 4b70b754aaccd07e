import type { ClientSession, Db, Document } from 'mongodb';
import { PimError } from '../../core/errors.js';
import type { ItemWrite, StoreChange } from '../../core/store.js';
import { logToRow, memberStateToRow, outboxToRow, quarantineToRow, runToRow } from '../sqlite/rows.js';
import { jsonOnce } from '../json-once.js';
import { seqCounter, type CounterDoc } from './counters.js';
import { linkDocs, type WrittenVersions } from './link-base.js';
import { idOf, type ItemDoc, type VersionDoc } from './docs.js';
import { C } from './schema.js';

/** Any document of the store: every `_id` is a string or a number. */
export type Doc = Document & { _id: string | number };

/**
 * One write: a document put (replaced or inserted by `_id`), a document that is new (`ins`:
 * an id the plan just handed out, a new item or item version; applied again after a crash,
 * it is a put), a removal by `_id`, or a removal of every document whose `field` is one of
 * `in`. A commit is planned as a list of these (reading what it must check), then applied
 * (apply.ts) in a transaction or through the journal.
 */
export type Op =
  | { c: string; put: Doc }
  | { c: string; ins: Doc }
  | { c: string; del: string | number }
  | { c: string; delWhere: { field: string; in: Array<string | number> } };

export interface Plan<T> {
  ops: Op[];
  result: T;
}

/** Bound on ids per `$in`. */
const CHUNK = 1000;

/**
 * Plans one `StoreChange` (Store.commit). Runs under the commit lease, so no other writer
 * changes what it reads before its ops are applied. Throws precondition-failed (nothing
 * planned, nothing written) when an item is not at the expected version.
 */
export async function planChange(db: Db, session: ClientSession | undefined, change: StoreChange, now: string): Promise<Plan<{ logIds: number[]; outboxIds: number[] }>> {
  const ops: Op[] = [];
  const numbers = new Numbers(db, session);
  const json = jsonOnce();
  const written: WrittenVersions = new Map();
  if (change.items?.length) await planItems(db, session, numbers, change.items, now, ops, json, written);

  for (const k of change.removeLinks ?? []) ops.push({ c: C.links, del: idOf(k.collection, k.member, k.href) });
  if (change.links?.length) for (const put of await linkDocs(db, session, change.links, json, written)) ops.push({ c: C.links, put });

  const logIds: number[] = [];
  const log = change.log ?? [];
  if (log.length) {
    const first = await numbers.claim('log', log.length);
    log.forEach((e, i) => {
      ops.push({ c: C.log, ins: { _id: first + i, id: first + i, ...logToRow(e) } });
      logIds.push(first + i);
    });
  }

  for (const k of change.unquarantine ?? []) ops.push({ c: C.quarantine, del: idOf(k.collection, k.member, k.href) });
  for (const q of change.quarantine ?? []) ops.push({ c: C.quarantine, put: { _id: idOf(q.collection, q.member, q.href), ...quarantineToRow(q) } });

  for (const id of change.outboxDone ?? []) ops.push({ c: C.outbox, del: id });
  const outboxIds: number[] = [];
  const outbox = change.outbox ?? [];
  if (outbox.length) {
    const first = await numbers.claim('outbox', outbox.length);
    outbox.forEach((o, i) => {
      ops.push({ c: C.outbox, ins: { _id: first + i, id: first + i, ...outboxToRow(o) } });
      outboxIds.push(first + i);
    });
  }

  for (const s of change.memberStates ?? []) ops.push({ c: C.states, put: { _id: idOf(s.collection, s.member), ...memberStateToRow(s) } });

  const runs = change.runs ?? [];
  if (runs.length) {
    // Like SQLite's INSERT OR REPLACE (a new rowid): a replaced run sorts as the latest of equal starts.
    const ord = await numbers.claim('runs', runs.length);
    runs.forEach((r, i) => ops.push({ c: C.runs, put: { _id: r.id, ...runToRow(r), ord: ord + i } }));
  }
  // Counters last: a reader that sees a new seq sees the items below it (changesSince).
  return { ops: [...ops, ...numbers.ops()], result: { logIds, outboxIds } };
}

/** Plans the removal of a collection's items, history, links, states, quarantine, outbox and log (not its seq). */
export async function planDeleteCollection(db: Db, session: ClientSession | undefined, name: string): Promise<Plan<void>> {
  const ids = (await db.collection(C.items).aggregate<{ _id: string }>([{ $match: { collection: name } }, { $project: { _id: 1 } }], { session }).toArray()).map((r) => r._id);
  const ops: Op[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) ops.push({ c: C.versions, delWhere: { field: 'item_id', in: ids.slice(i, i + CHUNK) } });
  for (const c of [C.items, C.links, C.states, C.quarantine, C.outbox, C.log, C.dead, C.dismissed]) ops.push({ c, delWhere: { field: 'collection', in: [name] } });
  ops.push({ c: C.collections, del: name });
  return { ops, result: undefined };
}

async function planItems(
  db: Db, session: ClientSession | undefined, numbers: Numbers, writes: readonly ItemWrite[], now: string, ops: Op[],
  json: (value: object) => string, written: WrittenVersions,
): Promise<void> {
  const state = new Map<string, { version: number; keys: string[] }>();
  const ids = [...new Set(writes.map((w) => w.id))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.collection<ItemDoc>(C.items).aggregate<{ _id: string; version: number; keys?: string[] }>(
      [{ $match: { _id: { $in: ids.slice(i, i + CHUNK) } } }, { $project: { version: 1, keys: 1 } }], { session },
    ).toArray();
    for (const r of rows) state.set(r._id, { version: r.version, keys: r.keys ?? [] });
  }

  // Every expectVersion in order first (one step may write an item twice).
  const perCollection = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const w of writes) {
    const stored = seen.get(w.id) ?? state.get(w.id)?.version ?? 0;
    if (stored !== w.expectVersion) {
      throw new PimError(
        'precondition-failed',
        `item ${w.id} (uid ${w.uid} in ${w.collection}) is at version ${stored}, the change expected ${w.expectVersion}; nothing was written`,
      );
    }
    seen.set(w.id, w.expectVersion + 1);
    perCollection.set(w.collection, (perCollection.get(w.collection) ?? 0) + 1);
  }
  const nextSeq = new Map<string, number>();
  for (const [collection, count] of perCollection) nextSeq.set(collection, await numbers.claim(seqCounter(collection), count));

  const finalDocs = new Map<string, ItemDoc>();
  const versions: VersionDoc[] = [];
  for (const w of writes) {
    const version = w.expectVersion + 1;
    const seq = nextSeq.get(w.collection)!;
    nextSeq.set(w.collection, seq + 1);
    const deleted = w.deleted ? 1 : 0;
    const data = json(w.item);
    let mine = written.get(w.id);
    if (!mine) written.set(w.id, (mine = new Map()));
    mine.set(version, data);
    const prevKeys = finalDocs.get(w.id)?.keys ?? state.get(w.id)?.keys ?? [];
    const keys = w.deleted ? [] : w.identityKeys !== undefined ? [...new Set(w.identityKeys)] : prevKeys;
    finalDocs.set(w.id, {
      _id: w.id, id: w.id, collection: w.collection, uid: w.uid, version, seq, deleted, data, meta: JSON.stringify(w.meta), updated_at: now, keys,
    });
    versions.push({ _id: idOf(w.id, version), item_id: w.id, version, deleted, data, time: now, run: w.run ?? '' });
  }
  for (const d of finalDocs.values()) ops.push(state.has(d._id) ? { c: C.items, put: d } : { c: C.items, ins: d });
  for (const v of versions) ops.push({ c: C.versions, ins: v });
}

/**
 * Number blocks claimed by one plan (see counters.ts): read under the commit lease, written
 * as ops (the new block put, the previous one removed) at the end of the plan.
 */
class Numbers {
  private readonly blocks = new Map<string, { prev?: string; first: number; last: number }>();

  constructor(private readonly db: Db, private readonly session: ClientSession | undefined) {}

  async claim(name: string, count: number): Promise<number> {
    const known = this.blocks.get(name);
    if (known) {
      const first = known.last + 1;
      known.last += count;
      return first;
    }
    const top = await this.db.collection<CounterDoc>(C.counters).find({ name }, { session: this.session }).sort({ last: -1 }).limit(1).toArray();
    const first = (top[0]?.last ?? 0) + 1;
    this.blocks.set(name, { prev: top[0]?._id, first, last: first + count - 1 });
    return first;
  }

  ops(): Op[] {
    const out: Op[] = [];
    for (const [name, b] of this.blocks) {
      out.push({ c: C.counters, ins: { _id: `${name}:${b.first}`, name, first: b.first, last: b.last } });
      if (b.prev !== undefined) out.push({ c: C.counters, del: b.prev });
    }
    return out;
  }
}

