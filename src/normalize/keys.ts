import type { KeyKind } from '../model/field-rules.js';
import { findProp, findProps, type Component, type Property, type PropValue } from '../model/property.js';
import { assertNever } from '../core/errors.js';
import { normalizeEmail } from './email.js';
import { normalizePhone } from './phone.js';
import { nameKey } from './names.js';
import { boundedMemo } from './memo.js';
import { plainAscii } from './ascii.js';

export interface KeyOptions {
  /** ISO 3166 region for phone numbers without a country code (config `defaultRegion`). */
  defaultRegion?: string;
}

/** Text of a single value; structured values flattened with `;` between and `,` within components. */
function valueText(v: PropValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((c) => (Array.isArray(c) ? c.join(',') : c)).join(';');
  return JSON.stringify(v);
}

const NON_ASCII = /[^\x00-\x7f]/;

const textKeyMemo = boundedMemo(plainTextKey);

/** Trimmed, case-folded (NFKC, lower-case, `ß` → `ss` as Unicode full folding does), white space collapsed. */
export function textKey(s: string): string {
  return plainAscii(s) ? s.toLowerCase() : textKeyMemo(s);
}

/** {@link textKey} without the memo. */
export function plainTextKey(s: string): string {
  // Plain ASCII is its own NFKC form and holds no ß: the common case skips both.
  const folded = NON_ASCII.test(s) ? s.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss') : s.toLowerCase();
  return folded.replace(/\s+/g, ' ').trim();
}

/**
 * The identity of one set element (one EMAIL, one TEL, one ADR…) for merging, as named
 * by the field-rules table. Two properties with the same key are the same element.
 * A property with several values (CATEGORIES:a,b exploded upstream) is keyed by all of
 * them joined with `,`; callers that explode keep one value per property.
 */
export function valueKey(kind: KeyKind, p: Property, opts: KeyOptions = {}): string {
  switch (kind) {
    case 'email':
      return normalizeEmail(valueText(p.values[0]));
    case 'phone':
      return normalizePhone(valueText(p.values[0]), opts.defaultRegion);
    case 'text-ci':
      return p.values.map((v) => textKey(valueText(v))).join(',');
    case 'adr':
      return adrKey(p.values[0]);
    case 'uri':
      return uriKey(valueText(p.values[0]));
    case 'value':
      return JSON.stringify(p.values);
    case 'date':
      return p.values.map((v) => dateKey(valueText(v))).join(',');
    default:
      return assertNever(kind, 'key kind');
  }
}

/** ADR: each of the seven components text-keyed; the country is part of the key. */
function adrKey(v: PropValue | undefined): string {
  const parts: Array<string | string[]> = Array.isArray(v) ? v : [valueText(v)];
  let key = '';
  for (let i = 0; i < 7; i += 1) {
    const c = parts[i];
    // Most components of most addresses are empty (post-office box, extended address, region).
    const comp = c === undefined || c === '' ? '' : adrPartKey(Array.isArray(c) ? c.join(' ') : c);
    key = i === 0 ? comp : `${key};${comp}`;
  }
  return key;
}

const adrPartMemo = boundedMemo(plainAdrPartKey);
const dotOrComma = (c: number) => c === 0x2e || c === 0x2c;

/** One ADR component's key: text-keyed, `.` and `,` left out. */
export function adrPartKey(s: string): string {
  return plainAscii(s, dotOrComma) ? s.toLowerCase() : adrPartMemo(s);
}

/** {@link adrPartKey} without the memo. */
export function plainAdrPartKey(s: string): string {
  return plainTextKey(s).replace(/[.,]/g, '');
}

/** URIs as written, trimmed; scheme lower-cased; `mailto:` addresses and `tel:` numbers case-folded. */
const uriKey: (s: string) => string = boundedMemo(plainUriKey);

/** {@link uriKey} without the memo. */
export function plainUriKey(s: string): string {
  const v = s.trim();
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(v);
  if (!m) return v;
  const scheme = m[1].toLowerCase();
  const rest = scheme === 'mailto' || scheme === 'tel' ? m[2].toLowerCase() : m[2];
  // http(s): the host is case-insensitive too.
  if (scheme === 'http' || scheme === 'https') {
    const h = /^(\/\/[^/?#]*)(.*)$/s.exec(rest);
    if (h) return `${scheme}:${h[1].toLowerCase()}${h[2]}`;
  }
  return `${scheme}:${rest}`;
}

/** Dates and date-times reduced to their digits (`1985-04-12` ≡ `19850412`), a trailing `Z` kept. */
function dateKey(s: string): string {
  const v = s.trim();
  const digits = v.replace(/\D/g, '');
  const lead = v.startsWith('--') ? '--' : '';
  return lead + digits + (/z$/i.test(v) ? 'Z' : '');
}

export interface IdentityKeys {
  /** Normalised emails, sorted, without duplicates. */
  emails: string[];
  /** Normalised phones (E.164 where possible), sorted, without duplicates. */
  phones: string[];
  /** {@link nameKey} of FN, or of N's given and family names when FN is empty. */
  name: string;
}

/**
 * Keys for matching the same person across sources when UIDs differ: the caller matches
 * two cards when they share an email or a phone and their names are similar (see
 * `namesSimilar`).
 */
export function identityKeys(card: Component, opts: KeyOptions = {}): IdentityKeys {
  const uniq = (xs: string[]) => [...new Set(xs.filter((x) => x.length > 0))].sort();
  const emails = uniq(findProps(card, 'email').map((p) => valueKey('email', p, opts)));
  const phones = uniq(findProps(card, 'tel').map((p) => valueKey('phone', p, opts)));
  let name = nameKey(valueText(findProp(card, 'fn')?.values[0]));
  if (!name) {
    const n = findProp(card, 'n')?.values[0];
    if (Array.isArray(n)) {
      const flat = (c: string | string[] | undefined) => (Array.isArray(c) ? c.join(' ') : (c ?? ''));
      name = nameKey([n[3], n[1], n[2], n[0], n[4]].map(flat).join(' '));
    }
  }
  return { emails, phones, name };
}
