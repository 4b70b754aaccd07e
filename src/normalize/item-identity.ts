import type { KeyKind } from '../model/field-rules.js';
import { groupName, isGroupCard } from '../model/group.js';
import type { Item } from '../model/item.js';
import type { Property } from '../model/property.js';
import type { Identity } from '../sync/types.js';
import { identityKeys, valueKey } from './keys.js';
import { namesSimilar } from './names.js';
import { textKey } from './keys.js';

/**
 * How items are keyed and matched, for a default phone region. Contacts match on a shared
 * normalised email or phone plus a similar name; UID-less events on summary + start.
 */
export function createIdentity(defaultRegion: string): Identity {
  const opts = { defaultRegion };
  const keyOf = (kind: KeyKind, p: Property) => valueKey(kind, p, opts);
  return {
    keyOf,
    identityKeys(item: Item): string[] {
      if (item.kind === 'contact') {
        // A group is known by its name: the group a label names is the group card of that name.
        if (isGroupCard(item.card)) return groupKey(item);
        const k = identityKeys(item.card, opts);
        return [...k.emails.map((e) => `email:${e}`), ...k.phones.map((t) => `tel:${t}`)];
      }
      const ev = eventKey(item);
      return ev ? [ev] : [];
    },
    /** `a` is the stored candidate, `b` the incoming item. */
    sameIdentity(a: Item, b: Item): boolean {
      if (a.kind === 'contact' && b.kind === 'contact') {
        if (isGroupCard(a.card) || isGroupCard(b.card)) return groupKey(a).length > 0 && groupKey(a)[0] === groupKey(b)[0];
        const ka = identityKeys(a.card, opts);
        const kb = identityKeys(b.card, opts);
        const shared = ka.emails.some((e) => kb.emails.includes(e)) || ka.phones.some((t) => kb.phones.includes(t));
        if (!shared) return false;
        if (!ka.name || !kb.name) return true;
        return namesSimilar(ka.name, kb.name);
      }
      // Events with UIDs of their own are different events, whatever their summary says.
      if (a.kind === 'calendar' && b.kind === 'calendar') return (!a.uid || !b.uid) && eventKey(a) !== undefined && eventKey(a) === eventKey(b);
      return false;
    },
  };
}

function groupKey(item: Item): string[] {
  if (item.kind !== 'contact' || !isGroupCard(item.card)) return [];
  const name = textKey(groupName(item.card));
  return name ? [`group:${name}`] : [];
}

function eventKey(item: Item): string | undefined {
  if (item.kind !== 'calendar' || !item.master) return undefined;
  const summary = item.master.props.find((p) => p.name === 'summary')?.values[0];
  const start = item.master.props.find((p) => p.name === 'dtstart')?.values[0];
  if (typeof summary !== 'string' || typeof start !== 'string') return undefined;
  return `event:${textKey(summary)}|${start.replace(/[^0-9TZ]/g, '')}`;
}
