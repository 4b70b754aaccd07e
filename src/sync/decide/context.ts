import type { LinkHead, LinkRecord, StoredItem } from '../../core/store.js';
import type { ConflictPolicy } from '../../merge/policy.js';
import type { Item } from '../../model/item.js';
import type { Href, Uid } from '../../core/types.js';
import type { Identity } from '../types.js';

/**
 * A run holds a link head (no base, no held text) per entry of each member for the whole
 * run; the base (a whole item) is read only where a merge or a plan needs it, so memory
 * does not hold every member's copy of the collection.
 */
export type { LinkHead };

export function headOf(l: LinkHead): LinkHead {
  return { member: l.member, href: l.href, itemId: l.itemId, etag: l.etag, agreedVersion: l.agreedVersion };
}

/**
 * The store as the decide step sees it: what is committed plus what this run has already
 * decided. Read-only: deciding never writes.
 */
export interface StoreView {
  getItem(id: string): Promise<StoredItem | undefined>;
  getItemByUid(uid: Uid): Promise<StoredItem | undefined>;
  findByIdentity(keys: string[]): Promise<StoredItem[]>;
  /** Every link of a member, as heads: what the run keeps in memory per entry. */
  linksOf(member: string): Promise<ReadonlyMap<Href, LinkHead>>;
  /** The links one member has to an item (usually one; two while an entry moves). */
  linksOfItemAt(member: string, itemId: string): Promise<LinkHead[]>;
  /** One link whole, with its base: asked only for an entry whose merge or plan needs the base. */
  link(member: string, href: Href): Promise<LinkRecord | undefined>;
  /** Ids of the items a member may need written: committed ones pending for it, and those this run changed. */
  pendingFor(member: string): Promise<string[]>;
  /** An earlier version of an item, when the history still holds it. */
  versionOf(itemId: string, version: number): Promise<Item | undefined>;
}

/** Everything the decide step of one collection's run reads. */
export interface DecideContext {
  view: StoreView;
  collection: string;
  policy: ConflictPolicy;
  identity: Identity;
  deleteGuard: number;
  allowMassDelete: boolean;
  /** ISO time of this run, for entries that carry no time of their own. */
  now: string;
  /** Per member: hrefs quarantined before this run. */
  quarantined: ReadonlyMap<string, ReadonlySet<Href>>;
  /** Per member: hrefs gone from the source in this run (their items may move to a new href). */
  goneHrefs: ReadonlyMap<string, ReadonlySet<Href>>;
  /** `member\nitemId` → the version an interrupted earlier run was writing there. */
  interrupted: ReadonlyMap<string, number>;
}
