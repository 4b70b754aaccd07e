/**
 * python-caldav (Debian's python3-caldav) against the endpoint: it finds the calendar, saves
 * a recurring event with an override and an EXDATE, searches a date range with server-side
 * expansion, and asks for free-busy. What it reads must be the instances RFC 4791 gives.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, TestServer } from './server-harness.js';

const PYTHON = '/usr/bin/python3';
const hasCaldav = spawnSync(PYTHON, ['-c', 'import caldav'], { encoding: 'utf8' }).status === 0;
if (!hasCaldav && process.env.CI === 'true') throw new Error('python3-caldav is missing: apt-get install python3-caldav');

const SERIES = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:py-series', 'DTSTAMP:20240301T000000Z',
  'DTSTART:20240401T090000Z', 'DTEND:20240401T100000Z', 'RRULE:FREQ=DAILY;COUNT=4', 'EXDATE:20240403T090000Z', 'SUMMARY:Daily', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:py-series', 'DTSTAMP:20240301T000000Z', 'RECURRENCE-ID:20240402T090000Z', 'DTSTART:20240402T150000Z',
  'DTEND:20240402T160000Z', 'SUMMARY:Daily (moved)', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

const SCRIPT = `
import sys, json, datetime, caldav
url, user, pw, ics = sys.argv[1:5]
client = caldav.DAVClient(url=url, username=user, password=pw)
cals = client.principal().calendars()
cal = [c for c in cals if str(c.url).rstrip('/').endswith('/personal')][0]
cal.save_event(ics)
utc = datetime.timezone.utc
found = cal.date_search(start=datetime.datetime(2024, 4, 1, tzinfo=utc), end=datetime.datetime(2024, 4, 10, tzinfo=utc), expand=True)
out = []
for ev in found:
    for comp in ev.icalendar_instance.walk('VEVENT'):
        out.append([str(comp.get('SUMMARY')), comp.get('DTSTART').dt.isoformat(), 'RRULE' in comp])
fb = cal.freebusy_request(datetime.datetime(2024, 4, 1, tzinfo=utc), datetime.datetime(2024, 4, 5, tzinfo=utc))
print(json.dumps({'calendars': [str(c.url) for c in cals], 'instances': sorted(out), 'freebusy': fb.data}))
`;

describe('client: python-caldav against the endpoint', { skip: hasCaldav ? false : 'python3-caldav is not installed (apt-get install python3-caldav)' }, () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  test('discovers, saves, reads expanded instances and free-busy', async () => {
    // Asynchronous: the endpoint answers from this process while python-caldav runs.
    const r = await promisify(execFile)(PYTHON, ['-c', SCRIPT, `${t.base}/dav/`, 'alice', PASSWORD, SERIES], { encoding: 'utf8', timeout: 60000 });
    const got = JSON.parse(r.stdout) as { calendars: string[]; instances: Array<[string, string, boolean]>; freebusy: string };
    assert.ok(got.calendars.some((u) => u.endsWith('/dav/home/alice/personal/')), got.calendars.join(' '));
    assert.deepEqual(got.instances, [
      ['Daily', '2024-04-01T09:00:00+00:00', false],
      ['Daily', '2024-04-04T09:00:00+00:00', false],
      ['Daily (moved)', '2024-04-02T15:00:00+00:00', false],
    ]);
    const busy = got.freebusy.split(/\r?\n/).filter((l) => l.startsWith('FREEBUSY'));
    assert.deepEqual(busy, [
      'FREEBUSY;FBTYPE=BUSY:20240401T090000Z/20240401T100000Z',
      'FREEBUSY;FBTYPE=BUSY:20240402T150000Z/20240402T160000Z',
      'FREEBUSY;FBTYPE=BUSY:20240404T090000Z/20240404T100000Z',
    ]);
  });
});
