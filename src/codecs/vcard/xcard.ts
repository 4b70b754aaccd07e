/**
 * xCard (RFC 6351) from canonical contacts, by way of the jCard (RFC 7095) of the one 4.0
 * encoder: the two are the same tree (RFC 7095 §1), so each jCard property becomes an
 * element of its name, its parameters a `parameters` element, its value an element of its
 * value type (structured N, ADR and GENDER values get their RFC 6351 §5 part names), and a
 * group a `group` element around its properties. VERSION is implied by the namespace.
 */
import type { ContactItem } from '../../model/item.js';
import { encodeJCard } from './jcard.js';

export const XCARD_NS = 'urn:ietf:params:xml:ns:vcard-4.0';

/** RFC 6351 §5 (Appendix A schema): the parts of structured values. */
const PARTS: Record<string, string[]> = {
  n: ['surname', 'given', 'additional', 'prefix', 'suffix'],
  adr: ['pobox', 'ext', 'street', 'locality', 'region', 'code', 'country'],
  gender: ['sex', 'identity'],
};
const DATES = new Set(['date', 'time', 'date-time', 'date-and-or-time', 'timestamp', 'utc-offset']);

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const el = (name: string, inner: string) => (inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`);

/** jCard's extended date forms back to vCard's basic ones (RFC 6351 values are RFC 6350 text). */
function basicDate(v: string): string {
  return v.replace(/(\d)-(?=\d)/g, '$1').replace(/:/g, '');
}

function valueElement(type: string, v: string): string {
  if (!DATES.has(type)) return el(type, esc(v));
  const basic = basicDate(v);
  const t = type !== 'date-and-or-time' ? type : basic.startsWith('T') ? 'time' : basic.includes('T') ? 'date-time' : 'date';
  return el(t, esc(basic));
}

function params(p: Record<string, unknown>): string {
  const inner = Object.entries(p).filter(([k]) => k !== 'group').map(([k, v]) => {
    const vals = (Array.isArray(v) ? v : [v]).map(String);
    return el(k, vals.map((x) => (k === 'pref' ? el('integer', esc(x)) : el('text', esc(x)))).join(''));
  }).join('');
  return inner === '' ? '' : el('parameters', inner);
}

function propertyXml(jp: unknown[]): string {
  const [name, p, type, ...values] = jp as [string, Record<string, unknown>, string, ...unknown[]];
  const parts = PARTS[name];
  let inner: string;
  if (parts && Array.isArray(values[0])) {
    const v = values[0] as Array<string | string[]>;
    inner = parts.map((part, i) => {
      const x = v[i];
      const list = Array.isArray(x) ? x : x === undefined || x === '' ? [] : [x];
      return list.length === 0 ? `<${part}/>` : list.map((s) => el(part, esc(String(s)))).join('');
    }).join('');
  } else {
    inner = values.map((v) => (Array.isArray(v) ? v.map((x) => valueElement(type, String(x))).join('') : valueElement(type, String(v)))).join('');
  }
  return el(name, params(p) + inner);
}

/** One or more cards as one xCard document. */
export function encodeXCards(items: ContactItem[]): string {
  const cards = items.map((item) => {
    const props = encodeJCard(item)[1].filter((jp) => jp[0] !== 'version');
    const out: string[] = [];
    const groups = new Map<string, string[]>();
    for (const jp of props) {
      const g = (jp[1] as Record<string, unknown>).group;
      if (typeof g !== 'string') {
        out.push(propertyXml(jp));
        continue;
      }
      if (!groups.has(g)) {
        groups.set(g, []);
        out.push(`\u0000group:${g}`);
      }
      groups.get(g)!.push(propertyXml(jp));
    }
    const body = out.map((x) => (x.startsWith('\u0000group:') ? `<group name="${esc(x.slice(7))}">${groups.get(x.slice(7))!.join('')}</group>` : x)).join('');
    return el('vcard', body);
  });
  return `<?xml version="1.0" encoding="UTF-8"?><vcards xmlns="${XCARD_NS}">${cards.join('')}</vcards>`;
}
