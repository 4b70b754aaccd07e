import { isFlushable, type WritableSource } from '../../core/connector.js';
import { assertNever, isPimError, messageOf } from '../../core/errors.js';
import type { LinkRecord } from '../../core/store.js';
import type { Etag, Href } from '../../core/types.js';
import { decideIncoming } from '../decide/merge-incoming.js';
import { stage } from '../plan/stage.js';
import { addWrites } from '../report.js';
import type { ChangeTask, WriteTask } from '../plan/plan-member.js';
import type { RunContext } from '../run-context.js';
import { killPoint } from '../../core/kill-point.js';

/**
 * Carries out one member's writes, each conditional. A write refused because the member
 * changed meanwhile (412) is re-read, re-merged and tried once more; other failures are
 * reported per item and the rest go on. Buffered sources (single files) are flushed once,
 * and their links are recorded only after the flush succeeded.
 */
const WRITE_CONCURRENCY = 8;

export async function applyMember(ctx: RunContext, member: string, source: WritableSource, tasks: WriteTask[]): Promise<void> {
  const buffered = isFlushable(source);
  const afterFlush: Array<() => Promise<void>> = [];
  const later = (f: () => Promise<void>) => (buffered ? afterFlush.push(f) : f());
  let done = 0;
  const one = async (task: WriteTask) => {
    try {
      await writeOne(ctx, member, source, task, later);
      killPoint('write.item');
    } catch (e) {
      if (isPimError(e, 'precondition-failed') && task.link && !buffered) {
        await retryAfterConflict(ctx, member, source, task, later);
      } else {
        reportError(ctx, member, task.link?.href ?? task.item.uid, e);
      }
    }
    done += 1;
    ctx.input.progress?.({ collection: ctx.input.collection, phase: 'write', member, done, total: tasks.length });
    await ctx.heartbeat();
  };
  // Writes to one member overlap: file syncs and network round trips dominate. A source may
  // allow more than the default (a vdir shares its fsyncs among the writes in flight).
  const queue = [...tasks];
  const workers = Array.from({ length: Math.min(buffered ? 1 : source.writeConcurrency ?? WRITE_CONCURRENCY, queue.length) }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await one(t);
  });
  await Promise.all(workers);
  if (buffered) {
    try {
      killPoint('write.before-flush');
      await source.flush();
      killPoint('write.flushed');
      for (const f of afterFlush) await f();
    } catch (e) {
      reportError(ctx, member, member, e, isPimError(e, 'precondition-failed') ? 'changed while pimhub was writing it; its changes are read and merged next run' : undefined);
    }
  }
}

async function writeOne(
  ctx: RunContext,
  member: string,
  source: WritableSource,
  task: WriteTask,
  later: (f: () => Promise<void>) => unknown,
): Promise<void> {
  const { item, write } = task;
  const linkFor = (href: Href, etag: Etag): LinkRecord => ({
    collection: ctx.input.collection, member, href, itemId: item.id, etag, base: item.item, agreedVersion: item.version, updatedAt: ctx.decide.now,
  });
  // What the write did is recorded as a decision of the plan, like any other.
  const record = (links: LinkRecord[], removeLinks: Array<{ member: string; href: Href }> = []) => stage(ctx.ws, ctx.report, { links, removeLinks });
  if (!task.link) {
    const r = await source.create(item.item);
    await later(() => record([linkFor(r.href, r.etag)]));
  } else {
    const { link } = task;
    switch (task.write.op) {
      case 'update': {
        const r = await source.update(link.href, link.etag, item.item);
        await later(() => record([linkFor(r.href, r.etag)], r.href !== link.href ? [{ member, href: link.href }] : []));
        break;
      }
      case 'delete':
        await source.delete(link.href, link.etag);
        await later(() => record([], [{ member, href: link.href }]));
        break;
      default:
        assertNever(task.write.op, 'planned write');
    }
  }
  addWrites(ctx.report, [write]);
}

/** The member changed the item since we read it: read it again, decide that entry anew, and write once more. */
async function retryAfterConflict(
  ctx: RunContext,
  member: string,
  source: WritableSource,
  task: ChangeTask,
  later: (f: () => Promise<void>) => unknown,
): Promise<void> {
  const { href } = task.link;
  try {
    const fresh = await source.get([href]);
    const f = fresh.items[0];
    if (!f) {
      // Gone at the member meanwhile: the next run sees the deletion and decides.
      return;
    }
    await stage(ctx.ws, ctx.report, await decideIncoming(ctx.decide, member, source, f));
    const item = await ctx.ws.getItem(task.item.id);
    const link = await ctx.ws.link(member, href);
    if (!item || !link || link.agreedVersion >= item.version) return;
    // The re-merge decides anew: an edit at the member restores an item deleted elsewhere.
    const op = item.deleted ? 'delete' : 'update';
    await writeOne(ctx, member, source, { write: { ...task.write, op }, item, link }, later);
  } catch (e) {
    reportError(ctx, member, href, e);
  }
}

function reportError(ctx: RunContext, member: string, where: string, e: unknown, advice?: string): void {
  const w = isPimError(e) && e.where ? e.where : where;
  ctx.report.errors.push({ collection: ctx.input.collection, member, where: w, message: advice ? `${messageOf(e)}: ${advice}` : messageOf(e) });
}
