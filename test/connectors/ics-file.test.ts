import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { create } from '../../connectors/ics-file/index.js';
import { isFlushable, isIncremental, isWritable, type IncrementalSource } from '../../src/core/connector.js';
import { isPimError } from '../../src/core/errors.js';
import { textOf } from '../../src/model/property.js';
import { runConnectorContract } from './connector-contract.js';
import { singleFileSetup } from './single-file-setup.js';
import { copyFixture, withTempDir } from './temp-files.js';

const CAL = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${body}END:VCALENDAR\r\n`;
const EVENT = (uid: string, start: string, summary: string) =>
  `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:${start}\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\n`;

runConnectorContract('ics-file', singleFileSetup({
  create, type: 'ics-file', kind: 'calendar', file: 'calendar.ics',
  otherText: CAL(EVENT('other@example.org', '20240301T100000Z', 'Elsewhere')),
  // The broken VEVENT starts at line 10: three header lines, six of the good event.
  broken: { text: CAL(EVENT('good@example.org', '20240301T100000Z', 'Good') + EVENT('bad@example.org', '2024-13-45T99', 'Bad')), line: 10 },
}), { kind: 'calendar' });

test('ics-file keeps X-WR-CALNAME and broken components on a rewrite', () => withTempDir(async (dir) => {
  const path = await copyFixture('calendars/broken-component.ics', dir);
  const text = (await fs.readFile(path, 'utf8')).replace('VERSION:2.0', 'VERSION:2.0\r\nX-WR-CALNAME:Privat');
  await fs.writeFile(path, text);
  const s = await create('agenda', { type: 'ics-file', path }, { baseDir: '/' }).source('calendar');
  assert.ok(isWritable(s));
  const all = await s.get((await s.list()).map((e) => e.href));
  assert.equal(all.items.length, 2);
  assert.equal(all.problems.length, 2);
  const first = all.items[0];
  await s.update(first.href, first.etag, first.item);
  assert.ok(isFlushable(s));
  await s.flush();
  const written = await fs.readFile(path, 'utf8');
  assert.match(written, /X-WR-CALNAME:Privat/);
  assert.match(written, /DTSTART:2024-13-45T99/, 'the broken event is kept verbatim');
  const again = await create('agenda', { type: 'ics-file', path }, { baseDir: '/' }).source('calendar');
  const r = await again.get((await again.list()).map((e) => e.href));
  assert.equal(r.items.length, 2);
  assert.equal(r.problems.length, 2);
}));

test('ics-file: unchanged file → empty delta; no token → everything with a token; other token → null', () => withTempDir(async (dir) => {
  const path = await copyFixture('calendars/personal.ics', dir);
  const conn = create('agenda', { type: 'ics-file', path, readOnly: true }, { baseDir: '/' });
  const s = await conn.source('calendar');
  assert.ok(isIncremental(s) && !isWritable(s));
  const first = await s.changesSince(undefined);
  assert.ok(first && first.changed.length > 0 && first.deleted.length === 0);
  const s2 = (await conn.source('calendar')) as IncrementalSource;
  assert.deepEqual(await s2.changesSince(first.token), { changed: [], deleted: [], token: first.token });
  assert.equal(await s2.changesSince('1:2:3'), null);
  const r = await s2.get(first.changed.map((e) => e.href));
  assert.ok(r.items.every((i) => i.item.kind === 'calendar' && textOf(i.item.master ?? i.item.overrides[0], 'uid') !== ''));
}));

test('ics-file: a missing file is empty when writable, not-found when read-only', () => withTempDir(async (dir) => {
  const w = await create('agenda', { type: 'ics-file', path: 'none.ics' }, { baseDir: dir }).source('calendar');
  assert.deepEqual(await w.list(), []);
  await assert.rejects(
    create('agenda', { type: 'ics-file', path: 'none.ics', readOnly: true }, { baseDir: dir }).source('calendar'),
    (e: unknown) => isPimError(e, 'not-found') && e.where === join(dir, 'none.ics') && /does not exist/.test(e.message),
  );
  await assert.rejects(
    create('agenda', { type: 'ics-file', path: 'none.ics' }, { baseDir: dir }).source('contacts'),
    (e: unknown) => isPimError(e, 'config'),
  );
}));

test('ics-file options: unknown keys are refused with the key path', () => {
  assert.throws(
    () => create('agenda', { type: 'ics-file', path: 'x.ics', colour: 'red' }, { baseDir: '/' }),
    (e: unknown) => isPimError(e, 'config') && /connectors\.agenda/.test(e.message),
  );
});
