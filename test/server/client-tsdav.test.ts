import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDAVClient } from 'tsdav';
import { ENV, PASSWORD, TestServer, vcard, vevent } from './server-harness.js';

/** tsdav 2 as a second real client, through its high-level API only. */
describe('client: tsdav against the endpoint', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
    await t.seed('contacts', vcard('ts-anna', ['FN:Anna Adler', 'EMAIL:anna@example.org']));
    await t.seed('contacts', vcard('ts-bert', ['FN:Bert Bär']));
    await t.seed('personal', vevent('ts-ev', ['SUMMARY:Review', 'DTSTART:20240105T100000Z', 'DTEND:20240105T110000Z']));
    void ENV;
  });
  after(() => t.stop());

  const client = (type: 'carddav' | 'caldav') =>
    createDAVClient({ serverUrl: t.base, credentials: { username: 'alice', password: PASSWORD }, authMethod: 'Basic', defaultAccountType: type });

  test('fetchAddressBooks, fetchVCards, createVCard, syncCollection', async () => {
    const c = await client('carddav');
    const books = await c.fetchAddressBooks();
    assert.deepEqual(books.map((b) => b.url.replace(t.base, '')), ['/dav/home/alice/contacts/']);
    const book = books[0]!;
    const cards = await c.fetchVCards({ addressBook: book });
    assert.deepEqual(cards.map((x) => /FN:([^\r\n]*)/.exec(String(x.data))?.[1]).sort(), ['Anna Adler', 'Bert Bär']);
    assert.ok(cards.every((x) => x.etag));
    const first = await c.syncCollection({ url: book.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: '' });
    assert.equal(first.filter((r) => r.href).length, 2);
    const book2 = (await c.fetchAddressBooks())[0]!;
    const token = book2.syncToken as string;
    assert.match(token, /^urn:pimhub:sync:/);
    const created = await c.createVCard({ addressBook: book, filename: 'tsdav new.vcf', vCardString: vcard('ts-new', ['FN:Tessa Dav']) });
    assert.equal(created.status, 201);
    const delta = await c.syncCollection({ url: book.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: token });
    assert.deepEqual(delta.map((r) => decodeURIComponent(r.href ?? '')).filter(Boolean), ['/dav/home/alice/contacts/tsdav new.vcf']);
    const all = await c.fetchVCards({ addressBook: book });
    assert.equal(all.length, 3);
    assert.equal((await t.store.listLog({ uid: 'ts-new' }))[0]?.connector, 'endpoint');
  });

  test('fetchCalendars and fetchCalendarObjects', async () => {
    const c = await client('caldav');
    const cals = await c.fetchCalendars();
    assert.deepEqual(cals.map((x) => x.url.replace(t.base, '')), ['/dav/home/alice/personal/']);
    const objs = await c.fetchCalendarObjects({ calendar: cals[0]! });
    assert.equal(objs.length, 1);
    assert.match(String(objs[0]!.data), /SUMMARY:Review/);
  });
});
