import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Scenario } from '../cli/cli-harness.js';
import { runCli } from './run-cli.js';
import { CountingProxy } from './counting-proxy.js';
import { PASSWORD_ENV, freshName, useServer } from './dav-setup.js';
import { calendarFixtureItems, card, getText, putText, seedCalendar } from './seed.js';
import { forEachServer } from './servers.js';

const VCARD = 'text/vcard; charset=utf-8';

/** The files of a vdir and their text. */
function files(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')]));
}

function editFile(path: string, edit: (text: string) => string): void {
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  const later = new Date(Date.now() + 5000);
  utimesSync(path, later, later);
}

forEachServer((profile) => {
  describe(`pimhub sync against ${profile.name}`, () => {
    const server = useServer(profile);
    const sc = new Scenario(`dav-${profile.name}`);
    let proxy: CountingProxy;
    let book = '';
    let cal = '';
    let bookUrl = '';
    let calUrl = '';
    let env: Record<string, string> = {};
    let seeded: string[] = [];
    const sync = async () => {
      const r = await runCli(sc, ['sync', '--json'], env);
      assert.equal(r.code, 0, `sync: ${r.stdout}\n${r.stderr}`);
      return r.json<{ collections: Array<{ name: string; changes: Array<{ action: string; uid: string }>; writes: unknown[] }> }>();
    };

    before(async () => {
      const s = server();
      env = s.password ? { [PASSWORD_ENV]: s.password } : {};
      book = freshName('book');
      cal = freshName('cal');
      bookUrl = await s.newCollection('contacts', book);
      calUrl = await s.newCollection('calendar', cal);
      await putText(s, `${bookUrl}ada.vcf`, card('ada@pimhub.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL;TYPE=home:ada@example.org', 'TEL;TYPE=cell:+49 30 1234567', 'NOTE:first note']), VCARD);
      await putText(s, `${bookUrl}bob.vcf`, card('bob@pimhub.test', ['FN:Bob Builder', 'N:Builder;Bob;;;', 'EMAIL:bob@example.org']), VCARD);
      await putText(s, `${bookUrl}cleo.vcf`, card('cleo@pimhub.test', ['FN:Cleo Patra', 'N:Patra;Cleo;;;', 'EMAIL:cleo@example.org']), VCARD);
      seeded = await seedCalendar(s, calUrl);
      assert.ok(seeded.length >= calendarFixtureItems().length - 1);
      proxy = await new CountingProxy(s.url).start();
      mkdirSync(sc.path('cards'));
      mkdirSync(sc.path('cal'));
      sc.write('cards/dora@pimhub.test.vcf', card('dora@pimhub.test', ['FN:Dora Explorer', 'N:Explorer;Dora;;;', 'EMAIL:dora@example.org']));
      sc.write('cal/vdir-task@pimhub.test.ics', ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VTODO', 'UID:vdir-task@pimhub.test',
        'DTSTAMP:20240101T000000Z', 'SUMMARY:Written in the vdir', 'RELATED-TO;RELTYPE=PARENT:umzug-parent-0001@example.org', 'END:VTODO', 'END:VCALENDAR', ''].join('\r\n'));
      const creds = s.username ? `, username: ${s.username}, passwordEnv: ${PASSWORD_ENV}` : '';
      sc.config([
        'store: sqlite:./pimhub.db',
        'connectors:',
        `  cloud: { type: dav, url: "${proxy.url}"${creds} }`,
        '  cards: { type: vdir, path: ./cards }',
        '  cal: { type: vdir, path: ./cal }',
        'collections:',
        `  contacts: { kind: contacts, members: [cloud/${book}, cards] }`,
        `  personal: { kind: calendar, members: [cloud/${cal}, cal] }`,
        '',
      ].join('\n'));
    });
    after(async () => {
      await proxy?.stop();
      sc.cleanup();
    });

    test('check lists the remote collections', async () => {
      const r = await runCli(sc, ['check', '--json'], env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const cloud = r.json<{ connectors: Array<{ name: string; ok: boolean; collections: Array<{ name: string; kind: string; url: string }> }> }>().connectors.find((c) => c.name === 'cloud')!;
      assert.ok(cloud.ok);
      assert.ok(cloud.collections.some((c) => c.name === book && c.kind === 'contacts'), JSON.stringify(cloud.collections));
      assert.ok(cloud.collections.some((c) => c.name === cal && c.kind === 'calendar'), JSON.stringify(cloud.collections));
    });

    test('a first sync brings contacts, events, tasks, notes and a series with overrides to the vdir and back', async () => {
      await sync();
      const cards = files(sc.path('cards'));
      assert.deepEqual([...cards.keys()].sort(), ['ada@pimhub.test.vcf', 'bob@pimhub.test.vcf', 'cleo@pimhub.test.vcf', 'dora@pimhub.test.vcf']);
      const ics = [...files(sc.path('cal')).values()].join('\n');
      for (const uid of seeded) assert.ok(ics.includes(`UID:${uid}`), `${uid} reached the vdir`);
      assert.match(ics, /BEGIN:VTODO/);
      assert.match(ics, /BEGIN:VJOURNAL/);
      assert.match(ics, /RELATED-TO;RELTYPE=PARENT:umzug-parent-0001@example\.org/);
      const series = files(sc.path('cal')).get('weekly-standup-5f1c@example.org.ics') ?? '';
      assert.equal(series.match(/RECURRENCE-ID/g)?.length, 2, 'the series keeps both overrides');
      assert.match(await getText(server(), `${bookUrl}dora%40pimhub.test.vcf`) ?? '', /FN:Dora Explorer/);
      assert.match(await getText(server(), `${calUrl}vdir-task%40pimhub.test.ics`) ?? '', /SUMMARY:Written in the vdir/);
    });

    test('a second sync with no change sends one sync-collection per collection and nothing else: no discovery', async () => {
      proxy.reset();
      const r = await sync();
      for (const c of r.collections) assert.deepEqual([c.changes, c.writes], [[], []], `${c.name} unchanged`);
      // The collections come from the members' tokens, written by the first sync.
      assert.deepEqual(proxy.seen.map((q) => `${q.method} ${q.path} ${q.report ?? ''}`).sort(),
        [`REPORT ${new URL(bookUrl).pathname} sync-collection`, `REPORT ${new URL(calUrl).pathname} sync-collection`].sort(), JSON.stringify(proxy.seen));
    });

    test('edits on the server and in the vdir are merged field by field', async () => {
      const s = server();
      await putText(s, `${bookUrl}ada.vcf`, card('ada@pimhub.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL;TYPE=home:ada@example.org', 'TEL;TYPE=cell:+49 30 7654321', 'NOTE:first note']), VCARD);
      editFile(sc.path('cards', 'ada@pimhub.test.vcf'), (t) => t.replace('NOTE:first note', 'NOTE:edited on the desktop').replace(/EMAIL[^\r\n]*ada@example\.org\r\n/, (l) => `${l}EMAIL;TYPE=work:ada@work.example\r\n`));
      await sync();
      const remote = await getText(s, `${bookUrl}ada.vcf`) ?? '';
      const local = readFileSync(sc.path('cards', 'ada@pimhub.test.vcf'), 'utf8');
      for (const text of [remote, local]) {
        assert.match(text, /7654321/, 'the server\'s phone');
        assert.match(text, /NOTE:edited on the desktop/, 'the desktop\'s note');
        assert.match(text, /ada@work\.example/, 'the desktop\'s added email');
        assert.match(text, /ada@example\.org/);
      }
      proxy.reset();
      const again = await sync();
      for (const c of again.collections) assert.deepEqual(c.writes, [], 'no rewrite loop after the merge');
      assert.deepEqual(proxy.seen.filter((q) => q.report === 'addressbook-multiget' || q.report === 'calendar-multiget'), [], 'our own writes are not fetched again');
    });

    test('deletions propagate both ways', async () => {
      const s = server();
      const del = await s.request('DELETE', `${bookUrl}bob.vcf`);
      assert.equal(del.status < 300, true);
      rmSync(sc.path('cards', 'cleo@pimhub.test.vcf'));
      await sync();
      assert.deepEqual([...files(sc.path('cards')).keys()].sort(), ['ada@pimhub.test.vcf', 'dora@pimhub.test.vcf']);
      assert.equal(await getText(s, `${bookUrl}cleo.vcf`), undefined);
    });
  });
});
