/**
 * 207 Multi-Status bodies (RFC 4918 §13): one `response` per resource, found properties in
 * a 200 propstat, unknown or undefined ones in a 404 propstat. Object data (address-data,
 * calendar-data) is rendered here, and every object served with its data is noted so the
 * `endpoint` links can record it (the base of the client's next PUT).
 */
import type { Response } from 'express';
import type { DavContext } from './context.js';
import { propertyDef, PROPERTIES } from './properties.js';
import { cardVersionFor, render, renderJCard, wantsJCard, type CardVersion, type PropSelection } from './render.js';
import { shapedCalendarData } from './expand.js';
import type { Served } from './served.js';
import { storedItemOf, type ListedResource } from './resources.js';
import { child, children, dav, davText, escapeXml, is, keyOf, NS, qname, qnameOfKey, ROOT_NS_DECL, XML_HEAD, type QName, type XmlNode } from '../xml/dav-xml.js';

export type PropRequest =
  | { kind: 'allprop'; include: XmlNode[] }
  | { kind: 'propname' }
  | { kind: 'prop'; props: XmlNode[] };

/** The prop/allprop/propname child of a PROPFIND or REPORT element (none: allprop, RFC 4918 §9.1). */
export function propRequestOf(el: XmlNode | undefined): PropRequest {
  const prop = child(el, NS.dav, 'prop');
  if (prop) return { kind: 'prop', props: prop.children };
  if (child(el, NS.dav, 'propname')) return { kind: 'propname' };
  return { kind: 'allprop', include: child(el, NS.dav, 'include')?.children ?? [] };
}

const STATUS = { 200: 'HTTP/1.1 200 OK', 404: 'HTTP/1.1 404 Not Found', 403: 'HTTP/1.1 403 Forbidden', 424: 'HTTP/1.1 424 Failed Dependency' } as const;

export function propstat(found: string[], status: keyof typeof STATUS): string {
  return found.length === 0 ? '' : dav('propstat', dav('prop', found.join('')) + davText('status', STATUS[status]));
}

export const hrefResponse = (href: string, inner: string) => dav('response', davText('href', href) + inner);
export const statusResponse = (href: string, status: string) => dav('response', davText('href', href) + davText('status', status));

const isDataProp = (q: QName) => is(q, NS.carddav, 'address-data') || is(q, NS.caldav, 'calendar-data');

/** The request asks for object data (address-data, calendar-data). */
export const wantsData = (req: PropRequest): boolean => req.kind === 'prop' && req.props.some(isDataProp);

/** Answering the request needs the objects' items, not only their heads (src/server/listing.ts). */
export function needsItems(req: PropRequest): boolean {
  if (req.kind === 'propname') return false;
  const asked = req.kind === 'prop' ? req.props : [...PROPERTIES.filter((d) => d.allprop), ...req.include];
  return asked.some((q) => isDataProp(q) || propertyDef(q)?.needsItem === true);
}

function dataOf(r: ListedResource, el: XmlNode, served: Served): string | undefined {
  if (r.type !== 'object') return undefined;
  const wantsCard = is(el, NS.carddav, 'address-data') && r.col.kind === 'contacts';
  const wantsCal = is(el, NS.caldav, 'calendar-data') && r.col.kind === 'calendar';
  if (!wantsCard && !wantsCal) return undefined;
  const res = { ...r, item: storedItemOf(r) };
  const asked = el.attrs.version === '4.0' || el.attrs.version === '3.0' ? (el.attrs.version as CardVersion) : undefined;
  const template = served.template(res.col, res.name, res.item);
  const version = cardVersionFor(asked, template);
  const names = children(el, NS.carddav, 'prop').map((p) => (p.attrs.name ?? '').toLowerCase());
  const only: PropSelection = wantsCard && names.length > 0 && !child(el, NS.carddav, 'allprop') ? new Set(names) : undefined;
  const shaped = wantsCal && res.item.item.kind === 'calendar' ? shapedCalendarData(el, res.item.item) : undefined;
  // An expanded or limited object is not what the client would PUT back: not recorded as served.
  if (shaped !== undefined) return escapeXml(shaped);
  if (wantsCard && wantsJCard(el.attrs['content-type'])) {
    served.add(res.col, res.name, res.item);
    return escapeXml(renderJCard(res.item));
  }
  const text = render(res.item, version, only, template?.raw);
  if (!only) served.add(res.col, res.name, res.item, text);
  return escapeXml(text);
}

/**
 * The `response` element of one resource for a PROPFIND or REPORT. `dead` holds the
 * resource's dead properties (RFC 4918 §4; inner XML by `{ns}name`): returned when asked
 * for, by allprop and by propname, after the live ones.
 */
export function propResponse(res: ListedResource, req: PropRequest, ctx: DavContext, served: Served, dead: Record<string, string> = {}): string {
  const defs = () => PROPERTIES.filter((p) => p.on.includes(res.type));
  const deadNames = () => Object.keys(dead).map(qnameOfKey);
  if (req.kind === 'propname') return hrefResponse(res.href, propstat([...defs(), ...deadNames()].map((d) => qname(d)), 200));
  const found: string[] = [];
  const missing: string[] = [];
  const wanted: QName[] = req.kind === 'prop' ? req.props : [...defs().filter((d) => d.allprop), ...deadNames(), ...req.include];
  const seen = new Set<string>();
  for (const q of wanted) {
    if (seen.has(keyOf(q))) continue;
    seen.add(keyOf(q));
    const data = 'attrs' in q ? dataOf(res, q as XmlNode, served) : undefined;
    const def = propertyDef(q);
    const value = data ?? (def && def.on.includes(res.type) ? def.get(res, ctx) : undefined) ?? dead[keyOf(q)];
    if (value === undefined) missing.push(qname({ ns: q.ns, name: q.name }));
    else found.push(qname({ ns: q.ns, name: q.name }, value));
  }
  return hrefResponse(res.href, propstat(found, 200) + propstat(missing, 404));
}

/** The opening of a multistatus body, up to its first `response`. */
export const MULTISTATUS_OPEN = `${XML_HEAD}<D:multistatus ${ROOT_NS_DECL}>`;
export const MULTISTATUS_CLOSE = '</D:multistatus>';

export function sendMultistatus(res: Response, responses: string[], extra = ''): void {
  const body = `${MULTISTATUS_OPEN}${responses.join('')}${extra}${MULTISTATUS_CLOSE}`;
  res.status(207).type('application/xml; charset=utf-8').send(body);
}
