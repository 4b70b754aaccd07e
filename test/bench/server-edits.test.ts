import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { contacts } from '../../bench/generate.js';
import { itemsToChange, needlesFound, newMobile, withNewMobile } from '../../bench/server-edits.js';

test('itemsToChange: 1 % of N, spread over the collection, a different set in each run', () => {
  for (const n of [1000, 10_000, 1234]) {
    const runs = [0, 1, 2].map((r) => itemsToChange(n, 0.01, r));
    for (const set of runs) {
      assert.ok(Math.abs(set.length - n / 100) <= 1, `${set.length} of ${n}`);
      assert.ok(set.every((i) => Number.isInteger(i) && i >= 0 && i < n));
      assert.equal(new Set(set).size, set.length);
      assert.ok(set[set.length - 1]! >= n - 100, 'reaches the end of the collection');
    }
    assert.equal(new Set(runs.flat()).size, runs.flat().length, 'no card changed by two runs');
  }
  assert.deepEqual(itemsToChange(50, 0.01, 0), [0]);
  assert.throws(() => itemsToChange(100, 0, 0), /between 0 and 1/);
});

test('withNewMobile changes only the mobile number, also when the server folded or reordered the line', () => {
  const [c] = contacts(1, 3);
  const number = newMobile(2, 17);
  const edited = withNewMobile(c!.text, number);
  const before = c!.text.split('\r\n');
  const after = edited.split('\r\n');
  assert.equal(after.length, before.length);
  const changedLines = after.filter((l, i) => l !== before[i]);
  assert.deepEqual(changedLines, [`TEL;TYPE=CELL:${number}`]);
  // As vobject may write it: parameters in another case and order, the value folded.
  const served = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\ntel;type=VOICE,CELL:+49 151\r\n 1234567\r\nFN:X\r\nEND:VCARD\r\n';
  assert.equal(withNewMobile(served, number), `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\ntel;type=VOICE,CELL:${number}\r\nFN:X\r\nEND:VCARD\r\n`);
  assert.throws(() => withNewMobile('BEGIN:VCARD\r\nTEL;TYPE=HOME:1\r\nEND:VCARD\r\n', number), /no TEL;TYPE=CELL/);
});

test('newMobile is distinct per run and item; needlesFound counts each number found in some file once', () => {
  assert.notEqual(newMobile(0, 1), newMobile(1, 0));
  assert.notEqual(newMobile(0, 10), newMobile(0, 100));
  const dir = mkdtempSync(join(tmpdir(), 'pimhub-bench-edits-'));
  try {
    mkdirSync(join(dir, 'book'));
    writeFileSync(join(dir, 'book', 'a.vcf'), `TEL;TYPE=CELL:${newMobile(0, 1)}\r\n`);
    writeFileSync(join(dir, 'book', 'b.vcf'), `TEL;TYPE=CELL:${newMobile(0, 1)}\r\n`);
    writeFileSync(join(dir, 'c.vcf'), `TEL;TYPE=CELL:${newMobile(0, 2)}\r\n`);
    assert.equal(needlesFound(dir, [newMobile(0, 1), newMobile(0, 2), newMobile(0, 3)]), 2);
    assert.equal(needlesFound(join(dir, 'missing'), [newMobile(0, 1)]), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
