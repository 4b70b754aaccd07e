/**
 * Which strings were added, kept as 30-bit hashes (small integers in a Set, ~16 bytes each
 * instead of the string): "no" is certain, "maybe" must be asked where the strings are kept.
 * A run of 100,000 new items keeps its UIDs and identity keys so, not as strings.
 */
export class SeenFilter {
  private readonly hashes = new Set<number>();

  add(s: string): void {
    this.hashes.add(hash(s));
  }

  mayHold(s: string): boolean {
    return this.hashes.has(hash(s));
  }
}

/** FNV-1a over UTF-16 code units, cut to 30 bits so V8 keeps it a small integer. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x3fffffff;
}
