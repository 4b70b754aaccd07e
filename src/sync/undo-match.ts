import { PimError } from '../core/errors.js';
import type { ItemWrite, LogEntry, NewLogEntry, RunRecord } from '../core/store.js';
import { asHref } from '../core/types.js';
import { itemFingerprint } from '../merge/fingerprint.js';
import { newEntry } from './decide/merge-entry.js';
import { itemLabel } from './item-info.js';
import { withLock } from './run-lock.js';
import { newRun } from './runs.js';
import type { UndoInput, UndoResult } from './undo-types.js';
import { undoItem } from './undo-item.js';

const MATCHED = /^matched (.+) to an existing item$/;

/**
 * Undo of one `matched` entry (SPEC §3 `undo`): the member's entry becomes an item of its
 * own again and the item it was matched to goes back to its fields before that run (merged
 * three-way with changes made since, as any undo). The member's link moves to the split
 * item, which is the entry as it came when it was matched (kept in the `matched` entry;
 * entries logged before that was kept fall back to what the member holds now, which after
 * a write-back holds both sides' values). A member that holds more than its entry (the
 * match's run wrote the merged item to it) is written the split item by the next sync; the
 * next sync also writes the split item to every other member, and the reverted item to that
 * member as a new entry.
 */
export async function undoMatch(input: UndoInput, entry: LogEntry): Promise<UndoResult> {
  const { store } = input;
  const matched = MATCHED.exec(entry.message ?? '')?.[1];
  const href = matched === undefined ? undefined : asHref(matched);
  const found = entry.itemId ? await store.getItem(entry.itemId) : undefined;
  if (!found || href === undefined) throw new PimError('invalid-data', `log entry ${entry.id} names no matched entry and item; nothing to split`);
  const collection = found.collection;
  return withLock(store, `sync:${collection}`, `collection ${collection}`, async () => {
    const current = (await store.getItem(found.id))!;
    const member = entry.connector;
    let link = await store.getLink(collection, member, href);
    if (!link && entry.entry) {
      // Writing the merged item back may have moved the entry (a single file names entries by
      // UID): the member's one link to the item is it. An href now linked to another item is
      // not moved but re-linked, and is not split from.
      const mine = (await store.linksForItem(current.id)).filter((l) => l.member === member);
      if (mine.length === 1) link = mine[0];
    }
    if (!link || link.itemId !== current.id) {
      throw new PimError('invalid-data', `${member} no longer holds ${href} as "${itemLabel(current.item)}" (the entry was removed or re-linked since); nothing to split`);
    }
    // The entry as it came (kept with the match since it exists), else as the member holds it now.
    const held = entry.entry ?? link.base;
    if (held.uid && held.uid === current.uid) {
      throw new PimError('unsupported', `${member}'s ${href} carries the item's own UID ${current.uid}: one UID is one item. Give the entry a UID of its own at ${member} to split them`);
    }
    const sameRun = (await store.listLog({ run: entry.run, limit: 1_000_000 }))
      .filter((e) => e.itemId === current.id && e.id !== entry.id && e.action !== 'conflict');
    if (sameRun.length > 0) {
      const who = [...new Set(sameRun.map((e) => `${e.action} by ${e.connector}`))].join(', ');
      throw new PimError('unsupported', `run ${entry.run} changed "${itemLabel(current.item)}" for more than this match (${who}); \`pimhub undo --run ${entry.run}\` undoes the whole run`);
    }
    const now = input.now.toISOString();
    const d = undoItem({ run: entry.run, current, history: await store.history(current.id), keyOf: input.identity.keyOf, now });
    const split = newEntry(held, collection, input.identity, `${member}\n${href}`).write!;
    // A member the match's run wrote the merged item to holds more than its entry: the next sync writes the split item there.
    const holdsSplit = itemFingerprint(held, input.identity.keyOf) === itemFingerprint(link.base, input.identity.keyOf);
    const run: RunRecord = newRun(input.by, input.now, `undo --entry ${entry.id}`);
    const label = `entry #${entry.id} (matched) of run ${entry.run}`;
    const result: UndoResult = {
      dryRun: input.dryRun, undoes: entry.run, entry: entry.id, items: [
        { collection, itemId: current.id, uid: current.uid, name: itemLabel(d.item ?? current.item), action: d.action, conflicts: d.conflicts, ...(d.note ? { note: d.note } : {}) },
        { collection, itemId: split.id, uid: split.uid, name: itemLabel(split.item), action: 'restored', conflicts: [], note: `${member}'s ${href} as an item of its own` },
      ],
      links: [{ member, href: link.href, from: current.id }],
    };
    if (input.dryRun) return result;
    const items: ItemWrite[] = [{ ...split, run: run.id }];
    const logOf = (e: Pick<NewLogEntry, 'uid' | 'itemId' | 'action' | 'message'> & { fields?: NewLogEntry['fields'] }): NewLogEntry => ({
      run: run.id, time: now, collection, connector: input.by, resolves: entry.id, ...e,
    });
    const log: NewLogEntry[] = [logOf({ uid: split.uid, itemId: split.id, action: 'undone', message: `split: ${member}'s ${href} is an item of its own again; undoes ${label}` })];
    if (d.conflicts.length > 0) {
      log.push(logOf({ uid: current.uid, itemId: current.id, action: 'conflict', fields: d.conflicts, message: `while undoing ${label}: changed again since` }));
    }
    if (d.item) {
      items.push({
        id: current.id, collection, uid: current.uid, item: { ...d.item, uid: current.uid }, deleted: d.deleted, run: run.id,
        meta: { ...current.meta, fieldSources: d.fieldSources ?? current.meta.fieldSources }, expectVersion: current.version,
        identityKeys: input.identity.identityKeys(d.item),
      });
      log.push(logOf({ uid: current.uid, itemId: current.id, action: 'undone', message: `${d.action}: undoes ${label}` }));
    }
    run.collections.push({
      name: collection, created: 1, updated: d.item ? 1 : 0, merged: 0, conflicts: d.conflicts.length > 0 ? 1 : 0, deleted: 0, restored: 0, writes: 0,
    });
    // The member agrees with its split item when that is what it holds; it holds nothing of the reverted one.
    await store.commit({
      runs: [{ ...run, end: new Date().toISOString() }], items, log,
      links: [{ ...link, itemId: split.id, agreedVersion: holdsSplit ? 1 : 0, updatedAt: now }],
    });
    return { ...result, run: run.id };
  });
}
