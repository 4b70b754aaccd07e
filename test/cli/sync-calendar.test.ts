import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { Scenario } from './cli-harness.js';
import { count, edit, onlyFile, read } from './files.js';

function calendarScenario(name: string, fixture: string): Scenario {
  const s = new Scenario(name);
  mkdirSync(s.path('vdir'));
  s.copy(`calendars/${fixture}`, 'agenda.ics');
  s.config(`
connectors:
  agenda: { type: ics-file, path: ./agenda.ics }
  tasks: { type: vdir, path: ./vdir }
collections:
  personal: { kind: calendar, members: [agenda, tasks] }
`);
  const r = s.run(['sync']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return s;
}

test('a recurring event: the master edited on one member and an override on another both survive', () => {
  const s = calendarScenario('recurring', 'personal.ics');
  try {
    const file = onlyFile(s.path('vdir'), /UID:weekly-standup-5f1c@example\.org/);
    // The vdir holds the whole series in one file: master and both overrides.
    assert.equal(count(read(file), /^RECURRENCE-ID/m), 2);
    edit(s.path('agenda.ics'), 'LOCATION:Raum 3.14\\, Gebäude B', 'LOCATION:Raum 4.01');
    edit(file, 'SUMMARY:Team-Standup (mit Kund:innen)', 'SUMMARY:Standup mit Kunde ACME');
    const r = s.run(['sync', '--json']);
    assert.equal(r.code, 0, r.stderr);
    for (const text of [read(s.path('agenda.ics')), read(file)]) {
      assert.match(text, /LOCATION:Raum 4\.01/);
      assert.match(text, /SUMMARY:Standup mit Kunde ACME/);
      assert.doesNotMatch(text, /Kund:innen/);
      assert.match(text, /EXDATE;TZID=Europe\/Berlin:20240212T100000,20240219T100000/);
      assert.equal(count(text, /^RECURRENCE-ID/m), 2);
    }
    assert.equal(s.run(['log', '--conflicts', '--json']).json().entries.length, 0);
  } finally {
    s.cleanup();
  }
});

test('a task: STATUS changed on one side and DUE on the other both survive', () => {
  const s = calendarScenario('task', 'tasks.ics');
  try {
    const file = onlyFile(s.path('vdir'), /UID:umzug-parent-0001@example\.org/);
    edit(s.path('agenda.ics'), 'STATUS:IN-PROCESS', 'STATUS:COMPLETED');
    edit(file, 'DUE;TZID=Europe/Berlin:20240331T180000', 'DUE;TZID=Europe/Berlin:20240405T120000');
    const r = s.run(['sync']);
    assert.equal(r.code, 0, r.stderr);
    for (const text of [read(s.path('agenda.ics')), read(file)]) {
      const todo = text.slice(text.indexOf('UID:umzug-parent-0001'));
      assert.match(todo.slice(0, todo.indexOf('END:VTODO')), /STATUS:COMPLETED/);
      assert.match(todo.slice(0, todo.indexOf('END:VTODO')), /DUE;TZID=Europe\/Berlin:20240405T120000/);
    }
    // Subtasks keep their link to the parent everywhere.
    assert.equal(count(read(s.path('agenda.ics')), /RELATED-TO;RELTYPE=PARENT:umzug-parent-0001@example\.org/), 2);
    assert.equal(readdirSync(s.path('vdir')).length, count(read(s.path('agenda.ics')), /^BEGIN:VTODO/m));
  } finally {
    s.cleanup();
  }
});
