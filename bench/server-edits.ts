import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * B3's changes on the server: which 1 % of the generated contacts a run edits, and the edit
 * itself (the mobile number of the card as the server holds it replaced by a new one). Kept
 * apart from the timed code so a test can hold it to its word.
 */

/**
 * The indices of the `fraction` of `n` items that run `run` (0-based) changes: every
 * 1/fraction-th item from an offset that moves with the run, so they are spread over the
 * whole collection and no two runs (below 1/fraction runs) change the same card.
 */
export function itemsToChange(n: number, fraction: number, run: number): number[] {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction ${fraction}: give a share between 0 and 1`);
  const step = Math.max(1, Math.round(1 / fraction));
  const out: number[] = [];
  for (let i = run % step; i < n; i += step) out.push(i);
  return out;
}

/** The number a changed card gets: distinct per run and per item, recognisable in any vdir. */
export const newMobile = (run: number, index: number) => `+49 160 ${String(run).padStart(2, '0')}${String(index).padStart(6, '0')}`;

/**
 * The card `text` (as the server sent it) with its first `TEL;TYPE=CELL` value replaced by
 * `number`; every other byte stays. Throws when the card has no such line, so a change that
 * could not be made is never counted as made.
 */
export function withNewMobile(text: string, number: string): string {
  const line = /^(TEL;[^:\r\n]*TYPE=(?:[^:;\r\n]*,)?CELL\b[^:\r\n]*:)[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/im;
  if (!line.test(text)) throw new Error(`no TEL;TYPE=CELL line to change in:\n${text.slice(0, 400)}`);
  return text.replace(line, (_all, head: string) => `${head}${number}`);
}

/** How many of `needles` occur in some file under `dir` (recursively): "did this tool write the changes". */
export function needlesFound(dir: string, needles: readonly string[]): number {
  if (!existsSync(dir)) return 0;
  const wanted = new Set(needles);
  let found = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (wanted.size > 0) {
        const text = readFileSync(p, 'utf8');
        for (const w of wanted) {
          if (text.includes(w)) {
            wanted.delete(w);
            found += 1;
            break;
          }
        }
      }
    }
  };
  walk(dir);
  return found;
}
