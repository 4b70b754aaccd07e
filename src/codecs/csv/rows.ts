import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { iconv } from '../charsets.js';
import type { DecodeProblem, DecodeResult } from '../types.js';
import type { ContactItem } from '../../model/item.js';
import type { Component } from '../../model/property.js';
import { messageOf } from '../../core/errors.js';
import { NO_UID } from '../../core/types.js';

/**
 * Text of a CSV export. Strings are taken as they are (a leading BOM dropped). Bytes are
 * UTF-8 with or without a BOM, UTF-16 when they start with its BOM, and otherwise — when
 * they are not valid UTF-8 — windows-1252, which is what Outlook's "ANSI" export writes
 * on western-European systems.
 */
export function decodeCsvText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  const b = input;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return utf8(b.subarray(3)) ?? cp1252(b.subarray(3));
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return iconv().decode(Buffer.from(b.subarray(2)), 'utf-16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return iconv().decode(Buffer.from(b.subarray(2)), 'utf-16be');
  return utf8(b) ?? cp1252(b);
}

function utf8(b: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
}

function cp1252(b: Uint8Array): string {
  return iconv().decode(Buffer.from(b), 'win1252');
}

/** One data record of a CSV file. */
export interface CsvRow {
  /** CSV row number: the header is row 1, each following record (or broken line) one more; blank lines do not count. */
  row: number;
  /** 1-based physical line where the record starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  problems: DecodeProblem[];
}

/** How many physical lines one quoted cell may span before the quote is taken as broken. */
const MAX_RECORD_LINES = 500;

const PARSE_OPTIONS = { relax_quotes: true, relax_column_count: true, skip_empty_lines: false } as const;

type Attempt = { ok: true; records: string[][] } | { ok: false; code: string; message: string };

function attempt(text: string): Attempt {
  try {
    return { ok: true, records: parse(text, PARSE_OPTIONS) as string[][] };
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    return { ok: false, code, message: messageOf(e) };
  }
}

function quoteCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 34) n++;
  return n;
}

/**
 * Splits a CSV text into a header and records, one record at a time, so that a broken
 * record (an unclosed quote, a wrong number of fields) becomes a problem naming its row
 * while the records after it still decode. A record normally fits on one line; when a
 * line leaves a quote open, following lines are joined until the quote closes (a multi-
 * line `Address 1 - Formatted` or `Notes` cell). If the joined text is not exactly one
 * record with the header's field count, the quote is taken as broken: that first line
 * alone is reported and reading resumes on the next line.
 */
export function readCsv(text: string): CsvTable {
  const lines = text.split(/\r?\n/);
  const problems: DecodeProblem[] = [];
  const rows: CsvRow[] = [];
  let header: string[] | undefined;
  let rowNo = 0;
  let i = 0;
  while (i < lines.length) {
    if (lines[i].trim() === '') {
      i++;
      continue;
    }
    rowNo++;
    const width = header?.length;
    const fits = (a: Attempt): string[] | undefined => {
      if (!a.ok || a.records.length !== 1) return undefined;
      const cells = trimTrailingEmpty(a.records[0], width);
      return width === undefined || cells.length === width ? cells : undefined;
    };
    const single = attempt(lines[i]);
    let cells = fits(single);
    let end = i;
    if (!cells && quoteCount(lines[i]) % 2 === 1) {
      let quotes = quoteCount(lines[i]);
      while (quotes % 2 === 1 && end + 1 < lines.length && end - i < MAX_RECORD_LINES) {
        end++;
        quotes += quoteCount(lines[end]);
      }
      cells = quotes % 2 === 0 ? fits(attempt(lines.slice(i, end + 1).join('\n'))) : undefined;
    }
    if (!cells) {
      problems.push({ line: rowNo, message: brokenMessage(single, width, rowNo, i + 1), raw: lines[i] });
      i++;
      continue;
    }
    if (!header) header = cells.map((h) => h.trim());
    else if (cells.some((c) => c.trim() !== '')) rows.push({ row: rowNo, line: i + 1, cells });
    i = end + 1;
  }
  return { header: header ?? [], rows, problems };
}

/** Extra empty fields at the end of a record (a trailing comma) are not a wrong field count. */
function trimTrailingEmpty(cells: string[], width: number | undefined): string[] {
  if (width === undefined || cells.length <= width) return cells;
  return cells.slice(width).every((c) => c === '') ? cells.slice(0, width) : cells;
}

function brokenMessage(single: Attempt, width: number | undefined, row: number, line: number): string {
  const where = row === line ? `row ${row}` : `row ${row} (line ${line})`;
  if (!single.ok) {
    if (single.code === 'CSV_QUOTE_NOT_CLOSED') return `${where}: unclosed quote`;
    return `${where}: ${single.message}`;
  }
  const n = single.records[0]?.length ?? 0;
  if (width === undefined) return `${where}: unreadable header`;
  return `${where}: ${n} fields, the header has ${width}`;
}

/** A CSV text with CRLF line ends (RFC 4180; what Google and Outlook write). */
// Cells with a bare LF must be quoted too: csv-stringify only quotes the record delimiter (CRLF) by itself.
export function writeCsv(header: string[], rows: string[][], opts: { quoteAll?: boolean; bom?: boolean } = {}): string {
  const body = stringify([header, ...rows], { record_delimiter: '\r\n', quoted: opts.quoteAll ?? false, quoted_match: /[\r\n]/ });
  return (opts.bom ? '\uFEFF' : '') + body;
}

/** Column lookup by header name, case-insensitive. */
export class Columns {
  private readonly index = new Map<string, number>();
  constructor(readonly header: string[]) {
    header.forEach((h, i) => {
      const k = h.trim().toLowerCase();
      if (!this.index.has(k)) this.index.set(k, i);
    });
  }
  has(name: string): boolean {
    return this.index.has(name.toLowerCase());
  }
  /** The cell of `name` in `cells`, trimmed; '' when the column is absent. */
  get(cells: string[], name: string): string {
    const i = this.index.get(name.toLowerCase());
    return i === undefined ? '' : (cells[i] ?? '').trim();
  }
}

/**
 * Decodes every row of a table whose header `isFormat` recognises; a row that fails is a
 * problem naming its row, and the others still decode.
 */
export function decodeTable(
  table: CsvTable,
  cols: Columns,
  isFormat: (cols: Columns) => boolean,
  notFormat: string,
  decodeRow: (cols: Columns, cells: string[]) => Component,
): DecodeResult<ContactItem> {
  if (!isFormat(cols)) {
    return { items: [], problems: [{ line: 1, message: notFormat, raw: table.header.join(',') }, ...table.problems] };
  }
  const items: ContactItem[] = [];
  const problems: DecodeProblem[] = [...table.problems];
  for (const r of table.rows) {
    try {
      items.push({ kind: 'contact', uid: NO_UID, card: decodeRow(cols, r.cells) });
    } catch (e) {
      problems.push({ line: r.row, message: `row ${r.row}: ${messageOf(e)}`, raw: r.cells.join(',') });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { items, problems };
}
