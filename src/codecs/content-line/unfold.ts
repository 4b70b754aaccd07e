/**
 * Physical lines → logical (content) lines. CRLF, LF and CR all end a line; a line starting
 * with a space or tab continues the previous one, one white-space character removed
 * (RFC 5545 §3.1, RFC 6350 §3.2); blank lines are dropped. Formats with other ways of
 * continuing a line (vCard 2.1's quoted-printable soft breaks and base64 blocks) add them
 * as continuation rules. Works on text or on byte strings alike.
 */

export interface PhysicalLine {
  /** 1-based line number in the input. */
  no: number;
  /** The line without its line end. */
  text: string;
}

export interface LogicalLine {
  text: string;
  /** 1-based physical line where the logical line starts. */
  line: number;
  /** 1-based physical line where it ends (after its continuations). */
  endLine: number;
}

export function splitPhysical(text: string): PhysicalLine[] {
  const parts = text.split(/\r\n|\r|\n/);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ no: i + 1, text: t }));
}

/** A physical line with where it starts in the text (an index of the text). */
export interface PlacedLine extends PhysicalLine {
  at: number;
}

/**
 * The physical lines of `splitPhysical`, one at a time and with their place in the text:
 * a reader of a large file holds one entry's lines at a time, not every line of the file.
 */
export function* physicalLines(text: string): Generator<PlacedLine> {
  const end = /\r\n|\r|\n/g;
  let at = 0;
  let no = 1;
  for (let m = end.exec(text); m; m = end.exec(text)) {
    yield { no: no++, text: text.slice(at, m.index), at };
    at = m.index + m[0].length;
  }
  if (at < text.length) yield { no, text: text.slice(at), at };
}

/**
 * A logical line while its physical lines are joined. The pieces are joined once at the
 * end: growing one string and reading it back on every continuation line copies it each
 * time, which made a long folded value quadratic (a 160 KB NOTE took seconds; found by fuzzing).
 */
export class JoiningLine {
  private readonly pieces: string[] = [];
  private size = 0;
  /** Index of the last piece that is not empty (the one holding the line's last character). */
  private lastFull = 0;
  private quoted = false;
  private headLength = -1;
  private headText: string | undefined;

  constructor(first: string) {
    this.push(first);
  }

  get length(): number {
    return this.size;
  }

  /** The name and parameters (the text before the first ':' outside double quotes), once they are complete. */
  get head(): string | undefined {
    if (this.headText === undefined && this.headLength >= 0) this.headText = this.pieces.join('').slice(0, this.headLength);
    return this.headText;
  }

  push(piece: string): void {
    if (this.headLength < 0) {
      for (let k = 0; k < piece.length; k++) {
        const c = piece[k];
        if (c === '"') this.quoted = !this.quoted;
        else if (c === ':' && !this.quoted) {
          this.headLength = this.size + k;
          break;
        }
      }
    }
    this.pieces.push(piece);
    this.size += piece.length;
    if (piece !== '') this.lastFull = this.pieces.length - 1;
  }

  endsWith(s: string): boolean {
    return this.pieces[this.lastFull]!.endsWith(s);
  }

  /** Removes the last character (a soft line break's `=`). */
  dropLastChar(): void {
    this.pieces[this.lastFull] = this.pieces[this.lastFull]!.slice(0, -1);
    this.size -= 1;
  }

  text(): string {
    return this.pieces.join('');
  }
}

/** Whether `next` continues `line` by a format's own rule: the piece to append, or undefined. */
export type Continuation = (line: JoiningLine, next: string) => string | undefined;

export interface ContinuationRules {
  /** Tried before folding (a quoted-printable soft break keeps the next line's leading space). */
  beforeFolding?: Continuation;
  /** Tried when the next line is not a folded continuation. */
  afterFolding?: Continuation;
}

export function unfold(lines: PhysicalLine[], rules: ContinuationRules = {}): LogicalLine[] {
  const out: LogicalLine[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i++]!;
    if (first.text.trim() === '') continue;
    const joining = new JoiningLine(first.text);
    let endLine = first.no;
    for (;;) {
      const next = lines[i];
      if (next === undefined) break;
      const piece = rules.beforeFolding?.(joining, next.text)
        ?? (next.text.startsWith(' ') || next.text.startsWith('\t') ? next.text.slice(1) : undefined)
        ?? rules.afterFolding?.(joining, next.text);
      if (piece === undefined) break;
      joining.push(piece);
      endLine = next.no;
      i++;
    }
    out.push({ text: joining.text(), line: first.no, endLine });
  }
  return out;
}
