import { findProps, prop, type Component, type Property } from '../../model/property.js';
import type { Columns } from './rows.js';
import { text } from './card.js';

/**
 * Cells of columns a CSV format does not map to a vCard property (Google's `Relation 1 -
 * Value`, `Custom Field 1 - Label`, `File As`; Outlook's `Spouse`, `User 1`, `Initials`…).
 * Each is kept on the card as `X-CSV-CELL;X-FORMAT=…;X-COLUMN=…` so that rewriting the file
 * gives the cell back in its column, and other members carry it as an unknown property.
 */
export const KEPT_CELL = 'x-csv-cell';

export type CsvFormat = 'google-csv' | 'outlook-csv';

export function keepCell(card: Component, format: CsvFormat, column: string, value: string): void {
  card.props.push(prop(KEPT_CELL, 'text', [value], { 'x-format': format, 'x-column': column }));
}

/** Whether a property is a cell kept from a file of `format` (so that format writes it back). */
export function isKeptCellOf(p: Property, format: CsvFormat): boolean {
  return p.name === KEPT_CELL && p.params['x-format'] === format && typeof p.params['x-column'] === 'string';
}

function keptCells(card: Component, format: CsvFormat): Array<{ column: string; value: string }> {
  return findProps(card, KEPT_CELL)
    .filter((p) => isKeptCellOf(p, format))
    .map((p) => ({ column: p.params['x-column'] as string, value: text(p.values[0]) }));
}

/**
 * Keeps every non-empty cell of a row whose column `mapped` does not claim. A cell holding
 * what the format writes for "no value" (Outlook's `Unspecified`, `0/0/00`) is not kept.
 */
export function keepUnmappedCells(
  card: Component, format: CsvFormat, cols: Columns, cells: string[],
  mapped: (column: string) => boolean, defaults: Readonly<Record<string, string>> = {},
): void {
  cols.header.forEach((column, i) => {
    const cell = cells[i] ?? '';
    if (cell.trim() === '' || mapped(column) || cell === defaults[column]) return;
    keepCell(card, format, column, cell);
  });
}

/**
 * Adds the kept cells of each card to the table being written: a cell goes into its column
 * when the header has it (and the row left it empty or at its default), else the column
 * is appended after the format's own, in the order first met.
 */
export function withKeptCells(
  format: CsvFormat, header: string[], rows: string[][], cards: Component[],
  defaults: Readonly<Record<string, string>> = {},
): { header: string[]; rows: string[][] } {
  const index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  const extra: string[] = [];
  const cells = cards.map((c) => keptCells(c, format));
  for (const list of cells) {
    for (const { column } of list) {
      if (index.has(column.toLowerCase())) continue;
      index.set(column.toLowerCase(), header.length + extra.length);
      extra.push(column);
    }
  }
  if (cells.every((l) => l.length === 0)) return { header, rows };
  const out = rows.map((r, k) => {
    const row = [...r, ...extra.map(() => '')];
    for (const { column, value } of cells[k] ?? []) {
      const i = index.get(column.toLowerCase())!;
      if (row[i] === '' || row[i] === defaults[header[i] ?? '']) row[i] = value;
    }
    return row;
  });
  return { header: [...header, ...extra], rows: out };
}
