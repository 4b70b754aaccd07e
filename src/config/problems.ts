/**
 * Config problems as a person reads them: `file:line:column: key.path: what was expected`,
 * with a suggestion when a name is close to a known one. zod's issues are reworded here
 * (the one place), and positions come from the YAML document's source ranges.
 */
import type { Document, LineCounter } from 'yaml';
import { yamlLibrary } from './yaml-library.js';
import type { Issue, Schema } from './zod.js';

export type KeyPath = Array<string | number>;

export interface Problem {
  path: KeyPath;
  message: string;
  /** Where to point: the key itself (unknown keys) or its value (default). */
  at?: 'key' | 'value';
}

/** The YAML document and its line index, to point problems at their place in the file. */
export interface Source {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** Offset of the node at `path` (or of the deepest part of it that exists). */
function offsetOf(doc: Document, path: KeyPath, at: 'key' | 'value'): number | undefined {
  const { isMap, isPair, isScalar, isSeq } = yamlLibrary();
  let node: unknown = doc.contents;
  let found: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return found;
      const key = pair.key as { range?: number[] };
      const value = pair.value as { range?: number[] } | null;
      const last = i === path.length - 1;
      found = (last && at === 'key') || !value?.range ? key.range?.[0] ?? found : value.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as { range?: number[] } | undefined;
      if (!item) return found;
      found = item.range?.[0] ?? found;
      node = item;
    } else return found;
  }
  return found;
}

export function formatProblems(src: Source, problems: Problem[]): string {
  const seen = new Set<string>();
  // An unknown key says what is wrong with its object; the object's own complaint would repeat it.
  const unknownUnder = new Set(problems.filter((p) => p.at === 'key' && p.message.startsWith('unknown key')).map((p) => p.path.slice(0, -1).join('.')));
  problems = problems.filter((p) => p.at === 'key' || !unknownUnder.has(p.path.join('.')));
  const lines: Array<{ pos: number; text: string }> = [];
  for (const p of problems) {
    const key = `${p.path.join('.')}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const off = offsetOf(src.doc, p.path, p.at ?? 'value');
    const lc = off === undefined ? undefined : src.lines.linePos(off);
    const where = lc ? `${src.file}:${lc.line}:${lc.col}` : src.file;
    lines.push({ pos: off ?? Number.MAX_SAFE_INTEGER, text: `${where}: ${p.path.length ? p.path.join('.') : '(top level)'}: ${p.message}` });
  }
  return lines.sort((a, b) => a.pos - b.pos).map((l) => l.text).join('\n');
}

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_v, i) => Array.from({ length: y.length + 1 }, (_w, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  // Names that differ in case only are still a typo (readonly for readOnly).
  return d[x.length]![y.length]! === 0 && a !== b ? 0.5 : d[x.length]![y.length]!;
}

/** The known name closest to `name`, when it is close enough to be a typo. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD > 0 && bestD <= Math.max(1, Math.floor(Math.max(name.length, best.length) / 3)) ? best : undefined;
}

export function didYouMean(name: string, known: Iterable<string>): string {
  const c = closest(name, known);
  return c ? `; did you mean "${c}"?` : '';
}

/** vdirsyncer users write `password:`; pimhub never keeps a secret in the file. */
const SECRET_KEYS = /^(password|pass|secret|token)(\.fetch)?$/i;
const SECRET_HINT = 'pimhub keeps no password in the file: use passwordEnv: VARIABLE (read from the environment) or passwordCommand: [pass, show, NAME] (its first output line)';

function unknownKey(key: string, known: string[]): string {
  if (SECRET_KEYS.test(key) && !known.includes(key)) {
    return `unknown key; ${SECRET_HINT}${known.includes('passwordHash') ? ', or passwordHash from `pimhub passwd`' : ''}`;
  }
  const hint = didYouMean(key, known);
  return `unknown key${hint || (known.length ? `; expected one of ${known.join(', ')}` : '')}`;
}

type Def = { type: string; shape?: Record<string, Schema>; innerType?: Schema; valueType?: Schema; element?: Schema; options?: Schema[]; in?: Schema };
const defOf = (s: Schema): Def => s._zod.def as unknown as Def;

/** The schemas a key path may lead to (several for unions). */
function schemasAt(schema: Schema, path: KeyPath): Schema[] {
  let current = [schema];
  for (const seg of path) {
    const next: Schema[] = [];
    const visit = (s: Schema): void => {
      const d = defOf(s);
      if (d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault') visit(d.innerType!);
      else if (d.type === 'pipe') visit(d.in!);
      else if (d.type === 'union') d.options!.forEach(visit);
      else if (d.type === 'object' && d.shape && Object.hasOwn(d.shape, String(seg))) next.push(d.shape[String(seg)]!);
      else if (d.type === 'record') next.push(d.valueType!);
      else if (d.type === 'array' && typeof seg === 'number') next.push(d.element!);
    };
    current.forEach(visit);
    current = next;
  }
  return current;
}

/** Key names an object at `path` may hold. */
export function knownKeys(schema: Schema, path: KeyPath): string[] {
  const keys = new Set<string>();
  const visit = (s: Schema): void => {
    const d = defOf(s);
    if (d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault') visit(d.innerType!);
    else if (d.type === 'pipe') visit(d.in!);
    else if (d.type === 'union') d.options!.forEach(visit);
    else if (d.type === 'object' && d.shape) Object.keys(d.shape).forEach((k) => keys.add(k));
  };
  schemasAt(schema, path).forEach(visit);
  return [...keys];
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number', string: 'text', boolean: 'true or false', object: 'a mapping (key: value lines)', array: 'a list',
  int: 'a whole number', record: 'a mapping (key: value lines)',
};

function describeValue(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the value' : typeof v} ${String(v)}`;
}

function valueAt(raw: unknown, path: KeyPath): unknown {
  let v = raw;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** zod issues as problems in plain words, under `prefix`; unknown keys are named one by one with a suggestion. */
export function toProblems(schema: Schema, raw: unknown, prefix: KeyPath, issues: Issue[]): Problem[] {
  return issues.flatMap((i): Problem[] => {
    const at = [...prefix, ...(i.path as KeyPath)];
    const local = i.path as KeyPath;
    const value = valueAt(raw, local);
    switch (i.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, local);
        return i.keys.map((k) => ({ path: [...at, k], message: unknownKey(k, known), at: 'key' as const }));
      }
      case 'invalid_type': {
        const what = TYPE_WORDS[i.expected] ?? i.expected;
        if (value === undefined) return [{ path: at, message: `missing: expected ${what}`, at: 'key' }];
        return [{ path: at, message: plainOrCustom(i.message, `expected ${what}, found ${describeValue(value)}`) }];
      }
      case 'invalid_value': {
        const choices = i.values.map((v) => String(v)).join(', ');
        if (value === undefined) return [{ path: at, message: `missing: ${plainOrCustom(i.message, `expected ${choices}`)}`, at: 'key' }];
        const hint = typeof value === 'string' ? didYouMean(value, i.values.map(String)) : '';
        return [{ path: at, message: `${plainOrCustom(i.message, `expected ${i.values.length > 1 ? 'one of ' : ''}${choices}`)}, found ${describeValue(value)}${hint}` }];
      }
      case 'too_small':
      case 'too_big': {
        const bound = String(i.code === 'too_small' ? i.minimum : i.maximum);
        const word = i.code === 'too_small' ? 'at least' : 'at most';
        const fallback = i.origin === 'array' ? `expected ${word} ${bound} entr${bound === '1' ? 'y' : 'ies'}` : i.origin === 'string' ? `expected ${word} ${bound} character${bound === '1' ? '' : 's'}` : `expected ${word} ${bound}`;
        return [{ path: at, message: plainOrCustom(i.message, fallback) }];
      }
      default:
        return [{ path: at, message: plainOrCustom(i.message, i.message) }];
    }
  });
}

/** A message the schema wrote itself is kept; zod's own wording (capitalised "Invalid …", "Too …") is replaced. */
function plainOrCustom(message: string, plain: string): string {
  return /^(Invalid|Too (small|big)|Unrecognized|Expected)/.test(message) ? plain : message;
}
