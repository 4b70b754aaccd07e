import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeVCards } from '../../src/codecs/vcard/decode-file.js';
import { LINK_COLS, LINKS_FROM } from '../../src/store/sqlite/link-base.js';
import { migrate, migrations } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { asEtag, asHref } from '../../src/core/types.js';
import type { ContactItem } from '../../src/model/item.js';
import { prop } from '../../src/model/property.js';
import { write } from './store-fixtures.js';

/** How the SQLite store keeps link bases (schema 10: by reference where a version equals them), and migration 10. */

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pimhub-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Three cards as a phone and a desktop export them: non-ASCII, types, an address, a photo, X- properties. */
const VCF = [
  'BEGIN:VCARD', 'VERSION:3.0', 'UID:7f3c2a10-0001-4c5e-9a4b-1d2e3f405060', 'N:Müller;Jörg;;;', 'FN:Jörg Müller',
  'TEL;TYPE=CELL:+49 171 1234567', 'TEL;TYPE=WORK,VOICE:+49 30 9876543', 'EMAIL;TYPE=INTERNET:joerg@example.de',
  'ADR;TYPE=HOME:;;Hauptstraße 5;Berlin;;10115;Germany', 'ORG:Beispiel GmbH', 'BDAY:1980-04-12', 'NOTE:Trifft man im Café\\, meistens.',
  'X-ABLABEL:Freund', 'REV:2024-03-01T10:00:00Z', 'END:VCARD',
  'BEGIN:VCARD', 'VERSION:4.0', 'UID:urn:uuid:7f3c2a10-0002-4c5e-9a4b-1d2e3f405060', 'FN:Ana Lúcia Ferreira', 'N:Ferreira;Ana Lúcia;;;',
  'TEL;VALUE=uri;TYPE=home:tel:+351-21-1234567', 'EMAIL;PREF=1:ana@example.pt', 'PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'CATEGORIES:family,lisboa', 'END:VCARD',
  'BEGIN:VCARD', 'VERSION:3.0', 'UID:7f3c2a10-0003-4c5e-9a4b-1d2e3f405060', 'FN:Chen Wei', 'N:Chen;Wei;;;', 'TEL;TYPE=CELL:+86 138 0013 8000',
  'X-PHONETIC-FIRST-NAME:Wei', 'END:VCARD', '',
].join('\r\n');

function cards(): ContactItem[] {
  const { items, problems } = decodeVCards(VCF);
  assert.deepEqual(problems, []);
  assert.equal(items.length, 3);
  return items;
}

test('sqlite: a base equal to a version is kept as a reference to it, every other as JSON', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'pimhub.db');
    const store = openSqliteStore(path);
    const [a, b, c] = cards();
    const items = [a!, b!, c!].map((item, i) => ({ ...write(`i${i}`, 'x', 0, { uid: item.uid! }), item }));
    const link = (itemId: string, member: string, base: ContactItem, agreedVersion: number) =>
      ({ collection: 'c', member, href: asHref(`${itemId}.vcf`), itemId, etag: asEtag('"1"'), base, agreedVersion, updatedAt: '2024-01-02T00:00:00.000Z' });
    // A first sync: each item with its source's link (the very object), then the other member's (what it was written).
    await store.commit({ items, links: items.map((w) => link(w.id, 'file', w.item as ContactItem, 1)) });
    await store.commit({ links: items.map((w) => link(w.id, 'desktop', structuredClone(w.item) as ContactItem, 1)) });
    // A member's own view (one property more) stays JSON.
    const view = { ...a!, card: { ...a!.card, props: [...a!.card.props, prop('x-custom', 'text', ['1'])] } };
    await store.commit({ links: [link('i0', 'phone', view, 1)] });
    await store.close();

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT member, item_id, base, base_version FROM links ORDER BY member, item_id').all() as Array<{ member: string; base: string | null; base_version: number | null }>;
    assert.deepEqual(rows.map((r) => [r.member, r.base === '', r.base_version]), [
      ['desktop', true, 1], ['desktop', true, 1], ['desktop', true, 1],
      ['file', true, 1], ['file', true, 1], ['file', true, 1],
      ['phone', false, null],
    ]);
    db.close();
    const rw = new Database(path);
    assert.throws(() => rw.prepare(`UPDATE links SET base = '' WHERE member = 'phone'`).run(), /CHECK/, 'a link has a base or names a version, never neither');
    rw.close();

    const again = openSqliteStore(path);
    assert.deepEqual((await again.getLink('c', 'phone', asHref('i0.vcf')))?.base, view);
    assert.deepEqual((await again.linksForMember('c', 'desktop')).map((l) => l.base), [a, b, c]);
    await again.close();
  } finally {
    t.remove();
  }
});

test('sqlite: a link naming a version that is missing is an error naming the link, never an empty base', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'pimhub.db');
    const store = openSqliteStore(path);
    const w = write('i1', 'Ann');
    await store.commit({ items: [w], links: [{ collection: 'c', member: 'm1', href: asHref('ann.vcf'), itemId: 'i1', etag: asEtag('"1"'), base: w.item, agreedVersion: 1, updatedAt: '2024-01-02T00:00:00.000Z' }] });
    await store.close();
    const db = new Database(path);
    db.prepare('DELETE FROM item_versions').run();
    db.close();
    const broken = openSqliteStore(path);
    await assert.rejects(broken.getLink('c', 'm1', asHref('ann.vcf')), (e: Error) => /ann\.vcf/.test(e.message) && /version 1 of item i1/.test(e.message));
    await broken.close();
  } finally {
    t.remove();
  }
});

test('sqlite: migration 10 upgrades a version-9 file: bases equal to their agreed version become references, every base reads back identical', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'v9.db');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    migrate(old, migrations.slice(0, 9));
    assert.equal(old.pragma('user_version', { simple: true }), 9);
    const [a, b, c] = cards();
    const bEdited = { ...b!, card: { ...b!.card, props: b!.card.props.filter((p) => p.name !== 'categories') } };
    const item = old.prepare(`INSERT INTO items (id, collection, uid, version, seq, deleted, data, meta, updated_at) VALUES (?, 'contacts', ?, ?, ?, ?, ?, '{"fieldSources":{}}', '2024-03-01T10:00:00.000Z')`);
    const version = old.prepare('INSERT INTO item_versions (item_id, version, deleted, data, time, run) VALUES (?, ?, ?, ?, ?, ?)');
    item.run('i-a', a!.uid, 1, 1, 0, JSON.stringify(a));
    version.run('i-a', 1, 0, JSON.stringify(a), '2024-03-01T10:00:00.000Z', 'run-1');
    item.run('i-b', b!.uid, 2, 3, 0, JSON.stringify(bEdited));
    version.run('i-b', 1, 0, JSON.stringify(b), '2024-03-01T10:00:00.000Z', 'run-1');
    version.run('i-b', 2, 0, JSON.stringify(bEdited), '2024-03-02T10:00:00.000Z', 'run-2');
    item.run('i-c', c!.uid, 2, 4, 1, JSON.stringify(c));
    version.run('i-c', 1, 0, JSON.stringify(c), '2024-03-01T10:00:00.000Z', 'run-1');
    version.run('i-c', 2, 1, JSON.stringify(c), '2024-03-03T10:00:00.000Z', 'run-3');
    const link = old.prepare(`INSERT INTO links (collection, member, href, item_id, etag, base, agreed_version, updated_at, raw) VALUES ('contacts', ?, ?, ?, ?, ?, ?, '2024-03-01T10:00:00.000Z', ?)`);
    const rows: Array<[member: string, href: string, itemId: string, base: string, agreed: number, raw: string | null, byReference: boolean]> = [
      ['file', 'all.vcf#1', 'i-a', JSON.stringify(a), 1, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jörg Müller\r\nEND:VCARD\r\n', true],
      ['desktop', 'a.vcf', 'i-a', JSON.stringify(a), 1, null, true],
      // Agreed to version 2, holding it: a reference to 2, not to 1.
      ['desktop', 'b.vcf', 'i-b', JSON.stringify(bEdited), 2, null, true],
      // Still holding version 1 while version 2 waits to be written.
      ['file', 'all.vcf#2', 'i-b', JSON.stringify(b), 1, null, true],
      // Agreed to version 2 but holding version 1's content: stays JSON.
      ['phone', 'b.vcf', 'i-b', JSON.stringify(b), 2, null, false],
      // The same content in another key order: not byte for byte a version, stays JSON.
      ['phone', 'a.vcf', 'i-a', JSON.stringify({ card: a!.card, uid: a!.uid, kind: a!.kind }), 1, null, false],
      // Agreed to no version.
      ['endpoint', 'c.vcf', 'i-c', JSON.stringify(c), 0, null, false],
      // A tombstone's link, agreed to the version before the deletion.
      ['desktop', 'c.vcf', 'i-c', JSON.stringify(c), 1, null, true],
    ];
    for (const [member, href, itemId, base, agreed, raw] of rows) link.run(member, href, itemId, `"${member}-${href}"`, base, agreed, raw);
    const before = old.prepare('SELECT collection, member, href, item_id, etag, agreed_version, updated_at, raw FROM links ORDER BY collection, member, href').all();
    old.close();

    const store = openSqliteStore(path);
    await store.init();
    assert.equal(store.schemaVersion(), migrations.length);
    for (const [member, href, , base] of rows) {
      const l = await store.getLink('contacts', member, asHref(href));
      assert.ok(l, `${member} ${href}`);
      assert.deepEqual(l.base, JSON.parse(base), `${member} ${href}`);
    }
    assert.deepEqual((await store.pendingForMember('contacts', 'file')).map((p) => [p.link?.href, p.link?.base]), [['all.vcf#2', JSON.parse(JSON.stringify(b))]]);
    await store.close();

    const db = new Database(path, { readonly: true });
    assert.deepEqual(db.prepare('SELECT collection, member, href, item_id, etag, agreed_version, updated_at, raw FROM links ORDER BY collection, member, href').all(), before, 'every other column, byte for byte');
    for (const [member, href, , base, , , byReference] of rows) {
      const r = db.prepare(`SELECT l.base, l.base_version, coalesce(nullif(l.base, ''), v.data) AS text FROM links l LEFT JOIN item_versions v ON v.item_id = l.item_id AND v.version = l.base_version WHERE member = ? AND href = ?`).get(member, href) as { base: string | null; base_version: number | null; text: string };
      assert.equal(r.base === '', byReference, `${member} ${href} stored by reference`);
      assert.equal(r.text, base, `${member} ${href}: the same text`);
    }
    // The listings keep their indexes.
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('contacts', 'desktop') as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    assert.match(plan('SELECT href, item_id, etag, agreed_version FROM links WHERE collection = ? AND member = ?'), /^SEARCH links USING COVERING INDEX links_href_item \(collection=\? AND member=\?\)$/);
    // A base by reference costs one probe of the versions' key per link, never a scan.
    assert.match(plan(`SELECT ${LINK_COLS} FROM ${LINKS_FROM} WHERE l.collection = ? AND l.member = ? ORDER BY l.href`),
      /SEARCH l USING INDEX sqlite_autoindex_links_1 \(collection=\? AND member=\?\) \| SEARCH v USING INDEX sqlite_autoindex_item_versions_1 \(item_id=\? AND version=\?\)/);
    db.close();
  } finally {
    t.remove();
  }
});
