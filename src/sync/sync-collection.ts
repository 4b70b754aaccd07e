import { isFlushable, isWritable } from '../core/connector.js';
import { isPimError, messageOf } from '../core/errors.js';
import type { Href } from '../core/types.js';
import { applyMember } from './apply/apply-member.js';
import type { DecideContext } from './decide/context.js';
import type { Decision } from './decide/decision.js';
import { decideDeletions } from './decide/deletions.js';
import { keepGroupsInStep } from './decide/group-labels.js';
import { decideIncoming } from './decide/merge-incoming.js';
import { planMember } from './plan/plan-member.js';
import { stage } from './plan/stage.js';
import { readMember, type MemberRead } from './read/read-member.js';
import type { RunContext } from './run-context.js';
import { withLock } from './run-lock.js';
import { retryStoreRace } from './store-race.js';
import type { CollectionReport, CollectionSyncInput } from './types.js';
import type { MemberState } from '../core/store.js';
import { Workspace } from './workspace.js';
import { boundHeapGrowth } from './heap-growth.js';
import { addWrites, newReport } from './report.js';
import { killPoint } from '../core/kill-point.js';

/**
 * One sync round of one collection, hub and spoke, in four stages:
 * read (each member's changed entries, in batches) → decide (identity, merge, deletions:
 * plain decisions) → plan (the decisions staged into the store, batch by batch, then each
 * member's writes) → apply (outbox, conditional writes, links). A dry run stops after the
 * plan and commits nothing.
 */
/** Pending items planned and written at a time per member. */
const PLAN_PAGE = 500;

export async function syncCollection(input: CollectionSyncInput): Promise<CollectionReport> {
  boundHeapGrowth();
  return withLock(input.store, `sync:${input.collection}`, `collection ${input.collection}`, (heartbeat) => retryStoreRace(() => run(input, heartbeat)));
}

async function run(input: CollectionSyncInput, heartbeat: () => Promise<void>): Promise<CollectionReport> {
  const { store, collection } = input;
  killPoint('sync.locked');
  const now = input.now().toISOString();
  const ws = new Workspace(store, collection, input.dryRun, input.run, now);
  const report = newReport(collection, input.lines ?? true);
  const quarantined = new Map<string, Set<Href>>();
  for (const q of await store.listQuarantine(collection)) {
    let s = quarantined.get(q.member);
    if (!s) quarantined.set(q.member, (s = new Set()));
    s.add(q.href);
  }
  // Writes an interrupted run planned: a member found holding exactly such a version is
  // linked to it instead of being merged against its older base (no spurious conflicts).
  const interrupted = new Map<string, number>();
  for (const o of await store.listOutbox(collection)) {
    if (o.op !== 'delete') interrupted.set(`${o.member}\n${o.itemId}`, o.version);
    report.recovered += 1;
  }
  const goneHrefs = new Map<string, Set<Href>>();
  const decide: DecideContext = {
    view: ws, collection, policy: input.policy, identity: input.identity, deleteGuard: input.deleteGuard,
    allowMassDelete: input.allowMassDelete, now, quarantined, goneHrefs, interrupted,
  };
  const ctx: RunContext = { input, ws, report, decide, heartbeat };
  const plan = (d: Decision) => stage(ws, report, d);

  // read
  const reads: MemberRead[] = [];
  /** Per member: hrefs of entries that could not be read this run. */
  const unknown = new Map<string, Set<Href>>();
  const isUnknown = (member: string, href: Href) => {
    if (!unknown.has(member)) unknown.set(member, new Set());
    unknown.get(member)!.add(href);
  };
  const failed = new Map<string, string>();
  const stateBefore = new Map<string, MemberState | undefined>();
  // Members are read at once (a server's answer and a folder's listing overlap), their
  // outcomes taken in member order.
  const reading = Promise.all(input.members.map(async (m) => {
    try {
      const state = await store.getMemberState(collection, m.name);
      stateBefore.set(m.name, state);
      return { m, read: await readMember(ws, m.name, m.source, state?.token) };
    } catch (e) {
      return { m, error: e };
    }
  }));
  // Counted while the members answer: reading changes nothing in the store.
  const liveBefore = await store.countItems(collection);
  // A first sync (no item was ever written to the collection): no store query per new entry to find its item.
  if (liveBefore === 0 && (await store.currentSeq(collection)) === 0) ws.startsEmpty();
  const outcomes = await reading;
  for (const { m, read, error } of outcomes) {
    if (read) {
      reads.push(read);
      killPoint('read.listed');
      goneHrefs.set(m.name, new Set(read.gone.map((l) => l.href)));
    } else {
      failed.set(m.name, messageOf(error));
      report.errors.push({ collection, member: m.name, where: isPimError(error) && error.where ? error.where : m.name, message: messageOf(error) });
    }
  }

  // decide each changed entry, batch by batch, staging as it goes
  const total = reads.reduce((n, r) => n + r.changed.length, 0);
  let done = 0;
  for (const read of [...reads]) {
    try {
      for await (const batch of read.batches()) {
        killPoint('read.batch');
        for (const f of batch) {
          try {
            await plan(await decideIncoming(decide, read.member, read.source, f));
          } catch (e) {
            if (!isPimError(e, 'invalid-data')) throw e;
            isUnknown(read.member, f.href);
            await plan(quarantineDecision(decide, read.member, { href: f.href, where: e.where ?? f.href, message: e.message }));
          }
          killPoint('merge.item');
          await heartbeat();
          done += 1;
          if (done % 100 === 0 || done === total) input.progress?.({ collection, phase: 'merge', done, total });
        }
      }
    } catch (e) {
      // The source failed part-way (a server error, a file gone): that member's read counts
      // for nothing more this run — no deletions, no token — and is reported.
      if (!isPimError(e) || e.kind === 'busy') throw e;
      reads.splice(reads.indexOf(read), 1);
      failed.set(read.member, messageOf(e));
      report.errors.push({ collection, member: read.member, where: e.where ?? read.member, message: messageOf(e) });
      continue;
    }
    for (const p of read.problems) {
      isUnknown(read.member, p.href);
      await plan(quarantineDecision(decide, read.member, p));
    }
    // A broken entry leaves quarantine once it is gone from its source, or is back to what
    // the member last agreed (the file was restored), so it is not fetched again.
    const links = await ws.linksOf(read.member);
    for (const href of quarantined.get(read.member) ?? []) {
      const etag = read.listedEtag(href);
      if (!read.present(href) || (etag !== undefined && etag === links.get(href)?.etag)) ws.unquarantine(read.member, href);
    }
    killPoint('merge.member-done');
  }
  // decide deletions (all at once, under the delete guard), then keep group cards and labels in step
  for (const d of await decideDeletions(decide, reads, liveBefore)) await plan(d);
  killPoint('decide.deletions');
  await keepGroupsInStep(ctx);
  for (const read of reads) {
    ws.memberState({
      collection, member: read.member, token: read.token, lastSync: now,
      errors: read.problems.length, ...(read.problems[0] ? { lastError: read.problems[0].message } : {}),
    });
  }
  // A member that could not be read keeps its token and last good sync, and `status` shows why.
  for (const [member, message] of failed) {
    const before = stateBefore.get(member);
    ws.memberState({
      collection, member, errors: 1, lastError: message,
      ...(before?.token !== undefined ? { token: before.token } : {}), ...(before?.lastSync ? { lastSync: before.lastSync } : {}),
    });
  }
  await ws.flush({ outboxDone: (await store.listOutbox(collection)).map((o) => o.id) });
  killPoint('decide.committed');

  // plan and apply each member's writes, a page of pending items at a time: memory is
  // bounded by the page, not the collection (a single file holds its whole text anyway,
  // and is rewritten once per run, so it is one page)
  for (const m of input.members) {
    if (failed.has(m.name) || !isWritable(m.source)) continue;
    const ids = await ws.pendingFor(m.name);
    const page = isFlushable(m.source) ? Math.max(ids.length, 1) : PLAN_PAGE;
    for (let i = 0; i < ids.length; i += page) {
      const p = await planMember(decide, m.name, m.source, unknown.get(m.name) ?? new Set(), ids.slice(i, i + page));
      await plan(p.refresh);
      report.skipped.push(...p.skipped);
      // A file that would refuse to be rewritten is not planned any write: its items stay
      // pending until the file can be rewritten, and a dry run says so too. Asked only when
      // there is something to write: the answer needs the whole file decoded.
      const blocked = p.tasks.length > 0 && isFlushable(m.source) ? m.source.rewriteBlocker() : undefined;
      if (blocked) {
        report.errors.push({ collection, member: m.name, where: blocked.where ?? m.name, message: blocked.message });
        break;
      }
      killPoint('plan.done');
      if (input.dryRun) {
        addWrites(report, p.tasks.map((t) => t.write));
        continue;
      }
      // apply: intended writes are recorded first, so a run killed mid-way is reported and redone next time
      killPoint('outbox.before-commit');
      const { outboxIds } = await store.commit({
        outbox: p.tasks.map((t) => ({
          collection, member: p.member, itemId: t.item.id, op: t.write.op, href: t.link?.href, etag: t.link?.etag,
          version: t.item.version, createdAt: now,
        })),
      });
      killPoint('outbox.committed');
      if (p.tasks.length > 0) await applyMember(ctx, p.member, m.source, p.tasks);
      killPoint('apply.member-written');
      // The page's writes are done (or reported): their records go with its last links, so
      // the outbox holds one page, not every write of the run (100,000 at the end of a first sync).
      await ws.flush({ outboxDone: outboxIds });
      killPoint('apply.member-committed');
    }
  }
  if (input.dryRun) return report;
  killPoint('sync.before-outbox-done');
  await ws.flush({ outboxDone: (await store.listOutbox(collection)).map((o) => o.id) });
  killPoint('sync.done');
  return report;
}

/** An entry that cannot be read: kept aside with where it is and why, never read as absent. */
function quarantineDecision(d: DecideContext, member: string, p: { href: Href; where: string; message: string; raw?: string; uid?: string }): Decision {
  const out: Decision = {
    quarantine: [{ collection: d.collection, member, href: p.href, where: p.where, message: p.message, raw: p.raw, time: d.now }],
    errors: [{ collection: d.collection, member, where: p.where, message: p.message }],
  };
  if (!d.quarantined.get(member)?.has(p.href)) {
    out.logs = [{ time: d.now, uid: p.uid ?? '', action: 'quarantined', connector: member, message: `${p.where}: ${p.message}` }];
  }
  return out;
}
