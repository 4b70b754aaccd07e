/**
 * The one XML model (src/xml/dav-xml.ts) parses in one pass and still refuses what is not
 * well-formed: a truncated answer must never read as an answer with fewer entries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_XML_DEPTH, NS, parseXml, XmlError } from '../../src/xml/dav-xml.js';

// A multiget answer as Radicale 3.1.8 sends it (single-quoted declaration, default namespace, literal CRLF in the card).
const card = (n: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-${n}@pimhub.example\r\nFN:Hana Müller\r\nN:Müller;Hana;;;\r\nTEL;TYPE=CELL:+49 151 18337194\r\nEND:VCARD\r\n`;
const ANSWER = `<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">${[1, 2, 3].map((n) =>
  `<response><href>/alice/book/bench-${n}%40pimhub.example.vcf</href><propstat><prop><getetag>"e${n}"</getetag><CR:address-data>${card(n)}</CR:address-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>`).join('')}</multistatus>\n`;

test('a multistatus parses into the tree: namespaces, text of each element, CRLF read as LF (XML 1.0 §2.11)', () => {
  const root = parseXml(ANSWER);
  assert.equal(root.ns, NS.dav);
  assert.equal(root.name, 'multistatus');
  assert.equal(root.children.length, 3);
  const prop = root.children[1]!.children[1]!.children[0]!;
  assert.deepEqual(prop.children.map((c) => `{${c.ns}}${c.name}`), ['{DAV:}getetag', `{${NS.carddav}}address-data`]);
  assert.equal(prop.children[1]!.text, card(2).replace(/\r\n/g, '\n'));
});

test('every truncation of a multistatus before its last closing tag is refused with the line', () => {
  const end = ANSWER.lastIndexOf('</multistatus>') + '</multistatus>'.length;
  for (let cut = 0; cut < end; cut += 1) {
    assert.throws(() => parseXml(ANSWER.slice(0, cut)), (e: unknown) => e instanceof XmlError && e.line !== undefined, `cut at ${cut}`);
  }
  assert.equal(parseXml(ANSWER.slice(0, end)).children.length, 3);
});

test('malformed bodies are refused: unclosed or mismatched tags, two roots, text outside, undeclared entities and prefixes', () => {
  const bad = [
    '<a><b></a>', '<a></b>', '<a/><b/>', 'text<a/>', '<a>&nbsp;</a>', '<p:a/>', '<a xmlns:p=""/>', '<a x="1" x="2"/>',
    '<a>\u0000</a>', '', '   ', '<a',
  ];
  for (const body of bad) assert.throws(() => parseXml(body), XmlError, JSON.stringify(body));
});

test('DTDs are refused before parsing; nesting beyond MAX_XML_DEPTH is refused, at the limit accepted', () => {
  assert.throws(() => parseXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), /DTDs and entity declarations are not accepted/);
  const nest = (depth: number) => `${'<n>'.repeat(depth)}${'</n>'.repeat(depth)}`;
  assert.equal(parseXml(nest(MAX_XML_DEPTH)).name, 'n');
  assert.throws(() => parseXml(nest(MAX_XML_DEPTH + 1)), /nested deeper than 64/);
});

test('text: character references and CDATA decoded, mixed text joined, white space kept, comments and PIs ignored', () => {
  const root = parseXml('\uFEFF<?xml version="1.0"?><a xmlns:x="urn:x" x:attr="v" plain="w">1<!-- c --><![CDATA[<2>]]>&#13;&#x41;&lt;<b> x </b>\n<?pi data?>3</a>');
  assert.equal(root.text, '1<2>\rA<\n3');
  assert.deepEqual(root.attrs, { attr: 'v', plain: 'w' }, 'attributes by local name; namespace declarations are not attributes');
  assert.equal(root.children[0]!.text, ' x ');
});
