/**
 * What the codecs read from and write for one input, as one text: the golden snapshot
 * (test/codecs/golden-fixtures.test.ts) compares it byte for byte, so a refactor of the
 * text layers that changes what is read or written in any way shows up as a diff.
 */
import { createHash } from 'node:crypto';
import { decodeVCards, encodeVCard, VCARD_ANDROID_CAPABILITIES, VCARD_CAPABILITIES, type VCardVersion } from '../../../src/codecs/vcard/index.js';
import { cardTextsByUid, encodeVCardLike, templateVersion } from '../../../src/codecs/vcard/encode-like.js';
import { encodeJCard, decodeJCard } from '../../../src/codecs/vcard/jcard.js';
import { encodeXCards } from '../../../src/codecs/vcard/xcard.js';
import { decodeICalendar, encodeCalendarItem, encodeICalendar } from '../../../src/codecs/icalendar/index.js';
import { encodeCalendarItemLike } from '../../../src/codecs/icalendar/encode-like.js';
import { decodeGoogleCsv, decodeOutlookCsv, encodeGoogleCsv, encodeOutlookCsv } from '../../../src/codecs/csv/index.js';
import type { CalendarItem, ContactItem } from '../../../src/model/item.js';

const VERSIONS: VCardVersion[] = ['2.1', '3.0', '4.0'];

/** One section: a title line, then the text (JSON for read results, the encoded text as written). */
function section(title: string, body: string): string {
  return `===== ${title}\n${body}${body.endsWith('\n') ? '' : '\n'}`;
}

const json = (v: unknown): string => JSON.stringify(v, null, 1);

/** The first line that throws becomes part of the snapshot, so a changed error is a change too. */
function attempt(f: () => string): string {
  try {
    return f();
  } catch (e) {
    return `THROWS ${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

function renderVCard(bytes: Uint8Array): string {
  const r = decodeVCards(bytes);
  const out = [section('decode', json(r))];
  const items = r.items;
  const text = (is: ContactItem[], f: (i: ContactItem) => string) => attempt(() => is.map(f).join(''));
  for (const v of VERSIONS) {
    out.push(section(`encode ${v}`, text(items, (i) => encodeVCard(i, v))));
    out.push(section(`encode ${v} android`, text(items, (i) => encodeVCard(i, v, { android: true }))));
    out.push(section(`project ${v}`, attempt(() => json(items.map((i) => VCARD_CAPABILITIES[v].project?.(i.card) ?? null)))));
    out.push(section(`project ${v} android`, attempt(() => json(items.map((i) => VCARD_ANDROID_CAPABILITIES[v].project?.(i.card) ?? null)))));
  }
  const own = attempt(() => json([...cardTextsByUid(bytes)]));
  out.push(section('card texts by uid', own));
  const templates = cardTextsByUid(bytes);
  out.push(section('encode like the source', text(items, (i) => {
    const t = templates.get(i.uid);
    return encodeVCardLike(i, templateVersion(t) ?? '4.0', t);
  })));
  out.push(section('jcard', attempt(() => json(items.map(encodeJCard)))));
  out.push(section('jcard read back', attempt(() => json(decodeJCard(JSON.stringify(items.map(encodeJCard)))))));
  out.push(section('xcard', attempt(() => encodeXCards(items))));
  return out.join('');
}

function renderICalendar(bytes: Uint8Array): string {
  const r = decodeICalendar(bytes);
  const out = [section('decode', json(r))];
  const items = r.items;
  const source = Buffer.from(bytes).toString('utf8');
  out.push(section('encode', attempt(() => encodeICalendar(items))));
  out.push(section('encode each', attempt(() => items.map((i) => encodeCalendarItem(i)).join(''))));
  out.push(section('encode each like the source', attempt(() => items.map((i: CalendarItem) => encodeCalendarItemLike(i, source)).join(''))));
  return out.join('');
}

function renderCsv(bytes: Uint8Array, name: string): string {
  const r = name.includes('outlook') ? decodeOutlookCsv(bytes) : decodeGoogleCsv(bytes);
  return [
    section('decode', json(r)),
    section('encode google', attempt(() => encodeGoogleCsv(r.items))),
    section('encode outlook', attempt(() => encodeOutlookCsv(r.items))),
  ].join('');
}

/** The snapshot of one input named like a fixture (its extension picks the codec). */
export function renderGolden(name: string, bytes: Uint8Array): string {
  if (name.endsWith('.vcf')) return renderVCard(bytes);
  if (name.endsWith('.ics')) return renderICalendar(bytes);
  if (name.endsWith('.csv')) return renderCsv(bytes, name);
  throw new Error(`no codec for ${name}`);
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
