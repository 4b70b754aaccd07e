/**
 * The daemon's one sync lane: never two runs at once. A run requested while one is going
 * is coalesced into a single follow-up run (its scopes merged), and writes through the
 * endpoint ask for a run after a quiet period (debounce), so a burst of PUTs from a client
 * becomes one sync. Pure scheduling: the run itself is a function given by the caller.
 */

/** Which collections a run covers: every configured one, or a few named ones. */
export type SyncScope = 'all' | ReadonlySet<string>;

export type RunReason = 'start' | 'schedule' | 'write' | 'resolve';

export interface RunRequest {
  /** Why, for the log; several reasons when requests were coalesced. */
  reasons: RunReason[];
  scope: SyncScope;
}

export interface RunRecord {
  reasons: RunReason[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  ok: boolean;
}

export interface SyncRunnerOptions {
  run: (req: RunRequest) => Promise<boolean>;
  /** How long writes must be quiet before their sync starts. */
  debounceMs: number;
  /** A run was due while another was going (it will follow). */
  onCoalesced?: (req: RunRequest) => void;
  /** `run` threw (it should report its own errors; this is the last resort). */
  onCrash?: (e: unknown) => void;
  now?: () => number;
}

function mergeScope(a: SyncScope | undefined, b: SyncScope): SyncScope {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

export class SyncRunner {
  private running: Promise<void> | undefined;
  private pending: RunRequest | undefined;
  private soon: { timer: NodeJS.Timeout; req: RunRequest } | undefined;
  private stopped = false;
  private last: RunRecord | undefined;
  private runs = 0;

  constructor(private readonly opts: SyncRunnerOptions) {}

  /** Runs now, or right after the current run (coalesced). Resolves when the work including this request is done. */
  request(reason: RunReason, scope: SyncScope = 'all'): Promise<void> {
    return this.enqueue({ reasons: [reason], scope });
  }

  private enqueue(req: RunRequest): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.pending = { reasons: [...(this.pending?.reasons ?? []), ...req.reasons], scope: mergeScope(this.pending?.scope, req.scope) };
    if (this.running) {
      this.opts.onCoalesced?.(req);
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A run after `debounceMs` of quiet: each new call restarts the wait and widens the scope. */
  requestSoon(reason: RunReason, scope: SyncScope = 'all'): void {
    if (this.stopped) return;
    const req: RunRequest = this.soon
      ? { reasons: this.soon.req.reasons.includes(reason) ? this.soon.req.reasons : [...this.soon.req.reasons, reason], scope: mergeScope(this.soon.req.scope, scope) }
      : { reasons: [reason], scope };
    if (this.soon) clearTimeout(this.soon.timer);
    const timer = setTimeout(() => {
      this.soon = undefined;
      void this.enqueue(req);
    }, this.opts.debounceMs);
    this.soon = { timer, req };
  }

  private async loop(): Promise<void> {
    while (this.pending && !this.stopped) {
      const req = this.pending;
      this.pending = undefined;
      const now = this.opts.now ?? Date.now;
      const start = now();
      let ok = false;
      try {
        ok = await this.opts.run({ reasons: [...new Set(req.reasons)], scope: req.scope });
      } catch (e) {
        this.opts.onCrash?.(e);
      }
      const end = now();
      this.runs += 1;
      this.last = {
        reasons: [...new Set(req.reasons)], startedAt: new Date(start).toISOString(), finishedAt: new Date(end).toISOString(), durationMs: end - start, ok,
      };
    }
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Whether a write's sync is waiting for its quiet period. */
  get scheduledSoon(): boolean {
    return this.soon !== undefined;
  }

  status(): { running: boolean; runs: number; last?: RunRecord } {
    return { running: this.busy, runs: this.runs, ...(this.last ? { last: this.last } : {}) };
  }

  /**
   * No new runs; a waiting debounced run and coalesced follow-ups are dropped (the daemon
   * syncs on its next start); resolves when the run in progress has finished.
   */
  async stop(): Promise<{ dropped: boolean }> {
    this.stopped = true;
    const dropped = this.soon !== undefined || this.pending !== undefined;
    if (this.soon) clearTimeout(this.soon.timer);
    this.soon = undefined;
    this.pending = undefined;
    await this.running;
    return { dropped };
  }
}
