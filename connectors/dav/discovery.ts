import type { RemoteCollectionInfo } from '../../src/core/connector.js';
import { PimError, isPimError } from '../../src/core/errors.js';
import type { CollectionKind } from '../../src/core/types.js';
import { credentialsMayGo, safeUrl } from './http.js';
import { NS, type QName, type XmlNode } from '../../src/xml/dav-xml.js';
import { propOf, type DavEntry, type MultiStatus } from './multistatus.js';
import type { DavRequests } from './requests.js';
import { descendants, hasElement, hrefsOf, textOf } from './xml-values.js';

/** What the connector keeps about a remote collection besides what `pimhub check` shows. */
export interface DavCollection extends RemoteCollectionInfo {
  /** RFC 6578 sync-collection is in its supported-report-set. */
  syncCollection: boolean;
  /** vCard versions from supported-address-data (RFC 6352 §6.2.2); empty when not told. */
  vcardVersions: string[];
}

const SERVICE: Record<CollectionKind, 'carddav' | 'caldav'> = { contacts: 'carddav', calendar: 'caldav' };
const HOME_PROP: Record<CollectionKind, QName> = {
  contacts: { ns: NS.carddav, name: 'addressbook-home-set' },
  calendar: { ns: NS.caldav, name: 'calendar-home-set' },
};
const home = (e: DavEntry | undefined, kind: CollectionKind): XmlNode | undefined => propOf(e, HOME_PROP[kind].ns, HOME_PROP[kind].name);

const PRINCIPAL_PROPS: QName[] = [
  { ns: NS.dav, name: 'current-user-principal' }, HOME_PROP.contacts, HOME_PROP.calendar, { ns: NS.dav, name: 'resourcetype' },
];
const COLLECTION_PROPS: QName[] = [
  { ns: NS.dav, name: 'resourcetype' }, { ns: NS.dav, name: 'displayname' }, { ns: NS.apple, name: 'calendar-color' },
  { ns: NS.caldav, name: 'supported-calendar-component-set' }, { ns: NS.dav, name: 'supported-report-set' },
  { ns: NS.carddav, name: 'supported-address-data' },
];

/** The last path segment of a collection URL, decoded: `cloud/contacts` names it. */
export function lastSegment(url: string): string {
  const parts = new URL(url).pathname.split('/').filter((p) => p !== '');
  const last = parts[parts.length - 1] ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const asDir = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/**
 * Finds an account's collections (RFC 6764 §6, RFC 5397, RFC 6352 §7.1, RFC 4791 §6.2):
 * a bare host starts at `/.well-known/carddav|caldav`, any other URL is asked first;
 * then current-user-principal, its home sets, and one PROPFIND Depth 1 per home set.
 * Asks for no getctag or sync-token: those cost a server a walk over every item.
 */
export async function discoverCollections(dav: DavRequests, baseUrl: string, kinds: CollectionKind[]): Promise<DavCollection[]> {
  const homes = new Map<string, Set<CollectionKind>>();
  const direct: DavCollection[] = [];
  const failures: PimError[] = [];
  for (const kind of kinds) {
    let start: { url: string; ms: MultiStatus };
    try {
      start = await startingPoint(dav, baseUrl, kind);
    } catch (e) {
      // A `dav` account may offer only one of the two services (iCloud and Fastmail use two hosts).
      if (!isPimError(e) || isPimError(e, 'access-denied') || kinds.length === 1) throw e;
      failures.push(e);
      continue;
    }
    const here = start.ms.entries[0];
    if (here && isKind(here, kind)) direct.push(toCollection(start.url, here, kind));
    // Hrefs resolve against the URL that answered (after redirects), not the URL asked.
    const principal = hrefsOf(propOf(here, NS.dav, 'current-user-principal'))[0];
    let homeUrls = hrefsOf(home(here, kind)).map((h) => new URL(h, start.ms.url).href);
    if (principal && homeUrls.length === 0) {
      const purl = new URL(principal, start.ms.url).href;
      const p = dav.ok(await dav.propfind(purl, PRINCIPAL_PROPS, '0'), 'PROPFIND', purl);
      homeUrls = hrefsOf(home(p.entries[0], kind)).map((h) => new URL(h, p.url).href);
    }
    if (homeUrls.length === 0 && direct.length === 0) homeUrls = [start.url];
    for (const h of homeUrls) {
      const url = asDir(h);
      homes.set(url, (homes.get(url) ?? new Set()).add(kind));
    }
  }
  if (failures.length === kinds.length) throw failures[0]!;
  const found = new Map<string, DavCollection>(direct.map((c) => [`${c.kind} ${c.url}`, c]));
  for (const [home, ks] of homes) {
    const ms = dav.ok(await dav.propfind(home, COLLECTION_PROPS, '1'), 'PROPFIND', home);
    for (const e of ms.entries) {
      if (e.status < 200 || e.status >= 300) continue;
      const url = asDir(new URL(e.href, ms.url).href);
      for (const kind of ks) {
        if (isKind(e, kind)) found.set(`${kind} ${url}`, toCollection(url, e, kind));
      }
    }
  }
  return [...found.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.url.localeCompare(b.url));
}

/** The first URL that answers a PROPFIND for the principal: well-known for a bare host, else the URL itself. */
async function startingPoint(dav: DavRequests, baseUrl: string, kind: CollectionKind): Promise<{ url: string; ms: MultiStatus }> {
  const base = new URL(baseUrl);
  const wellKnown = new URL(`/.well-known/${SERVICE[kind]}`, base).href;
  const tries = base.pathname === '/' || base.pathname === '' ? [wellKnown, base.href] : [base.href, wellKnown];
  const errors: PimError[] = [];
  for (const url of tries) {
    const ms = await dav.propfind(url, PRINCIPAL_PROPS, '0');
    if (ms.status === 401) throw unauthorized(dav, url, ms.url);
    if (ms.status === 207 && ms.entries.length > 0) {
      // A redirect (well-known) moves the base: hrefs resolve against the URL that answered.
      return { url: ms.entries[0]!.href ? new URL(ms.entries[0]!.href, ms.url).href : ms.url, ms };
    }
    errors.push(dav.error(ms.status, 'PROPFIND', url));
  }
  const denied = errors.find((e) => isPimError(e, 'access-denied'));
  if (denied) throw denied;
  throw new PimError('not-found', `${safeUrl(baseUrl)}: no ${SERVICE[kind].toUpperCase()} service found there nor at ${safeUrl(wellKnown)} (${errors.map((e) => e.message).join('; ')}); check the connector's url`, { where: safeUrl(baseUrl) });
}

/** A 401; when a redirect took the request to another origin, says that credentials stay with the configured one. */
function unauthorized(dav: DavRequests, asked: string, answered: string): PimError {
  const e = dav.error(401, 'PROPFIND', asked);
  if (credentialsMayGo(new URL(asked), new URL(answered))) return e;
  const from = new URL(asked).origin;
  const to = new URL(answered).origin;
  return new PimError('access-denied', `${e.message}; it was redirected to ${safeUrl(to)}, and credentials are sent only to the configured origin ${safeUrl(from)}: set the connector's url to ${safeUrl(answered)}`, { where: e.where });
}

function isKind(e: DavEntry, kind: CollectionKind): boolean {
  const type = propOf(e, NS.dav, 'resourcetype');
  return kind === 'contacts' ? hasElement(type, NS.carddav, 'addressbook') : hasElement(type, NS.caldav, 'calendar');
}

/** The attribute `attr` of every `{ns}name` element below `n` (`<C:comp name="VTODO"/>`). */
function attributesOf(n: XmlNode | undefined, ns: string, name: string, attr: string): string[] {
  return descendants(n, ns, name).map((x) => x.attrs[attr]).filter((a): a is string => a !== undefined);
}

function toCollection(url: string, e: DavEntry, kind: CollectionKind): DavCollection {
  const comps = kind === 'calendar'
    ? attributesOf(propOf(e, NS.caldav, 'supported-calendar-component-set'), NS.caldav, 'comp', 'name').map((c) => c.toUpperCase())
    : [];
  const color = textOf(propOf(e, NS.apple, 'calendar-color'));
  const displayName = textOf(propOf(e, NS.dav, 'displayname'));
  const addressData = propOf(e, NS.carddav, 'supported-address-data');
  return {
    name: lastSegment(url),
    url,
    kind,
    ...(displayName ? { displayName } : {}),
    ...(color ? { color } : {}),
    ...(kind === 'calendar' ? { components: comps.length > 0 ? comps : ['VEVENT', 'VTODO', 'VJOURNAL'] } : {}),
    syncCollection: hasElement(propOf(e, NS.dav, 'supported-report-set'), NS.dav, 'sync-collection'),
    // RFC 6352 names the element address-data-type; Xandikos writes content-type.
    vcardVersions: kind === 'contacts'
      ? [...attributesOf(addressData, NS.carddav, 'address-data-type', 'version'), ...attributesOf(addressData, NS.carddav, 'content-type', 'version')]
      : [],
  };
}
