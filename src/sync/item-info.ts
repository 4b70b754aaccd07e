import type { Uid } from '../core/types.js';
import type { CalendarItem, Item } from '../model/item.js';
import type { Component } from '../model/property.js';

/** A readable name for messages and plans. */
export function itemLabel(item: Item): string {
  const c = item.kind === 'contact' ? item.card : item.master ?? item.overrides[0];
  if (!c) return item.uid;
  const name = item.kind === 'contact' ? 'fn' : 'summary';
  const v = c.props.find((p) => p.name === name)?.values[0];
  return typeof v === 'string' && v ? v : item.uid || '(no name)';
}

/**
 * When the item says it was last changed: REV for contacts, LAST-MODIFIED then DTSTAMP for
 * calendar items. Used by the `newest` policy; undefined when the source doesn't say.
 */
export function itemTime(item: Item): string | undefined {
  const comps: Component[] = item.kind === 'contact' ? [item.card] : [item.master, ...item.overrides].filter((c): c is Component => !!c);
  let best: number | undefined;
  for (const c of comps) {
    for (const name of item.kind === 'contact' ? ['rev'] : ['last-modified', 'dtstamp']) {
      const v = c.props.find((p) => p.name === name)?.values[0];
      const t = typeof v === 'string' ? parseStamp(v) : undefined;
      if (t !== undefined && (best === undefined || t > best)) best = t;
      if (t !== undefined) break;
    }
  }
  return best === undefined ? undefined : new Date(best).toISOString();
}

function parseStamp(s: string): number | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})?)?/.exec(s);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return Number.isNaN(t) ? undefined : t;
}

/** Sets the UID of an item that has none (canonical items always have one). */
export function withUid<T extends Item>(item: T, uid: Uid): T {
  const setUid = (c: Component): Component => ({
    ...c,
    props: [{ name: 'uid', params: {}, type: 'text', values: [uid] }, ...c.props.filter((p) => p.name !== 'uid')],
  });
  if (item.kind === 'contact') return { ...item, uid, card: setUid(item.card) } as T;
  const cal = item as CalendarItem;
  return {
    ...cal,
    uid,
    master: cal.master ? setUid(cal.master) : undefined,
    overrides: cal.overrides.map(setUid),
  } as T;
}
