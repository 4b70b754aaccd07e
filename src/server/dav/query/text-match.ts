/** CARDDAV/CALDAV text-match (RFC 6352 §10.5.4, RFC 4791 §9.7.5) with the collations of RFC 4790. */
import type { PropValue, Property } from '../../../model/property.js';
import { DavError } from '../../dav-error.js';
import { NS, type XmlNode } from '../../../xml/dav-xml.js';

export type TextMatch = (values: string[]) => boolean;

const COLLATIONS: Record<string, (s: string) => string> = {
  'i;unicode-casemap': (s) => s.normalize('NFKD').toLowerCase(),
  'i;ascii-casemap': (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()),
  'i;octet': (s) => s,
};

export function parseTextMatch(el: XmlNode, ns: string): TextMatch {
  const fold = COLLATIONS[el.attrs.collation ?? 'i;unicode-casemap'];
  if (!fold) throw new DavError(403, 'unsupported collation', { ns: ns === NS.caldav ? NS.caldav : NS.carddav, name: 'supported-collation' });
  const type = el.attrs['match-type'] ?? 'contains';
  const negate = el.attrs['negate-condition'] === 'yes';
  const want = fold(el.text.trim());
  const test = (v: string): boolean => {
    const s = fold(v);
    switch (type) {
      case 'equals': return s === want;
      case 'starts-with': return s.startsWith(want);
      case 'ends-with': return s.endsWith(want);
      default: return s.includes(want);
    }
  };
  return (values) => values.some((v) => test(v) !== negate);
}

/** The texts of a property a person would search: each value, structured parts joined. */
export function valueTexts(p: Property): string[] {
  const one = (v: PropValue): string =>
    Array.isArray(v) ? v.map((x) => (Array.isArray(x) ? x.join(',') : String(x))).join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return p.values.map(one);
}
