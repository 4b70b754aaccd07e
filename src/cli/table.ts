/**
 * Plain-text tables for the terminal: columns padded by display width (combining marks take
 * no cell, CJK and emoji take two), cut with an ellipsis to fit, colours only on a terminal.
 */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO = /[\p{M}\u200b-\u200f\ufe0f]/u;
const ANSI = /\x1b\[[0-9;]*m/g;

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(ANSI, '')) w += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return w;
}

/** Cuts plain text to `max` cells, ending in `…` when cut. */
export function fit(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

export function pad(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const gap = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'left' ? s + gap : gap + s;
}

export type Paint = (code: string, s: string) => string;

export const STYLE = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36' } as const;

export function painter(colour: boolean): Paint {
  return colour ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_code, s) => s;
}

export interface Column<R> {
  title: string;
  value: (row: R) => string;
  /** Colour of a cell (after padding, so alignment holds). */
  style?: (row: R) => string | undefined;
  align?: 'left' | 'right';
  /** This column gives up width first when the terminal is narrow. */
  flexible?: boolean;
  min?: number;
}

/** The header and one line per row, within `width` cells. */
export function renderTable<R>(rows: R[], cols: Column<R>[], paint: Paint, width = 100): { header: string; lines: string[] } {
  const cells = rows.map((r) => cols.map((c) => c.value(r)));
  const widths = cols.map((c, i) => Math.max(displayWidth(c.title), ...cells.map((row) => displayWidth(row[i]!))));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (cols.length - 1);
  for (let i = cols.length - 1; i >= 0 && total() > width; i--) {
    if (cols[i]!.flexible) widths[i] = Math.max(cols[i]!.min ?? 8, widths[i]! - (total() - width));
  }
  const line = (values: string[], style?: (i: number) => string | undefined) =>
    values.map((v, i) => {
      const text = pad(fit(v, widths[i]!), widths[i]!, cols[i]!.align);
      const st = style?.(i);
      return st ? paint(st, text) : text;
    }).join('  ').trimEnd();
  return {
    header: paint(STYLE.bold, line(cols.map((c) => c.title))),
    lines: rows.map((r, ri) => line(cells[ri]!, (i) => cols[i]!.style?.(r))),
  };
}
