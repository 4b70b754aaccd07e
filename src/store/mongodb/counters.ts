import type { ClientSession, Db } from 'mongodb';
import { C } from './schema.js';

/**
 * Numbers handed out in blocks: log and outbox ids, run order, and each collection's change
 * sequence (`seq:<collection>`). A block is a document `{_id: "<name>:<first>", name, first,
 * last}` inserted in the caller's transaction; the block before it is removed. Two
 * transactions that read the same last block both insert the same `_id`, so one of them
 * fails and is run again with fresh numbers (jongodb detects conflicting inserts at commit
 * but not conflicting updates of one document, so a plain `$inc` counter could hand out a
 * number twice there).
 */
export interface CounterDoc {
  _id: string;
  name: string;
  first: number;
  last: number;
}

/** The last number handed out under `name` (0 if none). */
export async function lastNumber(db: Db, name: string, session?: ClientSession): Promise<number> {
  const top = await db.collection<CounterDoc>(C.counters).find({ name }, { session }).sort({ last: -1 }).limit(1).toArray();
  return top[0]?.last ?? 0;
}

/** Claims `count` numbers under `name` in the transaction; returns the first. */
export async function claimNumbers(db: Db, session: ClientSession, name: string, count: number): Promise<number> {
  const col = db.collection<CounterDoc>(C.counters);
  const top = await col.find({ name }, { session }).sort({ last: -1 }).limit(1).toArray();
  const first = (top[0]?.last ?? 0) + 1;
  await col.insertOne({ _id: `${name}:${first}`, name, first, last: first + count - 1 }, { session });
  if (top[0]) await col.deleteOne({ _id: top[0]._id }, { session });
  return first;
}

/** Raises the counter to at least `last` (importing records that carry their numbers). */
export async function raiseCounter(db: Db, session: ClientSession, name: string, last: number): Promise<void> {
  const current = await lastNumber(db, name, session);
  if (last > current) await claimNumbers(db, session, name, last - current);
}

export const seqCounter = (collection: string): string => `seq:${collection}`;
