import { isIncremental, type FetchedItem, type FetchProblem, type ListedEntry, type Source } from '../../core/connector.js';
import type { LinkHead } from '../decide/context.js';
import type { Etag, Href } from '../../core/types.js';
import type { Workspace } from '../workspace.js';
import { fetchBatches } from './fetch-batches.js';
import { readFirst } from './read-first.js';

export interface MemberRead {
  member: string;
  source: Source;
  /** Entries to fetch: changed since the member's links say. */
  changed: ListedEntry[];
  /** Links whose entry is no longer at the source; complete once `batches` has been read to the end. */
  gone: LinkHead[];
  /**
   * Entries this run fetched and merged and then found gone before its token was taken (a
   * first sync whose listing and token came from two answers, see `readFirst`). Their
   * deletion undoes what this run itself added, so it is not counted by the delete guard.
   */
  vanished: ReadonlySet<Href>;
  /** Entries that could not be decoded; complete once `batches` has been read to the end. */
  problems: FetchProblem[];
  /** Token to store once this read is fully merged; known once `batches` has been read to the end. */
  readonly token?: string;
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
  const links = await ws.linksOf(member);
  const first = token === undefined && isIncremental(source) ? source.firstSync?.() : undefined;
  if (first) return readFirst(ws, member, source, links, first);
  let changed: ListedEntry[] = [];
  let gone: LinkHead[] = [];
  let newToken: string | undefined;
  // A full listing: from the source's own initial delta where it has one (it carries a token), else list().
  let listing: ListedEntry[] | undefined;
  let removed = new Set<Href>();
  if (isIncremental(source)) {
    const delta = token === undefined ? null : await source.changesSince(token);
    if (delta) {
      changed = delta.changed.filter((e) => links.get(e.href)?.etag !== e.etag);
      gone = delta.deleted.map((h) => links.get(h)).filter((l): l is LinkHead => !!l);
      removed = new Set(delta.deleted);
      newToken = delta.token;
    } else {
      const full = await source.changesSince(undefined);
      listing = full ? full.changed : await source.list();
      newToken = full?.token;
    }
  } else {
    listing = await source.list();
  }
  let seen: Map<Href, Etag> | undefined;
  if (listing) {
    seen = new Map(listing.map((e) => [e.href, e.etag]));
    changed = listing.filter((e) => links.get(e.href)?.etag !== e.etag);
    gone = [...links.values()].filter((l) => !seen!.has(l.href));
  }
  const problems: FetchProblem[] = [];
  return {
    member, source, changed, gone, vanished: new Set(), problems, token: newToken,
    batches: (onProgress) => fetchBatches(ws, member, source, changed.map((e) => e.href), problems, onProgress),
    present: (href) => (seen ? seen.has(href) : !removed.has(href)),
    listedEtag: (href) => seen?.get(href),
    blind: () => problems.some((p) => p.uid === undefined && !links.has(p.href)),
  };
}
