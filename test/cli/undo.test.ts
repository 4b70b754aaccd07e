import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Scenario } from './cli-harness.js';
import { edit, onlyFile, read } from './files.js';

/**
 * Every file of every member, by path: what "byte for byte as before" compares. A
 * single-file member (CSV, .vcf) is compared entry by entry, each entry byte for byte: an
 * entry written again goes to the end of the file, so the order of entries may differ.
 */
function snapshot(s: Scenario): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of ['a', 'b']) for (const f of readdirSync(s.path(dir))) files.set(`${dir}/${f}`, readFileSync(join(s.path(dir), f), 'latin1'));
  files.set('seed.vcf', readFileSync(s.path('seed.vcf'), 'latin1'));
  // CSV records end with CRLF (line breaks inside quoted fields are bare LF); cards with END:VCARD.
  const csv = readFileSync(s.path('contacts.csv'), 'latin1').split('\r\n');
  files.set('contacts.csv header', csv[0]!);
  for (const row of csv.slice(1).filter(Boolean)) files.set(`contacts.csv row ${row.split(',').slice(0, 3).join(' ')}`, row);
  for (const card of readFileSync(s.path('phone.vcf'), 'latin1').split(/(?<=END:VCARD\r\n)/).filter(Boolean)) {
    files.set(`phone.vcf card ${/^UID:(.*)$/m.exec(card)?.[1]}`, card);
  }
  return files;
}

/** A read-only seed, two vdirs, a Google CSV and a phone's .vcf, synced until nothing is left to do. */
function fourMembers(name: string): Scenario {
  const s = new Scenario(name);
  mkdirSync(s.path('a'));
  mkdirSync(s.path('b'));
  s.copy('scenarios/seed-contacts-3.0.vcf', 'seed.vcf');
  s.write('phone.vcf', '');
  s.config(`
conflict: newest
connectors:
  seed: { type: vcard-file, path: ./seed.vcf, readOnly: true }
  a: { type: vdir, path: ./a }
  b: { type: vdir, path: ./b }
  csv: { type: google-csv, path: ./contacts.csv }
  phone: { type: vcard-file, path: ./phone.vcf }
collections:
  contacts: { kind: contacts, members: [seed, a, b, csv, phone] }
`);
  for (let i = 0; i < 3; i++) assert.equal(s.run(['sync']).code, 0);
  const quiet = s.run(['sync', '--json']).json().collections[0];
  assert.equal(quiet.changes.length + quiet.writes.length, 0, JSON.stringify(quiet));
  return s;
}

const NEW_CARD = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:new-person-1\r\nFN:Neu Person\r\nN:Person;Neu;;;\r\nEMAIL:neu@example.org\r\nEND:VCARD\r\n';

/** One run that creates (in b), changes (in the phone's file) and deletes (in a). */
function runToUndo(s: Scenario): string {
  s.write('b/new-person-1.vcf', NEW_CARD);
  edit(s.path('phone.vcf'), 'anna.schmidt@firma.example', 'anna@schmidt.example');
  edit(s.path('phone.vcf'), 'sehr hilfsbereit', 'sehr geduldig');
  unlinkSync(onlyFile(s.path('a'), /FN:Jörg Müller/));
  const r = s.run(['sync', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const actions = r.json().collections[0].changes.map((c: { action: string }) => c.action).sort();
  assert.deepEqual(actions, ['created', 'deleted', 'updated', 'updated']);
  return r.json().run as string;
}

test('undo of a run that created, changed and deleted across members: after the next sync every file is byte for byte as before', () => {
  const s = fourMembers('undo-run');
  try {
    const before = snapshot(s);
    const run = runToUndo(s);
    assert.notDeepEqual(snapshot(s), before);

    const dry = s.run(['undo', '--run', run, '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    const planned = dry.json().items.map((i: { action: string; name: string }) => `${i.action} ${i.name}`).sort();
    assert.deepEqual(planned, ['removed Neu Person', 'restored Jörg Müller', 'reverted Anna Schmidt', 'reverted Yuki Tanaka']);
    assert.equal(s.run(['runs', '--json']).json().runs[0].id, run, 'a dry run records nothing');

    const u = s.run(['undo', '--run', run, '--json']);
    assert.equal(u.code, 0, u.stderr);
    const undoRun = u.json().run as string;
    const log = s.run(['log', '--json', '--limit', '20']).json().entries as Array<{ action: string; run: string; message?: string }>;
    const undone = log.filter((e) => e.run === undoRun);
    assert.equal(undone.length, 4);
    assert.ok(undone.every((e) => e.action === 'undone' && e.message!.includes(`run ${run}`)), JSON.stringify(undone));
    const runs = s.run(['runs', '--json']).json().runs as Array<{ id: string; command: string; collections: Array<{ deleted: number; restored: number; updated: number }> }>;
    assert.equal(runs[0]!.id, undoRun);
    assert.deepEqual([runs[0]!.collections[0]!.deleted, runs[0]!.collections[0]!.restored, runs[0]!.collections[0]!.updated], [1, 1, 2]);

    const sync = s.run(['sync', '--json']);
    assert.equal(sync.code, 0, sync.stderr);
    const after = snapshot(s);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    for (const [path, text] of before) assert.equal(after.get(path), text, path);
    // And the store agrees: nothing more to write.
    const again = s.run(['sync', '--json']).json().collections[0];
    assert.equal(again.writes.length, 0, JSON.stringify(again));
  } finally {
    s.cleanup();
  }
});

test('a field changed again after the run is a conflict: the later edit stays, logged, and resolve puts the old value back', () => {
  const s = fourMembers('undo-conflict');
  try {
    const run = runToUndo(s);
    // After the run, Yuki's note changes again at b, and Anna's new email is replaced there.
    edit(onlyFile(s.path('b'), /FN:Yuki Tanaka/), 'sehr geduldig', 'kennt alle Zeitzonen');
    edit(onlyFile(s.path('b'), /FN:Anna Schmidt/), 'anna@schmidt.example', 'anna.s@neu.example');
    assert.equal(s.run(['sync']).code, 0);
    const u = s.run(['undo', '--run', run, '--json']);
    assert.equal(u.code, 0, u.stderr);
    const yuki = u.json().items.find((i: { name: string }) => i.name === 'Yuki Tanaka');
    assert.equal(yuki.conflicts.length, 1, JSON.stringify(yuki));
    assert.equal(yuki.conflicts[0].field, 'note');
    assert.deepEqual(yuki.conflicts[0].values.map((v: { value: string }) => v.value), ['Kennt sich mit Kalendern aus, kennt alle Zeitzonen.', 'Kennt sich mit Kalendern aus, sehr hilfsbereit.']);
    assert.equal(s.run(['sync']).code, 0);
    // The later edit stays (newest); the email the run removed is back next to the newer one.
    assert.match(read(onlyFile(s.path('a'), /FN:Yuki Tanaka/)), /kennt alle Zeitzonen/);
    const anna = read(onlyFile(s.path('a'), /FN:Anna Schmidt/));
    assert.match(anna, /anna\.s@neu\.example/);
    assert.match(anna, /anna\.schmidt@firma\.example/);
    assert.doesNotMatch(anna, /anna@schmidt\.example/);
    // The rest of the run is undone all the same.
    assert.equal(readdirSync(s.path('b')).filter((f) => read(join(s.path('b'), f)).includes('Neu Person')).length, 0);
    assert.match(read(s.path('phone.vcf')), /FN:Jörg Müller/);
    // The conflict is in the log like any other, and resolve puts the pre-run value back.
    const conflicts = s.run(['log', '--conflicts', '--json']).json().entries as Array<{ id: number; run: string }>;
    const c = conflicts.find((e) => e.run === u.json().run)!;
    assert.ok(c, JSON.stringify(conflicts));
    assert.equal(s.run(['resolve', String(c.id), '--keep', 'undo']).code, 0);
    assert.equal(s.run(['sync']).code, 0);
    assert.match(read(onlyFile(s.path('b'), /FN:Yuki Tanaka/)), /sehr hilfsbereit/);
  } finally {
    s.cleanup();
  }
});

test('undo needs --run or --entry, and names what it cannot find', () => {
  const s = fourMembers('undo-usage');
  try {
    assert.equal(s.run(['undo']).code, 2);
    const r = s.run(['undo', '--run', 'r20990101-000000-000000']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no run r20990101-000000-000000/);
  } finally {
    s.cleanup();
  }
});

test('undo of a matched entry splits the two items again: each back to its own fields, the member linked to its own', () => {
  const s = new Scenario('undo-match');
  try {
    s.copy('scenarios/groups/vdir/0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10.vcf', 'mac/0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10.vcf');
    s.config(`
connectors:
  mac: { type: vdir, path: ./mac }
  phone: { type: vcard-file, path: ./phone.vcf, readOnly: true }
collections:
  contacts: { kind: contacts, members: [mac, phone] }
`);
    s.write('phone.vcf', '');
    assert.equal(s.run(['sync']).code, 0);
    const macFile = s.path('mac', '0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10.vcf');
    const original = read(macFile);
    // A phone export brings "the same" Anna (same email, similar name) with a work phone and a note.
    s.write('phone.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowalska;Anna;;;\r\nFN:Anna Kowalska\r\nEMAIL;TYPE=INTERNET:anna.kowalski@example.org\r\nTEL;TYPE=WORK:+48 22 555 01 23\r\nNOTE:Met at the Kraków meetup\r\nUID:phone-anna-7\r\nEND:VCARD\r\n');
    const m = s.run(['sync', '--json']);
    assert.equal(m.code, 0, m.stderr);
    // Matched (the names differ: a conflict the policy decided, logged next to it).
    assert.deepEqual(m.json().collections[0].changes.map((c: { action: string }) => c.action), ['matched', 'conflict']);
    assert.match(read(macFile), /Met at the Kraków meetup/);
    const entry = (s.run(['log', '--json', '--limit', '20']).json().entries as Array<{ id: number; action: string }>).find((e) => e.action === 'matched')!;

    const dry = s.run(['undo', '--entry', String(entry.id), '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(dry.json().items.map((i: { action: string; name: string }) => `${i.action} ${i.name}`), ['reverted Anna Kowalski', 'restored Anna Kowalska']);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 1, 'a dry run changes nothing');

    const u = s.run(['undo', '--entry', String(entry.id), '--json']);
    assert.equal(u.code, 0, u.stderr);
    assert.deepEqual(u.json().links, [{ member: 'phone', href: 'uid:phone-anna-7', from: dry.json().items[0].itemId }]);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 2);
    assert.equal(s.run(['sync']).code, 0);
    // The Mac's Anna is back to its own fields; every line as it was, except that the match's
    // write had put the email's TYPEs in the vdir's write form (same meaning, TYPE=INTERNET,HOME,PREF).
    const emailAsOne = (t: string) => t.replace(/^EMAIL[^:]*/m, (l) => `EMAIL;${l.toLowerCase().match(/internet|home|pref/g)!.sort().join(',')}`);
    assert.equal(emailAsOne(read(macFile)), emailAsOne(original));
    assert.doesNotMatch(read(macFile), /Kraków|555 01 23/);
    const split = read(onlyFile(s.path('mac'), /FN:Anna Kowalska/));
    assert.match(split, /UID:phone-anna-7/);
    assert.match(split, /Met at the Kraków meetup/);
    assert.match(split, /\+48 22 555 01 23/);
    // Nothing more to do, and they are duplicates to decide about again.
    const again = s.run(['sync', '--json']).json();
    assert.deepEqual([again.collections[0].changes.length, again.collections[0].writes.length], [0, 0], JSON.stringify(again));
    assert.equal(s.run(['duplicates', '--json']).json().groups.length, 1);
  } finally {
    s.cleanup();
  }
});

test('undo of a match with a writable member splits exactly: the member that was written the merged item gets its own entry back', () => {
  const s = new Scenario('undo-match-writable');
  try {
    s.copy('scenarios/groups/vdir/0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10.vcf', 'mac/0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10.vcf');
    s.config(`
connectors:
  mac: { type: vdir, path: ./mac }
collections:
  contacts: { kind: contacts, members: [mac] }
`);
    assert.equal(s.run(['sync']).code, 0);
    const macFile = s.path('mac', '0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10.vcf');
    const original = read(macFile);
    // A writable phone export joins, bringing "the same" Anna.
    s.config(`
connectors:
  mac: { type: vdir, path: ./mac }
  phone: { type: vcard-file, path: ./phone.vcf }
collections:
  contacts: { kind: contacts, members: [mac, phone] }
`);
    s.write('phone.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowalska;Anna;;;\r\nFN:Anna Kowalska\r\nEMAIL;TYPE=INTERNET:anna.kowalski@example.org\r\nTEL;TYPE=WORK:+48 22 555 01 23\r\nNOTE:Met at the Kraków meetup\r\nUID:phone-anna-7\r\nEND:VCARD\r\n');
    const m = s.run(['sync', '--json']);
    assert.equal(m.code, 0, m.stderr);
    assert.deepEqual(m.json().collections[0].changes.map((c: { action: string }) => c.action), ['matched', 'conflict']);
    // The phone was written the merged Anna: it now holds the Mac's mobile too.
    assert.match(read(s.path('phone.vcf')), /601.?234.?567/);
    const entry = (s.run(['log', '--json', '--limit', '20']).json().entries as Array<{ id: number; action: string }>).find((e) => e.action === 'matched')!;

    const u = s.run(['undo', '--entry', String(entry.id), '--json']);
    assert.equal(u.code, 0, u.stderr);
    assert.deepEqual(u.json().items.map((i: { action: string; name: string }) => `${i.action} ${i.name}`), ['reverted Anna Kowalski', 'restored Anna Kowalska']);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 2);
    assert.equal(s.run(['sync']).code, 0);
    // Each side back to its exact pre-match fields, at both members.
    const emailAsOne = (t: string) => t.replace(/^EMAIL[^:]*/m, (l) => `EMAIL;${l.toLowerCase().match(/internet|home|pref/g)!.sort().join(',')}`);
    assert.equal(emailAsOne(read(macFile)), emailAsOne(original));
    const cards = read(s.path('phone.vcf')).split(/(?<=END:VCARD\r\n)/).filter((c) => c.trim());
    assert.equal(cards.length, 2, cards.join('\n---\n'));
    const phoneAnna = cards.find((c) => /UID:phone-anna-7/.test(c))!;
    const macAnna = cards.find((c) => /UID:0F3A6C1E/.test(c))!;
    const lines = (c: string) => c.split('\r\n').filter((l) => l && !/^(VERSION|PRODID|REV):/.test(l)).sort();
    assert.deepEqual(lines(phoneAnna), ['BEGIN:VCARD', 'EMAIL;TYPE=INTERNET:anna.kowalski@example.org', 'END:VCARD', 'FN:Anna Kowalska', 'N:Kowalska;Anna;;;', 'NOTE:Met at the Kraków meetup', 'TEL;TYPE=WORK:+48 22 555 01 23', 'UID:phone-anna-7']);
    assert.doesNotMatch(macAnna, /Kraków|555 01 23/);
    for (const f of readdirSync(s.path('mac'))) if (f !== '0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10.vcf') assert.doesNotMatch(read(s.path('mac', f)), /601.?234.?567/, 'the split entry holds nothing of the Mac\'s Anna');
    const again = s.run(['sync', '--json']).json();
    assert.deepEqual([again.collections[0].changes.length, again.collections[0].writes.length], [0, 0], JSON.stringify(again));
  } finally {
    s.cleanup();
  }
});
