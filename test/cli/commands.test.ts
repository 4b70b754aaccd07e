import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { BIN, Scenario } from './cli-harness.js';
import { count, read } from './files.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { decodeICalendar } from '../../src/codecs/icalendar/index.js';
import { decodeGoogleCsv, decodeOutlookCsv } from '../../src/codecs/csv/index.js';
import { verifyPassword } from '../../src/config/passwords.js';

function synced(name: string): Scenario {
  const s = new Scenario(name);
  s.copy('scenarios/seed-contacts-3.0.vcf', 'seed.vcf');
  s.copy('calendars/vdir-personal', 'cal');
  s.config(`
connectors:
  seed: { type: vcard-file, path: ./seed.vcf, readOnly: true }
  cal: { type: vdir, path: ./cal }
collections:
  contacts: { kind: contacts, members: [seed] }
  personal: { kind: calendar, members: [cal] }
`);
  assert.equal(s.run(['sync']).code, 0);
  return s;
}

test('a bad config is refused before anything runs: exit 2, the file, the key path and the problem', () => {
  const s = new Scenario('badconfig');
  try {
    s.config(`
deleteGuard: 2
connectors:
  phone: { type: vcard-file, path: ./p.vcf, readOnly: yes-please }
  x: { type: nosuchtype, path: ./x }
collections:
  contacts: { kind: contacts, members: [phone, googel] }
`);
    const r = s.run(['sync']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pimhub\.yaml:2:14: deleteGuard: expected a share between 0 and 1/);
    assert.match(r.stderr, /pimhub\.yaml:7:48: collections\.contacts\.members\.1: no connector named "googel"/, 'every problem in one run');
    const r2 = s.run(['status']);
    assert.equal(r2.code, 2);
    s.config(`
connectors:
  phone: { type: vcard-file, path: ./p.vcf, readOnly: yes-please }
  x: { type: nosuchtype, path: ./x }
collections:
  contacts: { kind: contacts, members: [phone, googel] }
`);
    const r3 = s.run(['sync']);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /connectors\.phone\.readOnly: /);
    assert.match(r3.stderr, /connectors\.x\.type: unknown connector type "nosuchtype"/);
    assert.match(r3.stderr, /collections\.contacts\.members\.1: no connector named "googel"/);
    assert.equal(existsSync(s.path('pimhub.db')), false, 'nothing ran, no store was created');
    const missing = spawnSync(process.execPath, [BIN, '-c', s.path('nope.yaml'), 'sync'], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /pimhub init/);
    assert.equal(spawnSync(process.execPath, [BIN, 'sync', '--no-such-flag'], { encoding: 'utf8' }).status, 2);
  } finally {
    s.cleanup();
  }
});

test('init writes a starter config that validates; it does not overwrite without --force', () => {
  const s = new Scenario('init');
  try {
    assert.equal(s.run(['init']).code, 0);
    const text = read(s.path('pimhub.yaml'));
    assert.match(text, /^# pimhub configuration/);
    assert.match(text, /conflict: newest/);
    assert.equal(s.run(['init']).code, 2);
    assert.equal(s.run(['init', '--force']).code, 0);
    mkdirSync(s.path('home', '.local', 'share', 'contacts', 'default'), { recursive: true });
    const check = s.run(['check', '--json'], { HOME: s.path('home'), PIMHUB_ALICE_PASSWORD: 'starter-test' });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.deepEqual(check.json().connectors.map((c: { name: string; ok: boolean }) => [c.name, c.ok]), [['desktop', true]]);
  } finally {
    s.cleanup();
  }
});

test('check reports an unreachable connector with exit 1', () => {
  const s = new Scenario('check');
  try {
    s.config('connectors:\n  gone: { type: vdir, path: ./missing }\ncollections:\n  c: { kind: contacts, members: [gone] }\n');
    const r = s.run(['check']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /connector gone \(vdir\): FAILED: .*missing.* does not exist/);
  } finally {
    s.cleanup();
  }
});

test('export writes files phones and mail clients import, in every format', () => {
  const s = synced('export');
  try {
    for (const [format, file] of [['vcf', 'c.vcf'], ['vcf4', 'c4.vcf'], ['vcf21', 'c21.vcf'], ['google-csv', 'g.csv'], ['outlook-csv', 'o.csv']] as const) {
      const r = s.run(['export', 'contacts', '--format', format, '-o', s.path(file), '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json().items, 4);
    }
    assert.equal(count(read(s.path('c.vcf')), /^VERSION:3\.0/m), 4);
    assert.equal(count(read(s.path('c4.vcf')), /^VERSION:4\.0/m), 4);
    const v21 = read(s.path('c21.vcf'));
    assert.equal(count(v21, /^VERSION:2\.1/m), 4);
    assert.match(v21, /CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE/);
    const names = decodeVCards(v21).items.map((i) => i.card.props.find((p) => p.name === 'fn')!.values[0]).sort();
    assert.deepEqual(names, ['Anna Schmidt', 'Jörg Müller', 'Yuki Tanaka', 'Élodie Dubois']);
    assert.equal(decodeGoogleCsv(read(s.path('g.csv'))).items.length, 4);
    assert.equal(decodeOutlookCsv(read(s.path('o.csv'))).items.length, 4);
    const ics = s.run(['export', 'personal', '--format', 'ics', '-o', s.path('p.ics')]);
    assert.equal(ics.code, 0, ics.stderr);
    assert.equal(decodeICalendar(read(s.path('p.ics'))).items.length, 3);
    assert.equal(s.run(['export', 'personal', '--format', 'vcf', '-o', s.path('x.vcf')]).code, 2);
    assert.equal(s.run(['export', 'nope', '--format', 'vcf', '-o', s.path('x.vcf')]).code, 2);
  } finally {
    s.cleanup();
  }
});

test('log filters by item, time and count; --only syncs the named collection', () => {
  const s = synced('logfilter');
  try {
    const all = s.run(['log', '--json']).json().entries;
    assert.equal(all.length, 7);
    assert.ok(all.every((e: { id: number }, i: number) => i === 0 || all[i - 1].id > e.id), 'newest first');
    const one = s.run(['log', '--item', '4b1e2c3d-0002-4000-8000-000000000002', '--json']).json().entries;
    assert.deepEqual(one.map((e: { action: string }) => e.action), ['created']);
    assert.equal(s.run(['log', '--limit', '2', '--json']).json().entries.length, 2);
    assert.equal(s.run(['log', '--since', '2999-01-01', '--json']).json().entries.length, 0);
    assert.equal(s.run(['log', '--since', 'yesterday-ish']).code, 2);
    const only = s.run(['sync', '--only', 'personal', '--json']).json();
    assert.deepEqual(only.collections.map((c: { name: string }) => c.name), ['personal']);
    assert.equal(s.run(['sync', '--only', 'nope']).code, 2);
  } finally {
    s.cleanup();
  }
});

test('passwd prints a scrypt hash that verifies the password', async () => {
  const r = spawnSync(process.execPath, [BIN, 'passwd', 'alice'], { input: 'correct horse battery\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const hash = /passwordHash: "([^"]+)"/.exec(r.stdout)![1]!;
  assert.ok(await verifyPassword('correct horse battery', hash));
  assert.equal(await verifyPassword('wrong', hash), false);
  assert.doesNotMatch(r.stdout + r.stderr, /correct horse/);
});
