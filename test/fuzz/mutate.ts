import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../cli/cli-harness.js';

/**
 * Mutations of real inputs for the fuzz suites (issue 13, point 3): bit flips, truncations,
 * splices of two files, wrong charsets, mixed line endings, NUL bytes, lines dropped or
 * repeated, deep nesting and huge values. Deterministic for a seed.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed >>> 0) || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 0x1_0000_0000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** Every fixture file whose name ends with one of `exts`, as bytes. */
export function fixtureFiles(exts: string[]): Array<{ name: string; bytes: Buffer }> {
  const out: Array<{ name: string; bytes: Buffer }> = [];
  (function walk(dir: string) {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.some((e) => n.endsWith(e))) out.push({ name: p.slice(FIXTURES.length + 1), bytes: readFileSync(p) });
    }
  })(FIXTURES);
  return out;
}

export type Mutation = 'bitflip' | 'truncate' | 'splice' | 'charset' | 'line-endings' | 'nul' | 'drop-line' | 'repeat-line' | 'nest' | 'huge-value' | 'swap-lines';
export const MUTATIONS: Mutation[] = ['bitflip', 'truncate', 'splice', 'charset', 'line-endings', 'nul', 'drop-line', 'repeat-line', 'nest', 'huge-value', 'swap-lines'];

export interface MutateOptions {
  /** Lines to open for `nest` (10,000 in the issue). */
  nestDepth: number;
  /** Bytes of a `huge-value` (50 MB in the long run). */
  hugeBytes: number;
  /** A drawn `nest` or `huge-value` is kept once in this many draws (they are slow); each runs once anyway. */
  heavyOneIn: number;
}

/** One mutation of `a` (with `b` for splices); `begin` is the format's nesting line. */
export function mutate(rng: Rng, a: Buffer, b: Buffer, begin: string, m: Mutation, o: MutateOptions): Buffer {
  switch (m) {
    case 'bitflip': {
      const out = Buffer.from(a);
      for (let k = 1 + rng.int(8); k > 0 && out.length > 0; k--) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    }
    case 'truncate':
      return a.subarray(0, rng.int(a.length + 1));
    case 'splice':
      return Buffer.concat([a.subarray(0, rng.int(a.length + 1)), b.subarray(rng.int(b.length + 1))]);
    case 'charset': {
      const text = a.toString('utf8');
      const enc = rng.pick(['latin1', 'utf16le', 'ucs2-bom', 'ascii'] as const);
      if (enc === 'ucs2-bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      return Buffer.from(text, enc);
    }
    case 'line-endings':
      return Buffer.from(a.toString('latin1').replace(/\r\n|\n|\r/g, () => rng.pick(['\r\n', '\n', '\r', '\n\r', '\r\r\n'])), 'latin1');
    case 'nul': {
      const s = a.toString('latin1');
      const at = rng.int(s.length + 1);
      return Buffer.from(`${s.slice(0, at)}${'\u0000'.repeat(1 + rng.int(4))}${s.slice(at)}`, 'latin1');
    }
    case 'drop-line':
    case 'repeat-line':
    case 'swap-lines': {
      const lines = a.toString('latin1').split('\n');
      const i = rng.int(lines.length);
      if (m === 'drop-line') lines.splice(i, 1);
      else if (m === 'repeat-line') lines.splice(i, 0, ...Array<string>(1 + rng.int(50)).fill(lines[i] ?? ''));
      else {
        const j = rng.int(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 'nest': {
      const s = a.toString('latin1');
      const at = rng.int(s.length + 1);
      return Buffer.from(`${s.slice(0, at)}${`${begin}\r\n`.repeat(o.nestDepth)}${s.slice(at)}`, 'latin1');
    }
    case 'huge-value': {
      const s = a.toString('latin1');
      const nl = s.indexOf('\n', rng.int(s.length + 1));
      const at = nl < 0 ? s.length : nl;
      const filler = rng.pick(['x', 'é', '=41', '\\n', ',', 'A']);
      return Buffer.concat([Buffer.from(s.slice(0, at), 'latin1'), Buffer.from(`\r\nNOTE:${filler.repeat(Math.ceil(o.hugeBytes / filler.length))}`, 'utf8'), Buffer.from(s.slice(at), 'latin1')]);
    }
  }
}
