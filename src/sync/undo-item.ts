import type { FieldDecision, FieldSource, ItemVersion, StoredItem } from '../core/store.js';
import type { Keyer } from '../merge/elements.js';
import { itemFingerprint } from '../merge/fingerprint.js';
import { mergeItem } from '../merge/merge-item.js';
import type { ConflictPolicy } from '../merge/policy.js';
import { FULL_CAPABILITIES } from '../model/capabilities.js';
import type { Item } from '../model/item.js';

/** In an undo's merge the store's side is the current version: its later changes win. */
const LATER_CHANGE_WINS: ConflictPolicy = { kind: 'store' };

/** What undoing one run does to one item. */
export type UndoAction =
  /** The run created it (or brought it back): it is deleted again. */
  | 'removed'
  /** The run deleted it: it comes back. */
  | 'restored'
  /** The run changed it: its fields are put back. */
  | 'reverted'
  /** Nothing to do: the run left no version of it, or it is already as before. */
  | 'unchanged'
  /** The run created it and it was changed since: kept, see `note`. */
  | 'kept';

export interface UndoDecision {
  action: UndoAction;
  /** The version to write (absent for `unchanged` and `kept`). */
  item?: Item;
  deleted?: boolean;
  fieldSources?: Record<string, FieldSource>;
  /** Fields changed again after the run that the undo would have put back: decided by the policy, logged. */
  conflicts: FieldDecision[];
  note?: string;
}

/**
 * Undo of one run for one item (SPEC §3 `undo`). The version before the run is the newest
 * one older than the run's first version of the item. When nothing changed the item since
 * the run, that version comes back as it was. Otherwise it is merged three-way into the
 * current version with the run's last version as the base: what the run changed and nobody
 * touched since goes back; a field changed again since is a conflict that the later change
 * wins whatever the `conflict` policy (an undo never overwrites newer work), logged with
 * both values so `pimhub resolve ENTRY --keep undo` can put the pre-run value back.
 */
export function undoItem(opts: {
  run: string;
  current: StoredItem;
  /** The item's versions, newest first (`store.history`). */
  history: ItemVersion[];
  keyOf: Keyer;
  now: string;
}): UndoDecision {
  const { current, keyOf } = opts;
  const mine = opts.history.filter((v) => v.run === opts.run);
  if (mine.length === 0) return { action: 'unchanged', conflicts: [], note: `run ${opts.run} made no version of it` };
  const first = Math.min(...mine.map((v) => v.version));
  const last = mine.reduce((a, b) => (b.version > a.version ? b : a));
  const before = opts.history.find((v) => v.version < first);
  const changedSince = current.version > last.version;

  if (!before) {
    if (current.deleted) return { action: 'unchanged', conflicts: [], note: 'created by the run and deleted since' };
    if (changedSince) {
      return { action: 'kept', conflicts: [], note: `created by the run but changed since (version ${current.version}); not removed — delete it at any member if it should go` };
    }
    return { action: 'removed', item: current.item, deleted: true, conflicts: [] };
  }

  let item: Item;
  let deleted: boolean;
  let fieldSources = current.meta.fieldSources;
  let conflicts: FieldDecision[] = [];
  if (!changedSince) {
    item = before.item;
    deleted = before.deleted;
  } else {
    const r = mergeItem({
      base: last.item, current: current.item, incoming: before.item, caps: FULL_CAPABILITIES, keyOf, policy: LATER_CHANGE_WINS,
      incomingSource: { connector: 'undo', time: before.time }, fieldSources: current.meta.fieldSources,
      currentFallback: { connector: 'store', time: current.updatedAt },
    });
    item = { ...r.item, uid: current.uid } as Item;
    fieldSources = r.fieldSources;
    conflicts = r.decisions.filter((d) => d.conflict);
    // A deletion or restore made after the run stands.
    deleted = current.deleted === last.deleted ? before.deleted : current.deleted;
  }
  const same = deleted === current.deleted && itemFingerprint(item, keyOf) === itemFingerprint(current.item, keyOf) && item.uid === current.uid;
  if (same) return { action: 'unchanged', conflicts, note: 'already as before the run' };
  const action: UndoAction = deleted && !current.deleted ? 'removed' : !deleted && current.deleted ? 'restored' : 'reverted';
  return { action, item, deleted, fieldSources, conflicts };
}
