/**
 * Limits password guessing on the endpoint and the review page: wrong passwords are counted
 * per client address and user name, and per client address alone (a spray over many user
 * names); past the limit every login from there — right password or not, so guessing learns
 * nothing — gets 429 with Retry-After until the window has passed. A right password before
 * the limit clears that address's counts. Counts live in this process only
 * (a restart forgets them) and the table is bounded, so a flood cannot exhaust memory.
 */
export interface ThrottleLimits {
  /** Wrong passwords allowed per (address, user) within `windowMs`. */
  perUser: number;
  /** Wrong passwords allowed per address, over all user names, within `windowMs`. */
  perAddress: number;
  windowMs: number;
  /** Most addresses and pairs remembered; the oldest are dropped beyond it. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { perUser: 10, perAddress: 30, windowMs: 15 * 60 * 1000, maxEntries: 10_000 };

interface Count { failures: number; since: number }

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly counts = new Map<string, Count>();

  constructor(readonly limits: ThrottleLimits = DEFAULT_LIMITS, private readonly clock: () => number = Date.now) {}

  /** Whether a login attempt from `address` as `user` may be checked at all. */
  verdict(address: string, user: string): ThrottleVerdict {
    const now = this.clock();
    let wait = 0;
    for (const [key, limit] of this.keys(address, user)) {
      const c = this.live(key, now);
      if (c && c.failures >= limit) wait = Math.max(wait, c.since + this.limits.windowMs - now);
    }
    return wait > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) } : { allowed: true };
  }

  /** Counts a wrong password; returns the (address, user) count so the log line can say it. */
  failed(address: string, user: string): number {
    const now = this.clock();
    let mine = 0;
    for (const [key] of this.keys(address, user)) {
      const c = this.live(key, now) ?? { failures: 0, since: now };
      c.failures++;
      this.counts.delete(key);
      this.counts.set(key, c);
      if (key.startsWith('u\0')) mine = c.failures;
    }
    while (this.counts.size > this.limits.maxEntries) this.counts.delete(this.counts.keys().next().value!);
    return mine;
  }

  /** A right password clears both counts of that address (a user of a shared address who mistyped). */
  succeeded(address: string, user: string): void {
    for (const [key] of this.keys(address, user)) this.counts.delete(key);
  }

  private keys(address: string, user: string): Array<[string, number]> {
    return [[`u\0${address}\0${user}`, this.limits.perUser], [`a\0${address}`, this.limits.perAddress]];
  }

  private live(key: string, now: number): Count | undefined {
    const c = this.counts.get(key);
    if (c && now - c.since >= this.limits.windowMs) {
      this.counts.delete(key);
      return undefined;
    }
    return c;
  }
}
