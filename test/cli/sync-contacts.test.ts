import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { FIXTURES, Scenario } from './cli-harness.js';
import { count, edit, onlyFile, read, treeDigest } from './files.js';

const SAME = 'scenarios/same-person';

test('the same person from an Android 2.1 export, an iPhone export, a Google CSV and a vdir ends as one contact everywhere', () => {
  const s = new Scenario('same-person');
  try {
    s.copy(SAME, 'data');
    s.config(`
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
    // Jörg, Anna, 山田太郎 from the phone; Clara from Google, and her Google label "Friends" as a group.
    const status = s.run(['status', '--json']).json();
    assert.equal(status.collections[0].items, 5);
    const vdir = s.path('data', 'vdir');
    assert.equal(readdirSync(vdir).length, 5);
    assert.match(read(onlyFile(vdir, /FN:Friends/)), /X-ADDRESSBOOKSERVER-KIND:group/);
    const joerg = read(onlyFile(vdir, /FN:Jörg Müller/));
    // 0171 1234567, +49 (171) 123 45 67, +491711234567 and 0171-1234567 are one number.
    assert.equal(count(joerg, /^TEL[^:]*:.*171.*123.*45.*67/m), 1, joerg);
    assert.match(joerg, /joerg\.mueller@beispiel-gmbh\.de/);
    assert.match(joerg, /Hauptstr\. 1/);
    assert.match(joerg, /ORG:Beispiel GmbH/);
    assert.equal(count(read(s.path('data', 'iphone-3.0.vcf')), /^FN:Jörg Müller/m), 1);
    assert.equal(count(read(s.path('data', 'google.csv')), /Jörg,,Müller/), 1);
    // Nothing to do the second time, and the read-only export was not touched.
    const again = s.run(['sync', '--json']).json();
    assert.equal(again.collections[0].changes.length, 0);
    assert.equal(again.collections[0].writes.length, 0);
    assert.equal(read(s.path('data', 'android-2.1.vcf')), read(`${FIXTURES}/${SAME}/android-2.1.vcf`));
    // Every run has an id; every log entry names its run (SPEC §3/§4).
    const runs = s.run(['runs', '--json']).json().runs as Array<{ id: string; trigger: string; end?: string; collections: Array<{ name: string; created: number; writes: number }> }>;
    assert.deepEqual(runs.map((x) => x.id), [again.run, r.json().run]);
    assert.ok(runs.every((x) => x.trigger === 'cli' && x.end));
    assert.equal(runs[1]!.collections[0]!.created, 5);
    assert.ok(runs[1]!.collections[0]!.writes > 0);
    assert.equal(runs[0]!.collections[0]!.writes, 0);
    const log = s.run(['log', '--json', '--limit', '500']).json().entries as Array<{ run: string }>;
    assert.ok(log.length > 0 && log.every((e) => e.run === runs[1]!.id), 'the first run made every entry');
  } finally {
    s.cleanup();
  }
});

/** Two vdirs seeded from one card file: the classic "edited on two devices" set-up. */
function twoVdirs(name: string, extra = ''): Scenario {
  const s = new Scenario(name);
  mkdirSync(s.path('a'));
  mkdirSync(s.path('b'));
  s.copy('scenarios/seed-contacts-3.0.vcf', 'seed.vcf');
  s.config(`
conflict: newest
connectors:
  seed: { type: vcard-file, path: ./seed.vcf, readOnly: true }
  a: { type: vdir, path: ./a }
  b: { type: vdir, path: ./b }
${extra}
collections:
  contacts: { kind: contacts, members: [seed, a, b${extra ? ', csv' : ''}] }
`);
  const r = s.run(['sync']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return s;
}

test('edits to different fields of one contact on two members both survive', () => {
  const s = twoVdirs('disjoint');
  try {
    edit(onlyFile(s.path('a'), /Jörg/), 'FN:Jörg Müller', 'FN:Jörg M. Müller');
    edit(onlyFile(s.path('b'), /Jörg/), 'END:VCARD', 'TITLE:Einkauf\r\nEND:VCARD');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    for (const side of ['a', 'b']) {
      const card = read(onlyFile(s.path(side), /Jörg/));
      assert.match(card, /FN:Jörg M\. Müller/, side);
      assert.match(card, /TITLE:Einkauf/, side);
    }
    const log = s.run(['log', '--json']).json();
    assert.equal(log.entries.filter((e: { action: string }) => e.action === 'conflict').length, 0);
  } finally {
    s.cleanup();
  }
});

test('one field edited differently on two members is a logged conflict, and resolve reverses it on the next sync', () => {
  const s = twoVdirs('conflict');
  try {
    edit(onlyFile(s.path('a'), /Jörg/), 'FN:Jörg Müller', 'FN:Jörg A');
    edit(onlyFile(s.path('b'), /Jörg/), 'FN:Jörg Müller', 'FN:Jörg B');
    assert.equal(s.run(['sync']).code, 0);
    const log = s.run(['log', '--conflicts', '--json']).json();
    assert.equal(log.entries.length, 1);
    const entry = log.entries[0];
    assert.equal(entry.action, 'conflict');
    const fn = entry.fields.find((f: { field: string }) => f.field === 'fn');
    assert.deepEqual(fn.values.map((v: { value: string }) => v.value).sort(), ['Jörg A', 'Jörg B']);
    assert.equal(fn.base, 'Jörg Müller');
    const loser = fn.values.find((v: { value: string }) => v.value !== fn.chosen);
    for (const side of ['a', 'b']) assert.match(read(onlyFile(s.path(side), /Jörg/)), new RegExp(`FN:${fn.chosen}`));

    const res = s.run(['resolve', String(entry.id), '--keep', loser.connector]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(s.run(['sync']).code, 0);
    for (const side of ['a', 'b']) assert.match(read(onlyFile(s.path(side), /Jörg/)), new RegExp(`FN:${loser.value}`), side);
    const resolved = s.run(['log', '--json']).json().entries.find((e: { action: string }) => e.action === 'resolved');
    assert.equal(resolved.resolves, entry.id);
  } finally {
    s.cleanup();
  }
});

test('an X- property written by one member survives edits elsewhere, also through a CSV member that cannot hold it', () => {
  const s = twoVdirs('xprop', '  csv: { type: google-csv, path: ./google.csv }');
  try {
    edit(onlyFile(s.path('a'), /Jörg/), 'END:VCARD', 'X-PIMHUB-TEST;X-PARAM=1:keep me\\, please\r\nEND:VCARD');
    assert.equal(s.run(['sync']).code, 0);
    assert.match(read(onlyFile(s.path('b'), /Jörg/)), /X-PIMHUB-TEST;X-PARAM=1:keep me\\, please/);
    edit(s.path('google.csv'), 'Vertriebsleiter', 'Verkaufsleiter');
    edit(onlyFile(s.path('b'), /Jörg/), 'END:VCARD', 'NOTE:edited on b\r\nEND:VCARD');
    const r = s.run(['sync']);
    assert.equal(r.code, 0, r.stderr);
    for (const side of ['a', 'b']) {
      const card = read(onlyFile(s.path(side), /Jörg/));
      assert.match(card, /X-PIMHUB-TEST;X-PARAM=1:keep me\\, please/, side);
      assert.match(card, /TITLE:Verkaufsleiter/, side);
      assert.match(card, /NOTE:edited on b/, side);
    }
  } finally {
    s.cleanup();
  }
});

test('an emptied vdir is refused with exit 3 and nothing is deleted', () => {
  const s = twoVdirs('emptied');
  try {
    const before = treeDigest(s.path('b'));
    for (const f of readdirSync(s.path('a'))) unlinkSync(s.path('a', f));
    const r = s.run(['sync']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr + r.stdout, /--allow-mass-delete/);
    assert.equal(treeDigest(s.path('b')), before);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 4);
  } finally {
    s.cleanup();
  }
});

test('a single deletion propagates to the other members', () => {
  const s = new Scenario('delete-one');
  try {
    mkdirSync(s.path('a'));
    mkdirSync(s.path('b'));
    s.copy(`${SAME}/iphone-3.0.vcf`, 'file.vcf');
    s.config(`
connectors:
  file: { type: vcard-file, path: ./file.vcf }
  a: { type: vdir, path: ./a }
  b: { type: vdir, path: ./b }
collections:
  contacts: { kind: contacts, members: [file, a, b] }
`);
    // Two more contacts so one deletion stays under the delete guard.
    for (const n of ['Eva Braun-Lee', 'Tom Otto']) {
      const uid = n.replace(/\W/g, '').toLowerCase();
      s.write(`a/${uid}.vcf`, `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${n}\r\nN:${n.split(' ')[1]};${n.split(' ')[0]};;;\r\nEND:VCARD\r\n`);
    }
    assert.equal(s.run(['sync']).code, 0);
    assert.equal(readdirSync(s.path('b')).length, 3);
    unlinkSync(onlyFile(s.path('a'), /FN:Tom Otto/));
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readdirSync(s.path('b')).length, 2);
    assert.doesNotMatch(read(s.path('file.vcf')), /Tom Otto/);
    assert.match(read(s.path('file.vcf')), /Eva Braun-Lee/);
    assert.equal(s.run(['log', '--json']).json().entries.filter((e: { action: string }) => e.action === 'deleted').length, 1);
  } finally {
    s.cleanup();
  }
});

test('an unparsable card is quarantined, named in status, and not deleted elsewhere', () => {
  const s = twoVdirs('quarantine');
  try {
    s.copy('contacts/broken-bad-line.vcf', 'a/broken.vcf');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 1, 'item-level errors give exit 1');
    const errors = r.json().errors as Array<{ where: string; message: string }>;
    assert.ok(errors.some((e) => e.where.includes('broken.vcf')), JSON.stringify(errors));
    const status = s.run(['status', '--json']).json();
    const a = status.collections[0].members.find((m: { connector: string }) => m.connector === 'a');
    assert.equal(a.quarantined, 1);
    assert.match(a.quarantine[0].where, /broken\.vcf/);
    const human = s.run(['status']);
    assert.match(human.stdout, /quarantined .*broken\.vcf/);
    assert.equal(s.run(['log', '--json']).json().entries.filter((e: { action: string }) => e.action === 'quarantined').length, 1);
    assert.equal(readdirSync(s.path('b')).length, 4);
    // Once the broken file is gone, it leaves quarantine.
    unlinkSync(s.path('a', 'broken.vcf'));
    assert.equal(s.run(['sync']).code, 0);
    const after = s.run(['status', '--json']).json();
    assert.equal(after.collections[0].members.find((m: { connector: string }) => m.connector === 'a').quarantined, 0);
  } finally {
    s.cleanup();
  }
});

test('--dry-run prints the plan and changes no file', () => {
  const s = new Scenario('dry-run');
  try {
    s.copy(SAME, 'data');
    s.config(`
store: sqlite:./state/pimhub.db
connectors:
  phone: { type: vcard-file, path: ./data/android-2.1.vcf, readOnly: true }
  iphone: { type: vcard-file, path: ./data/iphone-3.0.vcf }
  desktop: { type: vdir, path: ./data/vdir }
collections:
  contacts: { kind: contacts, members: [phone, iphone, desktop] }
`);
    mkdirSync(s.path('state'));
    const before = treeDigest(s.path('data'));
    const r = s.run(['sync', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /desktop: would create Anna Schmidt/);
    assert.match(r.stdout, /iphone: would (create|update)/);
    assert.equal(treeDigest(s.path('data')), before);
    const plan = s.run(['sync', '--dry-run', '--json']).json();
    assert.ok(plan.collections[0].writes.length >= 3);
    // The store holds nothing yet: a real run still does all the work.
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 0);
    const real = s.run(['sync', '--json']).json();
    assert.equal(real.collections[0].writes.length, plan.collections[0].writes.length);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('columns of a Google CSV that vCard has no place for (Relation, Custom Field, IM, Phonetic names, * starred) survive a rewrite of the file', () => {
  const s = new Scenario('csv-kept-columns');
  try {
    mkdirSync(s.path('vdir'));
    const header = 'First Name,Last Name,Phonetic Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Relation 1 - Label,Relation 1 - Value,'
      + 'Custom Field 1 - Label,Custom Field 1 - Value,IM 1 - Label,IM 1 - Service,IM 1 - Value';
    const row = 'Anna,Berg,Bärg,* starred ::: * myContacts,Home,anna@example.org,Spouse,Karl Berg,Shoe size,38,Home,Skype,anna.berg';
    s.write('google.csv', `${header}\r\n${row}\r\n`);
    s.config(`
connectors:
  google: { type: google-csv, path: ./google.csv }
  desk: { type: vdir, path: ./vdir }
collections:
  contacts: { kind: contacts, members: [google, desk] }
`);
    assert.equal(s.run(['sync']).code, 0);
    // An edit on the vdir side makes pimhub rewrite the whole CSV file.
    edit(onlyFile(s.path('vdir'), /Anna/), 'anna@example.org', 'anna@berg.example');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().collections[0].writes.length, 1);
    const csv = read(s.path('google.csv'));
    assert.match(csv, /anna@berg\.example/);
    for (const cell of ['Relation 1 - Value', 'Karl Berg', 'Custom Field 1 - Label', 'Shoe size', 'IM 1 - Service', 'Skype', 'anna.berg', 'Bärg', '* starred']) {
      assert.ok(csv.includes(cell), `${cell} is still in the rewritten file:\n${csv}`);
    }
    const again = s.run(['sync', '--json']);
    assert.deepEqual(again.json().collections[0].changes, [], 'the rewritten file reads back as unchanged');
  } finally {
    s.cleanup();
  }
});
