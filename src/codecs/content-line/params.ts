/**
 * A content line taken apart: `group.NAME;P=v,"w";BARE:value` → name, parameters and raw
 * value. Parameter values have no backslash escapes (RFC 5545 §3.2, RFC 6350 §5); RFC 6868
 * caret escapes (^n ^' ^^) are undone and written by caretDecode / caretEncode, which a
 * format applies where it has them (vCard 2.1 has none). Bare parameters (`TEL;CELL:`) are
 * vCard 2.1's; a format without them refuses them.
 */

export interface LexedParam {
  /** The name as written (not trimmed, case kept). */
  name: string;
  /** No `=`: a vCard 2.1 bare parameter, its text in `name`. */
  bare: boolean;
  /** The values, quotes removed; `a,b` unquoted is two values. */
  values: string[];
  /** Whether any value was quoted. */
  quoted: boolean;
}

export interface LexedLine {
  /** Everything before the first `;` or `:`: group and name, as written. */
  name: string;
  params: LexedParam[];
  value: string;
}

export type LexError = 'empty-name' | 'empty-bare' | 'unterminated-quote' | 'invalid-parameters';

function scanUntil(text: string, from: number, stops: string): number {
  let i = from;
  while (i < text.length && !stops.includes(text[i])) i++;
  return i;
}

/** The line's parts, or what is wrong with its parameter list. */
export function lexContentLine(text: string): { ok: true; line: LexedLine } | { ok: false; error: LexError } {
  let pos = scanUntil(text, 0, ';:');
  const name = text.slice(0, pos);
  const params: LexedParam[] = [];
  while (text[pos] === ';') {
    pos++;
    const nameEnd = scanUntil(text, pos, '=;:"');
    const pname = text.slice(pos, nameEnd);
    pos = nameEnd;
    if (text[pos] === '=') {
      if (pname.trim() === '') return { ok: false, error: 'empty-name' };
      pos++;
      const values: string[] = [];
      let quoted = false;
      for (;;) {
        if (text[pos] === '"') {
          const close = text.indexOf('"', pos + 1);
          if (close < 0) return { ok: false, error: 'unterminated-quote' };
          values.push(text.slice(pos + 1, close));
          quoted = true;
          pos = close + 1;
        } else {
          // A stray `"` inside an unquoted value (`CN=O"Brien`) is kept as written, not an error.
          const end = scanUntil(text, pos, ';:,');
          values.push(text.slice(pos, end));
          pos = end;
        }
        if (text[pos] !== ',') break;
        pos++;
      }
      params.push({ name: pname, bare: false, values, quoted });
    } else {
      if (pname.trim() === '') return { ok: false, error: 'empty-bare' };
      params.push({ name: pname, bare: true, values: [], quoted: false });
    }
    if (text[pos] !== ';' && text[pos] !== ':') return { ok: false, error: 'invalid-parameters' };
  }
  if (text[pos] !== ':') return { ok: false, error: 'invalid-parameters' };
  return { ok: true, line: { name, params, value: text.slice(pos + 1) } };
}

/** RFC 6868: `^n` → line break, `^'` → `"`, `^^` → `^`. */
export function caretDecode(s: string): string {
  return s.replace(/\^[n'^]/g, (m) => (m === '^n' ? '\n' : m === "^'" ? '"' : '^'));
}

export function caretEncode(s: string): string {
  return s.replace(/\^/g, '^^').replace(/\r\n|\r|\n/g, '^n').replace(/"/g, "^'");
}

/**
 * A parameter value as vCard 2.1 can carry it: 2.1 has no escapes, so a line break would end
 * the line and a double quote in a value that must be quoted (or that starts with one) would
 * be read as a quote. Line breaks become `, ` (a two-line LABEL stays readable on one line)
 * and such quotes become `'`. The encoder writes this and the projection reads it, so a
 * 2.1 member sends back exactly what it was given, never an edit.
 */
export function v21ParamValue(s: string): string {
  // Line breaks at either end are dropped, not joined: only they, not a `, ` the value had.
  const trimmed = s.replace(/^(?:[ \t]*(?:\r\n|\r|\n))+|(?:(?:\r\n|\r|\n)[ \t]*)+$/g, '');
  const oneLine = trimmed.replace(/[ \t]*(?:\r\n|\r|\n)[ \t\r\n]*/g, ', ');
  return oneLine.includes('"') && (/[,;:]/.test(oneLine) || oneLine.startsWith('"')) ? oneLine.replace(/"/g, "'") : oneLine;
}

/** A parameter value as written: quoted when it holds `,` `;` or `:` (or when a list asks for it). */
export function quoteParamValue(s: string, always = false): string {
  return always || /[,;:]/.test(s) ? `"${s}"` : s;
}
