import { MongoError, type ClientSession, type MongoClient } from 'mongodb';

/** How often a transaction that collided with another writer is run again before giving up. */
const ATTEMPTS = 12;

/**
 * Runs `fn` in a multi-document transaction and commits it, running it again (with a short,
 * growing, random pause) when another writer collided with it. `fn` must compute everything
 * from what it reads in the session, as it may run several times.
 *
 * Retried: errors labelled TransientTransactionError (real MongoDB's write conflicts),
 * WriteConflict (112, which jongodb reports at commit without the label) and duplicate keys
 * (11000: two writers claimed the same number block or item version; the next attempt
 * re-reads and either gets fresh numbers or fails with precondition-failed).
 */
export async function inTransaction<T>(client: MongoClient, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = client.startSession();
  try {
    for (let attempt = 1; ; attempt++) {
      session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
      try {
        const result = await fn(session);
        await commitWithRetry(session);
        return result;
      } catch (e) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (attempt >= ATTEMPTS || !retryable(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  } finally {
    await session.endSession();
  }
}

async function commitWithRetry(session: ClientSession): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await session.commitTransaction();
      return;
    } catch (e) {
      if (i < 3 && e instanceof MongoError && e.hasErrorLabel('UnknownTransactionCommitResult')) continue;
      throw e;
    }
  }
}

function retryable(e: unknown): boolean {
  if (!(e instanceof MongoError)) return false;
  return e.hasErrorLabel('TransientTransactionError') || e.code === 112 || e.code === 11000;
}
