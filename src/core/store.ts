import type { Item } from '../model/item.js';
import type { CollectionKind, Etag, Href, Uid } from './types.js';

/**
 * The canonical store. The sync engine, the endpoint and the CLI know it only through
 * this interface; `runStoreContract` (test/store/store-contract.ts) is the acceptance
 * suite every implementation runs. All writes of one step go through `commit`, which is
 * atomic: a crash leaves either all of it or none of it.
 */

export interface CollectionRecord {
  name: string;
  kind: CollectionKind;
  /** User who sees it on the endpoint. */
  owner?: string;
  displayName?: string;
  color?: string;
  description?: string;
  /** `config`: defined in pimhub.yaml (cannot be deleted through the endpoint); `endpoint`: created by a client. */
  origin: 'config' | 'endpoint';
  createdAt: string;
}

/** Who set a field last and when: the `newest` policy and the merge log read it. */
export interface FieldSource {
  connector: string;
  /** ISO time: the item's REV/LAST-MODIFIED when known, else when the change was seen. */
  time: string;
}

export interface ItemMeta {
  /** Keyed by merge field key (see src/merge). */
  fieldSources: Record<string, FieldSource>;
  /** The UID was made up by pimhub (the first source had none): a real one found later replaces it. */
  uidInvented?: boolean;
}

export interface StoredItem {
  /** Canonical id, internal to the store (stable across UID rewrites). */
  id: string;
  collection: string;
  uid: Uid;
  /** Starts at 1; increments with every change of the canonical item. */
  version: number;
  /** Collection-wide change sequence of the last change (endpoint sync tokens, ctag). */
  seq: number;
  deleted: boolean;
  /** The canonical item; for a deleted item, the last version before deletion. */
  item: Item;
  meta: ItemMeta;
  updatedAt: string;
}

/**
 * What a listing of a collection needs of an item without reading the item itself: its
 * name (uid, id), its ETag (id, version), getlastmodified and whether it is a tombstone.
 */
export type ItemHead = Pick<StoredItem, 'id' | 'uid' | 'version' | 'seq' | 'deleted' | 'updatedAt'>;

/**
 * A link as `Store.linkHeads` gives it, without its base: what a member's listing is
 * compared with, and what a sync run keeps in memory per entry.
 */
export type LinkHead = Pick<LinkRecord, 'member' | 'href' | 'itemId' | 'etag' | 'agreedVersion'>;

/** A link as `Store.linksAt` gives it: no base, no ETag. */
export interface LinkAt {
  href: Href;
  itemId: string;
  agreedVersion: number;
  raw?: string;
}

export interface LinkRecord {
  collection: string;
  member: string;
  href: Href;
  itemId: string;
  etag: Etag;
  /** The item as this member holds it, last agreed with the store: the merge base. */
  base: Item;
  /** The canonical version the member agreed to; below the item's version means a write is due. */
  agreedVersion: number;
  updatedAt: string;
  /**
   * The text this member holds at this href (what it last sent, or was sent), when known:
   * what is served or written to it next reuses its own lines for every property that did
   * not change (src/codecs/vcard/encode-like.ts, src/codecs/icalendar/encode-like.ts).
   */
  raw?: string;
}

export interface MemberState {
  collection: string;
  member: string;
  /** Incremental sync token of the member's source, if it has one. */
  token?: string;
  lastSync?: string;
  /** Count of errors in the last run and the last error's message (no secrets). */
  errors: number;
  lastError?: string;
}

export type LogAction =
  | 'created'
  | 'updated'
  | 'merged'
  | 'conflict'
  | 'matched'
  | 'deleted'
  | 'quarantined'
  | 'resolved'
  | 'undone'
  | 'duplicates-merged';

export interface FieldValue {
  connector: string;
  /** The value as a person reads it (`+49 171 1234567`, `Müller;Jörg;;;`); null when absent. */
  value: unknown;
  /** The canonical properties behind the value, so `resolve` can put them back. */
  raw?: unknown;
}

/** Where a field lives in an item, so a decision can be re-applied. */
export interface FieldPath {
  /** '' for a contact; `master` or the RECURRENCE-ID key of an override. */
  component: string;
  /** Property name (`tel`), or `valarm` for alarms. */
  field: string;
  /** Set element key ('' for scalars). */
  element: string;
}

export interface FieldDecision {
  /** Readable name of the field (`tel[+491711234567]`, `summary@20240105T090000`). */
  field: string;
  path: FieldPath;
  /** True when both sides changed it differently and a policy decided. */
  conflict: boolean;
  base: unknown;
  values: FieldValue[];
  /** The value that was kept. */
  chosen: unknown;
  /** Index into `values` of the kept value (-1 when the result is none of them, e.g. a union). */
  chosenIndex: number;
}

export interface LogEntry {
  id: number;
  /** The run that made this entry (SPEC §4: every entry names its run, so runs can be listed and undone). */
  run: string;
  time: string;
  collection: string;
  uid: string;
  itemId?: string;
  action: LogAction;
  /** Where the change came from (a member name, `endpoint`, `store`, `cli`). */
  connector: string;
  fields?: FieldDecision[];
  message?: string;
  /** For `resolved`: the entry it changes. */
  resolves?: number;
  /**
   * For `matched`: the member's entry as it came, before it was merged into the item, so that
   * undoing the match splits it off exactly even after the merged item was written back to
   * that member (src/sync/undo-match.ts).
   */
  entry?: Item;
}

/** What started a run (SPEC §3 `pimhub runs`). */
export type RunTrigger = 'cli' | 'schedule' | 'endpoint' | 'review';

/** Per collection: what one run changed. */
export interface RunCollectionCounts {
  name: string;
  created: number;
  updated: number;
  merged: number;
  conflicts: number;
  deleted: number;
  restored: number;
  /** Member writes done (creates, updates, deletes at members). */
  writes: number;
}

/** A sync run, a write through the endpoint, a resolve, an undo or a merge of duplicates. */
export interface RunRecord {
  id: string;
  /** ISO times; `end` absent while the run goes on (or when it was killed). */
  start: string;
  end?: string;
  trigger: RunTrigger;
  /** What command or request made it (`sync`, `resolve 12`, `PUT /alice/contacts/x.vcf`). */
  command?: string;
  collections: RunCollectionCounts[];
}

/** Two items the user said are not duplicates (`pimhub duplicates --dismiss`, the review page). */
export interface DismissedPair {
  collection: string;
  /** Item ids, `a` < `b`. */
  a: string;
  b: string;
  /** ISO time it was dismissed. */
  time: string;
}

/** One version of an item, as `history` returns it. */
export interface ItemVersion {
  version: number;
  item: Item;
  deleted: boolean;
  time: string;
  /** The run that made this version ('' for versions older than run ids). */
  run: string;
}

export type NewLogEntry = Omit<LogEntry, 'id'>;

export interface QuarantineRecord {
  collection: string;
  member: string;
  href: Href;
  where: string;
  message: string;
  raw?: string;
  time: string;
}

export type OutboxOp = 'create' | 'update' | 'delete';

export interface OutboxEntry {
  id: number;
  collection: string;
  member: string;
  itemId: string;
  op: OutboxOp;
  /** Target href (update/delete, or the href a create chose). */
  href?: Href;
  etag?: Etag;
  version: number;
  createdAt: string;
}

export type NewOutboxEntry = Omit<OutboxEntry, 'id'>;

/** A new or changed canonical item. `expectVersion` guards against a concurrent writer. */
export interface ItemWrite {
  id: string;
  collection: string;
  uid: Uid;
  item: Item;
  meta: ItemMeta;
  deleted?: boolean;
  /** 0 to create; otherwise the version read before merging (precondition-failed on mismatch). */
  expectVersion: number;
  /** Normalised identity keys (emails, phones, name, summary+start) for matching new items. */
  identityKeys?: string[];
  /** The run making this version (kept in the item's history, for undo). */
  run?: string;
}

/** Everything one atomic step changes. */
export interface StoreChange {
  items?: ItemWrite[];
  links?: LinkRecord[];
  removeLinks?: Array<{ collection: string; member: string; href: Href }>;
  log?: NewLogEntry[];
  quarantine?: QuarantineRecord[];
  /** Clears quarantine records (the entry decoded fine, or is gone). */
  unquarantine?: Array<{ collection: string; member: string; href: Href }>;
  outbox?: NewOutboxEntry[];
  outboxDone?: number[];
  memberStates?: MemberState[];
  /** Runs to insert or replace (by id). */
  runs?: RunRecord[];
}

export interface LogQuery {
  collection?: string;
  uid?: string;
  /** ISO time; entries at or after it. */
  since?: string;
  actions?: LogAction[];
  /** Entries of this run only. */
  run?: string;
  limit?: number;
}

/** The tables `pimhub migrate` copies, in the order it copies them. */
export const STORE_TABLES = ['collections', 'items', 'versions', 'links', 'memberStates', 'quarantine', 'outbox', 'log', 'runs', 'seqs', 'deadProps', 'dismissedPairs'] as const;
export type StoreTable = (typeof STORE_TABLES)[number];

/** Records of each table as `exportPage` gives and `importRecords` takes them: verbatim (ids, versions, seqs, times). */
export interface StoreRecords {
  collections: CollectionRecord[];
  /** With the live item's identity keys. */
  items: Array<StoredItem & { identityKeys: string[] }>;
  versions: Array<ItemVersion & { itemId: string }>;
  links: LinkRecord[];
  memberStates: MemberState[];
  quarantine: QuarantineRecord[];
  outbox: OutboxEntry[];
  log: LogEntry[];
  /** Oldest first (the order ties of equal start times keep). */
  runs: RunRecord[];
  /** Each collection's change sequence (kept after its collection is deleted). */
  seqs: Array<{ collection: string; seq: number }>;
  /** Dead properties of the endpoint's resources (href '' is the collection). */
  deadProps: Array<{ collection: string; href: string; props: Record<string, string> }>;
  dismissedPairs: DismissedPair[];
}

export interface Store {
  /** Opens (creating and migrating as needed). */
  init(): Promise<void>;
  close(): Promise<void>;

  upsertCollection(c: CollectionRecord): Promise<void>;
  getCollection(name: string): Promise<CollectionRecord | undefined>;
  listCollections(): Promise<CollectionRecord[]>;
  /**
   * Removes a collection with its items, item history, links, states, quarantine, outbox and
   * log entries: a collection later created under the same name (perhaps by another user)
   * starts with no history. Its change sequence is kept so sync tokens are never reused.
   */
  deleteCollection(name: string): Promise<void>;

  /**
   * Dead properties (RFC 4918 §4) of a collection's resources, as PROPPATCH set them: per
   * href ('' for the collection itself), per property key (`{namespace}name`), the
   * property's inner XML. Removed with the collection.
   */
  deadProperties(collection: string): Promise<Record<string, Record<string, string>>>;
  /** Replaces one resource's dead properties; an empty set removes them. */
  setDeadProperties(collection: string, href: string, props: Record<string, string>): Promise<void>;
  /** Pairs of items dismissed as no duplicates, oldest first. Removed with the collection. */
  listDismissedPairs(collection: string): Promise<DismissedPair[]>;
  /** Remembers a pair (ids in either order; dismissing it again changes nothing). */
  dismissPair(collection: string, a: string, b: string, time: string): Promise<void>;

  getItem(id: string): Promise<StoredItem | undefined>;
  getItemByUid(collection: string, uid: Uid): Promise<StoredItem | undefined>;
  /** Live items, or all including tombstones. */
  listItems(collection: string, opts?: { includeDeleted?: boolean }): Promise<StoredItem[]>;
  countItems(collection: string): Promise<number>;
  /**
   * The heads of every item of a collection (tombstones too), in id order: a collection of
   * thousands is listed without reading (and parsing) every item; `getItems` then reads the
   * items a page at a time when their data is needed.
   */
  listItemHeads(collection: string): Promise<ItemHead[]>;
  /** The items with these ids that exist, in the order of `ids` (ids not found are left out). */
  getItems(ids: readonly string[]): Promise<StoredItem[]>;
  /** Ids of live items sharing any of the keys. */
  findByIdentity(collection: string, keys: readonly string[]): Promise<string[]>;
  /** Items (including tombstones) changed after `seq`, for sync-collection; and the current seq. */
  changesSince(collection: string, seq: number): Promise<{ items: StoredItem[]; seq: number }>;
  currentSeq(collection: string): Promise<number>;
  /** Earlier versions of an item, newest first. */
  history(itemId: string, limit?: number): Promise<ItemVersion[]>;

  getLink(collection: string, member: string, href: Href): Promise<LinkRecord | undefined>;
  linksForMember(collection: string, member: string): Promise<LinkRecord[]>;
  /** The href and item of each of a member's links, by href (`linksForMember` without bases and texts). */
  linkHrefs(collection: string, member: string): Promise<Array<{ href: Href; itemId: string }>>;
  /**
   * The href, item, ETag and agreed version of each of a member's links, in no set order: what a sync
   * compares the member's listing or delta with. No bases: a sync that finds nothing
   * changed reads no link's JSON (10,000 bases: ~1.5 s of a no-change sync's 3–5 s).
   */
  linkHeads(collection: string, member: string): Promise<LinkHead[]>;
  /** A member's whole links (bases included) at these hrefs, in no set order; hrefs without a link are left out. */
  getLinks(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkRecord[]>;
  /**
   * A member's links at these hrefs without their bases: the item each names, the version
   * agreed, the text the member holds (`LinkRecord.raw`, when it holds one); hrefs without a
   * link are left out. A listing with data reads a page's at a time, and a request records
   * what it served, with one read each instead of a `getLink` (and its base) per href.
   */
  linksAt(collection: string, member: string, hrefs: readonly Href[]): Promise<LinkAt[]>;
  linksForItem(itemId: string): Promise<LinkRecord[]>;
  /**
   * What a member must be written: live items it has no link to, items whose version is
   * above the link's agreedVersion, and tombstones it still has a link to.
   */
  pendingForMember(collection: string, member: string): Promise<Array<{ item: StoredItem; link?: LinkRecord }>>;
  /** The ids of `pendingForMember`'s items, in its order, each once: a run plans a page of them at a time. */
  pendingIdsForMember(collection: string, member: string): Promise<string[]>;

  getMemberState(collection: string, member: string): Promise<MemberState | undefined>;
  listMemberStates(collection?: string): Promise<MemberState[]>;

  appendLog(entries: NewLogEntry[]): Promise<number[]>;
  listLog(q?: LogQuery): Promise<LogEntry[]>;
  getLogEntry(id: number): Promise<LogEntry | undefined>;

  listQuarantine(collection?: string): Promise<QuarantineRecord[]>;
  listOutbox(collection?: string, member?: string): Promise<OutboxEntry[]>;

  /** Runs, newest first. */
  listRuns(limit?: number): Promise<RunRecord[]>;
  getRun(id: string): Promise<RunRecord | undefined>;

  /** Applies everything atomically. Ids come from the caller; an item write gets version expectVersion + 1 and a new seq. */
  commit(change: StoreChange): Promise<{ logIds: number[]; outboxIds: number[] }>;

  /** One page of a table's records in a stable order, for copying a whole store (`pimhub migrate`). */
  exportPage<T extends StoreTable>(table: T, offset: number, limit: number): Promise<StoreRecords[T]>;
  /**
   * Writes records verbatim (ids, versions, seqs and times kept; counters raised past them),
   * atomically. Only for filling an empty store (`pimhub migrate`): it checks no versions.
   */
  importRecords(records: Partial<StoreRecords>): Promise<void>;

  /** A named lock across processes (two syncs of one collection never run at once). False if held. */
  tryLock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  unlock(name: string, owner: string): Promise<void>;
  /** Who holds a lock that has not expired, if anyone (so a holder that died can be recognised). */
  lockHolder(name: string): Promise<string | undefined>;
}
