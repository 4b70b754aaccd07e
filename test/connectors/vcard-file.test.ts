import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { create } from '../../connectors/vcard-file/index.js';
import { isFlushable, isIncremental, isWritable } from '../../src/core/connector.js';
import { isPimError } from '../../src/core/errors.js';
import { findProp, textOf } from '../../src/model/property.js';
import { runConnectorContract } from './connector-contract.js';
import { sampleItem } from './contract-items.js';
import { singleFileSetup } from './single-file-setup.js';
import { copyFixture, withTempDir } from './temp-files.js';

const CARD = (lines: string[]) => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n');
const GOOD = CARD(['VERSION:3.0', 'UID:good-1', 'FN:Good Person']);
/** A card that never ends: a truncated export. Starts at line 6 after the five of GOOD. */
const BROKEN = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Off\r\n';

for (const version of ['2.1', '3.0', '4.0'] as const) {
  runConnectorContract(`vcard-file (vCard ${version})`, singleFileSetup({
    create, type: 'vcard-file', kind: 'contacts', file: 'contacts.vcf', extraOptions: { version },
    otherText: CARD(['VERSION:3.0', 'UID:other', 'FN:Other Person']),
    broken: { text: GOOD + BROKEN, line: 6 },
  }), { kind: 'contacts' });
}

/** An Android 2.1 export: quoted-printable UTF-8, bare types, no UIDs. */
const ANDROID_21 = [
  'BEGIN:VCARD', 'VERSION:2.1', 'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;;', 'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BCller',
  'TEL;CELL:+49 170 1234567', 'EMAIL;HOME:joerg@example.org', 'END:VCARD',
  'BEGIN:VCARD', 'VERSION:2.1', 'N:Smith;Anna;;;', 'FN:Anna Smith', 'TEL;WORK:+44 20 7946 0000', 'END:VCARD',
  'BEGIN:VCARD', 'VERSION:2.1', 'N:Smith;Anna;;;', 'FN:Anna Smith', 'EMAIL:anna.other@example.org', 'END:VCARD',
  '',
].join('\r\n');

function withFile<T>(text: string, f: (path: string, dir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const path = join(dir, 'phone.vcf');
    await fs.writeFile(path, text);
    return f(path, dir);
  });
}

test('vcard-file: an Android 2.1 export, read-only: name hrefs, 2.1 capabilities, no writes', () =>
  withFile(ANDROID_21, async (path) => {
    const s = await create('phone', { type: 'vcard-file', path, readOnly: true }, { baseDir: '/' }).source('contacts');
    assert.ok(!isWritable(s) && isIncremental(s));
    assert.equal(s.capabilities.format, 'vcard-2.1');
    const listed = await s.list();
    assert.deepEqual(listed.map((e) => e.href), ['name:jorg muller', 'name:anna smith~+442079460000', 'name:anna smith~anna.other@example.org']);
    const r = await s.get(listed.map((e) => e.href));
    assert.deepEqual(r.problems, []);
    assert.equal(r.items[0].item.kind === 'contact' && textOf(r.items[0].item.card, 'fn'), 'Jörg Müller');
    assert.ok(r.items.every((i) => i.item.kind === 'contact' && findProp(i.item.card, 'fn')));
  }));

test('vcard-file: etags are content hashes, stable when the file is rewritten unchanged or only REV moves', () =>
  withFile(GOOD, async (path) => {
    const conn = create('phone', { type: 'vcard-file', path, readOnly: true }, { baseDir: '/' });
    const before = await (await conn.source('contacts')).list();
    await fs.writeFile(path, GOOD.replace('FN:Good Person', 'REV:20240101T000000Z\r\nFN:Good Person'));
    assert.deepEqual(await (await conn.source('contacts')).list(), before);
  }));

test('vcard-file: unchanged file → empty delta without parsing', () =>
  withFile(ANDROID_21, async (path) => {
    const conn = create('phone', { type: 'vcard-file', path }, { baseDir: '/' });
    const first = await conn.source('contacts');
    assert.ok(isIncremental(first));
    const delta = await first.changesSince(undefined);
    assert.ok(delta && delta.changed.length === 3);
    // A file whose cards cannot be parsed at all but whose signature is the token: no parse happens.
    const again = await conn.source('contacts');
    assert.ok(isIncremental(again));
    (again as unknown as { opts: { format: { decode(): never } } }).opts.format.decode = () => {
      throw new Error('parsed although unchanged');
    };
    assert.deepEqual(await again.changesSince(delta.token), { changed: [], deleted: [], token: delta.token });
    await fs.appendFile(path, CARD(['VERSION:2.1', 'FN:New Person']));
    assert.equal(await (await conn.source('contacts') as typeof first).changesSince(delta.token), null);
  }));

test('vcard-file: a rewrite keeps the file\'s version and the cards that could not be read', () =>
  withFile(ANDROID_21 + BROKEN, async (path) => {
    const s = await create('phone', { type: 'vcard-file', path }, { baseDir: '/' }).source('contacts');
    assert.ok(isFlushable(s));
    const w = await s.create(sampleItem('contacts', 'new-1', 'Smith'));
    assert.equal(w.href, 'uid:new-1');
    await s.flush();
    const text = await fs.readFile(path, 'utf8');
    assert.equal((text.match(/VERSION:2\.1/g) ?? []).length, 4, 'the three cards and the new one written as 2.1');
    assert.ok(text.endsWith(BROKEN), 'the broken card kept verbatim');
  }));

test('vcard-file: `version` option picks the written version; unknown keys and bad versions are refused', () =>
  withFile(ANDROID_21, async (path) => {
    const s = await create('phone', { type: 'vcard-file', path, version: '4.0' }, { baseDir: '/' }).source('contacts');
    assert.equal(s.capabilities.format, 'vcard-4.0');
    assert.throws(() => create('phone', { type: 'vcard-file', path, version: '5.0' }, { baseDir: '/' }),
      (e: unknown) => isPimError(e, 'config') && e.message.includes('connectors.phone.version'));
    assert.throws(() => create('phone', { type: 'vcard-file', path, readonly: true }, { baseDir: '/' }),
      (e: unknown) => isPimError(e, 'config') && e.message === 'connectors.phone.readonly: unknown key');
  }));

test('vcard-file: relative paths resolve against the config folder, ~ against the home folder', () =>
  withFile(GOOD, async (_path, dir) => {
    const s = await create('phone', { type: 'vcard-file', path: 'phone.vcf' }, { baseDir: dir }).source('contacts');
    assert.equal((await s.list()).length, 1);
    const home = create('phone', { type: 'vcard-file', path: '~/surely-not-here-pimhub.vcf', readOnly: true }, { baseDir: dir });
    await assert.rejects(home.check(), (e: unknown) => isPimError(e, 'not-found') && !String(e.where).includes('~'));
  }));

test('vcard-file: the Android 2.1 fixture, read-only; an unchanged file gives an empty delta', () => withTempDir(async (dir) => {
  const path = await copyFixture('contacts/android-2.1.vcf', dir);
  const conn = create('phone', { type: 'vcard-file', path, readOnly: true }, { baseDir: '/' });
  const s = await conn.source('contacts');
  assert.ok(!isWritable(s) && isIncremental(s));
  assert.equal(s.capabilities.format, 'vcard-2.1');
  const first = await s.changesSince(undefined);
  assert.ok(first);
  assert.equal(first.changed.length, 5);
  assert.ok(first.changed.every((e) => e.href.startsWith('name:')));
  const r = await s.get(first.changed.map((e) => e.href));
  assert.equal(r.items.length, 5);
  assert.ok(r.items.some((i) => i.item.kind === 'contact' && i.item.card.props.some((p) => p.name === 'nickname' && p.values[0] === 'Janie')), 'Android\'s nickname row is read as NICKNAME');
  const next = await conn.source('contacts');
  assert.ok(isIncremental(next));
  assert.deepEqual(await next.changesSince(first.token), { changed: [], deleted: [], token: first.token });
}));

test('vcard-file: a truncated export names the broken card\'s line; the other cards load', () => withTempDir(async (dir) => {
  const path = await copyFixture('contacts/broken-truncated.vcf', dir);
  const s = await create('phone', { type: 'vcard-file', path, readOnly: true }, { baseDir: '/' }).source('contacts');
  const r = await s.get((await s.list()).map((e) => e.href));
  assert.equal(r.items.length, 3);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].where, `${path}:7`);
  assert.match(r.problems[0].message, /END:VCARD/);
  assert.ok(r.problems[0].raw?.startsWith('BEGIN:VCARD'));
}));

test('vcard-file: a rewrite keeps each card\'s own lines where it did not change', () =>
  withFile(GOOD + readFileSync(join(process.cwd(), 'fixtures', 'roundtrip', 'apple-ios.vcf'), 'utf8'), async (path) => {
    const original = await fs.readFile(path, 'utf8');
    const s = await create('phone', { type: 'vcard-file', path }, { baseDir: '/' }).source('contacts');
    assert.ok(isFlushable(s) && isWritable(s));
    const listed = await s.list();
    const apple = (await s.get(listed.map((e) => e.href))).items.find((i) => i.item.uid.startsWith('5A0F'))!;
    if (apple.item.kind !== 'contact') return assert.fail('a contact');
    findProp(apple.item.card, 'title')!.values = ['Bereichsleiter'];
    await s.update(apple.href, apple.etag, apple.item);
    await s.flush();
    assert.equal(await fs.readFile(path, 'utf8'), original.replace('TITLE:Leiter', 'TITLE:Bereichsleiter'));
  }));

test('temp files a killed rewrite left beside the file are removed when it is opened again, once stale', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'contacts.vcf');
    await fs.writeFile(path, GOOD);
    const stale = join(dir, '.contacts.vcf.0123456789ab.tmp');
    const young = join(dir, '.contacts.vcf.ba9876543210.tmp');
    const foreign = join(dir, '.other.vcf.0123456789ab.tmp');
    for (const p of [stale, young, foreign]) await fs.writeFile(p, GOOD.slice(0, 20));
    const hourAgo = new Date(Date.now() - 3_600_000);
    await fs.utimes(stale, hourAgo, hourAgo);
    await fs.utimes(foreign, hourAgo, hourAgo);
    const source = await create('phone', { type: 'vcard-file', path }, { baseDir: '/' }).source('contacts');
    assert.equal((await source.list()).length, 1);
    const left = (await fs.readdir(dir)).sort();
    assert.deepEqual(left, ['.contacts.vcf.ba9876543210.tmp', '.other.vcf.0123456789ab.tmp', 'contacts.vcf'], 'the stale temp of this file is gone; a young one (a running write) and another file\'s stay');
  });
});
