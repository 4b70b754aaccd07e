import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { Scenario } from './cli-harness.js';
import { count, edit, onlyFile, read } from './files.js';

const ANNA = '0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10';
const BEN = '7D2E9B40-1C5F-4E3A-8B27-3F9A0C6D4B21';
const GROUP_FILE = 'B6C1F2A8-93D4-4E7B-A0C5-2D8E4F6A1B39.vcf';

/** An Apple Contacts vdir (vCard 3.0, a "Climbing" group card holding Anna) and a Google CSV of the same people. */
function appleAndGoogle(name: string): Scenario {
  const s = new Scenario(name);
  s.copy('scenarios/groups', 'data');
  s.config(`
connectors:
  mac: { type: vdir, path: ./data/vdir }
  google: { type: google-csv, path: ./data/google.csv }
collections:
  contacts: { kind: contacts, members: [mac, google] }
`);
  const r = s.run(['sync', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return s;
}

/** The Labels cell of a Google CSV row (by first name). */
function labelsOf(csv: string, first: string): string[] {
  const header = csv.split(/\r?\n/)[0]!.split(',');
  const row = csv.split(/\r?\n/).find((l) => l.startsWith(`${first},`));
  assert.ok(row, `no row for ${first} in\n${csv}`);
  return row.split(',')[header.indexOf('Labels')]!.split(' ::: ');
}

test('a group made in an Apple vdir is a label in the Google CSV and KIND:group in a vCard 4 export; the vdir keeps its Apple form', () => {
  const s = appleAndGoogle('groups-apple');
  try {
    const csv = read(s.path('data', 'google.csv'));
    assert.deepEqual(labelsOf(csv, 'Anna'), ['* myContacts', 'Climbing']);
    // Google's system label `* starred` stays on Ben's row, and is no group.
    assert.deepEqual(labelsOf(csv, 'Ben'), ['* myContacts', '* starred']);
    // The group is no row of its own, and Google's system labels are no groups.
    assert.equal(csv.trim().split(/\r?\n/).length, 4, csv);
    assert.equal(count(csv, /Climbing/), 1);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 4);

    assert.equal(s.run(['export', 'contacts', '--format', 'vcf4', '-o', s.path('all.vcf')]).code, 0);
    const vcf4 = read(s.path('all.vcf'));
    const group = vcf4.split('END:VCARD').find((c) => c.includes('FN:Climbing'))!;
    assert.match(group, /^KIND:group\r?$/m);
    assert.match(group, new RegExp(`^MEMBER:urn:uuid:${ANNA}\\r?$`, 'm'));
    assert.equal(count(group, /^MEMBER/m), 1);
    assert.doesNotMatch(vcf4, /X-ADDRESSBOOKSERVER/);

    const apple = read(s.path('data', 'vdir', GROUP_FILE));
    assert.match(apple, /^X-ADDRESSBOOKSERVER-KIND:group\r?$/m);
    assert.doesNotMatch(apple, /^(KIND|MEMBER)[:;]/m);
    // A second run has nothing to do.
    const again = s.run(['sync', '--json']).json();
    assert.deepEqual([again.collections[0].changes.length, again.collections[0].writes.length], [0, 0], JSON.stringify(again));
  } finally {
    s.cleanup();
  }
});

test('a member added to the group on each side (Apple vdir and Google CSV label) ends in both', () => {
  const s = appleAndGoogle('groups-both-sides');
  try {
    // On the Mac: Ben joins Climbing. In Google: Carla gets the Climbing label.
    edit(s.path('data', 'vdir', GROUP_FILE), 'REV:', `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${BEN}\r\nREV:`);
    edit(s.path('data', 'google.csv'), /^Carla(.*)\* myContacts,/m, 'Carla$1* myContacts ::: Climbing,');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);

    const group = read(s.path('data', 'vdir', GROUP_FILE));
    const carla = read(onlyFile(s.path('data', 'vdir'), /FN:Carla Mendes/));
    const carlaUid = /^UID:(.*?)\r?$/m.exec(carla)![1]!;
    const members = [...group.matchAll(/^X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:(.*?)\r?$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(members, [ANNA, BEN, carlaUid].sort(), group);
    assert.doesNotMatch(group, /^MEMBER:/m);

    const csv = read(s.path('data', 'google.csv'));
    for (const who of ['Anna', 'Ben', 'Carla']) assert.ok(labelsOf(csv, who).includes('Climbing'), `${who}: ${csv}`);
    assert.ok(labelsOf(csv, 'Ben').includes('* starred'), 'a system label is kept through the rewrite');

    // Taking Anna out on the Mac takes her label away in Google; the group stays.
    edit(s.path('data', 'vdir', GROUP_FILE), new RegExp(`X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${ANNA}\\r\\n`), '');
    assert.equal(s.run(['sync']).code, 0);
    assert.deepEqual(labelsOf(read(s.path('data', 'google.csv')), 'Anna'), ['* myContacts']);
    assert.ok(labelsOf(read(s.path('data', 'google.csv')), 'Ben').includes('Climbing'));
  } finally {
    s.cleanup();
  }
});

test('a CSV that cannot hold the group card does not delete it: the card stays, only label changes count', () => {
  const s = appleAndGoogle('groups-csv-no-card');
  try {
    // Rewrite the CSV as Google would (rows in another order, a note edited): no row is the group.
    const csv = read(s.path('data', 'google.csv')).split(/\r\n/);
    writeFileSync(s.path('data', 'google.csv'), [csv[0], csv[3], csv[2], csv[1], ''].join('\r\n').replace('Ben,,Okafor', 'Ben,,Okafor'));
    edit(s.path('data', 'google.csv'), /^Anna,,Kowalski,,,,,,,,,,,,/m, 'Anna,,Kowalski,,,,,,,,,,,,Climbing partner');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const changes = r.json().collections[0].changes as Array<{ action: string; label: string }>;
    assert.deepEqual(changes.filter((c) => c.label === 'Climbing'), []);
    assert.ok(readdirSync(s.path('data', 'vdir')).includes(GROUP_FILE));
    assert.match(read(s.path('data', 'vdir', GROUP_FILE)), new RegExp(`X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${ANNA}`));
    // Removing the last label in the CSV empties the group; the group card itself stays.
    edit(s.path('data', 'google.csv'), '* myContacts ::: Climbing', '* myContacts');
    assert.equal(s.run(['sync']).code, 0);
    const group = read(s.path('data', 'vdir', GROUP_FILE));
    assert.match(group, /^FN:Climbing\r?$/m);
    assert.doesNotMatch(group, /MEMBER/);
  } finally {
    s.cleanup();
  }
});

test('Outlook CSV Categories become group cards in a vCard 4 vdir and round-trip; a member added there becomes a category', () => {
  const s = new Scenario('groups-outlook');
  try {
    s.copy('scenarios/groups/outlook.csv', 'outlook.csv');
    mkdirSync(s.path('vdir'));
    s.config(`
connectors:
  outlook: { type: outlook-csv, path: ./outlook.csv }
  desk: { type: vdir, path: ./vdir, vcardVersion: '4.0' }
collections:
  contacts: { kind: contacts, members: [outlook, desk] }
`);
    const before = read(s.path('outlook.csv'));
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(read(s.path('outlook.csv')), before, 'the Outlook file is already what the store holds');
    const vdir = s.path('vdir');
    const board = read(onlyFile(vdir, /FN:Board/));
    assert.match(board, /^KIND:group\r?$/m);
    assert.equal(count(board, /^MEMBER:urn:uuid:/m), 2);
    assert.equal(count(read(onlyFile(vdir, /FN:Volunteers/)), /^MEMBER:urn:uuid:/m), 1);
    const again = s.run(['sync', '--json']).json();
    assert.deepEqual([again.collections[0].changes.length, again.collections[0].writes.length], [0, 0], JSON.stringify(again));

    // Add Jonas to Volunteers on the vCard 4 side: Outlook's row gets the category.
    const jonasUid = /^UID:(.*?)\r?$/m.exec(read(onlyFile(vdir, /FN:Jonas Berg/)))![1]!;
    edit(onlyFile(vdir, /FN:Volunteers/), /^END:VCARD/m, `MEMBER:urn:uuid:${jonasUid}\r\nEND:VCARD`);
    assert.equal(s.run(['sync']).code, 0);
    const row = read(s.path('outlook.csv')).split(/\r\n/).find((l) => l.includes('"Jonas"'))!;
    assert.match(row, /"Board;Volunteers"|"Volunteers;Board"/);
  } finally {
    s.cleanup();
  }
});

test('a group card a format cannot hold is counted as skipped, not written: in the sync report and in export', () => {
  const s = appleAndGoogle('groups-skipped');
  try {
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rep = r.json().collections[0];
    assert.deepEqual(rep.skipped.map((x: { member: string; label: string }) => `${x.member} ${x.label}`), ['google Climbing']);
    assert.deepEqual(rep.writes, []);
    assert.match(s.run(['sync']).stdout, /; 1 skipped \(group cards/);

    const exported = (format: string) => {
      const e = s.run(['export', 'contacts', '--format', format, '-o', s.path(`out.${format}`), '--json']);
      assert.equal(e.code, 0, e.stderr);
      return e.json() as { items: number; skipped: number };
    };
    // Three contacts and the group "Climbing": a CSV and a vCard 2.1 file hold the group only as Anna's label.
    for (const format of ['google-csv', 'outlook-csv', 'vcf21']) assert.deepEqual([format, exported(format).items, exported(format).skipped], [format, 3, 1]);
    for (const format of ['vcf4', 'vcf']) assert.deepEqual([format, exported(format).items, exported(format).skipped], [format, 4, 0]);
    assert.match(read(s.path('out.outlook-csv')), /"Climbing"/);
    assert.doesNotMatch(read(s.path('out.vcf21')), /^FN:Climbing/m);
    const human = s.run(['export', 'contacts', '--format', 'google-csv', '-o', s.path('out.csv')]);
    assert.match(human.stdout, /wrote 3 items of contacts .*; 1 group card skipped/);
  } finally {
    s.cleanup();
  }
});

test('a member whose format cannot hold a group\'s label (Outlook: no ";" in a category) is not read as leaving the group', () => {
  const s = new Scenario('groups-mask');
  try {
    s.copy('scenarios/groups', 'data');
    // The Apple group's name holds a ";", which Outlook's Categories use as their separator.
    edit(s.path('data', 'vdir', GROUP_FILE), /^N:Climbing;;;;\r?$/m, 'N:Climbing\\; Bouldering;;;;');
    edit(s.path('data', 'vdir', GROUP_FILE), /^FN:Climbing\r?$/m, 'FN:Climbing; Bouldering');
    s.config(`
connectors:
  mac: { type: vdir, path: ./data/vdir }
  outlook: { type: outlook-csv, path: ./outlook.csv }
collections:
  contacts: { kind: contacts, members: [mac, outlook] }
`);
    assert.equal(s.run(['sync']).code, 0);
    // Anna's row cannot hold the label as one category: it reads back as "Climbing" and "Bouldering".
    // Her row is edited in Outlook (another company); the store must not take that as leaving the group.
    edit(s.path('outlook.csv'), /^,"Anna",,"Kowalski",,,/m, ',"Anna",,"Kowalski",,"Crag Co",');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json().collections[0].changes.map((c: { action: string; label: string; fields?: string[] }) => `${c.action} ${c.label} ${c.fields}`), ['updated Anna Kowalski org']);
    const group = read(s.path('data', 'vdir', GROUP_FILE));
    assert.match(group, new RegExp(`^X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${ANNA}\\r?$`, 'm'));
    const anna = read(s.path('data', 'vdir', `${ANNA}.vcf`));
    assert.match(anna, /^ORG:Crag Co\r?$/m);
    assert.match(anna, /^CATEGORIES:Climbing\\; Bouldering\r?$/m);
    // No groups "Climbing" and "Bouldering" were made from the split label.
    assert.equal(readdirSync(s.path('data', 'vdir')).length, 3);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 3);
    const again = s.run(['sync', '--json']).json();
    assert.deepEqual([again.collections[0].changes.length, again.collections[0].writes.length], [0, 0], JSON.stringify(again));
  } finally {
    s.cleanup();
  }
});
