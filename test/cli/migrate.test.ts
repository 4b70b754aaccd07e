import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { mongoTargets } from '../store/jongodb.js';
import { Scenario } from './cli-harness.js';
import { edit, onlyFile } from './files.js';

/** `pimhub migrate --to URL`: sqlite → mongodb → sqlite, with status, log and runs unchanged and nothing left to sync. */

const CONNECTORS = `connectors:
  phone: { type: vcard-file, path: ./data/android-2.1.vcf, readOnly: true }
  iphone: { type: vcard-file, path: ./data/iphone-3.0.vcf }
  google: { type: google-csv, path: ./data/google.csv }
  desktop: { type: vdir, path: ./data/vdir }
  agenda: { type: ics-file, path: ./agenda.ics }
  caldir: { type: vdir, path: ./cal }
collections:
  contacts: { kind: contacts, members: [phone, iphone, google, desktop] }
  personal: { kind: calendar, members: [agenda, caldir] }
`;

function snapshot(s: Scenario) {
  const status = s.run(['status', '--json']);
  assert.equal(status.code, 0, status.stderr);
  return {
    status: status.json(),
    log: s.run(['log', '--json', '--limit', '10000']).json(),
    runs: s.run(['runs', '--json', '--limit', '1000']).json(),
  };
}

function assertNothingToSync(s: Scenario): void {
  const r = s.run(['sync', '--json']);
  assert.equal(r.code, 0, r.stderr);
  for (const c of r.json().collections as Array<{ name: string; changes: unknown[]; writes: unknown[] }>) {
    assert.deepEqual([c.name, c.changes.length, c.writes.length], [c.name, 0, 0]);
  }
}

for (const target of mongoTargets()) {
  test(`${target.name}: pimhub migrate sqlite → mongodb → sqlite keeps status, log and runs, and the next sync writes nothing`, async () => {
    const s = new Scenario('migrate');
    try {
      s.copy('scenarios/same-person', 'data');
      s.copy('calendars/personal.ics', 'agenda.ics');
      mkdirSync(s.path('cal'));
      s.config(`store: sqlite:./pimhub.db\n${CONNECTORS}`);
      assert.equal(s.run(['sync']).code, 0);
      // A merge, so the log holds more than creations; then a no-change run.
      edit(onlyFile(s.path('cal'), /UID:weekly-standup-5f1c@example\.org/), 'SUMMARY:Team-Standup (mit Kund:innen)', 'SUMMARY:Standup');
      assert.equal(s.run(['sync']).code, 0);
      assertNothingToSync(s);
      const before = snapshot(s);
      assert.ok(before.log.entries.length > 5 && before.runs.runs.length === 3);

      const mongo = await target.freshUrl();
      const m = s.run(['migrate', '--to', mongo, '--json']);
      assert.equal(m.code, 0, m.stderr);
      const counts = m.json().counts;
      assert.equal(counts.log, before.log.entries.length);
      assert.equal(counts.runs, 3);
      assert.ok(counts.items > 0 && counts.versions >= counts.items && counts.links > 0 && counts.memberStates > 0);
      // A second migrate into the same, now full, target is refused.
      const again = s.run(['migrate', '--to', mongo]);
      assert.equal(again.code, 2, again.stderr);
      assert.match(again.stderr, /not empty/);

      s.config(`store: "${mongo}"\n${CONNECTORS}`);
      assert.deepEqual(snapshot(s), before);
      assertNothingToSync(s);
      const onMongo = snapshot(s);
      assert.equal(onMongo.runs.runs.length, 4);

      const back = s.run(['migrate', '--to', 'sqlite:./back.db']);
      assert.equal(back.code, 0, back.stderr);
      assert.match(back.stdout, /the counts match/);
      s.config(`store: sqlite:./back.db\n${CONNECTORS}`);
      assert.deepEqual(snapshot(s), onMongo);
      assertNothingToSync(s);
    } finally {
      s.cleanup();
    }
  });
}
