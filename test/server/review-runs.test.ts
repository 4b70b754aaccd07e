import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { newRun } from '../../src/sync/runs.js';
import { TestServer, vcard } from './server-harness.js';
import {  } from '../../src/core/types.js';

/** The Runs and Duplicates tabs: list, preview, CSRF-protected undo and merge, nothing of another user's. */
let t: TestServer;
let runId: string;
let bobsRun: string;
let itemId: string;

/** A run that created one contact in a collection (as a sync would). */
async function createdByRun(collection: string, uid: string, fn: string): Promise<{ run: string; id: string }> {
  const run = { ...newRun('cli', new Date(), 'sync'), end: new Date().toISOString() };
  run.collections = [{ name: collection, created: 1, updated: 0, merged: 0, conflicts: 0, deleted: 0, restored: 0, writes: 0 }];
  const item = decodeVCards(vcard(uid, [`FN:${fn}`])).items[0]!;
  const id = randomUUID();
  await t.store.commit({
    runs: [run],
    items: [{ id, collection, uid: item.uid, item, meta: { fieldSources: {} }, expectVersion: 0, run: run.id, identityKeys: [] }],
    log: [{ run: run.id, time: run.start, collection, uid, itemId: id, action: 'created', connector: 'phone' }],
  });
  return { run: run.id, id };
}

before(async () => {
  t = await TestServer.start();
  // Another contact, so that removing one is within the delete guard.
  await t.seed('contacts', vcard('runs-tab-0', ['FN:Anna Schmidt']));
  ({ run: runId, id: itemId } = await createdByRun('contacts', 'runs-tab-1', 'Runs <b>Tab</b>'));
  ({ run: bobsRun } = await createdByRun('bobs', 'bobs-run-1', 'Bobs Friend'));
});
after(async () => {
  await t.stop();
});

const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no token in the page');
const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.req('POST', '/review/undo', { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

test('runs are listed with their counts, only the user\'s own', async () => {
  const r = await t.req('GET', '/review/runs');
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(runId));
  assert.match(r.text, /contacts: 1 created/);
  assert.ok(!r.text.includes(bobsRun), 'bob\'s run is not shown to alice');
  assert.equal((await t.req('GET', '/review/runs', { auth: false })).status, 401);
  assert.match((await t.req('GET', '/')).text, /href="\/review\/runs"/);
});

test('the preview says what the undo would do and changes nothing; another user\'s run is not found', async () => {
  const r = await t.req('GET', `/review/undo?run=${runId}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /Runs &lt;b&gt;Tab&lt;\/b&gt;<\/td><td>contacts<\/td><td>removed/);
  assert.equal((await t.store.getItem(itemId))!.deleted, false);
  assert.equal((await t.req('GET', `/review/undo?run=${bobsRun}`)).status, 404);
  assert.equal((await t.req('GET', '/review/undo?run=../etc')).status, 404);
});

test('the undo POST needs the token and this site; then the run is undone as a run of its own', async () => {
  const token = tokenOf((await t.req('GET', `/review/undo?run=${runId}`)).text);
  assert.equal((await post({ run: runId, token: 'x' })).status, 403);
  assert.equal((await post({ run: runId, token }, { origin: 'https://evil.example' })).status, 403);
  assert.equal((await post({ run: bobsRun, token })).status, 404);
  assert.equal((await t.store.getItem(itemId))!.deleted, false, 'nothing changed yet');
  const r = await post({ run: runId, token }, { origin: t.base });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), `/review/runs?undone=${runId}`);
  assert.equal((await t.store.getItem(itemId))!.deleted, true);
  const runs = await t.store.listRuns(5);
  assert.equal(runs[0]!.trigger, 'review');
  assert.equal(runs[0]!.command, `undo --run ${runId}`);
  const log = await t.store.listLog({ run: runs[0]!.id });
  assert.deepEqual(log.map((e) => e.action), ['undone']);
  assert.match((await t.req('GET', `/review/runs?undone=${runId}`)).text, /was undone/);
});

test('the Duplicates tab shows a group side by side with differences marked; the merge POST needs the token', async () => {
  const a = await t.seed('contacts', vcard('dup-a', ['FN:William Turner', 'N:Turner;William;;;', 'EMAIL:bill.turner@example.co.uk', 'ORG:Turner & Daughters Ltd']));
  const b = await t.seed('contacts', vcard('dup-b', ['FN:Bill Turner', 'N:Turner;Bill;;;', 'EMAIL:bill.turner@example.co.uk', 'TEL:+44 7700 900123']));
  await t.seed('bobs', vcard('dup-c', ['FN:Bill Turner', 'EMAIL:bill.turner@example.co.uk']));
  const r = await t.req('GET', '/review/duplicates');
  assert.equal(r.status, 200);
  assert.match(r.text, /same email bill\.turner@example\.co\.uk/);
  assert.match(r.text, /<tr class="differs"><th>≠ fn<\/th>/);
  assert.match(r.text, /<tr><th>email<\/th>/);
  assert.ok(!r.text.includes('dup-c'), 'bob\'s contact is not shown to alice');
  const items = /name="items" value="([^"]+)"/.exec(r.text)![1]!;
  assert.deepEqual(items.split(',').sort(), [a.id, b.id].sort());
  const send = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    t.req('POST', '/review/merge', { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  assert.equal((await send({ items, token: 'x' })).status, 403);
  const token = tokenOf(r.text);
  const m = await send({ items, token }, { origin: t.base });
  assert.equal(m.status, 303, m.text);
  const [first, second] = items.split(',') as [string, string];
  assert.equal((await t.store.getItem(second))!.deleted, true);
  const kept = (await t.store.getItem(first))!;
  const props = kept.item.kind === 'contact' ? kept.item.card.props.map((p) => p.name) : [];
  for (const name of ['email', 'org', 'tel']) assert.ok(props.includes(name), `${name} kept: ${props.join(',')}`);
  assert.match((await t.req('GET', m.headers.get('location')!)).text, /Merged, logged as #\d+/);
});

test('the Duplicates tab\'s "Not duplicates" button remembers the pair (token needed); the group is not shown again', async () => {
  const a = await t.seed('contacts', vcard('nd-a', ['FN:Priya Raman', 'N:Raman;Priya;;;', 'EMAIL:priya.raman@example.in']));
  const b = await t.seed('contacts', vcard('nd-b', ['FN:Priya Raman', 'N:Raman;Priya;;;', 'EMAIL:priya.raman@example.in', 'ORG:Chennai Labs']));
  const page = await t.req('GET', '/review/duplicates');
  const form = /<form method="post" action="\/review\/dismiss"[^>]*>.*?name="items" value="([^"]+)"/.exec(page.text);
  assert.ok(form, page.text);
  const items = form[1]!;
  assert.deepEqual(items.split(',').sort(), [a.id, b.id].sort());
  const send = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    t.req('POST', '/review/dismiss', { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  assert.equal((await send({ items, token: 'x' }, { origin: t.base })).status, 403);
  assert.deepEqual(await t.store.listDismissedPairs('contacts'), []);
  const d = await send({ items, token: tokenOf(page.text) }, { origin: t.base });
  assert.equal(d.status, 303, d.text);
  assert.equal((await t.store.listDismissedPairs('contacts')).length, 1);
  const after = await t.req('GET', d.headers.get('location')!);
  assert.match(after.text, /Dismissed: these 2 items/);
  assert.ok(!after.text.includes(a.id) && !after.text.includes(b.id), 'the dismissed group is not shown');
  assert.equal((await t.store.getItem(a.id))!.deleted, false);
});
