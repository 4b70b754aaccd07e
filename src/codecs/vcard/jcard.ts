/**
 * jCard (RFC 7095) ⇄ canonical contacts. The canonical model already has jCard's shape
 * (src/model/property.ts), and ical.js reads and writes jCard as its native form: a card is
 * encoded as vCard 4.0 (the one encoder, so 4.0 semantics and capabilities stay in one
 * place) and ical.js turns that text into jCard; jCard coming in is turned into 4.0 text by
 * ical.js and read by the one decoder. Groups travel as the `group` parameter (§3.3.1.2).
 */
import ICAL from 'ical.js';
import type { ContactItem } from '../../model/item.js';
import type { DecodeResult } from '../types.js';
import { decodeVCards } from './decode-file.js';
import { encodeVCard } from './encode-card.js';

export type JCard = ['vcard', unknown[][], unknown[]];

export function encodeJCard(item: ContactItem): JCard {
  return ICAL.parse(encodeVCard(item, '4.0')) as JCard;
}

function isJCard(v: unknown): v is JCard {
  return Array.isArray(v) && v[0] === 'vcard' && Array.isArray(v[1]) && v[1].every((p) => Array.isArray(p) && typeof p[0] === 'string');
}

/** JSON text of one jCard or an array of them → contacts; what is not jCard is a problem, never a throw. */
export function decodeJCard(json: string): DecodeResult<ContactItem> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return { items: [], problems: [{ line: 1, message: `not JSON: ${(e as Error).message}`, raw: json }] };
  }
  const cards = isJCard(parsed) ? [parsed] : Array.isArray(parsed) && parsed.every(isJCard) ? parsed : undefined;
  if (!cards || cards.length === 0) return { items: [], problems: [{ line: 1, message: 'not a jCard (expected ["vcard", [properties], []])', raw: json }] };
  const result: DecodeResult<ContactItem> = { items: [], problems: [] };
  cards.forEach((c, i) => {
    let text: string;
    try {
      text = ICAL.stringify(withExplicitTelUri(c) as unknown as unknown[]);
    } catch (e) {
      result.problems.push({ line: i + 1, message: `jCard ${i + 1}: ${(e as Error).message}`, raw: JSON.stringify(c) });
      return;
    }
    const r = decodeVCards(text);
    result.items.push(...r.items);
    result.problems.push(...r.problems.map((p) => ({ ...p, message: `jCard ${i + 1}: ${p.message}` })));
  });
  return result;
}

/**
 * ical.js takes `uri` as TEL's default type and so writes no VALUE for it, but RFC 6350
 * §6.4.1 (and the decoder) read an untyped TEL as text: say VALUE=uri outright.
 */
function withExplicitTelUri(c: JCard): JCard {
  const props = c[1].map((p) => (String(p[0]).toLowerCase() === 'tel' && p[2] === 'uri'
    ? [p[0], { ...(p[1] as Record<string, unknown>), value: 'uri' }, ...p.slice(2)] : p));
  return [c[0], props, c[2] ?? []];
}
