import { MongoServerError, type Db } from 'mongodb';
import { C } from './schema.js';

/**
 * Named locks as leases: one document per lock `{_id: name, owner, expiresAt}` (epoch ms of
 * the taking process's clock; keep the gateways' clocks in sync with NTP). Taking is one
 * conditional upsert, atomic on any MongoDB: it matches when the lock is ours or expired;
 * when another live owner holds it, the upsert's insert collides on `_id` (E11000) and the
 * answer is no. A holder renews by taking again; a killed holder's lease runs out.
 */
interface LockDoc {
  _id: string;
  owner: string;
  expiresAt: number;
}

export async function acquireLock(db: Db, name: string, owner: string, ttlMs: number): Promise<boolean> {
  const now = Date.now();
  try {
    await db.collection<LockDoc>(C.locks).updateOne(
      { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
      { $set: { owner, expiresAt: now + ttlMs } },
      { upsert: true },
    );
    return true;
  } catch (e) {
    if (e instanceof MongoServerError && e.code === 11000) return false;
    throw e;
  }
}

export async function releaseLock(db: Db, name: string, owner: string): Promise<void> {
  await db.collection<LockDoc>(C.locks).deleteOne({ _id: name, owner });
}

export async function lockHolder(db: Db, name: string): Promise<string | undefined> {
  const held = await db.collection<LockDoc>(C.locks).findOne({ _id: name });
  return held && held.expiresAt > Date.now() ? held.owner : undefined;
}
