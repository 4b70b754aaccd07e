import { PimError } from '../core/errors.js';
import type { LinkRecord, LogEntry, RunCollectionCounts, RunRecord, Store, StoredItem } from '../core/store.js';
import type { DecidedLog, Decision } from './decide/decision.js';
import { itemLabel } from './item-info.js';
import { movedLinksOf, type MovedLink } from './merge-duplicates.js';
import { commitDecisions } from './plan/commit-decisions.js';
import { withLock } from './run-lock.js';
import { newRun } from './runs.js';
import { undoItem } from './undo-item.js';
import { undoMatch } from './undo-match.js';
import type { UndoInput, UndoResult } from './undo-types.js';

export type { UndoInput, UndoItemReport, UndoResult } from './undo-types.js';

/** Which run, which items, which link moves: from the run's or the entry's log. */
async function scope(store: Store, target: UndoInput['target']): Promise<{ run: string; entry?: LogEntry; entries: LogEntry[]; itemIds?: string[] }> {
  if ('run' in target) {
    if (!(await store.getRun(target.run))) throw new PimError('not-found', `no run ${target.run}; \`pimhub runs\` lists them`);
    return { run: target.run, entries: await store.listLog({ run: target.run, limit: 1_000_000 }) };
  }
  const entry = await store.getLogEntry(target.entry);
  if (!entry) throw new PimError('not-found', `no log entry ${target.entry}; \`pimhub log\` lists them`);
  if (!entry.run) throw new PimError('invalid-data', `log entry ${entry.id} is older than run ids and cannot be undone`);
  if (!entry.itemId) throw new PimError('invalid-data', `log entry ${entry.id} (${entry.action}) changed no item; nothing to undo`);
  const entries = await store.listLog({ run: entry.run, limit: 1_000_000 });
  // A merge of duplicates is a run of its own: undoing it undoes all of it (the survivor and the merged items).
  if (entry.action === 'duplicates-merged') return { run: entry.run, entry, entries };
  return { run: entry.run, entry, entries: [entry], itemIds: [entry.itemId] };
}

/**
 * `pimhub undo`: puts back, in the store, what a run (or one logged decision) changed, as
 * new versions logged `undone`; the next sync writes them to every member. Items are
 * handled per collection under that collection's sync lock.
 */
export async function undo(input: UndoInput): Promise<UndoResult> {
  const { store } = input;
  if ('entry' in input.target) {
    // A match splits in two (src/sync/undo-match.ts).
    const e = await store.getLogEntry(input.target.entry);
    if (e?.action === 'matched' && e.run) return undoMatch(input, e);
  }
  const s = await scope(store, input.target);
  const ids = s.itemIds ?? [...new Set(s.entries.map((e) => e.itemId).filter((x): x is string => !!x))];
  const byCollection = new Map<string, string[]>();
  for (const id of ids) {
    const it = await store.getItem(id);
    if (!it) continue;
    byCollection.set(it.collection, [...(byCollection.get(it.collection) ?? []), id]);
  }
  const moves = s.entries.filter((e) => e.action === 'duplicates-merged').map((e) => ({ entry: e, links: movedLinksOf(e.message) }));
  const label = 'entry' in input.target ? `entry #${input.target.entry} (${s.entry!.action}) of run ${s.run}` : `run ${s.run}`;
  const run: RunRecord = newRun(input.by, input.now, `undo ${'entry' in input.target ? `--entry ${input.target.entry}` : `--run ${s.run}`}`);
  const result: UndoResult = { dryRun: input.dryRun, undoes: s.run, ...(s.entry ? { entry: s.entry.id } : {}), items: [], links: [] };
  if (!input.dryRun) await store.commit({ runs: [run] });
  for (const [collection, itemIds] of byCollection) {
    await withLock(store, `sync:${collection}`, `collection ${collection}`, async () => {
      const counts = await undoCollection(input, collection, itemIds, s.run, label, run, result, moves.filter((m) => m.entry.collection === collection));
      run.collections.push(counts);
    });
  }
  if (!input.dryRun) {
    await store.commit({ runs: [{ ...run, end: new Date().toISOString() }] });
    result.run = run.id;
  }
  return result;
}

async function undoCollection(
  input: UndoInput, collection: string, itemIds: string[], undone: string, label: string, run: RunRecord, result: UndoResult,
  moves: Array<{ entry: LogEntry; links: MovedLink[] }>,
): Promise<RunCollectionCounts> {
  const { store } = input;
  const now = input.now.toISOString();
  const counts: RunCollectionCounts = { name: collection, created: 0, updated: 0, merged: 0, conflicts: 0, deleted: 0, restored: 0, writes: 0 };
  const decisions: Decision[] = [];
  const entryOf = (it: StoredItem, e: Omit<DecidedLog, 'time' | 'uid' | 'itemId' | 'connector'>): DecidedLog => ({
    time: now, uid: it.uid, itemId: it.id, connector: input.by,
    ...('entry' in input.target ? { resolves: input.target.entry } : {}), ...e,
  });
  for (const id of itemIds) {
    const current = (await store.getItem(id))!;
    const d = undoItem({ run: undone, current, history: await store.history(id), keyOf: input.identity.keyOf, now });
    result.items.push({
      collection, itemId: id, uid: current.uid, name: itemLabel(d.item ?? current.item), action: d.action, conflicts: d.conflicts,
      ...(d.note ? { note: d.note } : {}),
    });
    // A conflict the later change won changes nothing, but is logged all the same (resolvable).
    const stored = { ...current, uid: d.item?.uid || current.uid };
    const decision: Decision = { logs: [] };
    decisions.push(decision);
    if (d.conflicts.length > 0) {
      decision.logs!.push(entryOf(stored, { action: 'conflict', fields: d.conflicts, message: `while undoing ${label}: changed again since` }));
      counts.conflicts += 1;
    }
    if (!d.item) continue;
    decision.item = {
      id, collection, uid: stored.uid, item: d.item, deleted: d.deleted,
      meta: { ...current.meta, fieldSources: d.fieldSources ?? current.meta.fieldSources }, expectVersion: current.version,
      ...(d.deleted ? {} : { identityKeys: input.identity.identityKeys(d.item) }),
    };
    decision.logs!.push(entryOf(stored, { action: 'undone', message: `${d.action}: undoes ${label}` }));
    if (d.action === 'removed') counts.deleted += 1;
    else if (d.action === 'restored') counts.restored += 1;
    else counts.updated += 1;
  }

  // Links a merge of duplicates moved to the survivor go back to the items they came from.
  const links: LinkRecord[] = [];
  for (const m of moves) {
    for (const l of m.links) {
      const link = await store.getLink(collection, l.member, l.href);
      if (!link || link.itemId !== m.entry.itemId) continue;
      links.push({ ...link, itemId: l.from, agreedVersion: 0, updatedAt: now });
      result.links.push(l);
    }
  }

  const live = await store.countItems(collection);
  if (!input.allowMassDelete && counts.deleted > input.deleteGuard * live) {
    throw new PimError('guard', `collection ${collection}: this undo would delete ${counts.deleted} of ${live} items (more than deleteGuard ${input.deleteGuard}); nothing was changed. If intended, run again with --allow-mass-delete`);
  }
  decisions.push({ links });
  if (!input.dryRun) await commitDecisions(store, { collection, run: run.id, now, decisions });
  return counts;
}
