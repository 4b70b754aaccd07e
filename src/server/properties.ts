/**
 * The DAV properties the endpoint knows, one row each, citing where it is defined.
 * `get` returns the inner XML, or undefined when the resource has no such property
 * (then PROPFIND answers it in a 404 propstat). `allprop` marks the RFC 4918 §15 live
 * properties a PROPFIND allprop returns; CardDAV and CalDAV properties are only returned
 * when asked for (RFC 6352 §6.2, RFC 4791 §5.2).
 */
import { endpointEtag } from '../sync/endpoint-write.js';
import type { DavContext } from './context.js';
import { contentTypeOf, render } from './render.js';
import { homeHref, principalHref } from './paths.js';
import { syncToken } from './sync-token.js';
import { storedItemOf, type ListedResource, type ResourceType } from './resources.js';
import { dav, davText, escapeXml, NS, qname, type QName } from '../xml/dav-xml.js';
import { assertNever } from '../core/errors.js';

export interface PropDef extends QName {
  rfc: string;
  allprop: boolean;
  on: readonly ResourceType[];
  /** The value needs the object's item, not only its head (a listing then reads the items). */
  needsItem?: true;
  get(res: ListedResource, ctx: DavContext): string | undefined;
}

const ALL: readonly ResourceType[] = ['root', 'principal', 'home', 'collection', 'object'];
const COL: readonly ResourceType[] = ['collection'];
const OBJ: readonly ResourceType[] = ['object'];
const href = (h: string) => davText('href', h);
const col = (r: ListedResource) => (r.type === 'collection' || r.type === 'object' ? r.col : undefined);
const isKind = (r: ListedResource, k: 'contacts' | 'calendar') => r.type === 'collection' && r.col.kind === k;
const cr = (name: string, inner = '') => qname({ ns: NS.carddav, name }, inner);
const cal = (name: string, inner = '') => qname({ ns: NS.caldav, name }, inner);

const PRIVILEGES = ['read', 'write', 'write-properties', 'write-content', 'bind', 'unbind', 'read-current-user-privilege-set'];

export const PROPERTIES: PropDef[] = [
  { ns: NS.dav, name: 'resourcetype', rfc: 'RFC 4918 §15.9', allprop: true, on: ALL, get: (r) => {
    switch (r.type) {
      case 'principal': return dav('collection') + dav('principal');
      case 'collection': return dav('collection') + (r.col.kind === 'contacts' ? cr('addressbook') : cal('calendar'));
      case 'object': return '';
      case 'root': case 'home': return dav('collection');
      default: return assertNever(r, 'resource');
    }
  } },
  { ns: NS.dav, name: 'displayname', rfc: 'RFC 4918 §15.2', allprop: true, on: ['principal', 'home', 'collection'], get: (r) =>
    r.type === 'collection' ? escapeXml(r.col.displayName ?? r.col.name) : r.type === 'principal' || r.type === 'home' ? escapeXml(r.user) : undefined },
  { ns: NS.dav, name: 'getetag', rfc: 'RFC 4918 §15.6', allprop: true, on: OBJ, get: (r) => (r.type === 'object' ? escapeXml(endpointEtag(r.item)) : undefined) },
  { ns: NS.dav, name: 'getcontenttype', rfc: 'RFC 4918 §15.5', allprop: true, on: OBJ, get: (r) => (r.type === 'object' ? contentTypeOf(r.col) : undefined) },
  { ns: NS.dav, name: 'getcontentlength', rfc: 'RFC 4918 §15.4', allprop: true, on: OBJ, needsItem: true, get: (r) =>
    (r.type === 'object' ? String(Buffer.byteLength(render(storedItemOf(r)))) : undefined) },
  { ns: NS.dav, name: 'getlastmodified', rfc: 'RFC 4918 §15.7', allprop: true, on: OBJ, get: (r) =>
    (r.type === 'object' ? new Date(r.item.updatedAt).toUTCString() : undefined) },
  { ns: NS.dav, name: 'current-user-principal', rfc: 'RFC 5397 §3', allprop: false, on: ALL, get: (_r, ctx) => href(principalHref(ctx.user)) },
  { ns: NS.dav, name: 'principal-URL', rfc: 'RFC 3744 §4.2', allprop: false, on: ['principal'], get: (r) => (r.type === 'principal' ? href(r.href) : undefined) },
  { ns: NS.dav, name: 'owner', rfc: 'RFC 3744 §5.1', allprop: false, on: ['home', 'collection', 'object'], get: (_r, ctx) => href(principalHref(ctx.user)) },
  { ns: NS.dav, name: 'current-user-privilege-set', rfc: 'RFC 3744 §5.4', allprop: false, on: ['home', 'collection', 'object'], get: () =>
    PRIVILEGES.map((p) => dav('privilege', dav(p))).join('') },
  { ns: NS.dav, name: 'supported-report-set', rfc: 'RFC 3253 §3.1.5', allprop: false, on: COL, get: (r) => {
    if (r.type !== 'collection') return undefined;
    const reports = r.col.kind === 'contacts' ? [cr('addressbook-multiget'), cr('addressbook-query')] : [cal('calendar-multiget'), cal('calendar-query'), cal('free-busy-query')];
    return [...reports, dav('sync-collection')].map((x) => dav('supported-report', dav('report', x))).join('');
  } },
  { ns: NS.dav, name: 'sync-token', rfc: 'RFC 6578 §4', allprop: false, on: COL, get: (r) => (r.type === 'collection' ? escapeXml(syncToken(r.col, r.seq)) : undefined) },
  { ns: NS.cs, name: 'getctag', rfc: 'CalendarServer caldav-ctag-02 §4.1', allprop: false, on: COL, get: (r) => (r.type === 'collection' ? `"${r.seq}"` : undefined) },
  { ns: NS.carddav, name: 'addressbook-home-set', rfc: 'RFC 6352 §7.1.1', allprop: false, on: ['principal'], get: (_r, ctx) => href(homeHref(ctx.user)) },
  { ns: NS.caldav, name: 'calendar-home-set', rfc: 'RFC 4791 §6.2.1', allprop: false, on: ['principal'], get: (_r, ctx) => href(homeHref(ctx.user)) },
  { ns: NS.dav, name: 'principal-collection-set', rfc: 'RFC 3744 §5.8', allprop: false, on: ['principal'], get: () => href('/dav/principals/') },
  { ns: NS.carddav, name: 'addressbook-description', rfc: 'RFC 6352 §6.2.1', allprop: false, on: COL, get: (r) =>
    (isKind(r, 'contacts') && col(r)?.description !== undefined ? escapeXml(col(r)!.description!) : undefined) },
  { ns: NS.caldav, name: 'calendar-description', rfc: 'RFC 4791 §5.2.1', allprop: false, on: COL, get: (r) =>
    (isKind(r, 'calendar') && col(r)?.description !== undefined ? escapeXml(col(r)!.description!) : undefined) },
  { ns: NS.carddav, name: 'supported-address-data', rfc: 'RFC 6352 §6.2.2', allprop: false, on: COL, get: (r) =>
    (isKind(r, 'contacts') ? [...['3.0', '4.0'].map((v) => `<CR:address-data-type content-type="text/vcard" version="${v}"/>`),
      '<CR:address-data-type content-type="application/vcard+json" version="4.0"/>'].join('') : undefined) },
  { ns: NS.caldav, name: 'supported-calendar-component-set', rfc: 'RFC 4791 §5.2.3', allprop: false, on: COL, get: (r) =>
    (isKind(r, 'calendar') ? ['VEVENT', 'VTODO', 'VJOURNAL'].map((c) => `<C:comp name="${c}"/>`).join('') : undefined) },
  { ns: NS.caldav, name: 'supported-calendar-data', rfc: 'RFC 4791 §5.2.4', allprop: false, on: COL, get: (r) =>
    (isKind(r, 'calendar') ? '<C:calendar-data content-type="text/calendar" version="2.0"/>' : undefined) },
  { ns: NS.carddav, name: 'max-resource-size', rfc: 'RFC 6352 §6.2.3', allprop: false, on: COL, get: (r, ctx) =>
    (isKind(r, 'contacts') ? String(ctx.config.server.maxBodyBytes) : undefined) },
  { ns: NS.caldav, name: 'max-resource-size', rfc: 'RFC 4791 §5.2.5', allprop: false, on: COL, get: (r, ctx) =>
    (isKind(r, 'calendar') ? String(ctx.config.server.maxBodyBytes) : undefined) },
  // Apple's iCal namespace, no RFC: read by DAVx5, iOS/macOS, Thunderbird and Evolution.
  { ns: NS.apple, name: 'calendar-color', rfc: 'Apple iCal extension (no RFC)', allprop: false, on: COL, get: (r) =>
    (r.type === 'collection' && r.col.color !== undefined ? escapeXml(r.col.color) : undefined) },
];

const BY_KEY = new Map(PROPERTIES.map((p) => [`{${p.ns}}${p.name}`, p] as const));
export const propertyDef = (q: QName): PropDef | undefined => BY_KEY.get(`{${q.ns}}${q.name}`);

/** PROPPATCH-able collection properties (RFC 4918 §9.2) → the CollectionRecord field they set. */
export const WRITABLE: Record<string, 'displayName' | 'color' | 'description'> = {
  [`{${NS.dav}}displayname`]: 'displayName',
  [`{${NS.apple}}calendar-color`]: 'color',
  [`{${NS.carddav}}addressbook-description`]: 'description',
  [`{${NS.caldav}}calendar-description`]: 'description',
};
