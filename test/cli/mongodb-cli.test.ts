import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { contacts as generateContacts } from '../../bench/generate.js';
import { startServe, stopServe } from '../server/real-client-helpers.js';
import { mongoTargets } from '../store/jongodb.js';
import { Scenario } from './cli-harness.js';
import { count, edit, onlyFile, read } from './files.js';

/** CLI scenarios with `store: mongodb://…` (jongodb, and PIMHUB_TEST_MONGODB_URI when set). */

const card = (uid: string, fn: string, extra = '') => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn.split(' ').reverse().join(';')};;;`, ...(extra ? [extra] : []), 'END:VCARD', ''].join('\r\n');

for (const target of mongoTargets()) {
  test(`${target.name}: the same person from four exports ends as one contact; the second sync writes nothing`, async () => {
    const s = new Scenario('mongo-same-person');
    try {
      s.copy('scenarios/same-person', 'data');
      s.config(`store: "${await target.freshUrl()}"
connectors:
  phone: { type: vcard-file, path: ./data/android-2.1.vcf, readOnly: true }
  iphone: { type: vcard-file, path: ./data/iphone-3.0.vcf }
  google: { type: google-csv, path: ./data/google.csv }
  desktop: { type: vdir, path: ./data/vdir }
collections:
  contacts: { kind: contacts, members: [phone, iphone, google, desktop] }
`);
      const r = s.run(['sync', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const changes = r.json().collections[0].changes as Array<{ action: string; label: string }>;
      assert.equal(changes.filter((c) => c.label === 'Jörg Müller' && c.action === 'created').length, 1);
      assert.equal(changes.filter((c) => c.label === 'Jörg Müller' && c.action === 'matched').length, 3);
      // Four contacts and the group "Friends" (Clara's Google label).
      assert.equal(s.run(['status', '--json']).json().collections[0].items, 5);
      const joerg = read(onlyFile(s.path('data', 'vdir'), /FN:Jörg Müller/));
      assert.equal(count(joerg, /^TEL[^:]*:.*171.*123.*45.*67/m), 1, joerg);
      const again = s.run(['sync', '--json']).json();
      assert.equal(again.collections[0].changes.length, 0);
      assert.equal(again.collections[0].writes.length, 0);
      const runs = s.run(['runs', '--json']).json().runs as Array<{ id: string }>;
      assert.deepEqual(runs.map((x) => x.id), [again.run, r.json().run]);
    } finally {
      s.cleanup();
    }
  });

  test(`${target.name}: edits to different fields of one contact on two vdirs both survive`, async () => {
    const s = new Scenario('mongo-two-vdirs');
    try {
      mkdirSync(s.path('a'));
      mkdirSync(s.path('b'));
      s.write('a/ann.vcf', card('ann@x', 'Ann Lee', 'EMAIL:ann@x.org'));
      s.config(`store: "${await target.freshUrl()}"
connectors:
  a: { type: vdir, path: ./a }
  b: { type: vdir, path: ./b }
collections:
  contacts: { kind: contacts, members: [a, b] }
`);
      assert.equal(s.run(['sync']).code, 0);
      const bFile = onlyFile(s.path('b'), /Ann Lee/);
      edit(s.path('a', 'ann.vcf'), 'EMAIL:ann@x.org', 'EMAIL:ann@new.org');
      edit(bFile, /\r\nEND:VCARD/, '\r\nTITLE:Chief\r\nEND:VCARD');
      const r = s.run(['sync', '--json']);
      assert.equal(r.code, 0, r.stderr);
      for (const text of [read(s.path('a', 'ann.vcf')), read(bFile)]) {
        assert.match(text, /ann@new\.org/);
        assert.match(text, /TITLE:Chief/);
      }
      assert.equal(s.run(['sync', '--json']).json().collections[0].writes.length, 0);
    } finally {
      s.cleanup();
    }
  });

  test(`${target.name}: a recurring event edited on two members (master and override) keeps both`, async () => {
    const s = new Scenario('mongo-calendar');
    try {
      mkdirSync(s.path('vdir'));
      s.copy('calendars/personal.ics', 'agenda.ics');
      s.config(`store: "${await target.freshUrl()}"
connectors:
  agenda: { type: ics-file, path: ./agenda.ics }
  tasks: { type: vdir, path: ./vdir }
collections:
  personal: { kind: calendar, members: [agenda, tasks] }
`);
      assert.equal(s.run(['sync']).code, 0);
      const file = onlyFile(s.path('vdir'), /UID:weekly-standup-5f1c@example\.org/);
      edit(s.path('agenda.ics'), 'LOCATION:Raum 3.14\\, Gebäude B', 'LOCATION:Raum 4.01');
      edit(file, 'SUMMARY:Team-Standup (mit Kund:innen)', 'SUMMARY:Standup mit Kunde ACME');
      const r = s.run(['sync', '--json']);
      assert.equal(r.code, 0, r.stderr);
      for (const text of [read(s.path('agenda.ics')), read(file)]) {
        assert.match(text, /LOCATION:Raum 4\.01/);
        assert.match(text, /SUMMARY:Standup mit Kunde ACME/);
        assert.equal(count(text, /^RECURRENCE-ID/m), 2);
      }
      assert.equal(s.run(['log', '--conflicts', '--json']).json().entries.length, 0);
    } finally {
      s.cleanup();
    }
  });

  test(`${target.name}: two pimhub sync processes at once on one store: one collection never synced twice at once, nothing duplicated`, async () => {
    const s = new Scenario('mongo-two-syncs');
    try {
      const people = generateContacts(200, 11);
      for (const name of ['work', 'home']) {
        mkdirSync(s.path(name));
        writeFileSync(s.path(`${name}.vcf`), people.filter((_, i) => (i % 2 === 0) === (name === 'work')).map((c) => c.text).join(''));
      }
      s.config(`store: "${await target.freshUrl()}"
connectors:
  workfile: { type: vcard-file, path: ./work.vcf }
  workdir: { type: vdir, path: ./work }
  homefile: { type: vcard-file, path: ./home.vcf }
  homedir: { type: vdir, path: ./home }
collections:
  work: { kind: contacts, members: [workfile, workdir] }
  home: { kind: contacts, members: [homefile, homedir] }
`);
      // Both processes sync both collections; each collection's lease lets one run it at a time.
      // The other waits (10 s at most) and runs it after, or reports it busy (exit 1).
      const procs = [s.start(['sync']), s.start(['sync'])];
      const outs = procs.map((p) => { let o = ''; p.stdout!.on('data', (d) => (o += d)); p.stderr!.on('data', (d) => (o += d)); return () => o; });
      const codes = await Promise.all(procs.map(async (p) => (await once(p, 'exit'))[0] as number));
      codes.forEach((code, i) => {
        assert.ok(code === 0 || (code === 1 && /being synced by another pimhub process/.test(outs[i]!())), `exit ${code}: ${outs[i]!()}`);
      });
      // A collection reported busy is synced by the next run.
      if (codes.includes(1)) assert.equal(s.run(['sync']).code, 0);
      const status = s.run(['status', '--json']).json();
      const items = Object.fromEntries((status.collections as Array<{ name: string; items: number }>).map((c) => [c.name, c.items]));
      assert.deepEqual(items, { home: 100, work: 100 });
      assert.equal(readdirSync(s.path('work')).filter((f) => !f.startsWith('.')).length, 100);
      assert.equal(readdirSync(s.path('home')).filter((f) => !f.startsWith('.')).length, 100);
      const created = (s.run(['log', '--json', '--limit', '5000']).json().entries as Array<{ action: string }>).filter((e) => e.action === 'created');
      assert.equal(created.length, 200, 'each contact created once, by one of the two processes');
      const next = s.run(['sync', '--json']).json();
      assert.ok((next.collections as Array<{ writes: unknown[]; changes: unknown[] }>).every((c) => c.writes.length === 0 && c.changes.length === 0));
    } finally {
      s.cleanup();
    }
  });

  test(`${target.name}: two pimhub serve processes on one store: a PUT through one is served by the other; a stale If-Match gets 412`, async () => {
    const s = new Scenario('mongo-two-serves');
    const env = { PIMHUB_TEST_PW: 'serve-pass' };
    const auth = `Basic ${Buffer.from('alice:serve-pass').toString('base64')}`;
    const servers: Array<Awaited<ReturnType<typeof startServe>>> = [];
    try {
      mkdirSync(s.path('desk'));
      s.config(`store: "${await target.freshUrl()}"
server:
  listen: 127.0.0.1:0
  users:
    alice: { passwordEnv: PIMHUB_TEST_PW }
connectors:
  desk: { type: vdir, path: ./desk }
collections:
  contacts: { kind: contacts, members: [desk], owner: alice }
`);
      servers.push(await startServe(s, env), await startServe(s, env));
      const [one, two] = servers.map((x) => `${x.base}/dav/home/alice/contacts/ann.vcf`);
      const put = (url: string, body: string, headers: Record<string, string> = {}) =>
        fetch(url, { method: 'PUT', body, headers: { authorization: auth, 'content-type': 'text/vcard', ...headers } });
      const created = await put(one!, card('ann@x', 'Ann Lee'), { 'if-none-match': '*' });
      assert.equal(created.status, 201, await created.text());
      const got = await fetch(two!, { headers: { authorization: auth } });
      assert.equal(got.status, 200);
      assert.match(await got.text(), /FN:Ann Lee/);
      const etag = got.headers.get('etag')!;
      assert.ok(etag);
      // One client updates through the first process; another, holding the old ETag, through the second.
      const first = await put(one!, card('ann@x', 'Ann Lee-Smith'), { 'if-match': etag });
      assert.ok(first.status === 204 || first.status === 200, `${first.status} ${await first.text()}`);
      const stale = await put(two!, card('ann@x', 'Ann Overwritten'), { 'if-match': etag });
      assert.equal(stale.status, 412);
      const now = await (await fetch(two!, { headers: { authorization: auth } })).text();
      assert.match(now, /FN:Ann Lee-Smith/);
      assert.doesNotMatch(now, /Overwritten/);
    } finally {
      for (const x of servers) await stopServe(x.proc);
      s.cleanup();
    }
  });
}

for (const target of mongoTargets()) {
  test(`${target.name}: a sync killed with SIGKILL at several points converges with nothing lost or duplicated`, { timeout: 600_000 }, async () => {
    const N = 300;
    const s = new Scenario('mongo-crash');
    try {
      mkdirSync(s.path('a'));
      writeFileSync(s.path('all.vcf'), generateContacts(N, 7).map((c) => c.text).join(''));
      s.config(`store: "${await target.freshUrl()}"
connectors:
  file: { type: vcard-file, path: ./all.vcf }
  a: { type: vdir, path: ./a }
collections:
  contacts: { kind: contacts, members: [file, a] }
`);
      let kills = 0;
      for (const ms of [800, 1600, 3000, 5000]) {
        const child = s.start(['sync']);
        const exit = once(child, 'exit');
        const timer = setTimeout(() => child.kill('SIGKILL'), ms);
        const [code, signal] = (await exit) as [number | null, string | null];
        clearTimeout(timer);
        if (signal !== 'SIGKILL') {
          assert.equal(code, 0);
          break;
        }
        kills++;
      }
      assert.ok(kills >= 1, 'at least one sync was interrupted');
      const done = s.run(['sync']);
      assert.equal(done.code, 0, done.stderr);
      const files = readdirSync(s.path('a')).filter((f) => !f.startsWith('.'));
      assert.equal(files.length, N, 'the vdir holds every contact once');
      const uids = files.map((f) => /^UID:(.*)$/m.exec(read(s.path('a', f)))![1]!.trim());
      assert.equal(new Set(uids).size, N, 'no duplicate UIDs');
      assert.equal(count(read(s.path('all.vcf')), /^BEGIN:VCARD/m), N, 'the vcf holds every contact once');
      assert.equal(s.run(['status', '--json']).json().collections[0].items, N);
      const last = s.run(['sync', '--json']).json();
      assert.equal(last.collections[0].writes.length, 0, 'nothing left to write');
    } finally {
      s.cleanup();
    }
  });
}
