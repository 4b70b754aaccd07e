import { createHash } from 'node:crypto';
import { asHref, type Href } from '../../src/core/types.js';
import type { Item } from '../../src/model/item.js';
import { findProp, textOf, type Component } from '../../src/model/property.js';
import { nameKey } from '../../src/normalize/names.js';
import { assertNever } from '../../src/core/errors.js';

/**
 * Hrefs of entries inside one file (a .vcf of many cards, an .ics, a CSV). A file has no
 * per-entry names, so the href is derived from the entry: `uid:<UID>` when it has one
 * (stable across re-exports), else `name:<name key>` (`name:jane doe`; for events the
 * summary and start), which is as stable as the name. Duplicates get `#2`, `#3` in file
 * order.
 */
export function baseHrefOf(item: Item): string {
  if (item.uid !== '') return `uid:${item.uid}`;
  switch (item.kind) {
    case 'contact':
      return `name:${nameKey(contactName(item.card))}`;
    case 'calendar': {
      const c = item.master ?? item.overrides[0];
      return c ? `name:${nameKey(textOf(c, 'summary'))}@${textOf(c, 'dtstart')}` : 'name:';
    }
    default:
      return assertNever(item, 'item');
  }
}

/**
 * What tells namesakes apart: the first email (lower-cased) or phone (digits) of a contact,
 * the first location/description words of an event; a short hash of the whole entry when
 * it has none of those.
 */
export function discriminatorOf(item: Item): string {
  const c = item.kind === 'contact' ? item.card : item.master ?? item.overrides[0];
  if (!c) return '';
  const email = textOf(c, 'email').trim().toLowerCase();
  if (email) return email;
  const tel = textOf(c, 'tel').replace(/[^0-9+]/g, '');
  if (tel) return tel;
  const where = textOf(c, 'location') || textOf(c, 'description');
  if (where) return nameKey(where).slice(0, 40);
  return createHash('sha1').update(JSON.stringify(c.props.filter((p) => p.name !== 'rev' && p.name !== 'dtstamp'))).digest('hex').slice(0, 10);
}

/** FN, else the parts of N. */
function contactName(card: Component): string {
  const fn = textOf(card, 'fn');
  if (fn !== '') return fn;
  const n = findProp(card, 'n');
  return n ? n.values.flat(2).filter((v) => typeof v === 'string').join(' ') : '';
}

/** The base of an href (`uid:x#2` → `uid:x`). */
export function baseOfHref(href: Href): string {
  return href.replace(/#\d+$/, '');
}

export function isUidHref(base: string): boolean {
  return base.startsWith('uid:');
}

/** The first free href for a base: the base itself, else `base#2`, `base#3`, … */
export function allocateHref(base: string, taken: (h: Href) => boolean): Href {
  let h = asHref(base);
  for (let n = 2; taken(h); n++) h = asHref(`${base}#${n}`);
  return h;
}
