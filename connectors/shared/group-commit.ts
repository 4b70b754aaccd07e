/**
 * Group commit: callers add work one at a time; the work waiting when the previous commit
 * ends (or, for the first, what arrived in the same tick) is committed together. Each
 * caller's promise settles once the commit that covered its item has ended, with that
 * item's own error if it had one, so a caller waits no less than with a commit of its own.
 * Used for fsyncs: one file system journal commit covers many files written meanwhile.
 */
export class GroupCommit<T> {
  private waiting: Array<{ item: T; settle: (error: unknown) => void }> = [];
  private running: Promise<void> = Promise.resolve();
  private scheduled = false;

  /**
   * `commit` gives, per item in order, its error or undefined. `onIdle` runs when a commit
   * ends with nothing waiting, so an owner keeping one GroupCommit per key (a folder) can
   * drop it instead of holding one per key ever used.
   */
  constructor(
    private readonly commit: (items: T[]) => Promise<unknown[]>,
    private readonly onIdle?: () => void,
  ) {}

  add(item: T): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, settle: (e) => (e === undefined ? resolve() : reject(e)) });
    });
    if (!this.scheduled) {
      this.scheduled = true;
      this.running = this.running.then(() => this.run());
    }
    return done;
  }

  private async run(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    const errors = await this.commit(group.map((g) => g.item)).catch((e: unknown) => group.map(() => e ?? new Error('commit failed')));
    group.forEach((g, i) => g.settle(errors[i]));
    if (!this.scheduled) this.onIdle?.();
  }
}
