import { isIncremental, type Delta, type FetchedItem, type FetchProblem, type ListedEntry, type Source } from '../../core/connector.js';
import type { LinkHead } from '../decide/context.js';
import type { Etag, Href } from '../../core/types.js';
import type { Workspace } from '../workspace.js';

export interface MemberRead {
  member: string;
  source: Source;
  /** Entries to fetch: changed since the member's links say. */
  changed: ListedEntry[];
  /** Links whose entry is no longer at the source. */
  gone: LinkHead[];
  /** Entries that could not be decoded; complete once `batches` has been read to the end. */
  problems: FetchProblem[];
  /** Token to store once this read is fully merged. */
  token?: string;
  /** Whether an href is (still) at the source, as far as this read can tell. */
  present(href: Href): boolean;
  /** The etag the listing gave an href; undefined when not listed (or this read was a delta). */
  listedEtag(href: Href): Etag | undefined;
  /**
   * Whether the member holds entries that could not be read and whose item cannot be told
   * (no readable UID, no link at that href). Such an entry may be any item that seems gone,
   * so no entry gone from this member counts as deleted in this run (SPEC §4). Known once
   * `batches` has been read to the end.
   */
  blind(): boolean;
  /** The changed entries, fetched and decoded a batch at a time: memory stays bounded by the batch. */
  batches(onProgress?: (done: number, total: number) => void): AsyncGenerator<FetchedItem[]>;
}

// Large enough for a source to split it into several requests in flight (DAV multigets of ~100).
const FETCH_BATCH = 500;

/**
 * Finds what changed at a member since the last run: a delta from the source's token where
 * it offers one, else its listing compared with the stored links' etags. Only changed
 * entries are fetched, batch by batch, as the caller merges them.
 */
export async function readMember(
  ws: Workspace,
  member: string,
  source: Source,
  token: string | undefined,
): Promise<MemberRead> {
  // The source is asked first and its answer awaited after the heads are read: a server
  // works on its answer (most of a no-change sync) while the store is read.
  const answer = askSource(source, token);
  answer.catch(() => undefined); // awaited below; not unhandled if it fails while the heads are read
  const links = await ws.linksOf(member);
  const { delta, listing, token: newToken } = await answer;
  let changed: ListedEntry[] = [];
  let gone: LinkHead[] = [];
  let removed = new Set<Href>();
  if (delta) {
    changed = delta.changed.filter((e) => links.get(e.href)?.etag !== e.etag);
    gone = delta.deleted.map((h) => links.get(h)).filter((l): l is LinkHead => !!l);
    removed = new Set(delta.deleted);
  }
  let seen: Map<Href, Etag> | undefined;
  if (listing) {
    // Plain loops: a no-change run of 10,000 entries makes no pair or copy per entry.
    seen = new Map();
    for (const e of listing) {
      seen.set(e.href, e.etag);
      if (links.get(e.href)?.etag !== e.etag) changed.push(e);
    }
    for (const l of links.values()) if (!seen.has(l.href)) gone.push(l);
  }
  const problems: FetchProblem[] = [];
  async function* batches(onProgress?: (done: number, total: number) => void): AsyncGenerator<FetchedItem[]> {
    for (let i = 0; i < changed.length; i += FETCH_BATCH) {
      const hrefs: Href[] = changed.slice(i, i + FETCH_BATCH).map((e) => e.href);
      const r = await source.get(hrefs);
      problems.push(...r.problems);
      // The merge needs each fetched entry's link with its base: one store query per batch.
      await ws.preloadLinks(member, r.items.map((f) => f.href));
      onProgress?.(Math.min(i + FETCH_BATCH, changed.length), changed.length);
      yield r.items;
    }
  }
  return {
    member, source, changed, gone, problems, token: newToken, batches,
    present: (href) => (seen ? seen.has(href) : !removed.has(href)),
    listedEtag: (href) => seen?.get(href),
    blind: () => problems.some((p) => p.uid === undefined && !links.has(p.href)),
  };
}

/** What a source says has changed: a delta from the token where it can give one, else a full listing (with a new token where it has tokens). */
async function askSource(source: Source, token: string | undefined): Promise<{ delta?: Delta; listing?: ListedEntry[]; token?: string }> {
  if (!isIncremental(source)) return { listing: await source.list() };
  const delta = token === undefined ? null : await source.changesSince(token);
  if (delta) return { delta, token: delta.token };
  // A full listing: from the source's own initial delta where it has one (it carries a token), else list().
  const full = await source.changesSince(undefined);
  return full ? { listing: full.changed, token: full.token } : { listing: await source.list() };
}
