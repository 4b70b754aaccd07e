/**
 * No import cycles in the product code (issue 16): a cycle means two modules each need the
 * other, so neither is the lower layer. The TypeScript sources are read (type-only imports
 * count too: they tie the layers together as much as value imports do) and every cycle
 * found is named, file by file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIRS = ['src', 'connectors'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (n.endsWith('.ts') && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative specifiers of `import … from`, `export … from` and `import('…')`, as source paths. */
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    const deps: string[] = [];
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = (m[1] ?? m[2])!;
      deps.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Every cycle, each as the files around it (Tarjan's strongly connected components of size > 1, or a self-import). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) !== idx.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('the import reader finds a cycle where there is one', () => {
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', []]])), []);
});

test('no import cycles in src/ and connectors/', () => {
  const files = DIRS.flatMap((d) => sources(join(ROOT, d)));
  const graph = importGraph(files);
  assert.ok(files.length > 100 && [...graph.values()].some((d) => d.length > 3), 'the sources were read');
  const found = cycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(' ↔ '));
  assert.deepEqual(found, [], `import cycles:\n${found.join('\n')}`);
});
