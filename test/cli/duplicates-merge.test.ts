import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, unlinkSync } from 'node:fs';
import { Scenario } from './cli-harness.js';
import { count, edit, read } from './files.js';

/** A phone export, a Google CSV and a vdir each holding William Turner in their own way. */
function turner(name: string, phoneOptions = '', prepare?: (s: Scenario) => void): Scenario {
  const s = new Scenario(name);
  s.copy('scenarios/duplicates', 'data');
  prepare?.(s);
  s.config(`
defaultRegion: GB
conflict: newest
connectors:
  phone: { type: vcard-file, path: ./data/iphone-3.0.vcf${phoneOptions} }
  google: { type: google-csv, path: ./data/google.csv }
  desktop: { type: vdir, path: ./data/vdir }
collections:
  contacts: { kind: contacts, members: [phone, google, desktop] }
`);
  for (let i = 0; i < 2; i++) {
    // The second round lets the CSV settle its row names (two rows named William Turner).
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
  }
  return s;
}

interface Group { collection: string; score: number; evidence: string[]; items: Array<{ id: string; uid: string; name: string }> }

test('duplicates finds William Turner across a phone export, a Google CSV and a vdir; merge makes one contact everywhere, no value lost', () => {
  const s = turner('dupes-merge');
  try {
    // The sync could not tell they are one person (a nickname, no shared email or phone with the vdir).
    // Five contacts and the group "Friends" (Bill's Google label).
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 6);
    const groups = s.run(['duplicates', '--json']).json().groups as Group[];
    assert.equal(groups.length, 1, JSON.stringify(groups));
    const g = groups[0]!;
    assert.equal(g.collection, 'contacts');
    assert.deepEqual(g.items.map((i) => i.name).sort(), ['Bill Turner', 'William Turner', 'William Turner']);
    assert.ok(g.evidence.includes('same phone +447700900123'), g.evidence.join('; '));
    assert.ok(g.evidence.some((e) => e.startsWith('same name')), g.evidence.join('; '));
    const human = s.run(['duplicates']);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /pimhub merge \S+ \S+ \S+/);

    // A dry run changes nothing.
    const before = s.run(['log', '--json', '--limit', '500']).json().entries.length;
    const dry = s.run(['merge', '--dry-run', '--json', ...g.items.map((i) => i.id)]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.json().dryRun, true);
    assert.equal(s.run(['log', '--json', '--limit', '500']).json().entries.length, before);

    // Merge by UID works as well as by id.
    const m = s.run(['merge', '--json', g.items[0]!.uid, g.items[1]!.id, g.items[2]!.id]);
    assert.equal(m.code, 0, m.stderr);
    const merged = m.json();
    assert.equal(merged.merged.length, 2);
    // The names differ: a conflict decided by the policy and logged with both values.
    const fn = merged.fields.find((f: { field: string }) => f.field === 'fn');
    assert.ok(fn && fn.conflict, JSON.stringify(merged.fields));
    assert.deepEqual(fn.values.map((v: { value: string }) => v.value).sort(), ['Bill Turner', 'William Turner']);
    // Each value names the member its item came from.
    assert.deepEqual(fn.values.map((v: { connector: string }) => v.connector).sort(), ['desktop', 'google', 'phone'].filter((c) => fn.values.some((v: { connector: string }) => v.connector === c)));
    assert.ok(fn.values.some((v: { connector: string; value: string }) => v.connector === 'google' && v.value === 'Bill Turner'));
    const entry = s.run(['log', '--json', '--limit', '10']).json().entries as Array<{ id: number; action: string; run: string; message?: string }>;
    const dm = entry.find((e) => e.action === 'duplicates-merged')!;
    assert.equal(dm.id, merged.entry);
    assert.equal(dm.run, merged.run);
    assert.ok(entry.some((e) => e.action === 'conflict' && e.run === merged.run));
    assert.equal(entry.filter((e) => e.action === 'deleted' && e.run === merged.run).length, 2);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 4);
    assert.equal(s.run(['runs', '--json']).json().runs[0].id, merged.run);
    // resolve on the merge entry changes only its conflicting fields: the united values stay.
    const keepOther = s.run(['resolve', String(merged.entry), '--keep', String(1 - fn.chosenIndex)]);
    assert.equal(keepOther.code, 0, keepOther.stderr);
    assert.deepEqual(keepOther.stdout.match(/\b(fn|n|tel\[[^\]]*\]) =/g)?.map((x) => x.slice(0, -2)).sort(), merged.fields.filter((f: { conflict: boolean }) => f.conflict).map((f: { field: string }) => f.field).sort());

    const sync = s.run(['sync', '--json']);
    assert.equal(sync.code, 0, sync.stderr);
    const phone = read(s.path('data', 'iphone-3.0.vcf'));
    const csv = read(s.path('data', 'google.csv'));
    const vdir = s.path('data', 'vdir');
    const vdirTurner = readdirSync(vdir).map((f) => read(`${vdir}/${f}`)).filter((t) => /Turner/.test(t));
    assert.equal(count(phone, /^FN:.*Turner/m), 1, phone);
    assert.equal(count(csv, /^[^,\n]*,[^,\n]*,Turner,/m), 1, csv);
    assert.equal(vdirTurner.length, 1, vdirTurner.join('\n---\n'));
    // Every value of the three copies is in the one contact, at every member that can hold it.
    for (const card of [phone, vdirTurner[0]!]) {
      assert.match(card, /bill\.turner@example\.co\.uk/);
      assert.match(card, /w\.turner@turner-daughters\.example/);
      assert.match(card, /7700.?900.?123/);
      assert.match(card, /12 Wharf Street/);
      assert.match(card, /ORG:Turner & Daughters Ltd/);
      assert.match(card, /BDAY:1979-?03-?02/);
      assert.match(card, /Leeds meetup/);
    }
    assert.match(csv, /bill\.turner@example\.co\.uk/);
    assert.match(csv, /w\.turner@turner-daughters\.example/);
    assert.match(csv, /Turner & Daughters Ltd/);
    // The other contacts are untouched.
    assert.equal(count(phone, /^FN:Chidi Okafor/m), 1);
    assert.equal(count(csv, /Lindqvist/), 1);
    // And nothing is left to do: no duplicates, no writes.
    assert.equal(s.run(['duplicates', '--json']).json().groups.length, 0);
    const again = s.run(['sync', '--json']).json();
    assert.equal(again.collections[0].writes.length, 0, JSON.stringify(again.collections[0]));
  } finally {
    s.cleanup();
  }
});

test('undo of the merge entry splits the items again: after the next sync each member holds its own three cards as before', () => {
  const s = turner('dupes-undo');
  try {
    const snap = () => ({
      phone: read(s.path('data', 'iphone-3.0.vcf')).split(/(?<=END:VCARD\r\n)/).sort(),
      csv: read(s.path('data', 'google.csv')).split('\r\n').sort(),
      // Thunderbird's vCard 4.0 file comes back in the vdir's write form (3.0, TYPE upper-case): same lines otherwise.
      vdir: readdirSync(s.path('data', 'vdir')).sort().map((f) => read(s.path('data', 'vdir', f)).split('\r\n')
        .filter((l) => !l.startsWith('VERSION:')).map((l) => l.replace(/;TYPE=[^:;]*/g, (t) => t.toUpperCase()))),
    });
    const before = snap();
    const ids = (s.run(['duplicates', '--json']).json().groups as Group[])[0]!.items.map((i) => i.id);
    const m = s.run(['merge', '--json', ...ids]).json();
    assert.equal(s.run(['sync']).code, 0);
    assert.notDeepEqual(snap(), before);
    const dry = s.run(['undo', '--entry', String(m.entry), '--dry-run', '--json']).json();
    // The two merged items come back, the survivor and the group "Friends" (Bill's label, renamed to the survivor by the merge) are reverted.
    assert.deepEqual(dry.items.map((i: { action: string; name: string }) => `${i.action} ${i.name}`).sort(), [
      'restored Bill Turner', 'restored William Turner', 'reverted Friends', `reverted ${m.survivor.name}`,
    ].sort());
    const u = s.run(['undo', '--entry', String(m.entry), '--json']);
    assert.equal(u.code, 0, u.stderr);
    assert.equal(u.json().undoes, m.run);
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 6);
    assert.equal(s.run(['sync']).code, 0);
    // Each member holds the same cards as before the merge (single files: the same entries).
    assert.deepEqual(snap(), before);
    assert.equal(s.run(['duplicates', '--json']).json().groups.length, 1, 'the duplicates are found again');
  } finally {
    s.cleanup();
  }
});

test('undo of one deletion entry brings that item back, and only that one', () => {
  const s = turner('dupes-undo-delete');
  try {
    const vdir = s.path('data', 'vdir');
    const okafor = readdirSync(vdir).find((f) => /Chidi Okafor/.test(read(`${vdir}/${f}`)))!;
    const lindqvist = readdirSync(vdir).find((f) => /Lindqvist/.test(read(`${vdir}/${f}`)))!;
    const text = read(`${vdir}/${okafor}`);
    unlinkSync(`${vdir}/${okafor}`);
    unlinkSync(`${vdir}/${lindqvist}`);
    assert.equal(s.run(['sync', '--allow-mass-delete']).code, 0);
    const entries = s.run(['log', '--json', '--limit', '10']).json().entries as Array<{ id: number; action: string; uid: string }>;
    const del = entries.find((e) => e.action === 'deleted' && e.uid === '6A7B8C9D-0E1F-4A2B-9C3D-4E5F6A7B8C9D')!;
    const u = s.run(['undo', '--entry', String(del.id), '--json']);
    assert.equal(u.code, 0, u.stderr);
    assert.deepEqual(u.json().items.map((i: { action: string; name: string }) => `${i.action} ${i.name}`), ['restored Chidi Okafor']);
    assert.equal(s.run(['sync']).code, 0);
    assert.equal(read(`${vdir}/${okafor}`), text);
    assert.equal(readdirSync(vdir).includes(lindqvist), false);
    assert.match(read(s.path('data', 'iphone-3.0.vcf')), /FN:Chidi Okafor/);
    assert.doesNotMatch(read(s.path('data', 'google.csv')), /Lindqvist/);
  } finally {
    s.cleanup();
  }
});

test('a read-only export holding only a redundant copy keeps it, linked to the merged item: its later edits go there; undo moves the link back', () => {
  const s = turner('dupes-readonly', ', readOnly: true');
  try {
    const g = (s.run(['duplicates', '--json']).json().groups as Group[])[0]!;
    const status = () => s.run(['status', '--json']).json().collections[0].items as number;
    const fromPhone = g.items.find((i) => i.uid === '5E1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B')!;
    const others = g.items.filter((i) => i !== fromPhone);
    // The phone's copy is not the survivor: the phone (which holds no other copy) keeps its entry, now the survivor's.
    const m = s.run(['merge', '--json', others[0]!.id, fromPhone.id, others[1]!.id]).json();
    assert.deepEqual(m.links, [{ member: 'phone', href: 'uid:5E1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B', from: fromPhone.id }]);
    const phoneFile = read(s.path('data', 'iphone-3.0.vcf'));
    assert.equal(s.run(['sync']).code, 0);
    assert.equal(read(s.path('data', 'iphone-3.0.vcf')), phoneFile, 'a read-only member is never written');
    assert.equal(status(), 4);
    // A later edit on the phone lands in the merged item, not in a re-created duplicate.
    edit(s.path('data', 'iphone-3.0.vcf'), 'BDAY:1979-03-02', 'BDAY:1979-03-02\r\nNOTE:Prefers calls after 6pm');
    assert.equal(s.run(['sync']).code, 0);
    assert.equal(status(), 4);
    assert.match(read(s.path('data', 'google.csv')), /Prefers calls after 6pm/);
    // Undo: the link goes back to the phone's own item, which comes back.
    const u = s.run(['undo', '--entry', String(m.entry), '--json']).json();
    assert.deepEqual(u.links, m.links);
    assert.equal(status(), 6);
  } finally {
    s.cleanup();
  }
});

test('duplicates --dismiss remembers that items are no duplicates: they are not reported again, and merge still can', () => {
  const s = turner('dupes-dismiss');
  try {
    const g = (s.run(['duplicates', '--json']).json().groups as Group[])[0]!;
    const one = s.run(['duplicates', '--dismiss', g.items[0]!.id]);
    assert.equal(one.code, 2, 'one item is no pair');
    assert.match(one.stderr, /two or more item ids/);
    const d = s.run(['duplicates', '--json', '--dismiss', g.items[0]!.uid, g.items[1]!.id, g.items[2]!.id]);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.json().pairs, 3);
    assert.equal(d.json().collection, 'contacts');
    assert.deepEqual(s.run(['duplicates', '--json']).json().groups, []);
    assert.match(s.run(['duplicates']).stdout, /no duplicates found/);
    // Remembered in the store: a sync changes nothing about it.
    assert.equal(s.run(['sync']).code, 0);
    assert.deepEqual(s.run(['duplicates', '--json']).json().groups, []);
    // Dismissing is no lock: the user may still merge them by hand.
    assert.equal(s.run(['merge', '--dry-run', g.items[0]!.id, g.items[1]!.id]).code, 0);
  } finally {
    s.cleanup();
  }
});

const VDIR_TURNER = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
const PHONE_TURNER = '5E1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B';

test('merge rewrites group cards naming a merged copy to the kept UID (listed once); undo puts the members back', () => {
  // Google's Bill and the phone's William are both in "Friends" (a label, a category); the vdir's William is not.
  const s = turner('dupes-groups', '', (x) => edit(x.path('data', 'iphone-3.0.vcf'), 'BDAY:1979-03-02', 'BDAY:1979-03-02\r\nCATEGORIES:Friends'));
  try {
    const friends = () => {
      assert.equal(s.run(['export', 'contacts', '--format', 'vcf4', '-o', s.path('all.vcf')]).code, 0);
      const card = read(s.path('all.vcf')).split('END:VCARD').find((c) => /^FN:Friends\r?$/m.test(c));
      assert.ok(card, 'a Friends group card');
      assert.match(card, /^KIND:group\r?$/m);
      return [...card.matchAll(/^MEMBER:urn:uuid:(.+?)\r?$/gm)].map((x) => x[1]!).sort();
    };
    const g = (s.run(['duplicates', '--json']).json().groups as Group[])[0]!;
    const bill = g.items.find((i) => i.name === 'Bill Turner')!;
    assert.deepEqual(friends(), [bill.uid, PHONE_TURNER].sort());
    const groupFile = () => {
      const dir = s.path('data', 'vdir');
      const files = readdirSync(dir).map((f) => read(`${dir}/${f}`)).filter((t) => /^FN:Friends\r?$/m.test(t));
      assert.equal(files.length, 1, 'the vdir holds the group card');
      return files[0]!;
    };
    const fileBefore = groupFile();

    // The vdir's William survives; both members of the group are merged into him.
    const survivor = g.items.find((i) => i.uid === VDIR_TURNER)!;
    const m = s.run(['merge', '--json', survivor.id, ...g.items.filter((i) => i !== survivor).map((i) => i.id)]);
    assert.equal(m.code, 0, m.stderr);
    assert.deepEqual(m.json().groups.map((x: { name: string }) => x.name), ['Friends']);
    assert.deepEqual(friends(), [VDIR_TURNER]);
    const human = s.run(['merge', '--dry-run', survivor.id, ...g.items.filter((i) => i !== survivor).map((i) => i.id)]);
    assert.equal(human.code, 1, 'the merged items are gone: nothing left to merge');

    assert.equal(s.run(['sync']).code, 0);
    const merged = groupFile();
    assert.equal(count(merged, /MEMBER:urn:uuid:/g), 1, merged);
    assert.match(merged, new RegExp(`MEMBER:urn:uuid:${VDIR_TURNER}\r?$`, 'm'));
    const csv = read(s.path('data', 'google.csv'));
    assert.match(csv.split(/\r?\n/).find((l) => /,Turner,/.test(l))!, /Friends/, 'the kept contact carries the label');

    // Undo of the merge: the group names Bill and the phone's William again, at every member that holds it.
    const u = s.run(['undo', '--entry', String(m.json().entry), '--json']);
    assert.equal(u.code, 0, u.stderr);
    assert.ok(u.json().items.some((i: { name: string; action: string }) => i.name === 'Friends' && i.action === 'reverted'), JSON.stringify(u.json().items));
    assert.deepEqual(friends(), [bill.uid, PHONE_TURNER].sort());
    assert.equal(s.run(['sync']).code, 0);
    assert.equal(groupFile(), fileBefore);
  } finally {
    s.cleanup();
  }
});

test('merge refuses items of two collections, unknown ids and a single item', () => {
  const s = turner('dupes-refuse');
  try {
    assert.equal(s.run(['merge', 'nope', 'nada']).code, 1);
    const ids = (s.run(['duplicates', '--json']).json().groups as Group[])[0]!.items.map((i) => i.id);
    const one = s.run(['merge', ids[0]!, ids[0]!]);
    assert.equal(one.code, 2, one.stderr);
    assert.match(one.stderr, /at least two different items/);
  } finally {
    s.cleanup();
  }
});
