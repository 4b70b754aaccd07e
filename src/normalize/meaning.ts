import type { FieldRule, KeyKind } from '../model/field-rules.js';
import type { Property, PropValue } from '../model/property.js';

/**
 * What a property means, as comparable data: the one place that decides when two values
 * differ only in form (SPEC §4, equal meaning is not a conflict). Used by the merge, the
 * fingerprints that detect changes and link agreement, and so by every comparison of items.
 *
 * - set elements compare by their normalised key (phones in E.164, emails case-folded,
 *   addresses and URIs as src/normalize/keys.ts keys them); dates by their digits
 *   (`--0315` ≡ `--03-15`, `1985-04-12` ≡ `19850412`);
 * - parameters: order and name case never matter; enumerated values compare case-folded;
 *   TYPE is a set without the defaults (`voice` for TEL, `internet` for EMAIL); `pref` is
 *   a flag (`TYPE=pref` ≡ `PREF=1`); VALUE, CHARSET and ENCODING say how a value was
 *   written, not what it is;
 * - a structured value with one part is its plain form (`ORG:Acme` ≡ `ORG:Acme;`), and
 *   trailing empty parts do not count (`N:Doe;Jane;;;` ≡ `N:Doe;Jane`).
 */
export type MeaningKeyer = (kind: KeyKind, p: Property) => string;

/** Parameters that record how the value was written. */
const FORM_PARAMS = new Set(['value', 'charset', 'encoding']);
/** Parameters whose values are case-insensitive tokens (RFC 6350 §5, RFC 5545 §3.2). */
const TOKEN_PARAMS = new Set(['type', 'cutype', 'role', 'partstat', 'rsvp', 'related', 'reltype', 'fbtype', 'range', 'language', 'calscale']);
/** TYPE values a property has when it says none. */
const DEFAULT_TYPES: Record<string, string[]> = { tel: ['voice'], email: ['internet'] };
const DATE_TYPES = new Set(['date', 'date-time', 'date-and-or-time', 'timestamp']);

/** `withPref: false` leaves the preference flag out: two sides that differ only in it are one value with a preference (the merge keeps it), not a conflict. */
export function propMeaning(p: Property, rule: FieldRule, keyOf: MeaningKeyer, withPref = true): unknown[] {
  let value: unknown;
  if (rule.kind === 'set' && rule.key !== 'value') value = keyOf(rule.key, p);
  else if (DATE_TYPES.has(p.type)) value = keyOf('date', p);
  else value = p.values.map(valueMeaning);
  return [p.name, paramsMeaning(p, withPref), value];
}

/** Whether a property carries a preference (`PREF=n` or `TYPE=pref`). */
export function isPreferred(p: Property): boolean {
  if (p.params.pref !== undefined) return true;
  const t = p.params.type;
  return (Array.isArray(t) ? t : t === undefined ? [] : [t]).some((x) => x.toLowerCase().split(',').includes('pref'));
}

function paramsMeaning(p: Property, withPref: boolean): Array<[string, string | string[] | boolean]> {
  const out: Array<[string, string | string[] | boolean]> = [];
  let pref = false;
  for (const [rawName, v] of Object.entries(p.params)) {
    const name = rawName.toLowerCase();
    if (FORM_PARAMS.has(name)) continue;
    if (name === 'pref') {
      pref = true;
      continue;
    }
    const values = (Array.isArray(v) ? v : [v]).flatMap((x) => (TOKEN_PARAMS.has(name) ? x.toLowerCase().split(',') : [x])).map((x) => x.trim());
    if (name === 'type') {
      if (values.includes('pref')) pref = true;
      const defaults = DEFAULT_TYPES[p.name] ?? [];
      const types = [...new Set(values.filter((t) => t !== 'pref' && t !== '' && !defaults.includes(t)))].sort();
      if (types.length > 0) out.push(['type', types]);
      continue;
    }
    out.push([name, one(values)]);
  }
  if (pref && withPref) out.push(['pref', true]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function one(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : [...values].sort();
}

function valueMeaning(v: PropValue): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!Array.isArray(v)) return v;
  const parts: unknown[] = v.map((c) => (Array.isArray(c) ? (c.length === 1 ? c[0] : c.length === 0 ? '' : c) : c));
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 1 ? parts[0] : parts;
}

