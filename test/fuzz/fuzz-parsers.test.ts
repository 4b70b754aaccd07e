import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzSizes, runFuzz } from './run-fuzz.js';
import type { TargetName } from './targets.js';

/**
 * Fuzzing (issue 13, point 3): fast-check inputs built from each format's own lines, and
 * mutations of the real fixtures (bit flips, truncations, splices, wrong charsets, mixed line
 * endings, NUL bytes, 10,000-deep nesting, huge values), against the vCard, iCalendar and CSV
 * decoders, the DAV XML parser and the endpoint's path parser. No input may crash, hang
 * (bounded per input, generously) or be refused without naming its place. Seed:
 * PIMHUB_FUZZ_SEED; inputs: PIMHUB_FUZZ_RUNS (400 per target by default; PIMHUB_LONG_TESTS=1:
 * 20,000, with 50 MB values and heavy mutations drawn often).
 */
const SEED = Number(process.env.PIMHUB_FUZZ_SEED ?? 20261201);
const targets: TargetName[] = ['vcard', 'icalendar', 'csv', 'xml', 'path'];

for (const target of targets) {
  test(`fuzz ${target}: no crash, no hang, every refusal names its place`, { timeout: 15 * 60_000 }, async () => {
    const t0 = Date.now();
    const r = await runFuzz(target, SEED + targets.indexOf(target));
    console.log(`fuzz ${target}: ${r.tried} inputs tried in ${Date.now() - t0} ms (seed ${SEED + targets.indexOf(target)}, huge values ${fuzzSizes().hugeBytes} bytes), ${r.violations.length} violations`);
    assert.equal(r.hung, undefined, `input #${r.hung?.index} (${r.hung?.size} bytes) did not finish within the bound: ${r.hung?.preview}`);
    assert.deepEqual(r.violations.map((v) => `#${v.index}: ${v.message}\n    input: ${v.preview}`), []);
  });
}
