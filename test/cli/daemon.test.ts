import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contacts as generateContacts } from '../../bench/generate.js';
import { Scenario } from './cli-harness.js';
import { DaemonProcess, eventually } from './daemon-harness.js';
import { edit, onlyFile } from './files.js';

const ENV = { PIMHUB_TEST_PW: 'daemon-pass' };
const AUTH = `Basic ${Buffer.from(`alice:${ENV.PIMHUB_TEST_PW}`).toString('base64')}`;

const card = (uid: string, fn: string) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn.split(' ').reverse().join(';')};;;`, 'END:VCARD', ''].join('\r\n');

/** A vdir member `desk` and the endpoint on a free port, for alice. */
function scenario(name: string, schedule: string): Scenario {
  const s = new Scenario(name);
  mkdirSync(s.path('desk'));
  s.write('desk/anna.vcf', card('anna', 'Anna Desk'));
  s.config(`store: sqlite:./pimhub.db
schedule: "${schedule}"
server:
  listen: 127.0.0.1:0
  users:
    alice: { passwordEnv: PIMHUB_TEST_PW }
connectors:
  desk: { type: vdir, path: ./desk }
collections:
  contacts: { kind: contacts, members: [desk], owner: alice }
`);
  return s;
}

const fileWith = (dir: string, text: string) => readdirSync(dir).find((f) => !f.startsWith('.') && readFileSync(join(dir, f), 'utf8').includes(text));

test('daemon: a contact PUT through CardDAV reaches the vdir member within seconds, with no sync command; /healthz; SIGTERM exits 0', async () => {
  // The schedule is far away: only the start and the write can cause syncs here.
  const s = scenario('daemon-write', '0 0 1 1 *');
  let d: DaemonProcess | undefined;
  try {
    d = await DaemonProcess.start(s, ENV, ['--debounce', '0.5']);
    await d.waitFor((r) => r.msg === 'sync done' && (r.reasons as string[]).includes('start'), 20_000, 'the first sync');

    const health = await fetch(`${d.base}/healthz`);
    assert.equal(health.status, 200);
    const h = await health.json() as { status: string; sync: { lastRun?: { ok: boolean }; nextRun?: string } };
    assert.equal(h.status, 'ok');
    assert.equal(h.sync.lastRun?.ok, true);
    assert.match(h.sync.nextRun ?? '', /-01-01T/);

    const from = d.records.length;
    const t0 = Date.now();
    const put = await fetch(`${d.base}/dav/home/alice/contacts/thunderbird-1.vcf`, {
      method: 'PUT', headers: { authorization: AUTH, 'content-type': 'text/vcard; charset=utf-8' }, body: card('thunderbird-1', 'Tom Thunderbird'),
    });
    assert.equal(put.status, 201);
    const file = await eventually(() => fileWith(s.path('desk'), 'UID:thunderbird-1'), 10_000, 'the contact in the vdir');
    const took = Date.now() - t0;
    assert.ok(took < 8000, `took ${took} ms`);
    assert.match(readFileSync(s.path('desk', file), 'utf8'), /FN:Tom Thunderbird/);
    const synced = await d.waitFor((r) => r.msg === 'sync done', 5000, 'the write-triggered sync', from);
    assert.deepEqual(synced.reasons, ['write']);
    assert.equal(synced.writes, 1);
    assert.ok(d.records.slice(from).some((r) => r.msg === 'change through the endpoint' && r.collection === 'contacts'));

    // A burst of writes is one sync, not one per write.
    const burst = d.records.length;
    for (const n of [2, 3, 4]) {
      const r = await fetch(`${d.base}/dav/home/alice/contacts/thunderbird-${n}.vcf`, {
        method: 'PUT', headers: { authorization: AUTH, 'content-type': 'text/vcard' }, body: card(`thunderbird-${n}`, `Tom ${n}`),
      });
      assert.equal(r.status, 201);
    }
    await eventually(() => fileWith(s.path('desk'), 'UID:thunderbird-4'), 10_000, 'the burst in the vdir');
    await d.waitFor((r) => r.msg === 'sync done', 5000, 'the burst sync', burst);
    assert.equal(d.records.slice(burst).filter((r) => r.msg === 'sync started').length, 1, d.output());

    // Nothing secret or private in the log: no password, no Authorization, no card text.
    const log = d.output();
    assert.ok(!log.includes(ENV.PIMHUB_TEST_PW));
    assert.ok(!log.includes('Basic '));
    assert.ok(!log.includes('BEGIN:VCARD'));

    assert.equal(await d.stop('SIGTERM'), 0, d.output());
    assert.ok(d.records.some((r) => r.msg === 'stopped'));
  } finally {
    await d?.stop('SIGKILL');
    s.cleanup();
  }
});

test('daemon: scheduled runs fire (six-field cron, every 2 s) and carry a vdir edit to the endpoint', async () => {
  const s = scenario('daemon-schedule', '*/2 * * * * *');
  let d: DaemonProcess | undefined;
  try {
    d = await DaemonProcess.start(s, ENV, ['--no-initial-sync']);
    await d.waitFor((r) => r.msg === 'sync done' && (r.reasons as string[]).includes('schedule'), 10_000, 'a scheduled sync');
    const get = () => fetch(`${d!.base}/dav/home/alice/contacts/`, { method: 'GET', headers: { authorization: AUTH } }).then((r) => r.text());
    assert.match(await get(), /FN:Anna Desk/);
    edit(onlyFile(s.path('desk'), /UID:anna/), 'FN:Anna Desk', 'FN:Anna Edited');
    const from = d.records.length;
    await d.waitFor((r) => r.msg === 'sync done' && r.changes === 1, 10_000, 'a scheduled sync that picks up the edit', from);
    assert.match(await get(), /FN:Anna Edited/);
    assert.equal(d.records.filter((r) => r.msg === 'sync done' && (r.reasons as string[]).includes('start')).length, 0, '--no-initial-sync');
    assert.equal(await d.stop('SIGINT'), 0, d.output());
  } finally {
    await d?.stop('SIGKILL');
    s.cleanup();
  }
});

test('daemon: SIGTERM during a sync lets it finish, then exits 0; the store is consistent', async () => {
  const s = scenario('daemon-sigterm', '0 0 1 1 *');
  let d: DaemonProcess | undefined;
  try {
    for (const c of generateContacts(1500, 11)) writeFileSync(s.path('desk', `${c.uid.replace(/[^A-Za-z0-9-]/g, '_')}.vcf`), c.text);
    d = await DaemonProcess.start(s, ENV);
    await d.waitFor((r) => r.msg === 'sync started', 10_000, 'the first sync to start');
    assert.equal(await d.stop('SIGTERM'), 0, d.output());
    const msgs = d.records.map((r) => r.msg);
    const stopping = msgs.indexOf('stopping: finishing the running sync');
    assert.ok(stopping >= 0, d.output());
    assert.ok(msgs.indexOf('sync done') > stopping, 'the sync finished after the signal');
    assert.equal(msgs[msgs.length - 1], 'stopped');
    const status = s.run(['status', '--json'], ENV).json();
    assert.equal(status.collections[0].items, 1501);
    const again = s.run(['sync', '--json'], ENV).json();
    assert.equal(again.collections[0].changes.length, 0);
  } finally {
    await d?.stop('SIGKILL');
    s.cleanup();
  }
});

test('daemon: a bad option is a usage error (exit 2) before anything starts', () => {
  const s = scenario('daemon-usage', '0 0 1 1 *');
  try {
    const r = s.run(['daemon', '--debounce', 'soon'], ENV);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--debounce soon: expected seconds/);
    const l = s.run(['daemon', '--log-level', 'loud'], ENV);
    assert.equal(l.code, 2);
    assert.match(l.stderr, /--log-level loud/);
  } finally {
    s.cleanup();
  }
});
