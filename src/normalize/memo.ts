/**
 * Bounded memos of string → string normalisers (phone, email, URI and text keys). A merge
 * keys the same raw text on every side (base, current, incoming) and again in
 * fingerprints; computing a key costs regular expressions, Unicode normalisation or a
 * libphonenumber parse, a lookup only hashing the text once. Each memo starts over when
 * full, so memory stays bounded whatever a run reads.
 */
const all: Array<Map<string, string>> = [];

export const MEMO_LIMIT = 50_000;

export function boundedMemo(compute: (s: string) => string, limit = MEMO_LIMIT): (s: string) => string {
  const cache = new Map<string, string>();
  all.push(cache);
  return (s) => {
    const known = cache.get(s);
    if (known !== undefined) return known;
    const key = compute(s);
    if (cache.size >= limit) cache.clear();
    cache.set(s, key);
    return key;
  };
}

/** Empties every memo (for measuring cold, and for tests). */
export function clearMemos(): void {
  for (const m of all) m.clear();
}
