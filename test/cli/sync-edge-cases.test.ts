import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { Scenario } from './cli-harness.js';
import { count, edit, onlyFile, read } from './files.js';

const card = (uid: string, ...lines: string[]) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\n${lines.join('\r\n')}\r\nEND:VCARD\r\n`;

function vdirs(name: string, members: string, extra = ''): Scenario {
  const s = new Scenario(name);
  mkdirSync(s.path('a'));
  mkdirSync(s.path('b'));
  s.write('a/u1.vcf', card('u1', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'TEL:+44 20 7946 0001'));
  s.write('a/u2.vcf', card('u2', 'FN:Alan Turing', 'N:Turing;Alan;;;', 'EMAIL:alan@example.org'));
  s.write('a/u3.vcf', card('u3', 'FN:Grace Hopper', 'N:Hopper;Grace;;;', 'EMAIL:grace@example.org'));
  s.config(`connectors:\n  a: { type: vdir, path: ./a }\n  b: { type: vdir, path: ./b }\n${extra}collections:\n  contacts: { kind: contacts, members: [${members}] }\n`);
  assert.equal(s.run(['sync']).code, 0);
  return s;
}

test('an item deleted elsewhere and edited at a member comes back with that member\'s edit, removals included', () => {
  const s = vdirs('restore-edit', 'a, b');
  try {
    // b is away (its drive unmounted) while u1 is deleted at a.
    const both = 'connectors:\n  a: { type: vdir, path: ./a }\n  b: { type: vdir, path: ./b }\ncollections:\n  contacts: { kind: contacts, members: [a, b] }\n';
    renameSync(s.path('b'), s.path('b-away'));
    unlinkSync(s.path('a', 'u1.vcf'));
    const r1 = s.run(['sync']);
    assert.equal(r1.code, 1, 'b is reported missing');
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 2);
    // b comes back with u1 edited: a new name and the email removed.
    renameSync(s.path('b-away'), s.path('b'));
    const f = onlyFile(s.path('b'), /UID:u1/);
    edit(f, 'FN:Ada Lovelace', 'FN:Ada King');
    edit(f, /EMAIL:ada@example\.org\r\n/, '');
    s.config(both);
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const back = read(onlyFile(s.path('a'), /UID:u1/));
    assert.match(back, /FN:Ada King/);
    assert.doesNotMatch(back, /ada@example\.org/);
    assert.match(read(f), /FN:Ada King/);
  } finally {
    s.cleanup();
  }
});

test('a deletion at a CSV member does not propagate when another member changed what the CSV cannot hold', () => {
  const s = vdirs('csv-delete', 'a, g', '  g: { type: google-csv, path: ./g.csv }\n');
  try {
    assert.match(read(s.path('g.csv')), /Ada/);
    edit(s.path('g.csv'), /\r?\nAda,[^\r\n]*/, '');
    edit(s.path('a', 'u1.vcf'), 'END:VCARD', 'X-MASTODON:@ada@social.example\r\nEND:VCARD');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(read(s.path('a', 'u1.vcf')), /X-MASTODON:@ada@social\.example/);
    assert.match(read(s.path('g.csv')), /Ada/, 'the contact is written back to the CSV');
  } finally {
    s.cleanup();
  }
});

test('a person renamed in a CSV is the same item (matched by email), not a delete and a create', () => {
  const s = vdirs('csv-rename', 'a, g', '  g: { type: google-csv, path: ./g.csv }\n');
  try {
    edit(s.path('a', 'u2.vcf'), 'END:VCARD', 'X-KEEP:me\r\nEND:VCARD');
    assert.equal(s.run(['sync']).code, 0);
    edit(s.path('g.csv'), /Alan,,Turing/, 'Alan Mathison,,Turing-Smith');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const actions = r.json().collections[0].changes.map((c: { action: string }) => c.action);
    assert.ok(!actions.includes('deleted') && !actions.includes('created'), actions.join(','));
    const u2 = read(s.path('a', 'u2.vcf'));
    assert.match(u2, /Turing-Smith/);
    assert.match(u2, /X-KEEP:me/);
    assert.equal(readdirSync(s.path('a')).length, 3);
  } finally {
    s.cleanup();
  }
});

test('two entries of one member with the same UID: the second is quarantined, never a second item', () => {
  const s = vdirs('dup-uid', 'a, b');
  try {
    s.write('a/copy-of-u3.vcf', card('u3', 'FN:Grace Copy', 'N:Copy;Grace;;;'));
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 1);
    assert.ok(r.json().errors.some((e: { where: string; message: string }) => /copy-of-u3/.test(e.where) && /UID u3/.test(e.message)));
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 3);
    assert.equal(count(read(onlyFile(s.path('b'), /UID:u3/)), /FN:Grace Hopper/), 1);
  } finally {
    s.cleanup();
  }
});

test('conflicts decided while matching the same person from two sources are listed with the conflicts', () => {
  const s = new Scenario('match-conflict');
  try {
    mkdirSync(s.path('a'));
    mkdirSync(s.path('b'));
    s.write('a/x.vcf', card('x1', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', 'TITLE:Analyst'));
    s.write('b/y.vcf', card('y1', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ADA@example.org', 'TITLE:Countess'));
    s.config('connectors:\n  a: { type: vdir, path: ./a }\n  b: { type: vdir, path: ./b }\ncollections:\n  contacts: { kind: contacts, members: [a, b] }\n');
    assert.equal(s.run(['sync']).code, 0);
    const entries = s.run(['log', '--conflicts', '--json']).json().entries;
    assert.equal(entries.length, 1);
    assert.ok(entries[0].fields.some((f: { field: string }) => f.field === 'title'));
    assert.equal(s.run(['log', '--json']).json().entries.filter((e: { action: string }) => e.action === 'matched').length, 1);
  } finally {
    s.cleanup();
  }
});

test('an edit in a CSV keeps the parameters and groups the CSV cannot hold on every other member', () => {
  for (const [type, file] of [['google-csv', 'g.csv'], ['outlook-csv', 'o.csv']] as const) {
    const s = new Scenario(`csv-params-${type}`);
    try {
      mkdirSync(s.path('a'));
      s.write('a/u1.vcf', card('u1', 'FN:Ann Example', 'N:Example;Ann;;;', 'TEL;TYPE=CELL,X-PRIVATE;X-SYNC=1:+49 170 1234567',
        'EMAIL;TYPE=INTERNET,WORK;PREF=2:ann@example.com', 'item1.URL;TYPE=X-BLOG:https://blog.example.com', 'item1.X-ABLabel:Blog',
        'ADR;TYPE=WORK;X-APPLE-ABUID=1:;;Street 1;City;;12345;DE', 'NOTE:old'));
      s.config(`connectors:\n  a: { type: vdir, path: ./a }\n  c: { type: ${type}, path: ./${file} }\ncollections:\n  contacts: { kind: contacts, members: [a, c] }\n`);
      assert.equal(s.run(['sync']).code, 0);
      const before = read(s.path('a', 'u1.vcf'));
      edit(s.path(file), 'old', 'new note');
      const r = s.run(['sync']);
      assert.equal(r.code, 0, r.stderr);
      const after = read(s.path('a', 'u1.vcf'));
      assert.match(after, /NOTE:new note/, type);
      for (const line of before.split('\r\n').filter((l) => /^(TEL|EMAIL|ITEM1|ADR)/i.test(l))) {
        assert.ok(after.toLowerCase().includes(line.toLowerCase()), `${type}: ${line} kept\n${after}`);
      }
      assert.equal(s.run(['sync', '--json']).json().collections[0].writes.length, 0, `${type}: nothing left to write`);
    } finally {
      s.cleanup();
    }
  }
});

test('two UID-less namesakes in a phone export: deleting the first does not merge the second into it', () => {
  const s = new Scenario('namesakes');
  try {
    mkdirSync(s.path('b'));
    const john = (tel: string, note: string) => `BEGIN:VCARD\r\nVERSION:2.1\r\nN:Smith;John;;;\r\nFN:John Smith\r\nTEL;CELL:${tel}\r\nNOTE:${note}\r\nEND:VCARD\r\n`;
    s.write('phone.vcf', john('+49 170 1000001', 'John from work') + john('+49 170 2000002', 'John the neighbour'));
    s.config('connectors:\n  phone: { type: vcard-file, path: ./phone.vcf, readOnly: true }\n  b: { type: vdir, path: ./b }\ncollections:\n  contacts: { kind: contacts, members: [phone, b] }\n');
    assert.equal(s.run(['sync']).code, 0);
    assert.equal(readdirSync(s.path('b')).length, 2);
    s.write('phone.vcf', john('+49 170 2000002', 'John the neighbour'));
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(s.path('b'));
    assert.equal(files.length, 1);
    const left = read(s.path('b', files[0]!));
    assert.match(left, /John the neighbour/);
    assert.match(left, /2000002/);
    assert.doesNotMatch(left, /John from work|1000001/);
  } finally {
    s.cleanup();
  }
});

test('a write an interrupted run made but did not record is recognised from the outbox: no spurious conflict', async () => {
  const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
  const s = vdirs('outbox-recovery', 'a, b');
  try {
    const before = openSqliteStore(s.path('pimhub.db'));
    await before.init();
    const item = (await before.getItemByUid('contacts', 'u1'))!;
    const oldLink = (await before.linksForItem(item.id)).find((l) => l.member === 'b')!;
    const oldBase = structuredClone(oldLink.base);
    await before.close();

    edit(s.path('a', 'u1.vcf'), 'END:VCARD', 'NOTE:x\r\nEND:VCARD');
    assert.equal(s.run(['sync']).code, 0);
    assert.match(read(s.path('b', 'u1.vcf')), /NOTE:x/);
    // As if the run had been killed after writing b but before recording it.
    const db = openSqliteStore(s.path('pimhub.db'));
    await db.init();
    const written = (await db.getItemByUid('contacts', 'u1'))!;
    await db.commit({
      links: [{ ...oldLink, base: oldBase }],
      outbox: [{ collection: 'contacts', member: 'b', itemId: written.id, op: 'update', href: oldLink.href, etag: oldLink.etag, version: written.version, createdAt: new Date().toISOString() }],
    });
    await db.close();
    // Meanwhile the same field changes again elsewhere.
    edit(s.path('a', 'u1.vcf'), 'NOTE:x', 'NOTE:y');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().collections[0].recovered, 1);
    assert.equal(s.run(['log', '--conflicts', '--json']).json().entries.length, 0, 'b held what was written: no conflict');
    assert.match(read(s.path('b', 'u1.vcf')), /NOTE:y/);
  } finally {
    s.cleanup();
  }
});

test('the delete guard counts a one-item collection too; --allow-mass-delete lets the deletion through', () => {
  const s = new Scenario('guard-one');
  try {
    mkdirSync(s.path('a'));
    mkdirSync(s.path('b'));
    s.write('a/solo.vcf', card('solo', 'FN:Solo Person', 'N:Person;Solo;;;'));
    s.config('connectors:\n  a: { type: vdir, path: ./a }\n  b: { type: vdir, path: ./b }\ncollections:\n  contacts: { kind: contacts, members: [a, b] }\n');
    assert.equal(s.run(['sync']).code, 0);
    unlinkSync(s.path('a', 'solo.vcf'));
    const refused = s.run(['sync']);
    assert.equal(refused.code, 3);
    assert.equal(readdirSync(s.path('b')).length, 1);
    const allowed = s.run(['sync', '--allow-mass-delete']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(readdirSync(s.path('b')).length, 0);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 0);
  } finally {
    s.cleanup();
  }
});

test('a plain vCard 3.0 file keeps a geo: URI with parameters as written (not 0;0), and what it reads back is not an edit', () => {
  const s = new Scenario('geo-30');
  try {
    mkdirSync(s.path('a'));
    s.write('a/g1.vcf', 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nGEO:geo:52.5,13.4;u=20\r\nEND:VCARD\r\n');
    s.config('connectors:\n  a: { type: vdir, path: ./a }\n  f: { type: vcard-file, path: ./f.vcf, version: "3.0" }\ncollections:\n  contacts: { kind: contacts, members: [a, f] }\n');
    const first = s.run(['sync', '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.json().collections[0].errors, []);
    assert.match(read(s.path('f.vcf')), /^GEO:geo:52\.5,13\.4;u=20\r$/m);
    const again = s.run(['sync', '--json']);
    assert.equal(again.code, 0, again.stderr);
    const c = again.json().collections[0];
    assert.deepEqual([c.changes, c.writes, c.errors], [[], [], []], 'what the 3.0 file reads back is not an edit');
    assert.match(read(s.path('a', 'g1.vcf')), /GEO:geo:52\.5,13\.4;u=20/);
    // The file holds GEO: an edit there reaches the vdir.
    edit(s.path('f.vcf'), 'GEO:geo:52.5,13.4;u=20', 'GEO:geo:48.1,11.6;u=35');
    const edited = s.run(['sync', '--json']);
    assert.equal(edited.code, 0, edited.stderr);
    assert.match(read(s.path('a', 'g1.vcf')), /GEO:geo:48\.1,11\.6;u=35/);
  } finally {
    s.cleanup();
  }
});
