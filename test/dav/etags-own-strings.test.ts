import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textOf } from '../../connectors/dav/xml-values.js';
import { NS, parseXml, type XmlNode } from '../../src/xml/dav-xml.js';
import { heapAfterGc } from '../heap.js';

/**
 * A run keeps the etag of every entry it links, for the whole run (its link heads). Cut
 * from a server's answer, an etag was a view into that answer: a first sync of 10,000
 * cards from Radicale kept all its 100 multiget answers alive (19.5 MB) through them.
 */

const ANSWERS = 100;
const CARDS = 50;

/** A multiget answer as Radicale gives it: ~2 KB of card per entry beside its href and etag. */
function answer(n: number): string {
  let text = `<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">`;
  for (let i = 0; i < CARDS; i += 1) {
    const etag = `"${(n * 7919 + i).toString(16).padStart(32, '0')}"`;
    text += `<response><href>/alice/book/bench-${n}-${i}@pimhub.example.vcf</href><propstat><prop><getetag>${etag}</getetag>`
      + `<CR:address-data>BEGIN:VCARD\r\nNOTE:${'x'.repeat(2000)}\r\nEND:VCARD\r\n</CR:address-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>`;
  }
  return `${text}</multistatus>`;
}

const find = (n: XmlNode, name: string): XmlNode[] => [...(n.ns === NS.dav && n.name === name ? [n] : []), ...n.children.flatMap((c) => find(c, name))];

/** In a function of its own, so nothing but the etags outlives it. */
function etagsFrom(n: number): string[] {
  return find(parseXml(answer(n)), 'getetag').map((e) => textOf(e)!);
}

test('an etag read from a DAV answer does not keep the answer alive', () => {
  const before = heapAfterGc();
  const etags: string[] = [];
  for (let n = 0; n < ANSWERS; n += 1) etags.push(...etagsFrom(n));
  const held = heapAfterGc() - before;
  assert.equal(etags.length, ANSWERS * CARDS);
  assert.equal(etags[CARDS + 1], `"${(7919 + 1).toString(16).padStart(32, '0')}"`);
  // The answers are ~10 MB in all; an etag of 34 characters on its own ~0.1 KB.
  assert.ok(held < ANSWERS * CARDS * 400, `the etags hold ${Math.round(held / (ANSWERS * CARDS))} bytes each`);
});
