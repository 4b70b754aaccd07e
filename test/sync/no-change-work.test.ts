import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { create as createVcardFile } from '../../connectors/vcard-file/index.js';
import { create as createVdir } from '../../connectors/vdir/index.js';
import { isFlushable, type Source } from '../../src/core/connector.js';
import { parsePolicy } from '../../src/merge/policy.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { syncCollection } from '../../src/sync/sync-collection.js';
import { syncDesktopAndPhone } from './desktop-and-phone.js';
import { card } from '../dav/seed.js';

/**
 * Work grows with what changed: a sync in which nothing changed must not decode a single
 * file member's whole text. Whether a file would refuse a rewrite (`rewriteBlocker`, which
 * decodes the file) is asked only when something is to be written to it.
 */
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pimhub-no-change-'));
  dirs.push(d);
  return d;
};

test('a no-change sync does not ask a single file whether it can be rewritten (no decode); a sync with a write to it does', async () => {
  const [vdir, files] = [tempDir(), tempDir()];
  writeFileSync(join(vdir, 'ada.vcf'), card('ada@work.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org']));
  writeFileSync(join(vdir, 'bob.vcf'), card('bob@work.test', ['FN:Bob Babbage', 'N:Babbage;Bob;;;', 'EMAIL:bob@example.org']));
  const file = join(files, 'phone.vcf');
  const store = new SqliteStore(join(tempDir(), 'pimhub.db'));
  await store.init();
  let asked = 0;
  // Fresh sources per run, as each `pimhub sync` opens them.
  const sync = async () => {
    const f = await createVcardFile('phone', { type: 'vcard-file', path: file }, { baseDir: '/' }).source('contacts');
    assert.ok(isFlushable(f));
    const blocker = f.rewriteBlocker.bind(f);
    f.rewriteBlocker = () => {
      asked += 1;
      return blocker();
    };
    const members: Array<{ name: string; source: Source }> = [
      { name: 'desktop', source: await createVdir('desktop', { type: 'vdir', path: vdir }, { baseDir: '/' }).source('contacts') },
      { name: 'phone', source: f },
    ];
    return syncCollection({
      store, collection: 'contacts', kind: 'contacts', members, policy: parsePolicy('newest')!, deleteGuard: 0.5,
      allowMassDelete: false, dryRun: false, identity: createIdentity('DE'), run: `r-${Date.now()}`, now: () => new Date(),
    });
  };
  try {
    const first = await sync();
    assert.deepEqual(first.errors, []);
    assert.equal(first.writes.filter((w) => w.member === 'phone').length, 2);
    assert.ok(asked >= 1, 'the first sync writes the file, so it asks');
    assert.match(readFileSync(file, 'utf8'), /Ada Lovelace[\s\S]*Bob Babbage|Bob Babbage[\s\S]*Ada Lovelace/);

    asked = 0;
    const again = await sync();
    assert.deepEqual([again.changes, again.writes, again.errors], [[], [], []]);
    assert.equal(asked, 0, 'nothing to write: the file is not decoded to ask');

    writeFileSync(join(vdir, 'ada.vcf'), card('ada@work.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'NOTE:met at the pub']));
    const edited = await sync();
    assert.deepEqual(edited.errors, []);
    assert.ok(asked >= 1, 'a write to the file asks (the plan, and the rewrite itself)');
    assert.match(readFileSync(file, 'utf8'), /NOTE:met at the pub/);
  } finally {
    store.close();
  }
});

test('a vdir file rewritten with the same size within the same second is still synced, and the run after is quiet', async () => {
  const [vdir, files] = [tempDir(), tempDir()];
  const ada = join(vdir, 'ada.vcf');
  writeFileSync(ada, card('ada@work.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org']));
  const second = Math.floor(Date.now() / 1000) - 60;
  utimesSync(ada, second + 0.25, second + 0.25);
  const file = join(files, 'phone.vcf');
  const store = new SqliteStore(join(tempDir(), 'pimhub.db'));
  await store.init();
  const sync = () => syncDesktopAndPhone(store, { vdir, file });
  try {
    assert.deepEqual((await sync()).errors, []);
    assert.match(readFileSync(file, 'utf8'), /EMAIL:ada@example\.org/);
    const size = statSync(ada).size;
    writeFileSync(ada, card('ada@work.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.net']));
    utimesSync(ada, second + 0.5, second + 0.5);
    assert.equal(statSync(ada).size, size, 'the same size');
    const edited = await sync();
    assert.deepEqual(edited.errors, []);
    assert.equal(edited.writes.filter((w) => w.member === 'phone').length, 1);
    assert.match(readFileSync(file, 'utf8'), /EMAIL:ada@example\.net/);
    const again = await sync();
    assert.deepEqual([again.changes, again.writes, again.errors], [[], [], []]);
  } finally {
    store.close();
  }
});
