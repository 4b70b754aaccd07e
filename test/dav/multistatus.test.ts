/** The DAV connector reads answers with the one XML model (src/xml/dav-xml.ts): namespaces kept, unsafe bodies refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPimError } from '../../src/core/errors.js';
import { propOf, readMultiStatus } from '../../connectors/dav/multistatus.js';
import { requestBody, propList } from '../../connectors/dav/requests.js';
import { NS, parseXml } from '../../src/xml/dav-xml.js';
import { textOf } from '../../connectors/dav/xml-values.js';

const ANSWER = `<?xml version="1.0" encoding="utf-8"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:X="http://example.org/other">
  <response>
    <href>/book/a.vcf</href>
    <propstat><prop><getetag>"0123"</getetag><C:address-data>BEGIN:VCARD&#13;
END:VCARD&#13;
</C:address-data><X:getetag>not DAV's</X:getetag></prop><status>HTTP/1.1 200 OK</status></propstat>
    <propstat><prop><displayname/></prop><status>HTTP/1.1 404 Not Found</status></propstat>
  </response>
  <response><href>/book/gone.vcf</href><status>HTTP/1.1 404 Not Found</status></response>
  <sync-token>http://example.org/sync/7</sync-token>
</multistatus>`;

test('a multistatus: entries with their 2xx properties by namespace, statuses, the sync-token; text kept exactly', () => {
  const ms = readMultiStatus(207, 'http://example.org/book/', 'application/xml; charset=utf-8', ANSWER, 'REPORT');
  assert.deepEqual(ms.entries.map((e) => [e.href, e.status]), [['/book/a.vcf', 207], ['/book/gone.vcf', 404]]);
  const a = ms.entries[0];
  assert.equal(textOf(propOf(a, NS.dav, 'getetag')), '"0123"', 'numeric-looking text stays text');
  assert.equal(textOf(propOf(a, 'http://example.org/other', 'getetag')), "not DAV's");
  assert.equal(propOf(a, NS.dav, 'displayname'), undefined, 'a 404 propstat is not a found property');
  assert.equal(propOf(a, NS.carddav, 'address-data')?.text, 'BEGIN:VCARD\r\nEND:VCARD\r\n', 'character references decoded');
  assert.equal(ms.syncToken, 'http://example.org/sync/7');
});

test('an error answer keeps its text (for preconditions); a multistatus that is not XML is an error naming the URL, not the password', () => {
  const err = readMultiStatus(403, 'http://example.org/book/', 'application/xml', '<D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>', 'REPORT');
  assert.deepEqual(err.entries, []);
  assert.match(err.text ?? '', /valid-sync-token/);
  assert.throws(() => readMultiStatus(207, 'http://alice:s3cret@example.org/book/', 'text/xml', '<multistatus xmlns="DAV:"><response>', 'PROPFIND'),
    (e: unknown) => isPimError(e, 'io') && /PROPFIND http:\/\/example\.org\/book\/: .*not well-formed XML/.test(e.message) && !e.message.includes('s3cret'));
  assert.throws(() => readMultiStatus(207, 'http://example.org/', 'text/xml', '<!DOCTYPE x [<!ENTITY a "b">]><multistatus xmlns="DAV:"/>', 'PROPFIND'),
    (e: unknown) => isPimError(e, 'io') && /DTD/.test(e.message), 'a server cannot send entity declarations either');
});

test('request bodies are built from the same model and parse back with their namespaces', () => {
  const body = requestBody({ ns: NS.dav, name: 'propfind' }, propList([{ ns: NS.dav, name: 'getetag' }, { ns: NS.cs, name: 'getctag' }, { ns: 'urn:x', name: 'odd' }]));
  const root = parseXml(body);
  assert.equal(root.ns, NS.dav);
  assert.equal(root.name, 'propfind');
  assert.deepEqual(root.children[0]!.children.map((c) => `{${c.ns}}${c.name}`), ['{DAV:}getetag', `{${NS.cs}}getctag`, '{urn:x}odd']);
});
