/**
 * Byte-identical safety net for the codecs' text layers (issue 16): every fixture under
 * fixtures/ (and the edge cases in test/codecs/golden/inputs) is decoded and written again
 * in every form the codecs offer, and the result must equal the snapshot committed before
 * the layers were refactored. Seeded mutations of the fixtures (the fuzz suite's) are
 * compared by hash. A change meant to alter output regenerates the snapshots with
 * `PIMHUB_GOLDEN_UPDATE=1 node scripts/run-tests.mjs golden-fixtures` and shows the diff in review.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderGolden, sha256 } from './golden/render.js';
import { MUTATIONS, Rng, mutate, type Mutation } from '../fuzz/mutate.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GOLDEN = join(ROOT, 'test/codecs/golden');
const UPDATE = process.env.PIMHUB_GOLDEN_UPDATE === '1';
const CODEC_EXTS = ['.vcf', '.ics', '.csv'];

function inputsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...inputsUnder(p));
    else if (CODEC_EXTS.some((e) => n.endsWith(e))) out.push(p);
  }
  return out;
}

function compare(snapshot: string, actual: string, what: string): void {
  if (UPDATE) {
    mkdirSync(dirname(snapshot), { recursive: true });
    writeFileSync(snapshot, actual);
    return;
  }
  assert.ok(existsSync(snapshot), `no snapshot ${relative(ROOT, snapshot)}: run with PIMHUB_GOLDEN_UPDATE=1 to take one`);
  const expected = readFileSync(snapshot, 'utf8');
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const at = a.findIndex((l, i) => l !== e[i]);
  const title = [...e.slice(0, at + 1)].reverse().find((l) => l.startsWith('===== ')) ?? '';
  assert.fail(`${what} differs from ${relative(ROOT, snapshot)} at line ${at + 1} (${title}):\n- ${e[at]}\n+ ${a[at]}`);
}

const inputs = [...inputsUnder(join(ROOT, 'fixtures')), ...inputsUnder(join(GOLDEN, 'inputs'))];

test('the golden corpus is there (fixtures of every codec and the edge cases)', () => {
  for (const ext of CODEC_EXTS) assert.ok(inputs.filter((p) => p.endsWith(ext)).length >= 4, `inputs ending in ${ext}`);
  assert.ok(inputs.some((p) => p.includes('golden/inputs/')), 'edge cases');
});

for (const path of inputs) {
  const name = relative(ROOT, path);
  test(`${name}: decoded and re-encoded exactly as in the snapshot`, () => {
    compare(join(GOLDEN, 'snapshots', `${name}.txt`), renderGolden(name, readFileSync(path)), name);
  });
}

/** Mutations that stay quick (no deep nesting or huge values): the codecs' paths for broken input. */
const QUICK: Mutation[] = MUTATIONS.filter((m) => m !== 'nest' && m !== 'huge-value');
const PER_INPUT = 8;

test(`${PER_INPUT} seeded mutations of every input read and written exactly as in the snapshot (by hash)`, () => {
  const files = inputs.map((p) => ({ name: relative(ROOT, p), bytes: readFileSync(p) }));
  const lines: string[] = [];
  const rng = new Rng(16);
  for (const f of files) {
    const sameCodec = files.filter((g) => g.name.slice(-4) === f.name.slice(-4));
    const begin = f.name.endsWith('.ics') ? 'BEGIN:VCALENDAR' : 'BEGIN:VCARD';
    for (let k = 0; k < PER_INPUT; k++) {
      const m = rng.pick(QUICK);
      const other = rng.pick(sameCodec);
      const bytes = mutate(rng, f.bytes, other.bytes, begin, m, { nestDepth: 0, hugeBytes: 0, heavyOneIn: 1 });
      lines.push(`${f.name} #${k} ${m} ${sha256(renderGolden(f.name, bytes))}`);
    }
  }
  compare(join(GOLDEN, 'mutations.sha256.txt'), `${lines.join('\n')}\n`, 'mutations');
});
