import { PimError } from '../../src/core/errors.js';
import { safeUrl } from './http.js';
import type { MultiStatus } from './multistatus.js';
import type { DavRequests } from './requests.js';

/**
 * The collection did not answer at its URL: 404 or 410, 403, or a redirect elsewhere. A
 * member whose collection URL came from its stored token finds it again by discovery; for
 * one discovered in this run it is the error it says. Never "empty": an answer from another
 * URL would name none of the member's entries, and a listing read that way would look as
 * if every entry were gone.
 */
export class CollectionMissing extends PimError {}

const MISSING = new Set([403, 404, 410]);
const samePath = (a: string, b: string) => new URL(a).pathname.replace(/\/$/, '') === new URL(b).pathname.replace(/\/$/, '');

/**
 * Throws CollectionMissing when `ms` (the answer to `method` at the collection's `url`) says
 * the collection is not there. `tokenRefused`: the answer refuses a sync token (RFC 6578
 * §3.2, a 403 with valid-sync-token), which says the collection is there.
 */
export function expectCollectionAt(dav: DavRequests, ms: MultiStatus, method: string, url: string, tokenRefused = false): void {
  if (!samePath(ms.url, url)) {
    throw new CollectionMissing('not-found', `${method} ${safeUrl(url)}: the server sent the request on to ${safeUrl(ms.url)}; the collection has moved: pimhub reads no collection through a redirect (its entries would all look deleted); check the connector's url against the server, or the proxy in front of it, so that discovery finds the collection where it answers`, { where: safeUrl(url) });
  }
  if (!tokenRefused && (MISSING.has(ms.status) || (ms.status >= 300 && ms.status < 400))) {
    const e = dav.error(ms.status, method, url);
    throw new CollectionMissing(e.kind, e.message, { where: e.where });
  }
}
