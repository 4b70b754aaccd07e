import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { ContactItem } from '../../src/model/item.js';
import { findProp, findProps, type Component, type Property } from '../../src/model/property.js';

export const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/csv/${name}`, import.meta.url));

export function byFn(items: ContactItem[], fn: string): Component {
  const c = items.find((i) => findProp(i.card, 'fn')?.values[0] === fn)?.card;
  if (!c) throw new Error(`no contact ${fn} in ${items.map((i) => findProp(i.card, 'fn')?.values[0]).join(', ')}`);
  return c;
}

export const values = (c: Component, name: string): unknown[] => findProps(c, name).map((p) => p.values[0]);

export function typesOf(p: Property | undefined): string[] {
  const t = p?.params.type;
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
}

/** Text without leading/trailing blanks, CR, `:::` or a leading `*` (what CSV cells keep exactly). */
export const cellText = (maxLength = 12): fc.Arbitrary<string> =>
  fc
    .string({ minLength: 1, maxLength, unit: fc.constantFrom(...'abcxyzAZäöüßéÈ日本 -.,"\'&()/'.split('')) })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export const emailArb: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/), fc.constantFrom('example.com', 'GMX.de', 'orange.fr'))
  .map(([l, d]) => `${l}@${d}`);

export const phoneArb: fc.Arbitrary<string> = fc.constantFrom('+49 171 ', '030 ', '(212) 555-', '+33 1 42 ', '03-1234-').chain((p) =>
  fc.integer({ min: 1000, max: 9999 }).map((n) => `${p}${n}`),
);

export const dateArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1920, max: 2020 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
