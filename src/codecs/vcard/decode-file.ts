/** A .vcf file (any mix of 2.1, 3.0 and 4.0 cards) → contacts and problems. Never throws. */
import type { ContactItem } from '../../model/item.js';
import { messageOf } from '../../core/errors.js';
import type { DecodeProblem, DecodeResult } from '../types.js';
import { byteString, toBytes } from './bytes.js';
import { decodeCard, rawText } from './decode-card.js';
import { physicalLines, type PlacedLine } from '../content-line/unfold.js';
import { cardChunks, type Chunk } from './split.js';

export function decodeVCards(input: string | Uint8Array): DecodeResult<ContactItem> {
  const result: DecodeResult<ContactItem> = { items: [], problems: [] };
  for (const e of vcardEntries(toBytes(input))) {
    if (e.item) result.items.push(e.item);
    else result.problems.push(e.problem);
  }
  return result;
}

/** One card of a file: where its bytes are (`start` to `end`), and the contact or the problem it gives. */
export type VCardEntry = { start: number; end: number } & ({ item: ContactItem; problem?: undefined } | { item?: undefined; problem: DecodeProblem });

/**
 * The cards of a file one at a time, each with the span of its bytes: a reader of a large
 * file may keep the spans and decode a card again from its bytes when it is asked for,
 * instead of holding every decoded card (src/connectors/shared/single-file-source.ts).
 * Decoding a card's bytes alone gives the same contact as decoding it in its file.
 */
export function* vcardEntries(bytes: Uint8Array): Generator<VCardEntry> {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // A byte string has one character per byte: a line's index is its byte offset.
  for (const chunk of cardChunks(physicalLines(byteString(bytes.subarray(bom))))) {
    const lines = chunk.lines as PlacedLine[];
    const last = lines[lines.length - 1]!;
    const span = { start: bom + lines[0]!.at, end: bom + last.at + last.text.length };
    const r = decodeChunk(chunk);
    yield r.ok ? { ...span, item: r.item } : { ...span, problem: r.problem };
  }
}

function decodeChunk(chunk: Chunk): { ok: true; item: ContactItem } | { ok: false; problem: DecodeProblem } {
  if (chunk.kind === 'broken') return { ok: false, problem: { line: chunk.beginLine, message: chunk.message, raw: rawText(chunk.lines) } };
  try {
    return decodeCard(chunk.beginLine, chunk.lines);
  } catch (e) {
    // A bug here must cost one card, not the file.
    return { ok: false, problem: { line: chunk.beginLine, message: `vCard at line ${chunk.beginLine}: ${messageOf(e)}`, raw: rawText(chunk.lines) } };
  }
}
