import type { Source } from '../core/connector.js';
import type { Store } from '../core/store.js';
import type { CollectionKind, Uid } from '../core/types.js';
import type { Keyer } from '../merge/elements.js';
import type { ConflictPolicy } from '../merge/policy.js';
import type { Item } from '../model/item.js';

/** How items are keyed and matched: built from src/normalize by the composition root. */
export interface Identity {
  keyOf: Keyer;
  /** Normalised keys (`email:…`, `tel:+49…`, `event:summary|start`) to find candidates. */
  identityKeys(item: Item): string[];
  /** Whether a candidate sharing a key is really the same item (similar name for contacts). */
  sameIdentity(a: Item, b: Item): boolean;
}

export interface MemberInput {
  name: string;
  source: Source;
}

export interface CollectionSyncInput {
  store: Store;
  collection: string;
  kind: CollectionKind;
  members: MemberInput[];
  policy: ConflictPolicy;
  deleteGuard: number;
  allowMassDelete: boolean;
  dryRun: boolean;
  identity: Identity;
  /** The id of the run this collection's sync belongs to (on every log entry and item version). */
  run: string;
  now: () => Date;
  /** Whether the report lists each change and write (default) or only counts them (src/sync/report.ts). */
  lines?: boolean;
  progress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  collection: string;
  phase: 'read' | 'merge' | 'write';
  member?: string;
  done: number;
  total: number;
}

export type PlannedOp = 'create' | 'update' | 'delete';

export interface PlannedWrite {
  member: string;
  op: PlannedOp;
  uid: Uid;
  itemId: string;
  href?: string;
  /** Readable name of the item (FN or SUMMARY). */
  label: string;
}

export type ChangeAction = StoreChangeSummary['action'];

/** How many changes of each action, and writes to members, a run made: listed or not. */
export type ReportCounts = Record<ChangeAction, number> & { writes: number };

/** A change to the canonical store made (or, in a dry run, that would be made) by this run. */
export interface StoreChangeSummary {
  action: 'created' | 'updated' | 'merged' | 'conflict' | 'matched' | 'deleted' | 'restored';
  uid: Uid;
  member: string;
  label: string;
  /** The fields the change decided (readable names, as the log has them). */
  fields?: string[];
}

export interface ItemError {
  collection: string;
  member: string;
  /** File path, href or URL. */
  where: string;
  message: string;
}

export interface CollectionReport {
  name: string;
  /** Every change to the store, when the report keeps lines (`lines`); `counts` counts them either way. */
  changes: StoreChangeSummary[];
  /** Every write to a member, when the report keeps lines; `counts.writes` counts them either way. */
  writes: PlannedWrite[];
  counts: ReportCounts;
  /** Whether `changes` and `writes` list each line (src/sync/report.ts `newReport`). */
  lines: boolean;
  /**
   * For the group step: UIDs whose group membership the run may have changed, and whether
   * the run only created them (src/sync/report.ts `addChanges`). Not output.
   */
  groupsTouched: Map<Uid, boolean>;
  quarantined: number;
  errors: ItemError[];
  /** Writes from an interrupted earlier run that this run redid. */
  recovered: number;
  /**
   * Items a member was not written because its format cannot hold them (a group card in a
   * CSV or vCard 2.1 file: its members carry the group as labels). Not writes.
   */
  skipped: Array<Pick<PlannedWrite, 'member' | 'uid' | 'itemId' | 'label'>>;
}
