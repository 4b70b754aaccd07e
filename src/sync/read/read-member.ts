import { isIncremental, type FetchProblem, type ListedEntry, type Source } from '../../core/connector.js';
import type { LinkHead } from '../decide/context.js';
import type { Etag, Href } from '../../core/types.js';
import type { Workspace } from '../workspace.js';
import { fetchBatches } from './fetch-batches.js';
import type { MemberRead } from './member-read.js';
import { readFirst } from './read-first.js';

export type { MemberRead } from './member-read.js';

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
