#!/usr/bin/env node
// Drives B6's merges alone, for profiles and instruction counts (`--cpu-prof`, cachegrind):
// the same cards, edits and merge call as bench/merge-engine.ts, on fresh objects each run.
// Usage (after a build): node scripts/merge-driver.mjs [RUNS=5] [both|one]; GC_FIRST=1 with
// --expose-gc collects the setup's garbage before each timed run (to see what it costs); NOOP=1
// skips the merges, so two instruction counts (RUNS 0 and 2) give the setup's share.
// PIMHUB_DIST=DIR measures another build (A/B against a copy of an earlier dist/).
const dist = process.env.PIMHUB_DIST ?? new URL('../dist', import.meta.url).pathname;
const { decodeVCards } = await import(`${dist}/src/codecs/vcard/index.js`);
const { mergeItem } = await import(`${dist}/src/merge/merge-item.js`);
const { FULL_CAPABILITIES } = await import(`${dist}/src/model/capabilities.js`);
const { createIdentity } = await import(`${dist}/src/normalize/item-identity.js`);
const { contacts } = await import(`${dist}/bench/generate.js`);
// The bench's own edits (from this build's dist/ even when PIMHUB_DIST names another build).
const { edits } = await import(new URL('../dist/bench/merge-engine.js', import.meta.url).href);

const runs = Number(process.argv[2] ?? 5);
const mode = process.argv[3] ?? 'both';
// NOOP=1: everything but the merges (the setup's share of an instruction count).
const noop = process.env.NOOP === '1';
// REPEAT=k merges each triple k times (the merge keeps nothing per object): for instruction
// counts in which the setup's structuredClones would otherwise dominate the difference.
const repeat = Number(process.env.REPEAT ?? 1);
const cards = decodeVCards(contacts(5000, 9).map((c) => c.text).join('')).items;
const identity = createIdentity('DE');
const rates = [];
// Main-thread GC pauses inside the timed loops (PerformanceObserver 'gc' entries).
const { PerformanceObserver } = await import('node:perf_hooks');
const gcs = [];
const windows = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push([e.startTime, e.duration, e.detail?.kind]); }).observe({ entryTypes: ['gc'] });
let gcTotal = 0;
let cpuTotal = 0;
for (let run = 0; run <= runs; run += 1) {
  const triples = structuredClone(cards).map((c) => (mode === 'one' ? [c, structuredClone(c), edits(c)[1]] : [c, ...edits(c)]));
  if (process.env.GC_FIRST && globalThis.gc) globalThis.gc();
  const from = performance.now();
  const u0 = process.cpuUsage();
  for (let k = 0; k < repeat; k += 1) for (const [base, current, incoming] of triples) {
    if (noop) continue;
    mergeItem({
      base, current, incoming, caps: FULL_CAPABILITIES, keyOf: identity.keyOf, policy: { kind: 'newest' },
      incomingSource: { connector: 'b', time: '2024-01-02T00:00:00Z' }, fieldSources: {},
      currentFallback: { connector: 'store', time: '2024-01-01T00:00:00Z' },
    });
  }
  const u = process.cpuUsage(u0);
  if (run > 0) windows.push([from, performance.now()]);
  if (run > 0) {
    rates.push((repeat * triples.length) / ((u.user + u.system) / 1e6));
    cpuTotal += (u.user + u.system) / 1000;
  }
}
await new Promise((r) => setTimeout(r, 100));
const byKind = {};
for (const [t, d, k] of gcs) if (windows.some(([a, b]) => t >= a && t < b)) { gcTotal += d; byKind[k] = (byKind[k] ?? 0) + d; }
if (process.env.GC_KINDS) console.log(byKind, windows.map(([a, b]) => Math.round(b - a)));
rates.sort((x, y) => x - y);
process.stdout.write(`${mode}: ${Math.round(rates[Math.floor(rates.length / 2)])} merges per CPU-second (median of ${runs}; ${rates.map(Math.round).join(' ')}); main-thread GC pauses ${Math.round((100 * gcTotal) / cpuTotal)} % of the timed CPU\n`);
