import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { groupName, isGroupCard, memberUids } from '../../src/model/group.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { countsOf } from '../../src/sync/runs.js';
import { syncDesktopAndPhone } from './desktop-and-phone.js';
import type { CollectionReport } from '../../src/sync/types.js';
import { card } from '../dav/seed.js';

/**
 * A run asked only for counts (a plain `pimhub sync`) lists no change or write line, yet
 * counts exactly what a run that lists them counts, and keeps contact groups and labels in
 * step all the same, reading back only the items that may have changed a membership.
 */
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pimhub-report-lines-'));
  dirs.push(d);
  return d;
};

const N = 60;
const LABELLED = [7, 21, 42];

function world() {
  const [vdir, files] = [tempDir(), tempDir()];
  for (let i = 0; i < N; i += 1) {
    const labels = LABELLED.includes(i) ? ['CATEGORIES:Climbing'] : [];
    writeFileSync(join(vdir, `c${i}.vcf`), card(`u${i}`, [`FN:Person Number${i}`, `N:Number${i};Person;;;`, `EMAIL:p${i}@example.org`, ...labels]));
  }
  // The phone holds person 3 under another UID (a match) and one person of its own.
  const file = join(files, 'phone.vcf');
  writeFileSync(file, [
    card('phone-3', ['FN:Person Number3', 'N:Number3;Person;;;', 'EMAIL:P3@Example.org', 'TEL:+49 30 1234567']),
    card('phone-only', ['FN:Only Onthephone', 'TEL:+49 30 7654321']),
  ].join(''));
  return { vdir, file };
}

async function syncWith(store: SqliteStore, w: { vdir: string; file: string }, lines: boolean | undefined, counter: { lookups: number; on: boolean }) {
  counter.on = false;
  return syncDesktopAndPhone(store, w, {
    run: `r-${lines}-${Date.now()}`,
    ...(lines === undefined ? {} : { lines }),
    progress: (e) => {
      // From the last entry decided on: deletions, then the group step.
      if (e.phase === 'merge' && e.done === e.total) counter.on = true;
    },
  });
}

async function openStore() {
  const store = new SqliteStore(join(tempDir(), 'pimhub.db'));
  await store.init();
  const counter = { lookups: 0, on: false };
  const byUid = store.getItemByUid.bind(store);
  store.getItemByUid = (c, u) => ((counter.lookups += counter.on ? 1 : 0), byUid(c, u));
  return { store, counter };
}

async function climbers(store: SqliteStore): Promise<string[]> {
  const groups = (await store.listItems('contacts')).filter((s) => s.item.kind === 'contact' && isGroupCard(s.item.card));
  assert.deepEqual(groups.map((g) => (g.item.kind === 'contact' ? groupName(g.item.card) : '')), ['Climbing']);
  const g = groups[0]!;
  return g.item.kind === 'contact' ? memberUids(g.item.card).sort() : [];
}

const countLines = (r: CollectionReport) => {
  const n: Record<string, number> = {};
  for (const c of r.changes) n[c.action] = (n[c.action] ?? 0) + 1;
  return n;
};

test('a run without lines counts what a run with lines lists, and keeps groups in step reading back only labelled items', async () => {
  const listed = await openStore();
  const counted = await openStore();
  const [w1, w2] = [world(), world()];
  const withLines = await syncWith(listed.store, w1, undefined, listed.counter);
  const withoutLines = await syncWith(counted.store, w2, false, counted.counter);

  // The listing run: lines as before, and counts that agree with them.
  assert.equal(withLines.lines, true);
  assert.equal(withLines.changes.length, N + 2 + 1, 'N created, the phone-only contact, one match, the group card');
  const byAction = countLines(withLines);
  for (const [a, n] of Object.entries(byAction)) assert.equal(withLines.counts[a as keyof typeof withLines.counts], n, a);
  assert.equal(withLines.counts.writes, withLines.writes.length);
  assert.deepEqual([byAction.created, byAction.matched], [N + 2, 1]);

  // The counting run: no line kept, the same counts (and so the same run record).
  assert.deepEqual([withoutLines.changes, withoutLines.writes], [[], []]);
  assert.deepEqual(withoutLines.counts, withLines.counts);
  assert.deepEqual(countsOf(withoutLines), countsOf(withLines));
  assert.ok(withoutLines.counts.writes > N, `writes counted (${withoutLines.counts.writes})`);

  // Groups kept in step either way: the label made the group card with its three members.
  const expected = LABELLED.map((i) => `u${i}`).sort();
  assert.deepEqual(await climbers(listed.store), expected);
  assert.deepEqual(await climbers(counted.store), expected);
  // Only the labelled contacts and the matched one are read back, not every contact created.
  assert.ok(counted.counter.lookups <= LABELLED.length + 4, `group step read back ${counted.counter.lookups} items, not all ${N + 2}`);

  // A later run that labels a plain contact adds it to the group, without lines too.
  const path = join(w2.vdir, 'c5.vcf');
  writeFileSync(path, readFileSync(path, 'utf8').replace('END:VCARD', 'CATEGORIES:Climbing\r\nEND:VCARD'));
  const later = await syncWith(counted.store, w2, false, counted.counter);
  assert.deepEqual(later.changes, []);
  assert.equal(later.counts.updated, 2, 'the contact, then the group card');
  assert.deepEqual(await climbers(counted.store), [...expected, 'u5'].sort());
});
