import type { FetchedItem, FetchProblem, FirstSync, Source } from '../../core/connector.js';
import { asEtag, type Etag, type Href } from '../../core/types.js';
import type { LinkHead } from '../decide/context.js';
import type { Workspace } from '../workspace.js';
import { fetchBatches } from './fetch-batches.js';
import type { MemberRead } from './member-read.js';

/**
 * A member's first read (no token) from a source whose token comes slowly: fetching starts
 * from the source's quick listing while its token-giving answer is still being made, so the
 * two overlap (Radicale writes a history file per card before it answers the first
 * sync-collection of a collection: docs/performance.md, "Speed round 5").
 *
 * The token must describe exactly what the run saw, or the next delta misses a change. So
 * once the listing's entries are fetched, the full answer is compared with what was fetched:
 * an entry it gives another version than the one fetched, or one never fetched, is fetched
 * (and merged) again; an entry fetched but missing from it is asked for once more, and
 * counts as gone only when the server no longer has it either (it may have been created
 * after the answer was made, and then the next delta brings it). Nothing is read as absent
 * on one answer alone.
 */
export async function readFirst(
  ws: Workspace,
  member: string,
  source: Source,
  live: ReadonlyMap<Href, LinkHead>,
  first: FirstSync,
): Promise<MemberRead> {
  // The member's links as the run began (the workspace's map gains the links this run makes).
  const links = new Map(live);
  // Awaited once the listing's entries are fetched; a failure before that must not go unhandled.
  first.full.catch(() => undefined);
  const listing = await first.listing;
  let seen = new Map<Href, Etag>(listing.map((e) => [e.href, e.etag]));
  const changed = listing.filter((e) => links.get(e.href)?.etag !== e.etag);
  const gone: LinkHead[] = [...links.values()].filter((l) => !seen.has(l.href));
  const vanished = new Set<Href>();
  const problems: FetchProblem[] = [];
  let token: string | undefined;
  /** The version each entry was fetched at in this run (a broken one's too). */
  const fetched = new Map<Href, Etag | undefined>();

  async function* batches(onProgress?: (done: number, total: number) => void): AsyncGenerator<FetchedItem[]> {
    for await (const batch of fetchBatches(ws, member, source, changed.map((e) => e.href), problems, onProgress)) {
      for (const f of batch) fetched.set(f.href, f.etag);
      yield batch;
    }
    for (const p of problems) fetched.set(p.href, p.etag);

    const full = await first.full;
    const final = full ? full.changed : await source.list();
    token = full?.token;
    const finalEtags = new Map<Href, Etag>(final.map((e) => [e.href, e.etag]));
    const recheck: Href[] = [];
    for (const [href, etag] of finalEtags) {
      const have = fetched.has(href) ? fetched.get(href) : links.get(href)?.etag;
      if (have !== etag) recheck.push(href);
    }
    for (const href of fetched.keys()) if (!finalEtags.has(href)) recheck.push(href);

    // The recheck's answer replaces what the first fetch said of those entries.
    const again = new Set(recheck);
    problems.splice(0, problems.length, ...problems.filter((p) => !again.has(p.href)));
    const fresh: FetchProblem[] = [];
    const answered = new Map<Href, Etag | undefined>();
    for await (const batch of fetchBatches(ws, member, source, recheck, fresh)) {
      for (const f of batch) answered.set(f.href, f.etag);
      // A version this run merged already is not merged twice.
      yield batch.filter((f) => fetched.get(f.href) !== f.etag);
    }
    for (const p of fresh) answered.set(p.href, p.etag);
    problems.push(...fresh);

    seen = new Map(finalEtags);
    for (const href of recheck) {
      if (answered.has(href)) seen.set(href, answered.get(href) ?? finalEtags.get(href) ?? asEtag(''));
      else if (!finalEtags.has(href) && !links.has(href)) vanished.add(href);
      // Else in the full answer but not sent now: kept as listed, as a listing's entry a fetch misses is.
    }
    const heads = await ws.linksOf(member);
    const nowGone = [...links.values()].filter((l) => !seen.has(l.href));
    for (const href of vanished) {
      const head = heads.get(href);
      if (head) nowGone.push(head);
    }
    gone.splice(0, gone.length, ...nowGone);
  }

  return {
    member, source, changed, gone, vanished, problems, batches,
    get token() {
      return token;
    },
    present: (href) => seen.has(href),
    listedEtag: (href) => seen.get(href),
    blind: () => problems.some((p) => p.uid === undefined && !live.has(p.href)),
  };
}
