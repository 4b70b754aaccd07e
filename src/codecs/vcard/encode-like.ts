/**
 * A card written in a member's own form (SPEC §5: what a client PUTs, it GETs back). Given
 * the text the member last held (the template), every property of the item that is
 * unchanged — one of the template's lines decodes to exactly the same property — is written
 * as that line, byte for byte: its `VALUE=`, parameter case and order, group, name case,
 * value form (`--0315`) and folding. Only the other properties are encoded. VERSION stays
 * where the template had it and the line ends are the template's. PRODID names the
 * member's product, so the template's own PRODID is kept.
 *
 * Reusing a line only when it decodes to the very property being written is what makes
 * this safe: a stale template can cost form, never content.
 */
import type { ContactItem } from '../../model/item.js';
import { sameProperty, type Property } from '../../model/property.js';
import { appleGroupForm } from './apple-group.js';
import { byteString, bytesOf, decodeBytes, toBytes } from './bytes.js';
import { VCARD_HOLDS } from './holds.js';
import { logicalLines } from './content-line.js';
import { cardVersion, decodeCard } from './decode-card.js';
import type { VCardVersion } from './design.js';
import { encodeVCard } from './encode-card.js';
import { encodeProperty } from './encode-property.js';
import { physicalLines, splitPhysical, type PhysicalLine, type PlacedLine } from '../content-line/unfold.js';
import { cardChunks, splitCards } from './split.js';

interface TemplateLine {
  prop: Property;
  /** The physical lines of the property, joined with the template's line end. */
  text: string;
}

export interface CardTemplate {
  version: VCardVersion;
  begin: string;
  end: string;
  versionLine: string;
  /** How many properties preceded VERSION. */
  versionAt: number;
  lines: TemplateLine[];
  eol: string;
}

const VERSION_HEAD = /^VERSION[ \t]*:/i;

/** The template of one card's text; undefined when it is not exactly one readable card. */
export function parseCardTemplate(text: string): CardTemplate | undefined {
  const chunks = splitCards(splitPhysical(byteString(toBytes(text))));
  const chunk = chunks[0];
  if (chunks.length !== 1 || chunk?.kind !== 'card') return undefined;
  const lines = chunk.lines;
  const inner = lines.slice(1, -1);
  const { version } = cardVersion(inner);
  const decoded = decodeCard(chunk.beginLine, lines);
  if (version === undefined || !decoded.ok) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const first = lines[0]!.no;
  const physical = (from: number, to: number): string =>
    decodeBytes(bytesOf(lines.slice(from - first, to - first + 1).map((l: PhysicalLine) => l.text).join(eol)), 'utf-8');

  const logical = logicalLines(inner, version === '2.1');
  const props = decoded.item.card.props;
  const out: TemplateLine[] = [];
  let versionLine = `VERSION:${version}`;
  let versionAt = 0;
  const endNo = lines[lines.length - 1]!.no;
  logical.forEach((ll, k) => {
    const to = (logical[k + 1]?.line ?? endNo) - 1;
    if (VERSION_HEAD.test(ll.text)) {
      versionLine = physical(ll.line, to);
      versionAt = out.length;
      return;
    }
    const prop = props[out.length];
    if (prop) out.push({ prop, text: physical(ll.line, to) });
  });
  // Every property must have found its line, or the pairing is off.
  if (out.length !== props.length) return undefined;
  return { version, begin: physical(first, first), end: physical(endNo, endNo), versionLine, versionAt, lines: out, eol };
}

/** The VERSION of a template text, when it is one readable card. */
export function templateVersion(text: string | undefined): VCardVersion | undefined {
  return text === undefined ? undefined : parseCardTemplate(text)?.version;
}

/** encodeVCard, in the template's form where the item did not change (see above); the template as text or parsed. */
export function encodeVCardLike(item: ContactItem, version: VCardVersion, template: string | CardTemplate | undefined): string {
  const t = typeof template === 'string' ? parseCardTemplate(template) : template;
  if (!t || t.version !== version) return encodeVCard(item, version);
  const holds = VCARD_HOLDS[version];
  const used = new Set<number>();
  const pick = (p: Property): number => {
    const i = t.lines.findIndex((l, j) => !used.has(j) && sameProperty(l.prop, p));
    if (i >= 0 || p.name !== 'prodid') return i;
    return t.lines.findIndex((l, j) => !used.has(j) && l.prop.name === 'prodid');
  };
  const out: string[] = [];
  for (const p of item.card.props) {
    if (p.name === 'version' || !holds(p, item.card)) continue;
    const i = pick(p);
    if (i >= 0) used.add(i);
    out.push(i >= 0 ? t.lines[i]!.text : encodeProperty(appleGroupForm(p, version), version).join(t.eol));
  }
  out.splice(Math.min(t.versionAt, out.length), 0, t.versionLine);
  return [t.begin, ...out, t.end].join(t.eol) + t.eol;
}

const UID_LINE = /^UID(?:;[^:]*)?:(.*)$/i;

/**
 * The text of each card of a file, by UID (a file of many cards: each card's own text is
 * its template for the next rewrite). Cards without UID, or repeating one, have none.
 */
export function cardTextsByUid(input: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uid, [start, end]] of cardSpansByUid(input)) out.set(uid, cardText(input.subarray(start, end)));
  return out;
}

/**
 * `cardTextsByUid` one card at a time: the text is made when asked for, so a rewrite of a
 * large file holds where each card is, not every card's text (56 MB at 100,000 cards).
 */
export function cardTextByUid(input: Uint8Array): (uid: string) => string | undefined {
  const spans = cardSpansByUid(input);
  return (uid) => {
    const span = spans.get(uid);
    return span && cardText(input.subarray(span[0], span[1]));
  };
}

/** Where each card is in the file's bytes, by UID: [start, end). */
function cardSpansByUid(input: Uint8Array): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const seen = new Set<string>();
  // A byte string has one character per byte: a line's index is its byte offset.
  for (const chunk of cardChunks(physicalLines(byteString(input)))) {
    if (chunk.kind !== 'card') continue;
    const uidLine = logicalLines(chunk.lines.slice(1, -1), false).map((l) => UID_LINE.exec(l.text)).find((m) => m);
    if (!uidLine) continue;
    const uid = decodeBytes(bytesOf(uidLine[1]!.trim()), 'utf-8');
    const lines = chunk.lines as PlacedLine[];
    const last = lines[lines.length - 1]!;
    if (seen.has(uid)) out.delete(uid);
    else out.set(uid, [lines[0]!.at, last.at + last.text.length]);
    seen.add(uid);
  }
  return out;
}

/** A card's bytes as its template text: its physical lines joined with CRLF (as `rawText`). */
function cardText(bytes: Uint8Array): string {
  return decodeBytes(bytesOf(byteString(bytes).replace(/\r\n|\r|\n/g, '\r\n')), 'utf-8');
}
