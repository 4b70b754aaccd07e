import type { KeyKind } from '../../src/model/field-rules.js';
import type { ContactItem } from '../../src/model/item.js';
import { prop, type Property } from '../../src/model/property.js';
import { FULL_CAPABILITIES } from '../../src/model/capabilities.js';
import type { ItemMergeInput } from '../../src/merge/merge-item.js';
import { asUid } from '../../src/core/types.js';

/** A small keyer for merge tests: emails lower-cased, phones reduced to digits. */
export function testKeyOf(kind: KeyKind, p: Property): string {
  const v = String(p.values[0] ?? '');
  switch (kind) {
    case 'email': return v.trim().toLowerCase().replace(/^mailto:/, '');
    case 'phone': return v.replace(/[^0-9]/g, '').replace(/^0/, '49');
    case 'text-ci': return v.trim().toLowerCase();
    default: return JSON.stringify(p.values);
  }
}

export function card(uid: string, ...props: Property[]): ContactItem {
  return { kind: 'contact', uid: asUid(uid), card: { name: 'vcard', props: [prop('uid', 'text', [uid]), ...props], components: [] } };
}

export const fn = (s: string) => prop('fn', 'text', [s]);
export const email = (s: string, type?: string[]) => prop('email', 'text', [s], type ? { type } : {});
export const tel = (s: string, type?: string[], group?: string) => prop('tel', 'text', [s], type ? { type } : {}, group);
export const note = (s: string) => prop('note', 'text', [s]);
export const x = (name: string, s: string, group?: string) => prop(name, 'unknown', [s], {}, group);

export function input(base: ContactItem | undefined, current: ContactItem, incoming: ContactItem, over: Partial<ItemMergeInput<ContactItem>> = {}): ItemMergeInput<ContactItem> {
  return {
    base, current, incoming,
    caps: FULL_CAPABILITIES,
    keyOf: testKeyOf,
    policy: { kind: 'newest' },
    incomingSource: { connector: 'phone', time: '2024-01-02T00:00:00Z' },
    fieldSources: {},
    currentFallback: { connector: 'desktop', time: '2024-01-01T00:00:00Z' },
    ...over,
  };
}
