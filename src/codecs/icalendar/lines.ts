/**
 * The iCalendar side of the text layer (RFC 5545 §3.1): bytes to text, and the content
 * lines of a text with the physical lines kept, so a broken entry can be quoted as written.
 * Unfolding and folding themselves are src/codecs/content-line/.
 */
import { iconv } from '../charsets.js';
import { joinSplitUtf8Folds } from '../content-line/utf8-folds.js';
import { splitPhysical, unfold, type LogicalLine } from '../content-line/unfold.js';

/** One unfolded content line and the 1-based physical lines it spans. */
export type ContentLine = LogicalLine;

export interface SourceText {
  /** The physical lines of the input, without line endings. */
  physical: string[];
  lines: ContentLine[];
}

/**
 * Bytes to text: UTF-8 when valid (a BOM is dropped), otherwise Windows-1252, which is what
 * older Outlook exports are and which decodes any byte, so garbage still yields text that
 * the block splitter can report.
 */
export function toText(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(joinSplitUtf8Folds(input));
    } catch {
      text = iconv().decode(Buffer.from(input), 'win1252');
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function unfoldLines(text: string): SourceText {
  const physical = splitPhysical(text);
  return { physical: physical.map((l) => l.text), lines: unfold(physical) };
}

/** The original physical text of lines `from`..`to` (1-based, inclusive). */
export function physicalText(src: SourceText, from: number, to: number): string {
  return src.physical.slice(from - 1, to).join('\r\n');
}
