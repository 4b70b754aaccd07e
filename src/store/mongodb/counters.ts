import type { ClientSession, Db } from 'mongodb';
import { C } from './schema.js';

/**
 * Numbers handed out in blocks: log and outbox ids, run order, and each collection's change
 * sequence (`seq:<collection>`). A block is a document `{_id: "<name>:<first>", name, first,
 * last}`; a commit puts its new block and removes the one before (plan.ts), so the counter
 * is the highest block. Writers are serialised by the commit lease (commit-lease.ts).
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

export const seqCounter = (collection: string): string => `seq:${collection}`;
