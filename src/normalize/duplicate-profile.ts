import type { Item } from '../model/item.js';
import { findProp, type Component } from '../model/property.js';
import { identityKeys, textKey, type KeyOptions } from './keys.js';
import { nameTokens, tokensSimilar } from './names.js';
import { canonicalGivenName } from './nicknames.js';

/**
 * What duplicate detection looks at in one item, computed once: normalised emails and
 * phones (the same keys the merge uses), name tokens with nicknames folded, organisation;
 * for events, the start and the summary.
 */
export interface Profile {
  kind: 'contact' | 'event';
  /** Readable name (FN or SUMMARY) for evidence lines. */
  label: string;
  emails: string[];
  phones: string[];
  /** Name tokens (nameTokens, nicknames folded to the canonical given name). */
  tokens: string[];
  /** Family-name tokens where N says which they are (else empty: every token may be one). */
  family: string[];
  /** The tokens sorted and joined: equal keys are the same name. */
  nameKey: string;
  org: string;
  /** Events: the start's digits (`20240105T090000`). */
  start: string;
}

function flat(c: string | string[] | undefined): string {
  return Array.isArray(c) ? c.join(' ') : (c ?? '');
}

/**
 * Name tokens, nicknames folded in the given name only (`Bill` → `william`, while the
 * surname `Wolf` stays `wolf`): from N when it has a given or family name, else from FN,
 * where every token may be a given name.
 */
function nameTokensOf(card: Component): { tokens: string[]; family: string[] } {
  const n = findProp(card, 'n')?.values[0];
  const clean = (s: string) => nameTokens(s).filter((t) => !TITLES.has(t));
  if (Array.isArray(n) && (flat(n[0]).trim() || flat(n[1]).trim())) {
    const family = clean(flat(n[0]));
    return { tokens: [...clean(flat(n[1])).map(canonicalGivenName), ...clean(flat(n[2])), ...family], family };
  }
  const fn = findProp(card, 'fn')?.values[0];
  return { tokens: typeof fn === 'string' ? clean(fn).map(canonicalGivenName) : [], family: [] };
}

/** Titles that appear in FN but are no part of the name. */
const TITLES = new Set(['dr', 'prof', 'mr', 'mrs', 'ms', 'herr', 'frau', 'jr', 'sr', 'phd', 'md', 'dipl', 'ing']);

export function profileOf(item: Item, opts: KeyOptions): Profile | undefined {
  if (item.kind === 'contact') {
    const keys = identityKeys(item.card, opts);
    const { tokens, family } = nameTokensOf(item.card);
    const org = findProp(item.card, 'org')?.values[0];
    const fn = findProp(item.card, 'fn')?.values[0];
    return {
      kind: 'contact', label: typeof fn === 'string' && fn ? fn : tokens.join(' ') || item.uid,
      emails: keys.emails, phones: keys.phones, tokens, family, nameKey: [...tokens].sort().join(' '),
      org: textKey(Array.isArray(org) ? flat(org[0]) : typeof org === 'string' ? org : ''), start: '',
    };
  }
  const m = item.master;
  if (!m) return undefined;
  const summary = findProp(m, 'summary')?.values[0];
  const start = findProp(m, 'dtstart')?.values[0];
  if (typeof start !== 'string') return undefined;
  const tokens = nameTokens(typeof summary === 'string' ? summary : '');
  return {
    kind: 'event', label: typeof summary === 'string' ? summary : item.uid, emails: [], phones: [], tokens, family: [],
    nameKey: [...tokens].sort().join(' '), org: '', start: start.replace(/[^0-9TZ]/g, ''),
  };
}

/**
 * Blocking keys: only items sharing a key are ever compared, so the work grows with the
 * number of candidate pairs, not with the square of the collection. A person is found by
 * a shared email or phone, the same name, the family name with an initial (`J. Müller`,
 * `Jörg Müller`), or the first three letters of every name token (typos).
 */
export function blockingKeys(p: Profile): string[] {
  if (p.kind === 'event') return p.start ? [`s:${p.start}`] : [];
  const keys = [...p.emails.map((e) => `e:${e}`), ...p.phones.map((t) => `t:${t}`)];
  const full = p.tokens.filter((t) => t.length > 1);
  if (full.length === 0) return keys;
  keys.push(`n:${p.nameKey}`);
  keys.push(`p:${p.tokens.map((t) => t.slice(0, 3)).sort().join(' ')}`);
  // A family name with each other token's initial; any token may be the family name when N does not say.
  for (const t of p.family.length > 0 ? p.family : p.tokens) {
    if (t.length < 3) continue;
    for (const u of p.tokens) if (u !== t) keys.push(`i:${t}|${u[0]}`);
  }
  return keys;
}

export interface PairScore {
  score: number;
  evidence: string[];
  /**
   * Evidence against one person: different names, or the same name with emails and phones
   * that disagree throughout. Two groups are never joined across a vetoed pair, so one
   * name-only card cannot chain two namesakes into one group.
   */
  veto: boolean;
  /** No shared email or phone: the name (and organisation) alone. */
  nameOnly: boolean;
}

type NameRelation = 'same' | 'similar' | 'absent' | 'different';

function nameRelation(a: Profile, b: Profile): NameRelation {
  if (!a.nameKey || !b.nameKey) return 'absent';
  if (a.nameKey === b.nameKey) return 'same';
  return tokensSimilar(a.tokens, b.tokens) ? 'similar' : 'different';
}

const shared = (x: string[], y: string[]) => x.filter((v) => y.includes(v));

/**
 * How strongly two items look like one person (or one event), 0–1, with the evidence.
 * A shared email or phone with a similar name is near certain; the same name at the same
 * organisation is strong; the same name alone is fair, weaker for each kind of contact
 * data (emails, phones) both cards carry without a common value (two people called María
 * García); a shared phone or email with a different name is a household or a switchboard,
 * not a duplicate.
 */
export function scorePair(a: Profile, b: Profile): PairScore {
  if (a.kind === 'event' || b.kind === 'event') return scoreEvents(a, b);
  const emails = shared(a.emails, b.emails);
  const phones = shared(a.phones, b.phones);
  const rel = nameRelation(a, b);
  const evidence = [...emails.map((e) => `same email ${e}`), ...phones.map((t) => `same phone ${t}`)];
  if (rel === 'same') evidence.push(`same name "${a.label}" = "${b.label}"`);
  if (rel === 'similar') evidence.push(`similar name "${a.label}" ~ "${b.label}"`);
  const orgSame = !!a.org && a.org === b.org;
  const orgDiff = !!a.org && !!b.org && a.org !== b.org;
  if (orgSame) evidence.push(`same organisation ${a.org}`);
  const contact = emails.length + phones.length > 0;
  if (contact) {
    let score = { same: 0.97, similar: 0.9, absent: 0.75, different: 0.2 }[rel];
    if (rel !== 'different') score = Math.min(0.99, score + 0.01 * (emails.length + phones.length - 1));
    return { score, evidence, veto: rel === 'different', nameOnly: false };
  }
  const emailsDisagree = a.emails.length > 0 && b.emails.length > 0;
  const disagree = Number(emailsDisagree) + Number(a.phones.length > 0 && b.phones.length > 0);
  const oneWord = Math.min(a.tokens.filter((t) => t.length > 1).length, b.tokens.filter((t) => t.length > 1).length) < 2;
  const veto = rel === 'different' || disagree === 2 || orgDiff;
  let score = 0;
  if (rel === 'same') score = oneWord ? 0.3 : orgDiff ? 0.35 : orgSame ? 0.85 - 0.15 * disagree : disagree === 1 && emailsDisagree ? 0.45 : [0.7, 0.5, 0.35][disagree]!;
  else if (rel === 'similar') score = oneWord ? 0.2 : orgDiff ? 0.25 : orgSame ? 0.75 - 0.2 * disagree : [0.55, 0.3, 0.25][disagree]!;
  return { score, evidence, veto, nameOnly: true };
}

function scoreEvents(a: Profile, b: Profile): PairScore {
  if (a.kind !== b.kind || !a.start || a.start !== b.start) return { score: 0, evidence: [], veto: true, nameOnly: true };
  const evidence = [`same start ${a.start}`];
  if (a.nameKey && a.nameKey === b.nameKey) return { score: 0.95, evidence: [...evidence, `same summary "${a.label}"`], veto: false, nameOnly: true };
  if (a.nameKey && b.nameKey && tokensSimilar(a.tokens, b.tokens)) {
    return { score: 0.75, evidence: [...evidence, `similar summary "${a.label}" ~ "${b.label}"`], veto: false, nameOnly: true };
  }
  return { score: 0, evidence: [], veto: true, nameOnly: true };
}
