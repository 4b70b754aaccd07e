/**
 * vCard content lines: the card's physical lines joined (src/codecs/content-line/unfold.ts
 * with vCard 2.1's continuations) and each split into group, name, parameters and raw value
 * by the shared lexer. Works on byte strings; charsets are applied later, per value.
 */
import { lexContentLine, type LexError } from '../content-line/params.js';
import { unfold, type LogicalLine, type PhysicalLine } from '../content-line/unfold.js';
import { vcardContinuations } from './v21-lines.js';

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

export function logicalLines(lines: PhysicalLine[], is21: boolean): LogicalLine[] {
  return unfold(lines, vcardContinuations(is21));
}

export class ContentLineError extends Error {}

const NAME = /^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)$/;

const LEX_MESSAGES: Record<LexError, string> = {
  'empty-name': 'empty parameter name in',
  'empty-bare': 'empty parameter in',
  'unterminated-quote': 'unterminated quoted parameter value in',
  'invalid-parameters': 'invalid parameters in',
};

/** Splits `group.NAME;P=v;BARE:value`. Throws ContentLineError with ical.js-like messages. */
export function parseContentLine(text: string): ContentLine {
  const nameEnd = text.search(/[;:]/);
  if (nameEnd < 0) throw new ContentLineError(`invalid line (no ";" or ":"): ${JSON.stringify(clip(text))}`);
  const m = NAME.exec(text.slice(0, nameEnd));
  if (!m) throw new ContentLineError(`invalid property name in ${JSON.stringify(clip(text))}`);
  const lexed = lexContentLine(text);
  if (!lexed.ok) throw new ContentLineError(`${LEX_MESSAGES[lexed.error]} ${JSON.stringify(clip(text))}`);
  const params = lexed.line.params.map((p): RawParam =>
    p.bare ? { name: null, value: p.name.trim() } : { name: p.name.trim().toUpperCase(), value: p.values.join(',') });
  const line: ContentLine = { name: m[2].toUpperCase(), params, value: lexed.line.value };
  if (m[1]) line.group = m[1].toLowerCase();
  return line;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
