/**
 * Text-level helpers for iCalendar (RFC 5545 §3.1): turning bytes into text, unfolding
 * physical lines into content lines while remembering where each started, and folding
 * content lines at 75 octets without splitting a UTF-8 sequence.
 */
import iconv from 'iconv-lite';
import { joinSplitUtf8Folds } from '../utf8-folds.js';

/** One unfolded content line and the 1-based physical lines it spans. */
export interface ContentLine {
  text: string;
  /** 1-based physical line where the content line starts. */
  line: number;
  /** 1-based physical line where it ends (after its folded continuations). */
  endLine: number;
}

export interface SourceText {
  /** The physical lines of the input, without line endings. */
  physical: string[];
  lines: ContentLine[];
}

/** Maximum octets of one output line, CRLF excluded (RFC 5545 §3.1). */
export const FOLD_OCTETS = 75;

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
      text = iconv.decode(Buffer.from(input), 'win1252');
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Splits text into content lines: CRLF, LF and CR all end a line; a line starting with a
 * space or tab continues the previous one (§3.1); blank lines are dropped.
 */
export function unfoldLines(text: string): SourceText {
  const physical = text.split(/\r\n|\n|\r/);
  if (physical.length > 0 && physical[physical.length - 1] === '') physical.pop();
  const lines: ContentLine[] = [];
  let last: ContentLine | undefined;
  physical.forEach((raw, i) => {
    const n = i + 1;
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && last && last.endLine === n - 1) {
      last.text += raw.slice(1);
      last.endLine = n;
      return;
    }
    if (raw.trim() === '') {
      last = undefined;
      return;
    }
    last = { text: raw, line: n, endLine: n };
    lines.push(last);
  });
  return { physical, lines };
}

/** The original physical text of lines `from`..`to` (1-based, inclusive). */
export function physicalText(src: SourceText, from: number, to: number): string {
  return src.physical.slice(from - 1, to).join('\r\n');
}

function octets(cp: number): number {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/**
 * Folds one content line so that no physical line exceeds 75 octets (the leading space of
 * a continuation counts), breaking only between code points so no UTF-8 sequence is split.
 * Unfolding (removing each CRLF + space) gives back the input exactly.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = octets(ch.codePointAt(0)!);
    if (size + n > FOLD_OCTETS) {
      out.push(current);
      current = ' ';
      size = 1;
    }
    current += ch;
    size += n;
  }
  out.push(current);
  return out.join('\r\n');
}

/** Joins content lines into iCalendar text: each folded, CRLF after every line. */
export function joinLines(lines: string[]): string {
  return lines.map((l) => foldLine(l) + '\r\n').join('');
}
