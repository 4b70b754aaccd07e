/**
 * Content lines: joining physical lines into logical ones (folding, quoted-printable
 * soft breaks, vCard 2.1 base64 blocks) and splitting one into group, name, parameters
 * and raw value. Works on byte strings; charsets are applied later, per value.
 */
import type { RawLine } from './split.js';

export interface LogicalLine {
  /** 1-based physical line where the logical line starts. */
  no: number;
  text: string;
}

export interface RawParam {
  /** Upper-case parameter name; null for a vCard 2.1 bare parameter (`TEL;CELL:`). */
  name: string | null;
  /** Value with quotes removed (`TYPE="cell,voice"` → `cell,voice`). */
  value: string;
}

export interface ContentLine {
  group?: string;
  /** Upper-case property name. */
  name: string;
  params: RawParam[];
  value: string;
}

const QP_HEAD = /;(?:ENCODING[ \t]*=[ \t]*)?QUOTED-PRINTABLE(?=[;:]|$)/i;
const B64_HEAD = /;(?:ENCODING[ \t]*=[ \t]*)?(?:BASE64|B)(?=[;:]|$)/i;
const B64_LINE = /^[A-Za-z0-9+/=]+$/;

/**
 * Joins physical lines: a line starting with a space or tab continues the previous one
 * (one white-space character removed, RFC 6350 §3.2); a quoted-printable value ending in
 * `=` continues verbatim on the next line; in vCard 2.1 a base64 value continues over
 * following lines of base64 characters up to a blank line. Blank lines are skipped.
 */
export function logicalLines(lines: RawLine[], is21: boolean): LogicalLine[] {
  const out: LogicalLine[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i++];
    if (first.text.trim() === '') continue;
    // The pieces are joined once at the end: growing one string and reading it back on every
    // continuation line (as the head and the last character are) copies it each time, which
    // made a long folded value quadratic (a 160 KB NOTE took seconds; found by fuzzing).
    const pieces: string[] = [];
    let length = 0;
    /** Index of the last piece that is not empty (the one holding the line's last character). */
    let lastFull = 0;
    // The head (the part before the first ':' outside double quotes) is found scanning each piece once.
    const scan = { quoted: false, headLength: -1 };
    const push = (piece: string) => {
      if (scan.headLength < 0) {
        for (let k = 0; k < piece.length; k++) {
          const c = piece[k];
          if (c === '"') scan.quoted = !scan.quoted;
          else if (c === ':' && !scan.quoted) {
            scan.headLength = length + k;
            break;
          }
        }
      }
      pieces.push(piece);
      length += piece.length;
      if (piece !== '') lastFull = pieces.length - 1;
    };
    push(first.text);
    let head: string | undefined;
    for (;;) {
      const next = lines[i];
      if (next === undefined) break;
      const headFound = scan.headLength >= 0;
      // Until the ':' shows up (a name or parameters folded over lines) only folding continues the line.
      if (headFound && head === undefined) head = pieces.join('').slice(0, scan.headLength);
      // A soft break only counts once the value has started (after the name's ':').
      if (head !== undefined && QP_HEAD.test(head) && pieces[lastFull]!.endsWith('=') && length > head.length + 1) {
        pieces[lastFull] = pieces[lastFull]!.slice(0, -1);
        length -= 1;
        push(next.text);
        i++;
      } else if (next.text.startsWith(' ') || next.text.startsWith('\t')) {
        push(next.text.slice(1));
        i++;
      } else if (is21 && head !== undefined && B64_HEAD.test(head) && B64_LINE.test(next.text.trim())) {
        push(next.text.trim());
        i++;
      } else break;
    }
    out.push({ no: first.no, text: pieces.join('') });
  }
  return out;
}

export class ContentLineError extends Error {}

const NAME = /^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)/;

/** Splits `group.NAME;P=v;BARE:value`. Throws ContentLineError with ical.js-like messages. */
export function parseContentLine(text: string): ContentLine {
  const m = NAME.exec(text);
  if (!m || (text[m[0].length] !== ';' && text[m[0].length] !== ':')) {
    if (!/[;:]/.test(text)) throw new ContentLineError(`invalid line (no ";" or ":"): ${JSON.stringify(clip(text))}`);
    throw new ContentLineError(`invalid property name in ${JSON.stringify(clip(text))}`);
  }
  const params: RawParam[] = [];
  let pos = m[0].length;
  while (text[pos] === ';') {
    pos++;
    const nameEnd = scanUntil(text, pos, '=;:"');
    const pname = text.slice(pos, nameEnd).trim();
    pos = nameEnd;
    if (text[pos] === '=') {
      if (pname === '') throw new ContentLineError(`empty parameter name in ${JSON.stringify(clip(text))}`);
      pos++;
      let value = '';
      for (;;) {
        if (text[pos] === '"') {
          const close = text.indexOf('"', pos + 1);
          if (close < 0) throw new ContentLineError(`unterminated quoted parameter value in ${JSON.stringify(clip(text))}`);
          value += text.slice(pos + 1, close);
          pos = close + 1;
        } else {
          const end = scanUntil(text, pos, ';:",');
          value += text.slice(pos, end);
          pos = end;
        }
        if (text[pos] === ',') {
          value += ',';
          pos++;
          continue;
        }
        break;
      }
      params.push({ name: pname.toUpperCase(), value });
    } else {
      if (pname === '') throw new ContentLineError(`empty parameter in ${JSON.stringify(clip(text))}`);
      params.push({ name: null, value: pname });
    }
    if (text[pos] !== ';' && text[pos] !== ':') throw new ContentLineError(`invalid parameters in ${JSON.stringify(clip(text))}`);
  }
  if (text[pos] !== ':') throw new ContentLineError(`invalid parameters in ${JSON.stringify(clip(text))}`);
  const line: ContentLine = { name: m[2].toUpperCase(), params, value: text.slice(pos + 1) };
  if (m[1]) line.group = m[1].toLowerCase();
  return line;
}

function scanUntil(text: string, from: number, stops: string): number {
  let i = from;
  while (i < text.length && !stops.includes(text[i])) i++;
  return i;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
