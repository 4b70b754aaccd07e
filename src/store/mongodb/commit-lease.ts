import type { Db } from 'mongodb';
import { PimError } from '../../core/errors.js';
import { newLockOwner, ownerIsDead } from '../../core/lock-owner.js';
import { acquireLock, lockHolder, releaseLock } from './locks.js';

/** The lock document that lets one transaction at a time write the store. */
export const COMMIT_LOCK = 'pimhub:commit';
const TTL_MS = 30_000;
const RENEW_MS = 5_000;
const WAIT_MS = 60_000;

/**
 * Runs `fn` (a transaction) while holding the store's commit lease, so write transactions
 * of all processes never overlap. jongodb needs this: it does not detect two transactions
 * updating one document (the later commit overwrites the earlier), and a commit it refuses
 * for a conflicting insert may still have applied part of its writes. Real MongoDB would
 * detect both, but one path for both servers is one path tested; the cost is a lock round
 * trip per commit. A holder renews the lease while its transaction runs; a killed holder's
 * lease runs out after 30 s, or at once when it was a process of this machine.
 */
export async function withCommitLease<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const owner = newLockOwner();
  const deadline = Date.now() + WAIT_MS;
  let pause = 1;
  while (!(await acquireLock(db, COMMIT_LOCK, owner, TTL_MS))) {
    const holder = await lockHolder(db, COMMIT_LOCK);
    if (holder && ownerIsDead(holder)) {
      // Killed mid-commit on this machine: take over now rather than after the ttl (its journal is replayed).
      await releaseLock(db, COMMIT_LOCK, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new PimError('busy', `another pimhub process has held the MongoDB store's commit lease for over ${WAIT_MS / 1000} s; if no pimhub process is running, it expires ${TTL_MS / 1000} s after the last one stopped`);
    }
    await new Promise((r) => setTimeout(r, pause * (1 + Math.random())));
    pause = Math.min(pause * 2, 50);
  }
  const renew = setInterval(() => void acquireLock(db, COMMIT_LOCK, owner, TTL_MS).catch(() => undefined), RENEW_MS);
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await releaseLock(db, COMMIT_LOCK, owner).catch(() => undefined);
  }
}

/** One at a time within this process (so a process's commits queue here instead of polling the lease). */
export class LocalQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
