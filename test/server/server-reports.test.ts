import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hrefsOf, TestServer, textOf, vcard, vevent } from './server-harness.js';

const C = '/dav/home/alice/contacts/';
const P = '/dav/home/alice/personal/';
const NSS = 'xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav" xmlns:c="urn:ietf:params:xml:ns:caldav"';

const syncBody = (token: string, props = '<d:getetag/>') =>
  `<d:sync-collection ${NSS}><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop>${props}</d:prop></d:sync-collection>`;

describe('endpoint: REPORTs', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
    await t.seed('contacts', vcard('r-anna', ['FN:Anna Adler', 'N:Adler;Anna;;;', 'EMAIL;TYPE=work:anna@firma.example', 'TEL;TYPE=cell:+49 171 5550001']));
    await t.seed('contacts', vcard('r-bert', ['FN:Bert Bär', 'N:Bär;Bert;;;', 'EMAIL:bert@example.org']));
    await t.seed('contacts', vcard('r-carl', ['FN:Carl Clever', 'N:Clever;Carl;;;']));
    await t.seed('personal', vevent('ev-once', ['SUMMARY:Dentist', 'DTSTART:20240110T090000Z', 'DTEND:20240110T100000Z']));
    await t.seed('personal', vevent('ev-weekly', ['SUMMARY:Standup', 'DTSTART:20240101T090000Z', 'DTEND:20240101T091500Z', 'RRULE:FREQ=WEEKLY;COUNT=52']));
    await t.seed('personal', ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VTODO', 'UID:todo-1', 'DTSTAMP:20240101T000000Z', 'SUMMARY:Taxes', 'DUE:20240531T000000Z', 'END:VTODO', 'END:VCALENDAR', ''].join('\r\n'));
  });
  after(() => t.stop());

  test('addressbook-multiget returns address-data (3.0, or 4.0 when asked) and 404 for unknown hrefs', async () => {
    const body = `<cr:addressbook-multiget ${NSS}><d:prop><d:getetag/><cr:address-data/></d:prop><d:href>${C}r-anna.vcf</d:href><d:href>${C}missing.vcf</d:href></cr:addressbook-multiget>`;
    const r = await t.req('REPORT', C, { body, headers: { depth: '1' } });
    assert.equal(r.status, 207);
    assert.match(textOf(r.text, 'address-data')!, /VERSION:3\.0[\s\S]*FN:Anna Adler/);
    assert.match(r.text, /<D:href>\/dav\/home\/alice\/contacts\/missing\.vcf<\/D:href><D:status>HTTP\/1\.1 404/);
    const v4 = await t.req('REPORT', C, { body: body.replace('<cr:address-data/>', '<cr:address-data content-type="text/vcard" version="4.0"/>') });
    assert.match(textOf(v4.text, 'address-data')!, /VERSION:4\.0/);
  });

  test('addressbook-query: text-match on EMAIL and FN, anyof/allof, partial address-data (VERSION and UID only)', async () => {
    const q = (filter: string, data = '<cr:address-data/>') =>
      t.req('REPORT', C, { headers: { depth: '1' }, body: `<cr:addressbook-query ${NSS}><d:prop><d:getetag/>${data}</d:prop><cr:filter ${filter}</cr:filter></cr:addressbook-query>` });
    const byMail = await q('><cr:prop-filter name="EMAIL"><cr:text-match collation="i;unicode-casemap" match-type="contains">FIRMA</cr:text-match></cr:prop-filter>');
    assert.deepEqual(hrefsOf(byMail.text), [`${C}r-anna.vcf`]);
    const any = await q('test="anyof"><cr:prop-filter name="FN"><cr:text-match match-type="starts-with">bert</cr:text-match></cr:prop-filter><cr:prop-filter name="FN"><cr:text-match match-type="ends-with">clever</cr:text-match></cr:prop-filter>');
    assert.deepEqual(hrefsOf(any.text).sort(), [`${C}r-bert.vcf`, `${C}r-carl.vcf`]);
    const all = await q('test="allof"><cr:prop-filter name="FN"><cr:text-match>a</cr:text-match></cr:prop-filter><cr:prop-filter name="EMAIL"><cr:is-not-defined/></cr:prop-filter>');
    assert.deepEqual(hrefsOf(all.text), [`${C}r-carl.vcf`]);
    const negate = await q('><cr:prop-filter name="FN"><cr:text-match negate-condition="yes">Anna</cr:text-match></cr:prop-filter>');
    assert.equal(hrefsOf(negate.text).length, 2);
    const partial = await q('><cr:prop-filter name="UID"><cr:text-match>r-anna</cr:text-match></cr:prop-filter>', '<cr:address-data><cr:prop name="VERSION"/><cr:prop name="UID"/></cr:address-data>');
    const data = textOf(partial.text, 'address-data')!;
    assert.match(data, /UID:r-anna/);
    assert.ok(!data.includes('FN:'));
    const bad = await q('><cr:prop-filter name="FN"><cr:text-match collation="i;klingon">x</cr:text-match></cr:prop-filter>');
    assert.equal(bad.status, 403);
  });

  test('calendar-multiget and calendar-query with a time-range that only a recurrence reaches', async () => {
    const mg = await t.req('REPORT', P, { body: `<c:calendar-multiget ${NSS}><d:prop><d:getetag/><c:calendar-data/></d:prop><d:href>${P}ev-once.ics</d:href></c:calendar-multiget>` });
    assert.match(textOf(mg.text, 'calendar-data')!, /SUMMARY:Dentist/);
    const range = (start: string, end: string, comp = 'VEVENT') => t.req('REPORT', P, {
      headers: { depth: '1' },
      body: `<c:calendar-query ${NSS}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="${comp}"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
    });
    // March 2024: only the weekly standup's instances fall there.
    assert.deepEqual(hrefsOf((await range('20240301T000000Z', '20240401T000000Z')).text), [`${P}ev-weekly.ics`]);
    // 8 to 10 January: the standup on Monday the 8th and the dentist on the 10th.
    assert.deepEqual(hrefsOf((await range('20240108T000000Z', '20240111T000000Z')).text).sort(), [`${P}ev-once.ics`, `${P}ev-weekly.ics`].sort());
    // A Tuesday 10:00–11:00: neither (the standup is on Mondays 09:00).
    assert.deepEqual(hrefsOf((await range('20240109T100000Z', '20240109T110000Z')).text), []);
    // 2026: after the 52 weeks.
    assert.deepEqual(hrefsOf((await range('20260101T000000Z', '20260201T000000Z')).text), []);
    assert.deepEqual(hrefsOf((await range('20240501T000000Z', '20240601T000000Z', 'VTODO')).text), [`${P}todo-1.ics`]);
    const todos = await t.req('REPORT', P, { body: `<c:calendar-query ${NSS}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VTODO"/></c:comp-filter></c:filter></c:calendar-query>` });
    assert.deepEqual(hrefsOf(todos.text), [`${P}todo-1.ics`]);
    const summary = await t.req('REPORT', P, { body: `<c:calendar-query ${NSS}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY"><c:text-match>dent</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>` });
    assert.deepEqual(hrefsOf(summary.text), [`${P}ev-once.ics`]);
  });

  test('sync-collection: initial, then only the changes (deletions as 404), with a new token', async () => {
    const first = await t.req('REPORT', C, { body: syncBody('') });
    assert.equal(first.status, 207);
    assert.equal(hrefsOf(first.text).length, 3);
    const token = textOf(first.text, 'sync-token')!;
    assert.match(token, /^urn:pimhub:sync:/);
    const same = await t.req('REPORT', C, { body: syncBody(token) });
    assert.deepEqual(hrefsOf(same.text), []);
    assert.equal(textOf(same.text, 'sync-token'), token);
    await t.req('PUT', `${C}r-new.vcf`, { body: vcard('r-new', ['FN:Neu']), headers: { 'content-type': 'text/vcard' } });
    await t.req('DELETE', `${C}r-carl.vcf`);
    const next = await t.req('REPORT', C, { body: syncBody(token, '<d:getetag/><cr:address-data/>') });
    assert.deepEqual(hrefsOf(next.text).sort(), [`${C}r-carl.vcf`, `${C}r-new.vcf`]);
    assert.match(next.text, /r-carl\.vcf<\/D:href><D:status>HTTP\/1\.1 404/);
    assert.match(textOf(next.text, 'address-data')!, /FN:Neu/);
    assert.notEqual(textOf(next.text, 'sync-token'), token);
    const ctag = await t.req('PROPFIND', C, { headers: { depth: '0' }, body: `<d:propfind ${NSS} xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>` });
    assert.equal(textOf(ctag.text, 'sync-token'), textOf(next.text, 'sync-token'));
  });

  test('an invalid sync token is 403 valid-sync-token (RFC 6578), 400 for Thunderbird, which only falls back on 400', async () => {
    for (const bad of ['garbage', 'urn:pimhub:sync:1704067200000:999999', 'urn:pimhub:sync:1:1']) {
      const r = await t.req('REPORT', C, { body: syncBody(bad) });
      assert.equal(r.status, 403, bad);
      assert.match(r.text, /<D:valid-sync-token\/>/);
    }
    const tb = await t.req('REPORT', C, { body: syncBody('garbage'), headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.0' } });
    assert.equal(tb.status, 400);
    assert.match(tb.text, /valid-sync-token/);
  });

  test('a report of the other kind, or on a non-collection, is 403 supported-report', async () => {
    const r = await t.req('REPORT', C, { body: `<c:calendar-query ${NSS}><d:prop/></c:calendar-query>` });
    assert.equal(r.status, 403);
    assert.match(r.text, /supported-report/);
  });
});
