/**
 * Name keys for identity matching. `Jörg Müller`, `Müller Jörg`, `JÖRG MÜLLER`,
 * `Müller, Jörg` and `Joerg Mueller` all give the key `jorg muller`: diacritics are
 * stripped after NFKD, the German transliterations `ae`/`oe`/`ue` are folded to the plain
 * vowel, punctuation becomes space, tokens are sorted.
 */

/** Letters that NFKD does not decompose into base letter + mark. */
const SPECIAL: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ħ: 'h',
};

/** Name tokens: NFKD, no diacritics, lower-case, punctuation removed. */
export function nameTokens(s: string): string[] {
  const folded = s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðþłıħ]/g, (c) => SPECIAL[c] ?? c);
  return folded
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .map(foldTransliteration);
}

/**
 * `mueller` → `muller`, `joerg` → `jorg`, `schaefer` → `schafer`: the German spellings of
 * ü, ö, ä without umlauts. Only `ue`/`oe`/`ae` after a consonant are folded (`Noel`,
 * `Aeneas` keep theirs). The fold is applied to both sides, so it never separates equal
 * names; it does join a few distinct ones (`Michael`/`Michel`, `Manuel`/`Manul`), which is
 * acceptable because a name match is only ever used together with an email or phone match.
 */
function foldTransliteration(t: string): string {
  return t.replace(/([^aeiou])(ue|oe|ae)/g, (_m, c: string, pair: string) => c + pair[0]);
}

/** The identity key of a name: its tokens sorted and joined by one space. */
export function nameKey(s: string): string {
  return nameTokens(s).sort().join(' ');
}

/**
 * Whether two names plausibly denote the same person. The rule, applied to the tokens of
 * {@link nameKey}:
 * 1. both empty: not similar (no evidence); one empty: similar (a card with only an email
 *    or phone matches on that alone — the caller requires an email or phone match too);
 * 2. one name's tokens are a subset of the other's (`Jörg Müller` ≈ `Jörg M. Müller`
 *    after initials are dropped, `Müller` ≈ `Jörg Müller`);
 * 3. they share at least one token of 3+ letters and the other tokens pair up as
 *    initials (`J. Müller` ≈ `Jörg Müller`);
 * 4. the whole keys are within edit distance 1 per 8 characters (at least 1), which
 *    absorbs typos (`Jorg Muler` ≈ `Jörg Müller`).
 */
export function namesSimilar(a: string, b: string): boolean {
  return tokensSimilar(nameTokens(a), nameTokens(b));
}

/** {@link namesSimilar} on names already split by {@link nameTokens}. */
export function tokensSimilar(ta: readonly string[], tb: readonly string[]): boolean {
  if (ta.length === 0 && tb.length === 0) return false;
  if (ta.length === 0 || tb.length === 0) return true;
  const full = (ts: readonly string[]) => ts.filter((t) => t.length > 1);
  const fa = full(ta);
  const fb = full(tb);
  const [small, large] = fa.length <= fb.length ? [fa, fb] : [fb, fa];
  if (small.length > 0 && small.every((t) => large.includes(t))) return true;
  if (initialsCompatible(ta, tb)) return true;
  const ka = [...ta].sort().join(' ');
  const kb = [...tb].sort().join(' ');
  const budget = Math.max(1, Math.floor(Math.max(ka.length, kb.length) / 8));
  return editDistance(ka, kb, budget) <= budget;
}

/** `j muller` vs `jorg muller`: a shared long token, every other token of the shorter name an initial of one of the longer's. */
function initialsCompatible(ta: readonly string[], tb: readonly string[]): boolean {
  const shared = ta.filter((t) => t.length >= 3 && tb.includes(t));
  if (shared.length === 0) return false;
  const restA = ta.filter((t) => !shared.includes(t));
  const restB = tb.filter((t) => !shared.includes(t));
  const [small, large] = restA.length <= restB.length ? [restA, restB] : [restB, restA];
  return small.every((t) => large.some((u) => u.startsWith(t) || t.startsWith(u)));
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}
