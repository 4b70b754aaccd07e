import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { syncDesktopAndPhone } from './desktop-and-phone.js';
import { card } from '../dav/seed.js';

/**
 * A first sync (nothing was ever stored in the collection) finds an entry's item without a
 * store query per entry: only a UID or key the run itself put may be in the store. Matches across commit batches
 * must still be found — a UID used twice in one member, and the same person in two
 * members — and a later sync asks the store again.
 */
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pimhub-first-sync-'));
  dirs.push(d);
  return d;
};

/** More entries than one commit batch of the workspace (500 items and links), so matches span commits. */
const N = 700;

test('a first sync finds UIDs and identities across commit batches without a store lookup per entry; a later sync looks up in the store', async () => {
  const [vdir, files] = [tempDir(), tempDir()];
  for (let i = 0; i < N; i += 1) {
    writeFileSync(join(vdir, `c${String(i).padStart(4, '0')}.vcf`), card(`u${i}`, [`FN:Person Number${i}`, `N:Number${i};Person;;;`, `EMAIL:p${i}@example.org`]));
  }
  // The last file reuses the UID of the first: one of the two cannot be told from the other.
  writeFileSync(join(vdir, 'zzzz.vcf'), card('u0', ['FN:Someone Else', 'EMAIL:else@example.org']));
  const file = join(files, 'phone.vcf');
  // The phone holds person 3 under another UID (same email, same name): the same item.
  writeFileSync(file, card('phone-3', ['FN:Person Number3', 'N:Number3;Person;;;', 'EMAIL:P3@Example.org', 'TEL:+49 30 1234567']));
  const store = new SqliteStore(join(tempDir(), 'pimhub.db'));
  await store.init();
  const lookups = { uid: 0, identity: 0 };
  const byUid = store.getItemByUid.bind(store);
  const byIdentity = store.findByIdentity.bind(store);
  store.getItemByUid = (c, u) => ((lookups.uid += 1), byUid(c, u));
  store.findByIdentity = (c, k) => ((lookups.identity += 1), byIdentity(c, k));
  /** Lookups made while deciding the entries (up to the last entry decided; group cards and labels are kept in step after). */
  let whileDeciding = { ...lookups };
  const sync = () => syncDesktopAndPhone(store, { vdir, file }, {
    progress: (e) => {
      if (e.phase === 'merge' && e.done === e.total) whileDeciding = { ...lookups };
    },
  });
  try {
    const first = await sync();
    assert.deepEqual(first.errors.map((e) => [e.member, e.where, /UID u0 is used by another entry/.test(e.message)]), [['desktop', 'zzzz.vcf', true]]);
    assert.equal(first.changes.filter((c) => c.action === 'created').length, N);
    assert.deepEqual(first.changes.filter((c) => c.action === 'matched').map((c) => [c.member, c.uid]), [['phone', 'u3']]);
    // Only the two entries that do match a stored item ask the store (and, rarely, one whose hash collides).
    assert.ok(whileDeciding.uid <= 2 && whileDeciding.identity <= 2, `no store lookup per entry in a first sync (${JSON.stringify(whileDeciding)})`);
    assert.equal(await store.countItems('contacts'), N);
    const p3 = await store.getItemByUid('contacts', 'u3' as never);
    assert.match(JSON.stringify(p3?.item), /\+49 30 1234567/);

    // A later sync: the store holds items put by other runs, so a new entry is looked up there.
    writeFileSync(join(vdir, 'new.vcf'), card('u-new', ['FN:New Person', 'EMAIL:p5@example.org']));
    lookups.uid = lookups.identity = 0;
    const again = await sync();
    assert.deepEqual(again.changes.map((c) => [c.action, c.uid]), [['created', 'u-new']]);
    assert.ok(whileDeciding.uid >= 1 && whileDeciding.identity >= 1, `a later sync looks up in the store (${JSON.stringify(whileDeciding)})`);
  } finally {
    store.close();
  }
});
