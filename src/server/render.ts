/**
 * Items as the bytes a client reads, and client bytes as items. vCard 3.0 unless the
 * client asks for 4.0 (Accept: text/vcard; version=4.0, or address-data version="4.0",
 * RFC 6352 §6.2.2 and §10.4); iCalendar 2.0 for calendars.
 */
import { encodeCalendarItemLike } from '../codecs/icalendar/encode-like.js';
import { decodeICalendar } from '../codecs/icalendar/index.js';
import { encodeVCardLike, parseCardTemplate, type CardTemplate } from '../codecs/vcard/encode-like.js';
import { decodeVCards, VCARD_40_ONLY } from '../codecs/vcard/index.js';
import { decodeJCard, encodeJCard } from '../codecs/vcard/jcard.js';
import type { CollectionRecord, StoredItem } from '../core/store.js';
import { FULL_CAPABILITIES, type FormatCapabilities } from '../model/capabilities.js';
import type { ContactItem, Item } from '../model/item.js';
import { DavError } from './dav-error.js';
import { NS } from '../xml/dav-xml.js';

export type CardVersion = '3.0' | '4.0';

export const contentTypeOf = (col: CollectionRecord, v: CardVersion = '3.0'): string =>
  col.kind === 'contacts' ? `text/vcard; charset=utf-8${v === '4.0' ? '; version=4.0' : ''}` : 'text/calendar; charset=utf-8';

/** jCard (RFC 7095 §8): asked for by Accept or by address-data's content-type. */
export const JCARD_TYPE = 'application/vcard+json';
export const wantsJCard = (mediaType: string | undefined): boolean => !!mediaType && /application\/vcard\+json/i.test(mediaType);
export const renderJCard = (item: StoredItem): string => (item.item.kind === 'contact' ? JSON.stringify(encodeJCard(item.item)) : '');

/** The vCard version an Accept header names, if any. */
export function versionFromAccept(accept: string | undefined): CardVersion | undefined {
  const m = accept ? /text\/vcard[^,]*version\s*=\s*"?([34]\.0)/i.exec(accept) : null;
  return m ? (m[1] as CardVersion) : undefined;
}

/**
 * The version a card is served in: the one the request names; else the one this client
 * wrote it in (what it PUTs, it GETs back, SPEC §5); else 3.0 (RFC 6352 §5.1.1).
 */
export function cardVersionFor(requested: CardVersion | undefined, template: { raw: string; own: boolean } | undefined): CardVersion {
  if (requested) return requested;
  const own = template?.own ? templateOf(template.raw)?.version : undefined;
  return own === '4.0' || own === '3.0' ? own : '3.0';
}

/**
 * The last template parsed: an object is served by `cardVersionFor` then `render`, each
 * needing the parsed text the client holds (parsing it is most of serving it). Shared by
 * every request, which is safe only because nothing changes a parsed template
 * (encodeVCardLike reads it): keep it read-only.
 */
let lastTemplate: { raw: string; parsed: CardTemplate | undefined } | undefined;
function templateOf(raw: string): CardTemplate | undefined {
  if (lastTemplate?.raw !== raw) lastTemplate = { raw, parsed: parseCardTemplate(raw) };
  return lastTemplate.parsed;
}

/** Only these properties (RFC 6352 §10.4.2 partial retrieval); undefined = all. */
export type PropSelection = Set<string> | undefined;

/**
 * An object's text. `template` is what this client holds for it (its link's raw text): the
 * properties that did not change since keep the client's own lines (src/codecs/*\/encode-like.ts).
 */
export function render(item: StoredItem, v: CardVersion = '3.0', only?: PropSelection, template?: string): string {
  const it = item.item;
  if (it.kind === 'contact') {
    const card = only ? { ...it.card, props: it.card.props.filter((p) => only.has(p.name)) } : it.card;
    return encodeVCardLike({ ...it, card }, v, template === undefined ? undefined : templateOf(template));
  }
  return encodeCalendarItemLike(it, template);
}

const VCARD_TYPES = /^(text\/vcard|text\/x-vcard|text\/directory)\b/i;
const ICAL_TYPES = /^text\/calendar\b/i;
/**
 * What a client sends when it does not say: curl -T sends nothing, a string body in fetch is
 * text/plain, some tools send application/octet-stream. Such a body is taken when it is what
 * the collection holds (Radicale does not look at the type at all).
 */
const GENERIC_TYPES = /^(text\/plain|application\/octet-stream)\b/i;
const startsWith = (body: Buffer, what: 'VCARD' | 'VCALENDAR') => new RegExp(`^\\uFEFF?\\s*BEGIN:${what}\\b`, 'i').test(body.subarray(0, 64).toString('utf8'));
const generic = (ct: string, body: Buffer, what: 'VCARD' | 'VCALENDAR') => GENERIC_TYPES.test(ct) && startsWith(body, what);

export interface ParsedBody {
  item: Item;
  caps: FormatCapabilities;
}

/**
 * A PUT body → one item, with what the client's format holds. A vCard 3.0 (or 2.1) client
 * cannot hold KIND, MEMBER, GENDER…: unless it sent them, their absence is not a deletion.
 */
export function parseBody(col: CollectionRecord, contentType: string | undefined, body: Buffer): ParsedBody {
  const ct = (contentType ?? '').trim();
  if (col.kind === 'contacts') {
    const json = wantsJCard(ct);
    if (ct && !VCARD_TYPES.test(ct) && !json && !generic(ct, body, 'VCARD')) throw new DavError(415, 'an address book takes text/vcard or application/vcard+json', { ns: NS.carddav, name: 'supported-address-data' });
    const r = json ? decodeJCard(body.toString('utf8')) : decodeVCards(body);
    if (r.items.length !== 1 || r.problems.length > 0) {
      throw new DavError(400, r.problems[0]?.message ?? 'expected exactly one vCard', { ns: NS.carddav, name: 'valid-address-data' });
    }
    const version = json ? '4.0' : /^VERSION:\s*(\S+)/im.exec(body.toString('utf8'))?.[1];
    return { item: r.items[0]!, caps: version === '4.0' ? FULL_CAPABILITIES : legacyCaps(r.items[0]!, version ?? '3.0') };
  }
  if (ct && !ICAL_TYPES.test(ct) && !generic(ct, body, 'VCALENDAR')) throw new DavError(415, 'a calendar takes text/calendar', { ns: NS.caldav, name: 'supported-calendar-data' });
  const r = decodeICalendar(body);
  if (r.items.length !== 1 || r.problems.length > 0) {
    const msg = r.items.length > 1 ? 'a calendar object resource holds one UID' : r.problems[0]?.message ?? 'expected one calendar item';
    throw new DavError(400, msg, { ns: NS.caldav, name: 'valid-calendar-data' });
  }
  return { item: r.items[0]!, caps: FULL_CAPABILITIES };
}

/** 4.0-only properties are held by a 3.0/2.1 client only when it sent some of them. */
export function legacyCaps(incoming: ContactItem, version: string): FormatCapabilities {
  const sent = new Set(incoming.card.props.map((p) => p.name));
  return { format: `vcard-${version}-client`, holds: (p) => !VCARD_40_ONLY.has(p.name) || sent.has(p.name) };
}

/** For comparing a client's base with the store: 4.0-only properties never count. */
export const LEGACY_MASK: FormatCapabilities = { format: 'vcard-3.0-client', holds: (p) => !VCARD_40_ONLY.has(p.name) };
