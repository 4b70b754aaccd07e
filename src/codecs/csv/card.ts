import { findProp, findProps, paramList, type Component, type Property, type PropValue } from '../../model/property.js';

/** Helpers shared by the Google and Outlook CSV codecs: building and reading canonical cards. */

export function emptyCard(): Component {
  return { name: 'vcard', props: [], components: [] };
}

/** A structured component as one string (several values joined with `sep`). */
export function part(v: string | string[] | undefined, sep = ' '): string {
  if (v === undefined) return '';
  return Array.isArray(v) ? v.join(sep) : v;
}

/** The structured value of a property (N, ADR, ORG); a plain string becomes a one-element list. */
export function structured(p: Property | undefined): Array<string | string[]> {
  const v = p?.values[0];
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  return [String(v)];
}

export function text(v: PropValue | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** TYPE values of a property, lower-case, without the ones that mean nothing here (`pref`, `voice`, `internet`). */
export function meaningfulTypes(p: Property): string[] {
  return paramList(p, 'type')
    .map((t) => t.toLowerCase())
    .filter((t) => t !== 'pref' && t !== 'voice' && t !== 'internet')
    .sort();
}

export function isPreferred(p: Property): boolean {
  return p.params.pref !== undefined || paramList(p, 'type').some((t) => t.toLowerCase() === 'pref');
}

export function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

/**
 * The FN a CSV file implies: neither Google's current export nor Outlook's has a display
 * name column, so FN is composed from N (prefix given middle family suffix; family name
 * first for Chinese, Japanese and Korean names), else the
 * organisation, else the first email, else the first phone.
 */
export function deriveFn(card: Component): string {
  const n = structured(findProp(card, 'n'));
  // Chinese, Japanese and Korean names are said family name first (山田 太郎).
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(part(n[0]) + part(n[1]));
  const order = cjk ? [n[3], n[0], n[1], n[2], n[4]] : [n[3], n[1], n[2], n[0], n[4]];
  const name = order.map((c) => part(c).trim()).filter((s) => s !== '').join(' ');
  if (name) return name;
  const org = part(structured(findProp(card, 'org'))[0]).trim();
  if (org) return org;
  const email = text(findProp(card, 'email')?.values[0]).trim();
  if (email) return email;
  return text(findProp(card, 'tel')?.values[0]).trim();
}

/** Whether the card's FN is the one {@link deriveFn} gives (so a file without an FN column keeps it). */
export function fnIsDerived(card: Component): boolean {
  return text(findProp(card, 'fn')?.values[0]) === deriveFn(card);
}

/** The custom label (`item1.X-ABLABEL`) grouped with a property, if any. */
export function customLabel(card: Component, p: Property): Property | undefined {
  if (!p.group) return undefined;
  return findProps(card, 'x-ablabel').find((l) => l.group === p.group);
}

/** `_$!<Mobile>!$_` (Apple's built-in labels) → `Mobile`. */
export function unwrapAppleLabel(s: string): string {
  const m = /^_\$!<(.*)>!\$_$/.exec(s);
  return m ? m[1] : s;
}

/** Next free `itemN` group name in a card. */
export function nextGroup(card: Component): string {
  const used = new Set(card.props.map((p) => p.group).filter((g): g is string => !!g));
  let i = 1;
  while (used.has(`item${i}`)) i++;
  return `item${i}`;
}

/**
 * A birthday or anniversary cell as a jCard value: `1985-04-12`, `19850412` and `--04-12`
 * are dates (type `date`, extended form); anything else is kept as text (vCard 4 allows
 * a text BDAY such as `circa 1800`).
 */
export function isoDateValue(s: string): { type: 'date' | 'text'; value: string } | undefined {
  const v = s.trim();
  if (!v) return undefined;
  let m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v);
  if (m && validMonthDay(+m[2], +m[3])) return { type: 'date', value: `${m[1]}-${m[2]}-${m[3]}` };
  m = /^--(\d{2})-?(\d{2})$/.exec(v);
  if (m && validMonthDay(+m[1], +m[2])) return { type: 'date', value: `--${m[1]}-${m[2]}` };
  return { type: 'text', value: v };
}

export function validMonthDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Splits a multi-value cell (`a ::: b`) into its values. */
export function splitMulti(cell: string): string[] {
  return cell
    .split(' ::: ')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Whether `p` is the first property of its name: CSV columns hold one value of a scalar. */
export const isFirst = (owner: Component, p: Property): boolean => findProp(owner, p.name) === p;

/** Whether a structured value fits `max` columns of one value each. */
export function flatParts(p: Property, max: number): boolean {
  const v = structured(p);
  return v.length <= max && v.every((c) => !Array.isArray(c) || c.length <= 1);
}

/**
 * What both CSV formats hold of the name and organisation: FN when it is the name the row
 * implies (or there is no name), the first N in five columns, the first ORG in two.
 * Undefined for other properties.
 */
export function holdsNameParts(p: Property, owner: Component): boolean | undefined {
  switch (p.name) {
    case 'fn': {
      const n = structured(findProp(owner, 'n'));
      return isFirst(owner, p) && (fnIsDerived(owner) || !n.some((c) => part(c)));
    }
    case 'n': return isFirst(owner, p) && flatParts(p, 5);
    case 'org': return isFirst(owner, p) && flatParts(p, 2);
    default: return undefined;
  }
}
