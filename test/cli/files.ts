import { readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Files of a vdir whose text matches. */
export function filesMatching(dir: string, re: RegExp): string[] {
  return readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => join(dir, f)).filter((p) => re.test(readFileSync(p, 'utf8')));
}

export function onlyFile(dir: string, re: RegExp): string {
  const found = filesMatching(dir, re);
  if (found.length !== 1) throw new Error(`expected one file in ${dir} matching ${re}, found ${found.length}`);
  return found[0]!;
}

/** Replaces text in a file, failing if the text is not there (so a test cannot silently edit nothing). */
export function edit(path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${path}: ${from} not found`);
  writeFileSync(path, next);
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A digest of every file under a folder (names, sizes, contents) to prove nothing changed. */
export function treeDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/\.db(-wal|-shm)?$/.test(name)) h.update(`${p}\n`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

export function count(text: string, re: RegExp): number {
  return (text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)) ?? []).length;
}
