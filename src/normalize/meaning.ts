import type { FieldRule, KeyKind } from '../model/field-rules.js';
import type { Property, PropValue } from '../model/property.js';

/**
 * What a property means, as comparable text: the one place that decides when two values
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

/**
 * What a property means, as comparable text: equal text, equal meaning. `withPref: false`
 * leaves the preference flag out: two sides that differ only in it are one value with a
 * preference (the merge keeps it), not a conflict. Built as text directly (no data to
 * stringify) and not cached: a WeakMap per property object was measured slower, its
 * entries cost the garbage collector more than recomputing (docs/performance.md).
 */
export function meaningText(p: Property, rule: FieldRule, keyOf: MeaningKeyer, withPref = true): string {
  const value = rule.kind === 'set' && rule.key !== 'value' ? JSON.stringify(keyOf(rule.key, p)) : valueText(p, keyOf);
  const params = paramsMeaning(p);
  return compose(p.name, params, withPref && params.pref, value);
}

/**
 * Name, parameters and value, each part JSON (which never holds a raw control character),
 * joined by U+0001: a text that two meanings share only when they are equal.
 */
function compose(name: string, params: ParamsMeaning, pref: boolean, value: string): string {
  return `${name}\u0001${params.text}${pref ? '\u0001pref' : ''}\u0001${value}`;
}

/** The value's meaning, for anything but a keyed set element. */
function valueText(p: Property, keyOf: MeaningKeyer): string {
  if (DATE_TYPES.has(p.type)) return JSON.stringify(keyOf('date', p));
  if (p.values.length === 1) {
    const v = p.values[0]!;
    if (typeof v === 'string') return JSON.stringify([v]);
  }
  return JSON.stringify(p.values.map(valueMeaning));
}

/** Whether a property carries a preference (`PREF=n` or `TYPE=pref`). */
export function isPreferred(p: Property): boolean {
  if (p.params.pref !== undefined) return true;
  const t = p.params.type;
  return (Array.isArray(t) ? t : t === undefined ? [] : [t]).some((x) => x.toLowerCase().split(',').includes('pref'));
}

interface ParamsMeaning {
  /** The parameters that carry meaning, sorted by name, as JSON; the preference flag aside. */
  text: string;
  pref: boolean;
}

const NO_PARAMS: ParamsMeaning = { text: '[]', pref: false };

function paramsMeaning(p: Property): ParamsMeaning {
  const names = Object.keys(p.params);
  if (names.length === 0) return NO_PARAMS;
  const out: Array<[string, string | string[]]> = [];
  let pref = false;
  for (const rawName of names) {
    const name = rawName.toLowerCase();
    if (FORM_PARAMS.has(name)) continue;
    if (name === 'pref') {
      pref = true;
      continue;
    }
    const values = paramValues(p.params[rawName]!, TOKEN_PARAMS.has(name));
    if (name === 'type') {
      const defaults = Object.hasOwn(DEFAULT_TYPES, p.name) ? DEFAULT_TYPES[p.name] : undefined;
      const types: string[] = [];
      for (const t of values) {
        if (t === 'pref') pref = true;
        else if (t !== '' && !defaults?.includes(t) && !types.includes(t)) types.push(t);
      }
      if (types.length > 0) out.push(['type', types.sort()]);
      continue;
    }
    out.push([name, one(values)]);
  }
  if (out.length > 1) out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { text: out.length === 0 ? NO_PARAMS.text : JSON.stringify(out), pref };
}

/** A parameter's values, trimmed; tokens case-folded and split at commas (`TYPE=work,voice`). */
function paramValues(v: string | string[], token: boolean): string[] {
  const out: string[] = [];
  for (const x of Array.isArray(v) ? v : [v]) {
    if (!token) out.push(x.trim());
    else for (const part of x.toLowerCase().split(',')) out.push(part.trim());
  }
  return out;
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
