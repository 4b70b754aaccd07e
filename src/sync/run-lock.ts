import { PimError } from '../core/errors.js';
import { newLockOwner, ownerIsDead } from '../core/lock-owner.js';
import type { Store } from '../core/store.js';

const TTL_MS = 2 * 60 * 1000;
const RENEW_MS = 30 * 1000;
const WAIT_MS = 10 * 1000;

/**
 * Runs `fn` holding the named lock: two syncs of one collection never run at once. A lock
 * left by a killed process on this machine is taken over at once; a live holder is waited
 * for a little, then reported. The lock is renewed while `fn` runs.
 */
export async function withLock<T>(store: Store, name: string, what: string, fn: (heartbeat: () => Promise<void>) => Promise<T>): Promise<T> {
  const owner = newLockOwner();
  const deadline = Date.now() + WAIT_MS;
  while (!(await store.tryLock(name, owner, TTL_MS))) {
    const holder = await store.lockHolder(name);
    if (holder && ownerIsDead(holder)) {
      await store.unlock(name, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new PimError('busy', `${what} is being synced by another pimhub process (${holder ?? 'unknown'}); try again when it has finished`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const renew = setInterval(() => void store.tryLock(name, owner, TTL_MS).catch(() => undefined), RENEW_MS);
  renew.unref();
  // Long CPU-bound stretches (merging thousands of items over a synchronous SQLite) starve
  // the timer: the run calls this between items, and it renews when due.
  let renewed = Date.now();
  const heartbeat = async () => {
    if (Date.now() - renewed < RENEW_MS) return;
    renewed = Date.now();
    if (!(await store.tryLock(name, owner, TTL_MS))) {
      throw new PimError('busy', `${what}: lost the sync lock to another process; this run stops, the next one finishes its work`);
    }
  };
  try {
    return await fn(heartbeat);
  } finally {
    clearInterval(renew);
    await store.unlock(name, owner);
  }
}
