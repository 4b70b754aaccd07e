import type { Item } from '../model/item.js';
import { blockingKeys, profileOf, scorePair, type Profile } from './duplicate-profile.js';
import type { KeyOptions } from './keys.js';

export interface DuplicateInput {
  id: string;
  uid: string;
  item: Item;
}

export interface DuplicateGroup {
  /** The strongest pair's score (0–1). */
  score: number;
  /** Why, strongest pair first, without repeats. */
  evidence: string[];
  /** Richest item first (most properties): `pimhub merge` keeps the first one's UID. */
  items: Array<{ id: string; uid: string; name: string }>;
}

export interface DuplicateOptions extends KeyOptions {
  /** Pairs scoring below are not reported (default 0.5). */
  threshold?: number;
  /** A blocking key shared by more items than this says little (a switchboard number) and is skipped (default 200). */
  maxBlock?: number;
  /** Pairs never reported (`id\nid`, ids sorted): dismissed by the user. */
  dismissed?: ReadonlySet<string>;
}

export const pairKey = (a: string, b: string): string => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/**
 * Candidate groups of items that look like one person or one event, strongest first.
 * Items are compared only within blocks that share a key (src/normalize/duplicate-profile.ts),
 * pairs at or above the threshold are joined into groups.
 */
export function findDuplicates(items: readonly DuplicateInput[], opts: DuplicateOptions = {}): DuplicateGroup[] {
  const threshold = opts.threshold ?? 0.5;
  const maxBlock = opts.maxBlock ?? 200;
  const profiles: Array<Profile | undefined> = items.map((i) => profileOf(i.item, opts));
  const blocks = new Map<string, number[]>();
  profiles.forEach((p, index) => {
    if (!p) return;
    for (const k of new Set(blockingKeys(p))) {
      let b = blocks.get(k);
      if (!b) blocks.set(k, (b = []));
      b.push(index);
    }
  });

  // Candidate pairs as numbers (a·n + b), sorted and deduplicated: far lighter than a set.
  const n = items.length;
  const hasInitial = profiles.map((p) => !!p && p.tokens.some((t) => t.length === 1));
  let codes: number[] = [];
  for (const [key, members] of blocks) {
    if (members.length < 2 || members.length > maxBlock) continue;
    // A family-name-and-initial block is there for `J. Müller`: pairs of two full names meet elsewhere.
    const initialsOnly = key.startsWith('i:');
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = members[x]!;
        const b = members[y]!;
        if (initialsOnly && !hasInitial[a] && !hasInitial[b]) continue;
        codes.push(a < b ? a * n + b : b * n + a);
      }
    }
  }
  const sorted = Float64Array.from(codes).sort();
  codes = [];
  const pairs: Array<{ a: number; b: number; score: number; evidence: string[]; nameOnly: boolean }> = [];
  for (let k = 0; k < sorted.length; k++) {
    const code = sorted[k]!;
    if (k > 0 && sorted[k - 1] === code) continue;
    const a = Math.floor(code / n);
    const b = code - a * n;
    if (opts.dismissed?.has(pairKey(items[a]!.id, items[b]!.id))) continue;
    const s = scorePair(profiles[a]!, profiles[b]!);
    if (s.score >= threshold) pairs.push({ a, b, score: s.score, evidence: s.evidence, nameOnly: s.nameOnly });
  }

  // Strongest pairs first join their groups, unless some item of one group speaks against
  // an item of the other (a veto: a namesake with other contact data, a household member).
  pairs.sort((p, q) => q.score - p.score);
  const groupOf = new Map<number, { members: number[]; score: number; evidence: string[] }>();
  const groupFor = (i: number) => {
    let g = groupOf.get(i);
    if (!g) groupOf.set(i, (g = { members: [i], score: 0, evidence: [] }));
    return g;
  };
  const join = (p: (typeof pairs)[number]) => {
    const ga = groupFor(p.a);
    const gb = groupFor(p.b);
    if (ga !== gb) {
      const vetoed = ga.members.some((x) => gb.members.some((y) => scorePair(profiles[x]!, profiles[y]!).veto));
      if (vetoed) return;
      ga.members.push(...gb.members);
      ga.score = Math.max(ga.score, gb.score);
      ga.evidence.push(...gb.evidence.filter((e) => !ga.evidence.includes(e)));
      for (const m of gb.members) groupOf.set(m, ga);
    }
    ga.score = Math.max(ga.score, p.score);
    for (const e of p.evidence) if (!ga.evidence.includes(e)) ga.evidence.push(e);
  };
  // Shared emails and phones first; then names alone, except for an item whose name points
  // to more than one group (which of two namesakes a name-only card is, nobody can tell).
  for (const p of pairs) if (!p.nameOnly) join(p);
  const nameOnly = pairs.filter((p) => p.nameOnly);
  const targets = new Map<number, Set<object>>();
  for (const p of nameOnly) {
    for (const [x, y] of [[p.a, p.b], [p.b, p.a]] as const) {
      let t = targets.get(x);
      if (!t) targets.set(x, (t = new Set()));
      if (groupFor(y) !== groupFor(x)) t.add(groupFor(y));
    }
  }
  const ambiguous = (x: number) => (targets.get(x)?.size ?? 0) > 1;
  for (const p of nameOnly) if (!ambiguous(p.a) && !ambiguous(p.b)) join(p);
  const groups = new Set(groupOf.values());
  const size = (i: number) => countProps(items[i]!.item);
  return [...groups]
    .filter((g) => g.members.length > 1)
    .map((g) => ({
      score: Math.round(g.score * 100) / 100,
      evidence: g.evidence,
      items: [...g.members]
        .sort((x, y) => size(y) - size(x) || x - y)
        .map((i) => ({ id: items[i]!.id, uid: items[i]!.uid, name: profiles[i]!.label })),
    }))
    .sort((x, y) => y.score - x.score || (x.items[0]!.name < y.items[0]!.name ? -1 : 1));
}

function countProps(item: Item): number {
  if (item.kind === 'contact') return item.card.props.length;
  return (item.master?.props.length ?? 0) + item.overrides.length;
}
