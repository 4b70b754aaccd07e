/** A .vcf file (any mix of 2.1, 3.0 and 4.0 cards) → contacts and problems. Never throws. */
import type { ContactItem } from '../../model/item.js';
import { messageOf } from '../../core/errors.js';
import type { DecodeResult } from '../types.js';
import { byteString, toBytes } from './bytes.js';
import { decodeCard, rawText } from './decode-card.js';
import { splitPhysical } from '../content-line/unfold.js';
import { splitCards } from './split.js';

export function decodeVCards(input: string | Uint8Array): DecodeResult<ContactItem> {
  const result: DecodeResult<ContactItem> = { items: [], problems: [] };
  let bytes = toBytes(input);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  for (const chunk of splitCards(splitPhysical(byteString(bytes)))) {
    if (chunk.kind === 'broken') {
      result.problems.push({ line: chunk.beginLine, message: chunk.message, raw: rawText(chunk.lines) });
      continue;
    }
    try {
      const r = decodeCard(chunk.beginLine, chunk.lines);
      if (r.ok) result.items.push(r.item);
      else result.problems.push(r.problem);
    } catch (e) {
      // A bug here must cost one card, not the file.
      result.problems.push({ line: chunk.beginLine, message: `vCard at line ${chunk.beginLine}: ${messageOf(e)}`, raw: rawText(chunk.lines) });
    }
  }
  return result;
}
