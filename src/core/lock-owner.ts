import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Owners of locks and leases are `host:pid:random`, so a holder killed on this machine can
 * be told from one that is merely slow (crash recovery takes over at once, not after a TTL).
 */
export function newLockOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

/** Whether an owner is a process of this machine that no longer runs. */
export function ownerIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
