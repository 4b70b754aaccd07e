import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer, textOf } from './server-harness.js';

const C = '/dav/home/alice/contacts/';
const NSS = 'xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"';

/** A group card PUT by macOS Contacts (Apple's vCard 3.0 form). */
const APPLE_GROUP = [
  'BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//macOS 14.5//EN', 'N:Climbing', 'FN:Climbing',
  'X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:anna-1',
  'UID:climbing-1', 'END:VCARD', '',
].join('\r\n');

describe('endpoint: contact groups in the form the client asks for', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
    await t.seed('contacts', 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:board-1\r\nKIND:group\r\nFN:Board\r\nMEMBER:urn:uuid:anna-1\r\nMEMBER:urn:uuid:ben-2\r\nEND:VCARD\r\n');
  });
  after(() => t.stop());

  const multiget = (href: string, data: string) => t.req('REPORT', C, {
    body: `<cr:addressbook-multiget ${NSS}><d:prop><d:getetag/>${data}</d:prop><d:href>${C}${href}</d:href></cr:addressbook-multiget>`,
  });

  test('a vCard 4 group is served as KIND/MEMBER for version 4.0 and in Apple form for 3.0', async () => {
    const v4 = textOf((await multiget('board-1.vcf', '<cr:address-data content-type="text/vcard" version="4.0"/>')).text, 'address-data')!;
    assert.match(v4, /\r\nKIND:group\r\n/);
    assert.equal(v4.match(/\r\nMEMBER:urn:uuid:/g)?.length, 2);
    const v3 = textOf((await multiget('board-1.vcf', '<cr:address-data content-type="text/vcard" version="3.0"/>')).text, 'address-data')!;
    assert.match(v3, /VERSION:3\.0/);
    assert.match(v3, /\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n/);
    assert.equal(v3.match(/\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:/g)?.length, 2);
    assert.doesNotMatch(v3, /\r\n(KIND|MEMBER):/);
  });

  test("an Apple group PUT in 3.0 is a group for a vCard 4 client, and comes back to Apple as it was sent", async () => {
    const put = await t.req('PUT', `${C}climbing-1.vcf`, { body: APPLE_GROUP, headers: { 'content-type': 'text/vcard; charset=utf-8', 'if-none-match': '*' } });
    assert.equal(put.status, 201, put.text);
    const back = await t.req('GET', `${C}climbing-1.vcf`);
    assert.equal(back.text, APPLE_GROUP);
    const v4 = textOf((await multiget('climbing-1.vcf', '<cr:address-data content-type="text/vcard" version="4.0"/>')).text, 'address-data')!;
    assert.match(v4, /\r\nKIND:group\r\n/);
    assert.match(v4, /\r\nMEMBER:urn:uuid:anna-1\r\n/);
    assert.doesNotMatch(v4, /X-ADDRESSBOOKSERVER/);
  });
});
