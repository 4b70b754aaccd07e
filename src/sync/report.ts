import type { Uid } from '../core/types.js';
import { categoriesOf, isGroupCard } from '../model/group.js';
import type { Item } from '../model/item.js';
import type { ChangeAction, CollectionReport, PlannedWrite, ReportCounts, StoreChangeSummary } from './types.js';

export const CHANGE_ACTIONS: readonly ChangeAction[] = ['created', 'updated', 'merged', 'conflict', 'matched', 'deleted', 'restored'];

/**
 * A new run report. With `lines` false the report counts changes and writes but lists
 * none: a plain `pimhub sync` prints only counts, and a line per entry of a first sync of
 * 100,000 contacts held ~40 MB for nothing. `--json`, a dry run and the daemon at `debug`
 * ask for the lines.
 */
export function newReport(name: string, lines = true): CollectionReport {
  const counts = { writes: 0 } as ReportCounts;
  for (const a of CHANGE_ACTIONS) counts[a] = 0;
  return { name, changes: [], writes: [], quarantined: 0, errors: [], recovered: 0, skipped: [], counts, lines, groupsTouched: new Map() };
}

/**
 * Counts (and lists, when the report keeps lines) one decision's changes; `item` is the
 * item version the decision writes. Notes which UIDs may have changed a group membership,
 * for the group step (src/sync/decide/group-labels.ts): every changed UID except a contact
 * the run only created without CATEGORIES and without being a group card, so that a first
 * sync of plain contacts gives that step nothing to read back.
 */
export function addChanges(report: CollectionReport, changes: readonly StoreChangeSummary[], item?: { uid: Uid; item: Item }): void {
  for (const c of changes) {
    report.counts[c.action] += 1;
    if (report.lines) report.changes.push(c);
    const created = c.action === 'created';
    const plain = created && item?.uid === c.uid && !touchesGroups(item.item);
    const had = report.groupsTouched.get(c.uid);
    if (plain && had === undefined) continue;
    report.groupsTouched.set(c.uid, (had ?? true) && created);
  }
}

export function addWrites(report: CollectionReport, writes: readonly PlannedWrite[]): void {
  report.counts.writes += writes.length;
  if (report.lines) report.writes.push(...writes);
}

function touchesGroups(item: Item): boolean {
  return item.kind === 'contact' && (isGroupCard(item.card) || categoriesOf(item.card).length > 0);
}
