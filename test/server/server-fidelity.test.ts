/**
 * Round-trip fidelity (SPEC §5): what a client PUTs, it reads back — by GET, multiget and
 * sync-collection — with the same properties, parameters, groups, name case and value forms,
 * until another member changes the item; after such a change, every property that did not
 * change still comes back in the client's own form. The corpus is fixtures/roundtrip/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeICalendar } from '../../src/codecs/icalendar/index.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { ENDPOINT_MEMBER } from '../../src/sync/endpoint-write.js';
import { textOf, TestServer } from './server-harness.js';
import { asHref, asUid } from '../../src/core/types.js';

const DIR = join(process.cwd(), 'fixtures', 'roundtrip');
const corpus = readdirSync(DIR).filter((f) => /\.(vcf|ics)$/.test(f)).sort();
const CT = { vcf: 'text/vcard; charset=utf-8', ics: 'text/calendar; charset=utf-8' };
const UA = { 'user-agent': 'DAVx5/4.3.13-ose (2024/03/01; dav4jvm; okhttp/4.12.0) Android/14' };

/** Content lines (unfolded), so a failure names the property and parameter that differ. */
function contentLines(text: string): string[] {
  return text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((l) => l !== '');
}

function assertSameLines(got: string, sent: string, what: string): void {
  const g = contentLines(got);
  const s = contentLines(sent);
  const missing = s.filter((l) => !g.includes(l));
  const extra = g.filter((l) => !s.includes(l));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: lines differ`);
  assert.deepEqual(g, s, `${what}: same lines, other order`);
  assert.equal(got, sent, `${what}: same lines, other bytes (folding or line ends)`);
}

const hrefOf = (file: string) => `/dav/home/alice/${file.endsWith('.vcf') ? 'contacts' : 'personal'}/${encodeURIComponent(file)}`;
const kindOf = (file: string) => (file.endsWith('.vcf') ? 'vcf' : 'ics') as 'vcf' | 'ics';

describe('endpoint: every client gets back exactly what it wrote', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  for (const file of corpus) {
    test(`${file}: PUT, then GET, multiget and sync-collection return it unchanged`, async () => {
      const sent = readFileSync(join(DIR, file), 'utf8');
      const href = hrefOf(file);
      const put = await t.req('PUT', href, { body: sent, headers: { 'content-type': CT[kindOf(file)], ...UA } });
      assert.equal(put.status, 201, put.text);
      assert.ok(put.headers.get('etag'), 'the stored object equals what was sent, so the PUT answers its ETag');
      const get = await t.req('GET', href, { headers: UA });
      assert.equal(get.status, 200);
      assertSameLines(get.text, sent, `GET ${file}`);
      assert.equal(get.headers.get('etag'), put.headers.get('etag'));

      const col = href.slice(0, href.lastIndexOf('/') + 1);
      const data = kindOf(file) === 'vcf' ? '<C:address-data/>' : '<C:calendar-data/>';
      const ns = kindOf(file) === 'vcf' ? 'urn:ietf:params:xml:ns:carddav' : 'urn:ietf:params:xml:ns:caldav';
      const report = kindOf(file) === 'vcf' ? 'addressbook-multiget' : 'calendar-multiget';
      const mg = await t.req('REPORT', col, {
        body: `<C:${report} xmlns:D="DAV:" xmlns:C="${ns}"><D:prop><D:getetag/>${data}</D:prop><D:href>${href}</D:href></C:${report}>`,
        headers: { 'content-type': 'application/xml', depth: '1', ...UA },
      });
      assert.equal(mg.status, 207);
      assertSameLines(textOf(mg.text, kindOf(file) === 'vcf' ? 'address-data' : 'calendar-data') ?? '', sent, `multiget ${file}`);

      const sync = await t.req('REPORT', col, {
        body: `<D:sync-collection xmlns:D="DAV:" xmlns:C="${ns}"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop>${data}</D:prop></D:sync-collection>`,
        headers: { 'content-type': 'application/xml', ...UA },
      });
      const mine = sync.text.split('<D:response>').find((r) => r.includes(`<D:href>${href}</D:href>`)) ?? '';
      assertSameLines(textOf(mine, kindOf(file) === 'vcf' ? 'address-data' : 'calendar-data') ?? '', sent, `sync-collection ${file}`);
    });
  }

  test('another client of the user, which never wrote the item, also reads the writer\'s form', async () => {
    const sent = readFileSync(join(DIR, 'google.vcf'), 'utf8');
    const get = await t.req('GET', hrefOf('google.vcf'), { headers: { 'user-agent': 'Thunderbird/128.0' } });
    assertSameLines(get.text, sent, 'GET by another client');
  });

  test('a 4.0 card comes back as 4.0 to its writer, and as 3.0 when a client asks for 3.0', async () => {
    const get3 = await t.req('GET', hrefOf('thunderbird-4.0.vcf'), { headers: { accept: 'text/vcard; version=3.0', ...UA } });
    assert.match(get3.text, /^VERSION:3\.0\r$/m);
    assert.match(get3.headers.get('content-type') ?? '', /text\/vcard/);
  });

  test('after another member changes one field, the rest comes back in the client\'s own form', async () => {
    const sent = readFileSync(join(DIR, 'apple-ios.vcf'), 'utf8');
    const href = hrefOf('apple-ios.vcf');
    // The store version the endpoint wrote, changed elsewhere: a new title, a new phone.
    const stored = (await t.store.getItemByUid('contacts', asUid('5A0F3A9C-1B2C-4D5E-8F90-A1B2C3D4E5F6')))!;
    const changed = sent.replace('TITLE:Leiter', 'TITLE:Bereichsleiter').replace('END:VCARD', 'TEL;TYPE=WORK:+49 30 999\r\nEND:VCARD');
    await t.changeElsewhere(stored.id, changed);
    const get = await t.req('GET', href, { headers: UA });
    const lines = contentLines(get.text);
    assert.ok(lines.includes('TITLE:Bereichsleiter'), get.text);
    assert.ok(lines.some((l) => /^TEL;TYPE=WORK:\+49 30 999$/i.test(l)), get.text);
    assert.ok(!lines.includes('TITLE:Leiter'));
    for (const l of contentLines(sent)) if (l !== 'TITLE:Leiter') assert.ok(lines.includes(l), `kept as sent: ${l}`);
    // The client's next PUT of what it read is no change at all.
    const again = await t.req('PUT', href, { body: get.text, headers: { 'content-type': CT.vcf, 'if-match': get.headers.get('etag')!, ...UA } });
    assert.equal(again.status, 204);
    assert.equal(again.headers.get('etag'), get.headers.get('etag'));
  });

  test('the text a client sent is what the endpoint link keeps, and a stale one never costs content', async () => {
    const sent = readFileSync(join(DIR, 'outlook.ics'), 'utf8');
    const link = await t.store.getLink('personal', ENDPOINT_MEMBER, asHref('outlook.ics'));
    assert.equal(link?.raw, sent);
    const stored = (await t.store.getItemByUid('personal', decodeICalendar(sent).items[0]!.uid))!;
    await t.changeElsewhere(stored.id, sent.replace('LOCATION:Room 4.01', 'LOCATION:Room 5.02').replace('PRIORITY:5\r\n', ''));
    const get = await t.req('GET', hrefOf('outlook.ics'), { headers: UA });
    const lines = contentLines(get.text);
    assert.ok(lines.includes('LOCATION:Room 5.02'));
    assert.ok(!lines.includes('PRIORITY:5'));
    assert.ok(lines.includes('DTSTART;TZID="W. Europe Standard Time":20240315T100000'), 'quoted TZID kept');
    assert.ok(lines.includes('X-MS-OLK-FORCEINSPECTOROPEN:TRUE'), 'calendar-level vendor property kept');
    const item = decodeICalendar(get.text).items[0]!;
    assert.equal(item.master?.props.find((p) => p.name === 'location')?.values[0], 'Room 5.02');
  });

  test('decoding what came back gives the item that was sent (no content lost to form)', async () => {
    for (const file of corpus.filter((f) => f.endsWith('.vcf'))) {
      const sent = readFileSync(join(DIR, file), 'utf8');
      const got = await t.req('GET', hrefOf(file), { headers: UA });
      if (file === 'apple-ios.vcf') continue; // changed elsewhere above
      assert.deepEqual(decodeVCards(got.text).items, decodeVCards(sent).items, file);
    }
  });
});
