import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { carddav, dav } from '../../connectors/dav/index.js';
import { create as createVdir } from '../../connectors/vdir/index.js';
import { isPimError } from '../../src/core/errors.js';
import { isIncremental, isWritable, type IncrementalSource, type Source, type WritableSource } from '../../src/core/connector.js';
import type { CollectionKind } from '../../src/core/types.js';
import { parsePolicy } from '../../src/merge/policy.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { syncCollection } from '../../src/sync/sync-collection.js';
import type { CollectionReport, MemberInput } from '../../src/sync/types.js';
import { davOptions, freshName, freshSource, useServer } from './dav-setup.js';
import { card, getText, putText } from './seed.js';
import { forEachServer } from './servers.js';

const VCARD = 'text/vcard; charset=utf-8';

/** The sync engine driven directly, with a memory store: for what the CLI cannot provoke. */
function engine(kind: CollectionKind) {
  const store = new MemoryStore();
  return async (members: MemberInput[]): Promise<CollectionReport> => syncCollection({
    store, collection: 'c', kind, members, policy: parsePolicy('newest')!, deleteGuard: 0.5, allowMassDelete: false,
    dryRun: false, identity: createIdentity('DE'), run: 'r-test', now: () => new Date(),
  });
}

/** The source with a hook run once just before its first update: a server-side edit racing pimhub's write. */
function racing(source: Source, beforeUpdate: () => Promise<void>): WritableSource & IncrementalSource {
  assert.ok(isWritable(source) && isIncremental(source));
  let armed = true;
  return {
    id: source.id, kind: source.kind, capabilities: source.capabilities,
    list: () => source.list(), get: (h) => source.get(h), changesSince: (t) => source.changesSince(t),
    create: (i) => source.create(i), delete: (h, e) => source.delete(h, e),
    async update(h, e, i) {
      if (armed) {
        armed = false;
        await beforeUpdate();
      }
      return source.update(h, e, i);
    },
  };
}

forEachServer((profile) => {
  describe(`sync engine with ${profile.name}`, () => {
    const server = useServer(profile);
    const dirs: string[] = [];
    const vdir = (opts: Record<string, unknown> = {}) => {
      const dir = mkdtempSync(join(tmpdir(), 'pimhub-dav-vdir-'));
      dirs.push(dir);
      return { dir, conn: createVdir('desktop', { type: 'vdir', path: dir, ...opts }, { baseDir: '/' }) };
    };
    after(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    test('a write racing a server-side edit (412) is re-read and merged, not lost', async () => {
      const s = server();
      const { conn, url, source } = await freshSource(s, 'contacts');
      const local = vdir();
      const run = engine('contacts');
      await putText(s, `${url}ada.vcf`, card('ada@pimhub.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'NOTE:old note']), VCARD);
      const desk = await local.conn.source('contacts');
      const first = await run([{ name: 'cloud', source }, { name: 'desktop', source: desk }]);
      assert.deepEqual(first.errors, []);
      const file = join(local.dir, 'ada@pimhub.test.vcf');
      writeFileSync(file, readFileSync(file, 'utf8').replace('NOTE:old note', 'NOTE:new note from the desktop'));

      const raced = racing(source, async () => {
        await putText(s, `${url}ada.vcf`, card('ada@pimhub.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'EMAIL:ada@race.example', 'NOTE:old note']), VCARD);
      });
      const second = await run([{ name: 'cloud', source: raced }, { name: 'desktop', source: desk }]);
      assert.deepEqual(second.errors, [], 'the 412 was handled by re-reading');
      const remote = await getText(s, `${url}ada.vcf`) ?? '';
      assert.match(remote, /NOTE:new note from the desktop/);
      assert.match(remote, /ada@race\.example/, 'the racing server edit survived');

      await run([{ name: 'cloud', source }, { name: 'desktop', source: desk }]);
      assert.match(readFileSync(file, 'utf8'), /ada@race\.example/, 'the desktop gets the server edit');
      const quiet = await run([{ name: 'cloud', source }, { name: 'desktop', source: desk }]);
      assert.deepEqual([quiet.changes, quiet.writes, quiet.errors], [[], [], []], 'and then all is quiet');
      await conn.close?.();
    });

    test('a contact written as vCard 4.0 in a vdir keeps its fields through a vCard 3.0 server', async () => {
      const s = server();
      const { conn, url, source } = await freshSource(s, 'contacts');
      const local = vdir({ vcardVersion: '4.0' });
      const v4 = ['BEGIN:VCARD', 'VERSION:4.0', 'UID:urn:uuid:4f1c9e2a-0000-4000-8000-000000000004', 'KIND:individual', 'FN:Eve Vier',
        'N:Vier;Eve;;;', 'GENDER:F', 'ANNIVERSARY:20100612', 'BDAY:--0415', 'RELATED;TYPE=spouse:urn:uuid:4f1c9e2a-0000-4000-8000-000000000005',
        'EMAIL;TYPE=work;PREF=1:eve@work.example', 'TEL;VALUE=uri;TYPE=cell:tel:+49-30-5550004', 'LANG:de', 'X-PIMHUB-KEEP:kept', 'END:VCARD', ''].join('\r\n');
      writeFileSync(join(local.dir, 'eve.vcf'), v4);
      const desk = await local.conn.source('contacts');
      const run = engine('contacts');
      const first = await run([{ name: 'cloud', source }, { name: 'desktop', source: desk }]);
      assert.deepEqual(first.errors, []);
      const listed = await source.list();
      assert.equal(listed.length, 1);
      const remote = await getText(s, `${url}${encodeURIComponent(listed[0]!.href)}`) ?? '';
      assert.match(remote, /VERSION:3\.0/);
      for (const re of [/GENDER:F/, /ANNIVERSARY:2010-?06-?12/, /RELATED;TYPE=spouse:urn:uuid:4f1c9e2a-0000-4000-8000-000000000005/i, /eve@work\.example/, /5550004/, /LANG:de/, /X-PIMHUB-KEEP:kept/, /KIND:individual/]) {
        assert.match(remote, re, `the server copy holds ${re}`);
      }
      const again = await run([{ name: 'cloud', source }, { name: 'desktop', source: desk }]);
      assert.deepEqual([again.writes, again.errors], [[], []], 'no rewrite either way');
      assert.equal(readFileSync(join(local.dir, 'eve.vcf'), 'utf8'), v4, 'the vdir file is untouched');
      const back = await source.get(listed.map((e) => e.href));
      const props = back.items[0]!.item.kind === 'contact' ? back.items[0]!.item.card.props.map((p) => p.name) : [];
      for (const n of ['gender', 'anniversary', 'related', 'kind', 'lang', 'x-pimhub-keep']) assert.ok(props.includes(n), `${n} read back`);
      await conn.close?.();
    });

    test('discovery: a member names a collection by URL segment or display name; an unknown one lists what exists', async () => {
      const s = server();
      const name = freshName('named');
      const url = await s.newCollection('contacts', name);
      await s.newCollection('calendar', freshName('named-cal'));
      const conn = dav.create('cloud', davOptions(s), { baseDir: '/' });
      const found = await conn.discover();
      const info = found.find((c) => c.name === name);
      assert.deepEqual(info && { kind: info.kind, url: info.url, displayName: info.displayName }, { kind: 'contacts', url, displayName: name });
      assert.ok(found.some((c) => c.kind === 'calendar' && c.components?.includes('VTODO')), JSON.stringify(found));
      const named = await conn.source('contacts', name);
      await named.list();
      assert.equal((named as { url?: string }).url, url, 'known once first used');
      // The collection is found on first use (a later run takes it from the member's token):
      // an unknown one fails there, naming what exists.
      const unknown = await conn.source('contacts', 'no-such-book');
      const namesWhatExists = (e: unknown) => isPimError(e, 'config') && e.message.includes('no address book "no-such-book"') && e.message.includes(`cloud/${name}`);
      await assert.rejects(unknown.list(), namesWhatExists);
      assert.ok(isIncremental(unknown));
      await assert.rejects(unknown.changesSince(undefined), namesWhatExists);
      const cardOnly = carddav.create('cards', { ...davOptions(s), type: 'carddav' }, { baseDir: '/' });
      await assert.rejects(cardOnly.source('calendar'), (e: unknown) => isPimError(e, 'config') && e.message.includes('not calendar'));
      await conn.close?.();
      await cardOnly.close?.();
    });

    test('calendar: tasks and notes are read, not only events', async () => {
      const s = server();
      const { conn, url, source } = await freshSource(s, 'calendar');
      const ical = (comp: string, uid: string) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', `BEGIN:${comp}`, `UID:${uid}`, 'DTSTAMP:20240101T000000Z', `SUMMARY:${comp}`, `END:${comp}`, 'END:VCALENDAR', ''].join('\r\n');
      for (const c of ['VEVENT', 'VTODO', 'VJOURNAL']) await putText(s, `${url}${c}.ics`, ical(c, `${c}@t`).replace('SUMMARY', c === 'VEVENT' ? 'DTSTART:20240101T100000Z\r\nSUMMARY' : 'SUMMARY'), 'text/calendar; charset=utf-8');
      const got = await source.get((await source.list()).map((e) => e.href));
      assert.deepEqual(got.problems, []);
      assert.deepEqual(got.items.map((i) => (i.item.kind === 'calendar' ? i.item.compType : '')).sort(), ['vevent', 'vjournal', 'vtodo']);
      await conn.close?.();
    });
  });
});
