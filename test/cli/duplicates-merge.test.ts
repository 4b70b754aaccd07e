import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { Scenario } from './cli-harness.js';
import { count, read } from './files.js';

/** A phone export, a Google CSV and a vdir each holding William Turner in their own way. */
function turner(name: string): Scenario {
  const s = new Scenario(name);
  s.copy('scenarios/duplicates', 'data');
  s.config(`
defaultRegion: GB
conflict: newest
connectors:
  phone: { type: vcard-file, path: ./data/iphone-3.0.vcf }
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
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 5);
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
    assert.equal(s.run(['status', '--json']).json().collections[0].items, 3);
    assert.equal(s.run(['runs', '--json']).json().runs[0].id, merged.run);

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
