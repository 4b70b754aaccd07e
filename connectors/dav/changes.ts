import type { Delta, ListedEntry } from '../../src/core/connector.js';
import type { Href } from '../../src/core/types.js';
import { expectCollectionAt } from './collection-missing.js';
import type { DavCollection } from './discovery.js';
import { dav, davText, NS } from '../../src/xml/dav-xml.js';
import { propOf, type DavEntry, type MultiStatus } from './multistatus.js';
import { requestBody, type DavRequests } from './requests.js';
import { textOf } from './xml-values.js';

/** What the change reader needs of a collection's source (DavSource is one; declared here so the two do not import each other). */
export interface ChangeSource {
  readonly url: string;
  readonly o: { readonly collection: Pick<DavCollection, 'syncCollection'>; readonly dav: DavRequests };
  list(): Promise<ListedEntry[]>;
  listed(entries: DavEntry[]): { changed: ListedEntry[]; deleted: Href[] };
}

/** Token prefixes: which way the changes were found, so a server that changed its ways is re-listed. */
const SYNC = 'sync:';
const CTAG = 'ctag:';
/** Neither sync-collection nor getctag: every run lists. */
const LIST = 'list:';
/** RFC 6578 §3.6: a truncated answer is continued with its token; bounded. */
const MAX_CONTINUATIONS = 100;

/**
 * Changes of one collection since a token. RFC 6578 sync-collection where the collection
 * offers it: one REPORT, changed hrefs with ETags and removed ones. Else getctag
 * (calendarserver.org): an unchanged ctag is an empty delta, a changed one asks the engine
 * for a full listing (null). `token` undefined is the first run: everything, plus a token.
 */
export async function changesSince(src: ChangeSource, token: string | undefined): Promise<Delta | null> {
  if (src.o.collection.syncCollection) {
    if (token !== undefined && !token.startsWith(SYNC)) return null;
    return syncCollection(src, token?.slice(SYNC.length));
  }
  const ctag = await getCtag(src);
  if (token !== undefined) {
    return ctag !== undefined && token === `${CTAG}${ctag}` ? { changed: [], deleted: [], token } : null;
  }
  // The ctag is read before the listing: a change made meanwhile shows up next run.
  return { changed: await src.list(), deleted: [], token: ctag === undefined ? LIST : `${CTAG}${ctag}` };
}

async function syncCollection(src: ChangeSource, syncToken: string | undefined): Promise<Delta | null> {
  const changed = new Map<Href, ListedEntry>();
  const deleted = new Set<Href>();
  let t = syncToken;
  for (let round = 0; round < MAX_CONTINUATIONS; round += 1) {
    const body = requestBody({ ns: NS.dav, name: 'sync-collection' },
      (t === undefined ? dav('sync-token') : davText('sync-token', t)) + davText('sync-level', '1') + dav('prop', dav('getetag')));
    // Without a token the answer lists the whole collection; with one, only what changed.
    const ms = await src.o.dav.report(src.url, body, '0', t === undefined);
    const refused = ms.status !== 207 && t !== undefined && staleToken(ms);
    expectCollectionAt(src.o.dav, ms, 'REPORT', src.url, refused);
    if (refused) return null;
    if (ms.status !== 207) throw src.o.dav.error(ms.status, 'REPORT', src.url);
    const d = src.listed(ms.entries);
    for (const e of d.changed) {
      changed.set(e.href, e);
      deleted.delete(e.href);
    }
    for (const h of d.deleted) {
      deleted.add(h);
      changed.delete(h);
    }
    if (!ms.syncToken) return null;
    t = ms.syncToken;
    if (!truncated(src, ms)) break;
  }
  return { changed: [...changed.values()], deleted: [...deleted], token: `${SYNC}${t}` };
}

/**
 * RFC 6578 §3.2: an expired token is 403 (or 409) with `<DAV:valid-sync-token/>`.
 * Xandikos 0.2 answers a token it does not know with 500; that too means "list again".
 */
function staleToken(ms: MultiStatus): boolean {
  if (ms.text?.includes('valid-sync-token')) return true;
  return ms.status === 409 || ms.status === 412 || ms.status === 400 || ms.status >= 500;
}

/** §3.6: the collection itself listed with 507 means "more to come". */
function truncated(src: ChangeSource, ms: MultiStatus): boolean {
  const path = new URL(src.url).pathname;
  return ms.entries.some((e) => e.status === 507 && new URL(e.href, src.url).pathname === path);
}

async function getCtag(src: ChangeSource): Promise<string | undefined> {
  const ms = await src.o.dav.propfind(src.url, [{ ns: NS.cs, name: 'getctag' }], '0');
  expectCollectionAt(src.o.dav, ms, 'PROPFIND', src.url);
  if (ms.status !== 207) throw src.o.dav.error(ms.status, 'PROPFIND', src.url);
  return textOf(propOf(ms.entries[0], NS.cs, 'getctag'));
}
