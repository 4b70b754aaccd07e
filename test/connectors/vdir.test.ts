import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { create } from '../../connectors/vdir/index.js';
import { fileNameFor } from '../../connectors/shared/file-names.js';
import { isWritable, type Source } from '../../src/core/connector.js';
import { isPimError } from '../../src/core/errors.js';
import { asEtag, asHref, type CollectionKind } from '../../src/core/types.js';
import { runConnectorContract, type ContractSetup } from './connector-contract.js';
import { sampleItem } from './contract-items.js';
import { copyFixture, removeDir, tempDir, withTempDir } from './temp-files.js';

const VCARD = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nEND:VCARD\r\n`;
const VEVENT = (uid: string, start: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:${start}\r\nSUMMARY:S\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

function vdirSetup(kind: CollectionKind, extra: Record<string, unknown> = {}): () => Promise<ContractSetup> {
  return async () => {
    const dir = await tempDir();
    const conn = create('desktop', { type: 'vdir', path: dir, ...extra }, { baseDir: '/' });
    return {
      source: await conn.source(kind),
      reopen: () => conn.source(kind),
      cleanup: () => removeDir(dir),
      async writeBroken() {
        if (kind === 'contacts') {
          await fs.writeFile(join(dir, 'good.vcf'), VCARD('good', 'Good'));
          await fs.writeFile(join(dir, 'broken.vcf'), 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut\r\n');
          return { file: join(dir, 'broken.vcf'), line: 1 };
        }
        await fs.writeFile(join(dir, 'good.ics'), VEVENT('good', '20240301T100000Z'));
        await fs.writeFile(join(dir, 'broken.ics'), VEVENT('bad', '2024-13-45T99'));
        return { file: join(dir, 'broken.ics'), line: 4 };
      },
    };
  };
}

const notFlushable = 'a vdir writes every change at once; there is nothing to flush';
runConnectorContract('vdir (contacts)', vdirSetup('contacts'), { kind: 'contacts', skip: { 'changed-behind': notFlushable } });
runConnectorContract('vdir (contacts, vCard 4.0)', vdirSetup('contacts', { vcardVersion: '4.0' }), { kind: 'contacts', skip: { 'changed-behind': notFlushable } });
runConnectorContract('vdir (calendar)', vdirSetup('calendar'), { kind: 'calendar', skip: { 'changed-behind': notFlushable } });

test('vdir: ignores dot files, temp files and other extensions', () => withTempDir(async (dir) => {
  await fs.writeFile(join(dir, 'a.vcf'), VCARD('a', 'A'));
  await fs.writeFile(join(dir, '.a.vcf.3f2a.tmp'), VCARD('a', 'A'));
  await fs.writeFile(join(dir, '.hidden.vcf'), VCARD('h', 'H'));
  await fs.writeFile(join(dir, 'b.vcf~'), VCARD('b', 'B'));
  await fs.writeFile(join(dir, 'c.ics'), VEVENT('c', '20240301T100000Z'));
  await fs.mkdir(join(dir, 'sub.vcf'));
  const s = await create('d', { type: 'vdir', path: dir }, { baseDir: '/' }).source('contacts');
  assert.deepEqual((await s.list()).map((e) => e.href), ['a.vcf']);
  const ics = await create('d', { type: 'vdir', path: dir }, { baseDir: '/' }).source('calendar');
  assert.deepEqual((await ics.list()).map((e) => e.href), ['c.ics']);
  const other = await create('d', { type: 'vdir', path: dir, fileExtension: 'ics' }, { baseDir: '/' }).source('calendar');
  assert.deepEqual((await other.list()).map((e) => e.href), ['c.ics']);
}));

test('vdir: temp files a killed write left behind are removed once stale, fresh ones are left alone', () => withTempDir(async (dir) => {
  const stale = join(dir, '.x.vcf.0123456789ab.tmp');
  const fresh = join(dir, '.y.vcf.ba9876543210.tmp');
  const foreign = join(dir, '.z.vcf.tmp');
  for (const p of [stale, fresh, foreign]) await fs.writeFile(p, 'BEGIN:VCARD');
  const hourAgo = new Date(Date.now() - 3600_000);
  await fs.utimes(stale, hourAgo, hourAgo);
  await fs.utimes(foreign, hourAgo, hourAgo);
  const s = await create('d', { type: 'vdir', path: dir }, { baseDir: '/' }).source('contacts');
  assert.deepEqual(await s.list(), []);
  assert.deepEqual((await fs.readdir(dir)).sort(), ['.y.vcf.ba9876543210.tmp', '.z.vcf.tmp']);
}));

test('vdir: a missing folder is not-found with advice, not an empty listing', () => withTempDir(async (dir) => {
  const missing = join(dir, 'unmounted');
  const conn = create('desktop', { type: 'vdir', path: missing }, { baseDir: '/' });
  const isMissing = (e: unknown) => isPimError(e, 'not-found') && e.where === missing
    && e.message === `folder ${missing} does not exist; create it or fix connectors.desktop.path`;
  await assert.rejects(conn.source('contacts'), isMissing);
  await assert.rejects(conn.check(), isMissing);
  await fs.mkdir(missing);
  const s = await conn.source('contacts');
  await fs.rmdir(missing);
  await assert.rejects(s.list(), isMissing);
}));

test('vdir: file names from UIDs follow vdirsyncer; unsafe UIDs are hashed, deterministically', () => {
  assert.equal(fileNameFor('abc-123@example.org', '.vcf'), 'abc-123@example.org.vcf');
  assert.match(fileNameFor('a/b c', '.vcf'), /^[0-9a-f]{40}\.vcf$/);
  assert.equal(fileNameFor('a/b c', '.vcf'), fileNameFor('a/b c', '.vcf'));
  assert.match(fileNameFor('.hidden', '.vcf'), /^[0-9a-f]{40}\.vcf$/);
  assert.match(fileNameFor('x'.repeat(300), '.vcf'), /^[0-9a-f]{40}\.vcf$/);
});

test('vdir: reads the fixture folder; writes leave no temp files; vcardVersion 4.0 is written', () => withTempDir(async (dir) => {
  const cal = await copyFixture('calendars/vdir-personal', dir);
  const s = await create('tasks', { type: 'vdir', path: cal }, { baseDir: '/' }).source('calendar');
  const listed = await s.list();
  assert.equal(listed.length, 3);
  const r = await s.get(listed.map((e) => e.href));
  assert.deepEqual(r.problems, []);
  assert.equal(r.items.length, 3);
  for (const i of r.items) assert.equal(fileNameFor(i.item.uid, '.ics'), i.href);

  const cards = join(dir, 'cards');
  await fs.mkdir(cards);
  const c = await create('d', { type: 'vdir', path: 'cards', vcardVersion: '4.0' }, { baseDir: dir }).source('contacts');
  assert.ok(isWritable(c));
  const w = await c.create(sampleItem('contacts', 'u@x', 'Smith'));
  await c.update(w.href, w.etag, sampleItem('contacts', 'u@x', 'Brown'));
  assert.deepEqual(await fs.readdir(cards), ['u@x.vcf']);
  assert.match(await fs.readFile(join(cards, 'u@x.vcf'), 'utf8'), /VERSION:4\.0/);
}));

test('vdir: readOnly hides the writes; hrefs outside the folder are not read', () => withTempDir(async (dir) => {
  await fs.writeFile(join(dir, 'a.vcf'), VCARD('a', 'A'));
  const s: Source = await create('d', { type: 'vdir', path: dir, readOnly: true }, { baseDir: '/' }).source('contacts');
  assert.ok(!isWritable(s));
  assert.deepEqual(await s.get([asHref('../a.vcf'), asHref('/etc/passwd')]), { items: [], problems: [] });
  const w = await create('d', { type: 'vdir', path: dir }, { baseDir: '/' }).source('contacts');
  assert.ok(isWritable(w));
  await assert.rejects(w.update(asHref('gone.vcf'), asEtag('1-1'), sampleItem('contacts', 'g', 'G')), (e: unknown) => isPimError(e, 'precondition-failed'));
  await assert.rejects(w.create(sampleItem('calendar', 'e', 'E')), (e: unknown) => isPimError(e, 'invalid-data'));
}));

test('vdir: an update keeps the file\'s own lines for every property that did not change', () => withTempDir(async (dir) => {
  const original = (await fs.readFile(join(process.cwd(), 'fixtures', 'roundtrip', 'apple-ios.vcf'), 'utf8'));
  const cal = (await fs.readFile(join(process.cwd(), 'fixtures', 'roundtrip', 'google.ics'), 'utf8'));
  await fs.writeFile(join(dir, 'a.vcf'), original);
  const c = await create('d', { type: 'vdir', path: dir }, { baseDir: '/' }).source('contacts');
  assert.ok(isWritable(c));
  const [entry] = await c.list();
  const got = (await c.get([entry!.href])).items[0]!;
  assert.equal(got.item.kind, 'contact');
  if (got.item.kind !== 'contact') return;
  got.item.card.props.find((p) => p.name === 'title')!.values = ['Bereichsleiter'];
  await c.update(entry!.href, entry!.etag, got.item);
  assert.equal(await fs.readFile(join(dir, 'a.vcf'), 'utf8'), original.replace('TITLE:Leiter', 'TITLE:Bereichsleiter'));

  await fs.mkdir(join(dir, 'cal'));
  await fs.writeFile(join(dir, 'cal', 'e.ics'), cal);
  const s = await create('c', { type: 'vdir', path: join(dir, 'cal') }, { baseDir: '/' }).source('calendar');
  assert.ok(isWritable(s));
  const [ev] = await s.list();
  const item = (await s.get([ev!.href])).items[0]!.item;
  if (item.kind !== 'calendar') return assert.fail('a calendar item');
  item.master!.props.find((p) => p.name === 'summary')!.values = ['Daily'];
  await s.update(ev!.href, ev!.etag, item);
  assert.equal(await fs.readFile(join(dir, 'cal', 'e.ics'), 'utf8'), cal.replace('SUMMARY:Stand-up\r\n', 'SUMMARY:Daily\r\n'));
}));

test('vdir: a file rewritten in place, same size, within the same second, is listed with a new etag (stat only: no file opened)', () => withTempDir(async (dir) => {
  const path = join(dir, 'a.vcf');
  await fs.writeFile(path, VCARD('a', 'Ann'));
  const second = Math.floor(Date.now() / 1000) - 60;
  await fs.utimes(path, second + 0.25, second + 0.25);
  const s = await create('d', { type: 'vdir', path: dir }, { baseDir: '/' }).source('contacts');
  const [before] = await s.list();
  await fs.writeFile(path, VCARD('a', 'Bob'));
  await fs.utimes(path, second + 0.5, second + 0.5);
  const [after] = await s.list();
  assert.equal((await fs.stat(path)).size, Buffer.byteLength(VCARD('a', 'Ann')), 'the same size');
  assert.notEqual(after!.etag, before!.etag);
  const got = (await s.get([after!.href])).items[0]!;
  assert.equal(got.etag, after!.etag, 'the fetched bytes carry the etag the listing gave');
  assert.ok(got.item.kind === 'contact' && got.item.card.props.some((p) => p.name === 'fn' && p.values[0] === 'Bob'));
}));
