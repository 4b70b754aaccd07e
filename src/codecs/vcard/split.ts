/**
 * Splits a .vcf file (as a byte string) into cards at top-level `BEGIN:VCARD` lines.
 *
 * A card missing its `END:VCARD` never swallows the next card: a `BEGIN:VCARD` inside an
 * open card ends it, and the unterminated card is reported as a problem (it may be cut
 * short, and reading it would look like deleted fields). The one exception is vCard 2.1's
 * nested AGENT card (`AGENT:` with an empty value, then a whole BEGIN…END card).
 * Text outside any card is reported once per run of lines.
 */
import type { PhysicalLine } from '../content-line/unfold.js';

export type Chunk =
  | { kind: 'card'; beginLine: number; lines: PhysicalLine[] }
  | { kind: 'broken'; beginLine: number; lines: PhysicalLine[]; message: string };

const BEGIN = /^BEGIN[ \t]*:[ \t]*VCARD[ \t]*$/i;
const END = /^END[ \t]*:[ \t]*VCARD[ \t]*$/i;
const EMPTY_AGENT = /^(?:[A-Za-z0-9-]+\.)?AGENT(?:;[^:]*)?:[ \t]*$/i;

export function splitCards(lines: Iterable<PhysicalLine>): Chunk[] {
  return Array.from(cardChunks(lines));
}

/** The chunks of `splitCards` one at a time, as the lines come: one card's lines are held at a time. */
export function* cardChunks(lines: Iterable<PhysicalLine>): Generator<Chunk> {
  let count = 0;
  let card: { beginLine: number; lines: PhysicalLine[]; depth: number; lastNonBlank: string } | undefined;
  let junk: PhysicalLine[] = [];
  let sawCard = false;

  const takeJunk = (): Chunk | undefined => {
    if (junk.length === 0) return undefined;
    const chunk: Chunk = {
      kind: 'broken',
      beginLine: junk[0].no,
      lines: junk,
      message: `line ${junk[0].no}: text outside BEGIN:VCARD…END:VCARD (${junk.length} line${junk.length > 1 ? 's' : ''})`,
    };
    junk = [];
    return chunk;
  };

  for (const line of lines) {
    count += 1;
    // Only trailing white space is ignored: a line starting with a space continues the
    // previous line (folding), so ` BEGIN:VCARD` is text, not a new card.
    const t = line.text.replace(/[ \t]+$/, '');
    if (!card) {
      if (BEGIN.test(t)) {
        const j = takeJunk();
        if (j) yield j;
        sawCard = true;
        card = { beginLine: line.no, lines: [line], depth: 0, lastNonBlank: '' };
      } else if (t !== '') {
        junk.push(line);
      }
      continue;
    }
    if (BEGIN.test(t)) {
      if (EMPTY_AGENT.test(card.lastNonBlank)) {
        card.depth++;
      } else {
        yield {
          kind: 'broken',
          beginLine: card.beginLine,
          lines: card.lines,
          message: `line ${card.beginLine}: card has no END:VCARD before the next BEGIN:VCARD at line ${line.no}`,
        };
        card = { beginLine: line.no, lines: [line], depth: 0, lastNonBlank: '' };
        continue;
      }
    }
    card.lines.push(line);
    if (t !== '') card.lastNonBlank = t;
    if (END.test(t)) {
      if (card.depth > 0) card.depth--;
      else {
        yield { kind: 'card', beginLine: card.beginLine, lines: card.lines };
        card = undefined;
      }
    }
  }
  if (card) {
    yield {
      kind: 'broken',
      beginLine: card.beginLine,
      lines: card.lines,
      message: `line ${card.beginLine}: card has no END:VCARD (the file ends at line ${count})`,
    };
  }
  if (!sawCard && junk.length > 0) {
    yield {
      kind: 'broken',
      beginLine: junk[0].no,
      lines: junk,
      message: `line ${junk[0].no}: not a vCard file (no BEGIN:VCARD line found)`,
    };
    junk = [];
  }
  const j = takeJunk();
  if (j) yield j;
}
