import { asUid, type Uid } from '../core/types.js';
import type { Component, Property } from './property.js';
import { prop } from './property.js';

/**
 * Contact groups in their canonical form (vCard 4, RFC 6350 §6.1.4 and §6.6.5): a card with
 * `KIND:group`, its name in FN and one `MEMBER:urn:uuid:<uid>` per member. Codecs translate
 * the other forms (Apple's `X-ADDRESSBOOKSERVER-*`, CATEGORIES, Google labels) to and from
 * this one; the sync engine keeps a group's members and its members' CATEGORIES in step
 * (src/sync/decide/group-labels.ts).
 */
const URN_UUID = 'urn:uuid:';

export function isGroupCard(card: Component): boolean {
  const kind = card.props.find((p) => p.name === 'kind')?.values[0];
  return typeof kind === 'string' && kind.trim().toLowerCase() === 'group';
}

/** The group's name: its FN. */
export function groupName(card: Component): string {
  const fn = card.props.find((p) => p.name === 'fn')?.values[0];
  return typeof fn === 'string' ? fn.trim() : '';
}

/** The UID a MEMBER value names (`urn:uuid:` dropped; other URIs as they are). */
export function memberUid(value: string): Uid {
  const v = value.trim();
  return asUid(v.toLowerCase().startsWith(URN_UUID) ? v.slice(URN_UUID.length) : v);
}

export function memberValue(uid: string): string {
  return `${URN_UUID}${uid}`;
}

/** The UIDs of a group card's members. */
export function memberUids(card: Component): Uid[] {
  return card.props.filter((p) => p.name === 'member').flatMap((p) => p.values.filter((v): v is string => typeof v === 'string').map(memberUid));
}

/** Every CATEGORIES value of a card, trimmed, empty ones left out. */
export function categoriesOf(card: Component): string[] {
  return card.props
    .filter((p) => p.name === 'categories')
    .flatMap((p) => p.values.map((v) => (typeof v === 'string' ? v.trim() : '')))
    .filter((v) => v !== '');
}

/** A new group card ('' for a UID still to be given). */
export function newGroupCard(uid: string, name: string, members: string[]): Component {
  return {
    name: 'vcard',
    props: [
      ...(uid ? [prop('uid', 'text', [uid])] : []),
      prop('kind', 'text', ['group']),
      prop('fn', 'text', [name]),
      ...members.map((m) => prop('member', 'uri', [memberValue(m)])),
    ],
    components: [],
  };
}

/** The card with `uid` added to or removed from its members (other properties untouched). */
export function withMember(card: Component, uid: Uid, add: boolean): Component {
  const has = memberUids(card).includes(uid);
  if (has === add) return card;
  if (add) return { ...card, props: [...card.props, prop('member', 'uri', [memberValue(uid)])] };
  const props: Property[] = [];
  for (const p of card.props) {
    if (p.name !== 'member') { props.push(p); continue; }
    const values = p.values.filter((v) => typeof v !== 'string' || memberUid(v) !== uid);
    if (values.length > 0) props.push({ ...p, values });
  }
  return { ...card, props };
}

/**
 * The card with every member named in `from` replaced by `to`, where the first of them
 * stood; later ones (and `to` when already a member) are not repeated: members are a set.
 * The card itself when it names none of `from`.
 */
export function withMembersRenamed(card: Component, from: ReadonlySet<string>, to: Uid): Component {
  if (!memberUids(card).some((m) => from.has(m))) return card;
  let placed = memberUids(card).includes(to);
  const props: Property[] = [];
  for (const p of card.props) {
    if (p.name !== 'member') { props.push(p); continue; }
    const values: Property['values'] = [];
    for (const v of p.values) {
      if (typeof v !== 'string' || !from.has(memberUid(v))) { values.push(v); continue; }
      if (!placed) values.push(memberValue(to));
      placed = true;
    }
    if (values.length > 0) props.push({ ...p, values });
  }
  return { ...card, props };
}

/**
 * The card with category `name` added or removed; `same` tells two category names apart
 * (case and spacing do not count). A removal takes the value out of whichever CATEGORIES
 * property holds it; an addition goes to the first one (or a new one).
 */
export function withCategory(card: Component, name: string, add: boolean, same: (a: string, b: string) => boolean): Component {
  const has = categoriesOf(card).some((c) => same(c, name));
  if (has === add) return card;
  if (add) {
    const i = card.props.findIndex((p) => p.name === 'categories');
    if (i < 0) return { ...card, props: [...card.props, prop('categories', 'text', [name])] };
    const props = [...card.props];
    props[i] = { ...props[i]!, values: [...props[i]!.values, name] };
    return { ...card, props };
  }
  const props: Property[] = [];
  for (const p of card.props) {
    if (p.name !== 'categories') { props.push(p); continue; }
    const values = p.values.filter((v) => typeof v !== 'string' || !same(v, name));
    if (values.length > 0) props.push({ ...p, values });
  }
  return { ...card, props };
}
