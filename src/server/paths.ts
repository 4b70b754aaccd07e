/**
 * The URL space of the endpoint:
 *
 *   /.well-known/carddav, /.well-known/caldav   → redirect to /dav/ (RFC 6764 §5)
 *   /dav/                                       context path: current-user-principal
 *   /dav/principals/USER/                       the principal (RFC 5397, RFC 3744)
 *   /dav/home/USER/                             addressbook-home-set and calendar-home-set
 *   /dav/home/USER/COLLECTION/                  an address book or calendar
 *   /dav/home/USER/COLLECTION/NAME              one vCard or iCalendar object
 *
 * NAME is one path segment: a `/` inside it (UIDs may hold one) travels as %2F, and is
 * understood unescaped too (SyncEvolution sends it so; collections never nest). Segments
 * are percent-decoded once (hrefs going out are encoded once, by `encodeSegment`) and
 * refused when they would climb (`.`, `..`) or hold NUL. A COLLECTION name may be anything
 * else a client chooses (Unicode, spaces, `@`, `%`) but a `/`, a backslash or a control
 * character, up to 255 characters; an object NAME anything at all (a UID may hold a line
 * break or a backslash: it only ever lives in the store, never in a file name). The
 * object NAME is the href of the `endpoint` member's links: it is branded here, where it
 * is read from the request.
 */
import { asHref, type Href } from '../core/types.js';
import { DavError } from './dav-error.js';

export const DAV_ROOT = '/dav/';
export const USER_RE = /^[A-Za-z0-9._@-]+$/;
/** Names of collections a client may choose (see above). */
export function isCollectionName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[\u0000-\u001f\u007f/\\]/.test(name);
}

export type ParsedPath =
  | { type: 'root' }
  | { type: 'well-known'; service: 'carddav' | 'caldav' }
  | { type: 'principal'; user: string }
  | { type: 'home'; user: string }
  | { type: 'collection'; user: string; collection: string }
  | { type: 'object'; user: string; collection: string; name: Href }
  | { type: 'unknown' };

export function parsePath(rawUrl: string): ParsedPath {
  const raw = rawUrl.split('?')[0]!.split('#')[0]!;
  const parts = raw.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const segs = parts.map(decodeSegment);
  if (segs.length === 0) return { type: 'root' };
  if (segs[0] === '.well-known' && segs.length === 2 && (segs[1] === 'carddav' || segs[1] === 'caldav')) {
    return { type: 'well-known', service: segs[1] };
  }
  if (segs[0] !== 'dav') return { type: 'unknown' };
  if (segs.length === 1) return { type: 'root' };
  const [, area, user, collection, name, ...rest] = segs;
  if (user !== undefined && !USER_RE.test(user)) return { type: 'unknown' };
  if (area === 'principals' && user !== undefined && segs.length === 3) return { type: 'principal', user };
  if (area !== 'home' || user === undefined) return { type: 'unknown' };
  if (collection === undefined) return { type: 'home', user };
  if (!isCollectionName(collection)) return { type: 'unknown' };
  if (name === undefined) return { type: 'collection', user, collection };
  if (name === '') return { type: 'unknown' };
  // Collections do not nest: more segments are a name with a slash some clients left unescaped.
  return { type: 'object', user, collection, name: asHref([name, ...rest].join('/')) };
}

function decodeSegment(s: string): string {
  let d: string;
  try {
    d = decodeURIComponent(s);
  } catch {
    throw new DavError(400, 'malformed percent-encoding in the path');
  }
  if (d === '.' || d === '..' || d.includes('\u0000')) throw new DavError(400, 'path segments may not be . or .. or hold NUL');
  return d;
}

/** Characters RFC 3986 §2.3 leaves unencoded anywhere (encodeURIComponent keeps them too). */
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/** True when `name` can be served as one path segment: its href passes the server's own checks. */
export function isServableName(name: string): boolean {
  if (UNRESERVED.test(name)) return name !== '.' && name !== '..';
  try {
    return decodeSegment(encodeSegment(name)) === name;
  } catch {
    // NUL, `.`/`..`, lone surrogates (encodeURIComponent throws).
    return false;
  }
}

/** Percent-encodes one segment, keeping what RFC 3986 allows in a path segment (`@`, `+`, `:` …). */
export function encodeSegment(s: string): string {
  // Most names (UIDs, `UID.vcf`) need no encoding: a listing of thousands encodes each one.
  if (UNRESERVED.test(s)) return s;
  return encodeURIComponent(s).replace(/%(2B|40|3A|24|26|2C|3B|3D)/g, (m) => decodeURIComponent(m));
}

export const principalHref = (user: string) => `${DAV_ROOT}principals/${encodeSegment(user)}/`;
export const homeHref = (user: string) => `${DAV_ROOT}home/${encodeSegment(user)}/`;
export const collectionHref = (user: string, collection: string) => `${homeHref(user)}${encodeSegment(collection)}/`;
export const objectHref = (user: string, collection: string, name: string) => `${collectionHref(user, collection)}${encodeSegment(name)}`;

/**
 * An href from a request body (multiget, sync-collection) → the object name inside the
 * given collection, or undefined when it points elsewhere. Accepts absolute URLs too.
 */
export function nameInCollection(href: string, user: string, collection: string): Href | undefined {
  let path = href.trim();
  const m = /^https?:\/\/[^/]+(\/.*)$/i.exec(path);
  if (m) path = m[1]!;
  // The hrefs this server wrote (a multiget names thousands): the collection's own href and a
  // name that decodes to itself; anything else goes through parsePath.
  const prefix = collectionHref(user, collection);
  if (path.startsWith(prefix)) {
    const name = path.slice(prefix.length);
    if (UNRESERVED.test(name) && name !== '' && name !== '.' && name !== '..') return asHref(name);
  }
  let p: ParsedPath;
  try {
    p = parsePath(path);
  } catch {
    return undefined;
  }
  return p.type === 'object' && p.user === user && p.collection === collection ? p.name : undefined;
}
