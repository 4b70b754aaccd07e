import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { Scenario } from './cli-harness.js';
import { edit, onlyFile, read, treeDigest } from './files.js';

/**
 * Ordinary messy input (SPEC §4, unknown is not absent; equal meaning is not a conflict):
 * a cut-off export, a half-written task, a broken CSV row and a garbage file lose nothing
 * anywhere, are named, and once restored give a run that writes nothing.
 */

const SEED = 'scenarios/seed-contacts-3.0.vcf';
const LAST_UID = '4b1e2c3d-0004-4000-8000-000000000004';

/** A phone export (read-only), a vdir and a Google CSV, synced once. */
function phoneVdirCsv(name: string): Scenario {
  const s = new Scenario(name);
  s.copy(SEED, 'phone.vcf');
  mkdirSync(s.path('vdir'));
  s.config(`
connectors:
  phone: { type: vcard-file, path: ./phone.vcf, readOnly: true }
  desktop: { type: vdir, path: ./vdir }
  google: { type: google-csv, path: ./google.csv }
collections:
  contacts: { kind: contacts, members: [phone, desktop, google] }
`);
  const r = s.run(['sync']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readdirSync(s.path('vdir')).length, 4);
  return s;
}

/** Cuts the file off in the middle of its last card, after the card's UID line. */
function cutOffLastCard(path: string): void {
  const text = read(path);
  const at = text.lastIndexOf(`UID:${LAST_UID}`);
  assert.ok(at > 0);
  writeFileSync(path, text.slice(0, text.indexOf('\n', at) + 1) + 'N:Cut;Off;;;\r\nFN:Cut O');
}

test('a phone export cut off in its last card deletes nothing, names the file, and a restored file gives a clean run', () => {
  const s = phoneVdirCsv('cut-off');
  try {
    const good = read(s.path('phone.vcf'));
    const vdirBefore = treeDigest(s.path('vdir'));
    const csvBefore = read(s.path('google.csv'));
    cutOffLastCard(s.path('phone.vcf'));
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 1, 'item errors, not the delete guard');
    const out = r.json();
    assert.deepEqual(out.collections[0].changes.filter((c: { action: string }) => c.action === 'deleted'), []);
    assert.ok(out.errors.some((e: { where: string }) => e.where.startsWith(s.path('phone.vcf'))), JSON.stringify(out.errors));
    assert.equal(treeDigest(s.path('vdir')), vdirBefore, 'the vdir is untouched');
    assert.equal(read(s.path('google.csv')), csvBefore, 'the CSV is untouched');
    const status = s.run(['status', '--json']).json().collections[0];
    assert.equal(status.items, 4);
    const phone = status.members.find((m: { connector: string }) => m.connector === 'phone');
    assert.equal(phone.quarantined, 1);
    assert.match(phone.quarantine[0].where, /phone\.vcf:\d+/);
    // The file restored: nothing to do, nothing written, quarantine empty.
    writeFileSync(s.path('phone.vcf'), good);
    const again = s.run(['sync', '--json']);
    assert.equal(again.code, 0, again.stdout);
    assert.equal(again.json().collections[0].writes.length, 0);
    assert.equal(again.json().collections[0].changes.length, 0);
    assert.equal(s.run(['status', '--json']).json().collections[0].members.find((m: { connector: string }) => m.connector === 'phone').quarantined, 0);
    assert.equal(treeDigest(s.path('vdir')), vdirBefore);
  } finally {
    s.cleanup();
  }
});

test('a phone export replaced by garbage is that member\'s error, named; nothing is deleted; check reports it', () => {
  const s = phoneVdirCsv('garbage');
  try {
    const vdirBefore = treeDigest(s.path('vdir'));
    const csvBefore = read(s.path('google.csv'));
    s.copy('contacts/broken-garbage.vcf', 'phone.vcf');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 1, 'a member error, not the delete guard (exit 3)');
    const out = r.json();
    assert.deepEqual(out.collections[0].changes, []);
    const err = out.errors.find((e: { member: string }) => e.member === 'phone');
    assert.ok(err, JSON.stringify(out.errors));
    assert.equal(err.where, s.path('phone.vcf'));
    assert.match(err.message, /cannot be read/);
    assert.doesNotMatch(JSON.stringify(out), /allow-mass-delete/);
    assert.equal(treeDigest(s.path('vdir')), vdirBefore);
    assert.equal(read(s.path('google.csv')), csvBefore);
    // status shows the member's error, and its last good sync is not moved forward
    const phone = s.run(['status', '--json']).json().collections[0].members.find((m: { connector: string }) => m.connector === 'phone');
    assert.equal(phone.errors, 1);
    assert.match(phone.lastError, /phone\.vcf cannot be read/);
    const google = s.run(['status', '--json']).json().collections[0].members.find((m: { connector: string }) => m.connector === 'google');
    assert.notEqual(phone.lastSync, google.lastSync, 'the failed member keeps the time of its last good read');
    assert.match(s.run(['status']).stdout, /phone .*1 errors \(.*cannot be read/);
    const check = s.run(['check']);
    assert.notEqual(check.code, 0);
    assert.match(check.stdout + check.stderr, /phone\.vcf/);
    assert.match(check.stdout + check.stderr, /cannot be read/);
  } finally {
    s.cleanup();
  }
});

test('a CSV row with an unclosed quote deletes nothing anywhere', () => {
  const s = phoneVdirCsv('csv-quote');
  try {
    const vdirBefore = treeDigest(s.path('vdir'));
    edit(s.path('google.csv'), /\r?\nAnna,/, '\r\n"Anna,');
    const r = s.run(['sync', '--json']);
    assert.notEqual(r.code, 3, r.stdout);
    const out = r.json();
    assert.deepEqual(out.collections[0].changes.filter((c: { action: string }) => c.action === 'deleted'), []);
    assert.ok(out.errors.some((e: { where: string }) => e.where.includes('google.csv')), JSON.stringify(out.errors));
    assert.equal(treeDigest(s.path('vdir')), vdirBefore);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 4);
  } finally {
    s.cleanup();
  }
});

test('a half-written VTODO in an .ics file deletes nothing, even when its UID cannot be read', () => {
  const s = new Scenario('half-todo');
  try {
    s.copy('calendars/tasks.ics', 'tasks.ics');
    mkdirSync(s.path('vdir'));
    s.config(`
connectors:
  file: { type: ics-file, path: ./tasks.ics }
  desktop: { type: vdir, path: ./vdir }
collections:
  tasks: { kind: calendar, members: [file, desktop] }
`);
    assert.equal(s.run(['sync']).code, 0);
    const items = readdirSync(s.path('vdir')).length;
    assert.ok(items >= 2);
    const before = treeDigest(s.path('vdir'));
    // The second task loses its END and everything after its SUMMARY.
    const text = read(s.path('tasks.ics'));
    const start = text.indexOf('BEGIN:VTODO', text.indexOf('BEGIN:VTODO') + 1);
    const end = text.indexOf('END:VTODO', start) + 'END:VTODO'.length;
    const half = text.slice(start, end).replace(/UID:[^\r\n]*\r?\n/, '').replace(/(SUMMARY:[^\r\n]*)[\s\S]*$/, '$1');
    writeFileSync(s.path('tasks.ics'), text.slice(0, start) + half + text.slice(end));
    const r = s.run(['sync', '--json']);
    assert.notEqual(r.code, 3);
    const out = r.json();
    assert.deepEqual(out.collections[0].changes.filter((c: { action: string }) => c.action === 'deleted'), []);
    assert.ok(out.errors.some((e: { where: string }) => e.where.includes('tasks.ics')), JSON.stringify(out.errors));
    assert.equal(readdirSync(s.path('vdir')).length, items);
    assert.equal(treeDigest(s.path('vdir')), before);
  } finally {
    s.cleanup();
  }
});

test('one number written two ways, a pref spelling and a one-part ORG are no conflict, and each member keeps its form', () => {
  const s = new Scenario('same-meaning');
  try {
    mkdirSync(s.path('a'));
    mkdirSync(s.path('b'));
    const a = s.write('a/u1.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Jana Berg\r\nN:Berg;Jana;;;\r\nORG:Acme\r\nTEL;TYPE=CELL,PREF:+49 176 12345678\r\nEMAIL;TYPE=INTERNET:jana@example.org\r\nEND:VCARD\r\n');
    const b = s.write('b/u1.vcf', 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u1\r\nFN:Jana Berg\r\nN:Berg;Jana;;;\r\nORG:Acme;\r\nTEL;TYPE=cell;PREF=1:0176 12345678\r\nEMAIL:Jana@Example.org\r\nEND:VCARD\r\n');
    s.config('defaultRegion: DE\nconnectors:\n  a: { type: vdir, path: ./a }\n  b: { type: vdir, path: ./b }\ncollections:\n  contacts: { kind: contacts, members: [a, b] }\n');
    const beforeA = read(a);
    const beforeB = read(b);
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const log = s.run(['log', '--json']).json().entries as Array<{ action: string }>;
    assert.deepEqual(log.filter((e) => e.action === 'conflict'), []);
    assert.equal(read(a), beforeA);
    assert.equal(read(b), beforeB);
    assert.equal(s.run(['sync', '--json']).json().collections[0].writes.length, 0);
  } finally {
    s.cleanup();
  }
});

test('conflict: newest follows the files\' own change times, whatever the members\' order', () => {
  for (const order of ['a, b', 'b, a']) {
    const s = new Scenario('newest-mtime');
    try {
      mkdirSync(s.path('a'));
      mkdirSync(s.path('b'));
      s.write('a/u1.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Kim Old\r\nEND:VCARD\r\n');
      s.config(`conflict: newest\nconnectors:\n  a: { type: vdir, path: ./a }\n  b: { type: vdir, path: ./b }\ncollections:\n  contacts: { kind: contacts, members: [${order}] }\n`);
      assert.equal(s.run(['sync']).code, 0);
      const fa = s.path('a', readdirSync(s.path('a'))[0]!);
      const fb = s.path('b', readdirSync(s.path('b'))[0]!);
      edit(fa, 'FN:Kim Old', 'FN:Kim Older Edit');
      edit(fb, 'FN:Kim Old', 'FN:Kim Newer Edit');
      const t = Date.now() / 1000;
      utimesSync(fa, t - 2, t - 2);
      utimesSync(fb, t, t);
      const r = s.run(['sync', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(read(fa), /FN:Kim Newer Edit/, `members [${order}]`);
      assert.match(read(fb), /FN:Kim Newer Edit/, `members [${order}]`);
    } finally {
      s.cleanup();
    }
  }
});

test('files pimhub rewrites keep their permission bits; new files follow the umask', () => {
  const s = phoneVdirCsv('modes');
  try {
    const f = onlyFile(s.path('vdir'), /FN:Anna Schmidt/);
    chmodSync(f, 0o640);
    chmodSync(s.path('google.csv'), 0o644);
    edit(s.path('google.csv'), 'Schmidt', 'Schmidt-Berg');
    const r = s.run(['sync']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(read(f), /Schmidt-Berg/);
    assert.equal(statSync(f).mode & 0o777, 0o640);
    assert.equal(statSync(s.path('google.csv')).mode & 0o777, 0o644);
    for (const name of readdirSync(s.path('vdir'))) {
      if (s.path('vdir', name) === f) continue;
      const mode = statSync(s.path('vdir', name)).mode & 0o777;
      assert.equal(mode & 0o044, 0o044, `${name} is readable by group and others under umask 022 (mode ${mode.toString(8)})`);
    }
  } finally {
    s.cleanup();
  }
});

test('a contact renamed in the CSV keeps every edit made elsewhere meanwhile, with no false conflicts', () => {
  const s = phoneVdirCsv('csv-rename-edits');
  try {
    const anna = onlyFile(s.path('vdir'), /FN:Anna Schmidt/);
    edit(s.path('google.csv'), /Anna,([^,]*),Schmidt/, 'Anna,$1,Schmidt-Berg');
    edit(anna, 'END:VCARD', 'ORG:Neue Firma AG\r\nEMAIL;TYPE=HOME:anna@privat.example\r\nEND:VCARD');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const text = read(anna);
    assert.match(text, /Schmidt-Berg/, 'the rename');
    assert.match(text, /ORG:Neue Firma AG/, 'the other member\'s ORG');
    assert.match(text, /anna@privat\.example/, 'the other member\'s email');
    const csv = read(s.path('google.csv'));
    assert.match(csv, /Schmidt-Berg/);
    assert.match(csv, /Neue Firma AG/);
    assert.doesNotMatch(csv, /Anna,[^,\r\n]*,Schmidt,/);
    const log = s.run(['log', '--json']).json().entries as Array<{ action: string }>;
    assert.deepEqual(log.filter((e) => e.action === 'conflict'), []);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 4);
    assert.equal(readFileSync(s.path('phone.vcf'), 'utf8').includes('Schmidt-Berg'), false, 'the read-only export is never written');
  } finally {
    s.cleanup();
  }
});

test('a dry run prints the UIDs the real run then gives entries that have none (a Google CSV)', () => {
  const s = new Scenario('dry-run-uids');
  try {
    s.copy('csv/google.csv', 'google.csv');
    mkdirSync(s.path('vdir'));
    s.config('connectors:\n  google: { type: google-csv, path: ./google.csv }\n  desktop: { type: vdir, path: ./vdir }\ncollections:\n  contacts: { kind: contacts, members: [google, desktop] }\n');
    const uids = (r: ReturnType<Scenario['run']>) => (r.json().collections[0].changes as Array<{ action: string; uid: string }>)
      .filter((c) => c.action === 'created').map((c) => c.uid).sort();
    const dry = uids(s.run(['sync', '--dry-run', '--json']));
    assert.ok(dry.length >= 2);
    assert.deepEqual(readdirSync(s.path('vdir')), [], 'a dry run writes nothing');
    assert.deepEqual(uids(s.run(['sync', '--json'])), dry);
  } finally {
    s.cleanup();
  }
});
