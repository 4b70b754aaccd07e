import { isPimError } from '../core/errors.js';
import type { ItemWrite, LinkRecord, NewLogEntry, QuarantineRecord, StoreChange, Store, StoredItem, MemberState, NewOutboxEntry } from '../core/store.js';
import { killPoint } from '../core/kill-point.js';
import type { Href, Uid } from '../core/types.js';
import type { Item } from '../model/item.js';
import { headOf, type LinkHead, type StoreView } from './decide/context.js';
import { SeenFilter } from './seen-filter.js';
import { StoreRaceError } from './store-race.js';

const linkKey = (member: string, href: Href) => `${member}\n${href}`;

/** A link put (or, with `link` null, removed) by this run and not yet forgotten. */
interface StagedLink {
  member: string;
  href: Href;
  link: LinkRecord | null;
}

/**
 * The store as this run sees it (the decide step's StoreView): what is committed plus what
 * the run has decided but not yet committed. A dry run decides everything and commits
 * nothing, so its plan matches what a real run would do. Commits happen in batches; each
 * batch is atomic, and once committed a batch is dropped from memory (the store has it).
 */
export class Workspace implements StoreView {
  private readonly items = new Map<string, StoredItem>();
  private readonly byUid = new Map<Uid, string>();
  private readonly keyIndex = new Map<string, Set<string>>();
  private readonly links = new Map<string, StagedLink>();
  /** Staged link keys per item id (before and after a change), so item lookups stay cheap. */
  private readonly linkKeysByItem = new Map<string, Set<string>>();
  private readonly memberLinks = new Map<string, Map<Href, LinkHead>>();
  /** Whole links of the batch being decided (`preloadLinks`), by link key. */
  private readonly preloaded = new Map<string, LinkRecord>();
  /** Per member: item id → hrefs it was linked under this run (checked against memberLinks on use); one href, or several. */
  private readonly hrefsByItem = new Map<string, Map<string, Href | Href[]>>();
  private pending: Required<Pick<StoreChange, 'items' | 'links' | 'removeLinks' | 'log' | 'quarantine' | 'unquarantine' | 'memberStates' | 'outbox'>> = Workspace.empty();
  private pendingIds = new Set<string>();
  /** The batch's link changes, last one per key wins (a link put and then removed is removed). */
  private pendingLinks = new Map<string, StagedLink>();
  /**
   * Set when the collection held no item at all as the run began (a first sync): every item
   * the store then holds was put by this run, so a UID or identity key this run never put
   * is in no stored item, and its lookup needs no store query.
   */
  private putByRun: { uids: SeenFilter; keys: SeenFilter } | undefined;

  constructor(
    readonly store: Store,
    readonly collection: string,
    readonly dryRun: boolean,
    readonly run: string,
    /** ISO time of the run: the time of every version it stores. */
    readonly now: string,
    // Items plus links staged per commit. Each commit rewrites every index page it touches,
    // and a batch of a few hundred entries touches most pages of the link and identity
    // indexes (their keys arrive in no order): 2,000 took a first sync of 10,000 contacts
    // from 0.82M to 0.55M blocks written, memory bounded by the batch all the same.
    private readonly batchSize = 2000,
  ) {}

  private static empty() {
    return { items: [], links: [], removeLinks: [], log: [], quarantine: [], unquarantine: [], memberStates: [], outbox: [] } as {
      items: ItemWrite[]; links: LinkRecord[]; removeLinks: Array<{ collection: string; member: string; href: Href }>;
      log: NewLogEntry[]; quarantine: QuarantineRecord[]; unquarantine: Array<{ collection: string; member: string; href: Href }>;
      memberStates: MemberState[]; outbox: NewOutboxEntry[];
    };
  }

  async getItem(id: string): Promise<StoredItem | undefined> {
    return this.items.get(id) ?? (await this.store.getItem(id));
  }

  /** The collection held no item when the run began (store.currentSeq was 0): lookups need no store query. */
  startsEmpty(): void {
    this.putByRun = { uids: new SeenFilter(), keys: new SeenFilter() };
  }

  async getItemByUid(uid: Uid): Promise<StoredItem | undefined> {
    const id = this.byUid.get(uid);
    if (id) return this.items.get(id);
    if (this.putByRun && !this.putByRun.uids.mayHold(uid)) return undefined;
    const s = await this.store.getItemByUid(this.collection, uid);
    // A staged rewrite of that item wins over the committed one.
    return s ? this.items.get(s.id) ?? s : undefined;
  }

  async findByIdentity(keys: string[]): Promise<StoredItem[]> {
    const ask = !this.putByRun || keys.some((k) => this.putByRun!.keys.mayHold(k));
    const ids = new Set(ask ? await this.store.findByIdentity(this.collection, keys) : []);
    for (const k of keys) for (const id of this.keyIndex.get(k) ?? []) ids.add(id);
    const out: StoredItem[] = [];
    for (const id of ids) {
      const it = await this.getItem(id);
      if (it && !it.deleted) out.push(it);
    }
    return out;
  }

  /** All links of a member as heads, loaded once per run and kept current with staged changes. */
  async linksOf(member: string): Promise<Map<Href, LinkHead>> {
    let m = this.memberLinks.get(member);
    if (!m) {
      // Heads only: a sync that finds nothing changed reads no base (no JSON of 10,000 links parsed for nothing).
      m = new Map((await this.store.linkHeads(this.collection, member)).map((l) => [l.href, l] as const));
      for (const s of this.links.values()) {
        if (s.member !== member) continue;
        if (s.link) m.set(s.href, headOf(s.link));
        else m.delete(s.href);
      }
      this.memberLinks.set(member, m);
    }
    return m;
  }

  /** One link whole: as staged by this run, else as read for the batch being decided, else as committed. */
  async link(member: string, href: Href): Promise<LinkRecord | undefined> {
    const key = linkKey(member, href);
    const staged = this.links.get(key);
    if (staged) return staged.link ?? undefined;
    return this.preloaded.get(key) ?? this.store.getLink(this.collection, member, href);
  }

  /**
   * Reads the whole links of a member at a fetched batch's hrefs in one store query, so that
   * deciding each entry asks the store nothing more. Holds one batch: the next call replaces it.
   */
  async preloadLinks(member: string, hrefs: readonly Href[]): Promise<void> {
    this.preloaded.clear();
    const heads = await this.linksOf(member);
    const wanted = hrefs.filter((h) => heads.has(h) && !this.links.has(linkKey(member, h)));
    if (wanted.length === 0) return;
    for (const l of await this.store.getLinks(this.collection, member, wanted)) this.preloaded.set(linkKey(member, l.href), l);
  }

  /**
   * The links a member has to an item, from the member's link index (loaded once per run):
   * the decide and plan steps ask this for every entry, and a store query each time cost
   * more than the merge itself.
   */
  async linksOfItemAt(member: string, itemId: string): Promise<LinkHead[]> {
    const links = await this.linksOf(member);
    let index = this.hrefsByItem.get(member);
    if (!index) {
      index = new Map();
      for (const l of links.values()) addHref(index, l.itemId, l.href);
      this.hrefsByItem.set(member, index);
    }
    const out: LinkHead[] = [];
    // Entries go stale when a link moves or goes; the member's links say what holds now.
    const hrefs = index.get(itemId) ?? [];
    for (const href of typeof hrefs === 'string' ? [hrefs] : hrefs) {
      const l = links.get(href);
      if (l && l.itemId === itemId) out.push(l);
    }
    return out;
  }

  private stageLink(key: string, staged: StagedLink, previousItem?: string): void {
    this.links.set(key, staged);
    this.pendingLinks.set(key, staged);
    for (const id of [staged.link?.itemId, previousItem]) {
      if (!id) continue;
      let keys = this.linkKeysByItem.get(id);
      if (!keys) this.linkKeysByItem.set(id, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Ids of the items a member may need written: those the store has pending for it, and those this run touched. */
  async pendingFor(member: string): Promise<string[]> {
    const ids = new Set(await this.store.pendingIdsForMember(this.collection, member));
    // Not yet committed (a dry run): items changed, and items whose links changed (a member's
    // entry that no longer agrees needs a write as much as a changed item does).
    for (const id of this.items.keys()) ids.add(id);
    for (const id of this.linkKeysByItem.keys()) ids.add(id);
    return [...ids];
  }

  async versionOf(itemId: string, version: number): Promise<Item | undefined> {
    return (await this.store.history(itemId, 50)).find((h) => h.version === version)?.item;
  }

  /** Stages a new version of an item; returns it as it will be stored. */
  async putItem(write: Omit<ItemWrite, 'run'>): Promise<StoredItem> {
    const time = this.now;
    if (this.pendingIds.has(write.id)) {
      await this.flush();
    }
    const stored: StoredItem = {
      id: write.id, collection: this.collection, uid: write.uid, version: write.expectVersion + 1, seq: 0,
      deleted: write.deleted ?? false, item: write.item, meta: write.meta, updatedAt: time,
    };
    this.items.set(write.id, stored);
    this.byUid.set(write.uid, write.id);
    for (const k of write.identityKeys ?? []) addTo(this.keyIndex, k, write.id);
    if (this.putByRun) {
      this.putByRun.uids.add(write.uid);
      for (const k of write.identityKeys ?? []) this.putByRun.keys.add(k);
    }
    this.pending.items.push({ ...write, run: this.run });
    this.pendingIds.add(write.id);
    await this.maybeFlush();
    return stored;
  }

  async putLink(link: LinkRecord): Promise<void> {
    this.stageLink(linkKey(link.member, link.href), { member: link.member, href: link.href, link });
    this.memberLinks.get(link.member)?.set(link.href, headOf(link));
    this.preloaded.delete(linkKey(link.member, link.href));
    const index = this.hrefsByItem.get(link.member);
    if (index) addHref(index, link.itemId, link.href);
    await this.maybeFlush();
  }

  async removeLink(member: string, href: Href): Promise<void> {
    const key = linkKey(member, href);
    const previous = this.links.get(key)?.link ?? (await this.linksOf(member)).get(href);
    this.stageLink(key, { member, href, link: null }, previous?.itemId);
    this.memberLinks.get(member)?.delete(href);
    this.preloaded.delete(key);
    await this.maybeFlush();
  }

  log(e: Omit<NewLogEntry, 'run'>): void {
    this.pending.log.push({ ...e, run: this.run });
  }

  quarantine(q: QuarantineRecord): void {
    this.pending.quarantine.push(q);
  }

  unquarantine(member: string, href: Href): void {
    this.pending.unquarantine.push({ collection: this.collection, member, href });
  }

  memberState(s: MemberState): void {
    this.pending.memberStates.push(s);
  }

  outbox(e: NewOutboxEntry): void {
    this.pending.outbox.push(e);
  }

  private async maybeFlush(): Promise<void> {
    if (this.pending.items.length + this.pendingLinks.size >= this.batchSize) await this.flush();
  }

  /** Commits everything staged (nothing in a dry run); gives the ids the store assigned. */
  async flush(extra: StoreChange = {}): Promise<{ logIds: number[] } | undefined> {
    const p = this.pending;
    for (const { member, href, link } of this.pendingLinks.values()) {
      if (link) p.links.push(link);
      else p.removeLinks.push({ collection: this.collection, member, href });
    }
    this.pending = Workspace.empty();
    this.pendingIds = new Set();
    this.pendingLinks = new Map();
    if (this.dryRun) return undefined;
    const change: StoreChange = {
      items: p.items, links: p.links, removeLinks: p.removeLinks, log: p.log, quarantine: p.quarantine,
      unquarantine: p.unquarantine, memberStates: p.memberStates, outbox: p.outbox, ...extra,
    };
    const empty = Object.values(change).every((v) => !Array.isArray(v) || v.length === 0);
    if (empty) return undefined;
    try {
      killPoint('store.before-commit');
      const done = await this.store.commit(change);
      killPoint('store.after-commit');
      this.forgetCommitted();
      return done;
    } catch (e) {
      // Not a member's 412: the store itself moved (the endpoint or another process wrote an
      // item this run had merged). Nothing of the batch was applied; the run starts over.
      if (isPimError(e, 'precondition-failed')) {
        throw new StoreRaceError(this.collection, e);
      }
      throw e;
    }
  }

  /** After a commit the store answers for everything staged: memory stays bounded by one batch. */
  private forgetCommitted(): void {
    this.items.clear();
    this.byUid.clear();
    this.keyIndex.clear();
    this.links.clear();
    this.linkKeysByItem.clear();
  }
}

/** Most items have one link per member: a plain href, an array only for more. */
function addHref(index: Map<string, Href | Href[]>, itemId: string, href: Href): void {
  const had = index.get(itemId);
  if (had === undefined) index.set(itemId, href);
  else if (typeof had === 'string') {
    if (had !== href) index.set(itemId, [had, href]);
  } else if (!had.includes(href)) had.push(href);
}

function addTo<T>(index: Map<string, Set<T>>, key: string, value: T): void {
  let values = index.get(key);
  if (!values) index.set(key, (values = new Set()));
  values.add(value);
}
