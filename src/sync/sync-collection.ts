import { isWritable, type Source } from '../core/connector.js';
import { isPimError, messageOf } from '../core/errors.js';
import { applyMember } from './apply/apply-member.js';
import { processDeletions } from './decide/deletions.js';
import { keepGroupsInStep } from './decide/group-labels.js';
import { mergeIncoming } from './decide/merge-incoming.js';
import { planMember, type WriteTask } from './plan/plan-member.js';
import { readMember, type MemberRead } from './read/read-member.js';
import type { RunContext } from './run-context.js';
import { withLock } from './run-lock.js';
import type { CollectionReport, CollectionSyncInput } from './types.js';
import { Workspace } from './workspace.js';

/**
 * One sync round of one collection, hub and spoke: read every member's changes, merge them
 * into the store, decide deletions (under the delete guard), then write each member what
 * it lacks. A dry run does all the deciding and none of the writing.
 */
export async function syncCollection(input: CollectionSyncInput): Promise<CollectionReport> {
  return withLock(input.store, `sync:${input.collection}`, `collection ${input.collection}`, (heartbeat) => run(input, heartbeat));
}

async function run(input: CollectionSyncInput, heartbeat: () => Promise<void>): Promise<CollectionReport> {
  const { store, collection } = input;
  const ws = new Workspace(store, collection, input.dryRun, input.run);
  const report: CollectionReport = { name: collection, changes: [], writes: [], quarantined: 0, errors: [], recovered: 0 };
  const quarantined = new Map<string, Set<string>>();
  for (const q of await store.listQuarantine(collection)) {
    let s = quarantined.get(q.member);
    if (!s) quarantined.set(q.member, (s = new Set()));
    s.add(q.href);
  }
  const ctx: RunContext = {
    input, ws, report, now: input.now().toISOString(), quarantined, goneHrefs: new Map(), sources: new Map(), heartbeat,
    interrupted: new Map(),
  };
  const liveBefore = await store.countItems(collection);
  // Writes an interrupted run planned: a member found holding exactly such a version is
  // linked to it instead of being merged against its older base (no spurious conflicts).
  for (const o of await store.listOutbox(collection)) {
    if (o.op !== 'delete') ctx.interrupted.set(`${o.member}\n${o.itemId}`, o.version);
    report.recovered += 1;
  }

  const reads: MemberRead[] = [];
  const failed = new Set<string>();
  for (const m of input.members) {
    ctx.sources.set(m.name, m.source);
    try {
      const state = await store.getMemberState(collection, m.name);
      const read = await readMember(ws, m.name, m.source, state?.token);
      reads.push(read);
      ctx.goneHrefs.set(m.name, new Set(read.gone.map((l) => l.href)));
    } catch (e) {
      failed.add(m.name);
      report.errors.push({ collection, member: m.name, where: isPimError(e) && e.where ? e.where : m.name, message: messageOf(e) });
    }
  }

  const total = reads.reduce((n, r) => n + r.changed.length, 0);
  let done = 0;
  for (const read of [...reads]) {
    try {
      for await (const batch of read.batches()) {
        for (const f of batch) {
          try {
            await mergeIncoming(ctx, read.member, read.source, f);
          } catch (e) {
            if (!isPimError(e, 'invalid-data')) throw e;
            quarantine(ctx, read.member, { href: f.href, where: e.where ?? f.href, message: e.message });
          }
          await ctx.heartbeat();
          done += 1;
          if (done % 100 === 0 || done === total) input.progress?.({ collection, phase: 'merge', done, total });
        }
      }
    } catch (e) {
      // The source failed part-way (a server error, a file gone): that member's read counts
      // for nothing more this run — no deletions, no token — and is reported.
      if (!isPimError(e) || e.kind === 'busy') throw e;
      reads.splice(reads.indexOf(read), 1);
      failed.add(read.member);
      report.errors.push({ collection, member: read.member, where: e.where ?? read.member, message: messageOf(e) });
      continue;
    }
    for (const p of read.problems) quarantine(ctx, read.member, p);
    // A broken entry leaves quarantine once it is gone from its source, or is back to what
    // the member last agreed (the file was restored), so it is not fetched again.
    const links = await ws.linksOf(read.member);
    for (const href of quarantined.get(read.member) ?? []) {
      const etag = read.listedEtag(href);
      if (!read.present(href) || (etag !== undefined && etag === links.get(href)?.etag)) ws.unquarantine(read.member, href);
    }
  }
  await processDeletions(ctx, reads, liveBefore);
  await keepGroupsInStep(ctx);
  for (const read of reads) {
    ws.memberState({
      collection, member: read.member, token: read.token, lastSync: ctx.now,
      errors: read.problems.length, ...(read.problems[0] ? { lastError: read.problems[0].message } : {}),
    });
  }
  await ws.flush({ outboxDone: (await store.listOutbox(collection)).map((o) => o.id) });

  const plans: Array<{ member: string; source: Source; tasks: WriteTask[] }> = [];
  for (const m of input.members) {
    if (failed.has(m.name)) continue;
    plans.push({ member: m.name, source: m.source, tasks: await planMember(ctx, m.name, m.source) });
  }
  if (input.dryRun) {
    for (const p of plans) report.writes.push(...p.tasks.map((t) => t.write));
    return report;
  }
  // Intended writes are recorded first, so a run killed mid-way is reported and redone next time.
  await store.commit({
    outbox: plans.flatMap((p) => p.tasks.map((t) => ({
      collection, member: p.member, itemId: t.item.id, op: t.write.op, href: t.link?.href, etag: t.link?.etag,
      version: t.item.version, createdAt: ctx.now,
    }))),
  });
  for (const p of plans) {
    if (p.tasks.length === 0 || !isWritable(p.source)) continue;
    await applyMember(ctx, p.member, p.source, p.tasks);
    await ws.flush();
  }
  await ws.flush({ outboxDone: (await store.listOutbox(collection)).map((o) => o.id) });
  return report;
}

function quarantine(ctx: RunContext, member: string, p: { href: string; where: string; message: string; raw?: string; uid?: string }): void {
  ctx.report.quarantined += 1;
  ctx.ws.quarantine({ collection: ctx.input.collection, member, href: p.href, where: p.where, message: p.message, raw: p.raw, time: ctx.now });
  if (!ctx.quarantined.get(member)?.has(p.href)) {
    ctx.ws.log({ time: ctx.now, collection: ctx.input.collection, uid: p.uid ?? '', action: 'quarantined', connector: member, message: `${p.where}: ${p.message}` });
  }
  ctx.report.errors.push({ collection: ctx.input.collection, member, where: p.where, message: p.message });
}
