/**
 * jCard (RFC 7095) and xCard (RFC 6351), checked against vcard4 — an independent RFC 6350 /
 * 6351 / 7095 implementation — as the reference: a card built with vcard4's typed API is PUT
 * as vCard 4.0 text, and what pimhub returns as jCard (GET with Accept, address-data with
 * content-type) and writes as xCard (`pimhub export --format xcard`) must be what vcard4
 * generates for the same card. A jCard PUT is read like the same card as text.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  BdayProperty, DateTimeType, EmailProperty, FNProperty, IntegerType, NProperty, ParameterValueType, PrefParameter,
  SpecialValueType, TelProperty, TextType, TypeParameter, UIDProperty, URIType, ValueParameter, VCARD,
} from 'vcard4';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { decodeJCard, encodeJCard } from '../../src/codecs/vcard/jcard.js';
import { encodeXCards } from '../../src/codecs/vcard/xcard.js';
import { parseXml, type XmlNode } from '../../src/xml/dav-xml.js';
import { Scenario } from '../cli/cli-harness.js';
import { textOf, TestServer } from './server-harness.js';

const C = '/dav/home/alice/contacts/';

function referenceCard(uid: string): VCARD {
  return new VCARD([
    new FNProperty([], new TextType('Ann Smith')),
    new NProperty([], new SpecialValueType('NProperty', [new TextType('Smith'), new TextType('Ann'), undefined, undefined, undefined])),
    // VALUE given: RFC 6350 leaves an untyped TEL text (§6.4.1) and an untyped UID a URI
    // (§6.7.6); vcard4 writes both untyped but types them uri in jCard, ical.js reads both as text.
    new TelProperty([new ValueParameter(new URIType('tel:+1')), new TypeParameter('TelProperty', new ParameterValueType('cell')), new PrefParameter(new IntegerType(1))], new URIType('tel:+49-171-1234567')),
    new EmailProperty([new TypeParameter('EmailProperty', new ParameterValueType('work'))], new TextType('ann@example.org')),
    new BdayProperty([], new DateTimeType('dateandortime', '--0315')),
    new UIDProperty([new ValueParameter(new TextType('x'))], new TextType(`urn:uuid:${uid}`)),
  ]);
}

/** Properties of a jCard, order-free, without VERSION (vcard4 leaves it out, RFC 7095 §3.3 puts it in). */
const propsOf = (jcard: unknown): string[] =>
  ((jcard as [string, unknown[][]])[1]).filter((p) => p[0] !== 'version')
    .map(([name, params, ...rest]) => JSON.stringify([name, Object.entries(params as object).sort(), ...rest])).sort();

/** An XML tree as comparable data (namespace, name, attributes, text, children). */
const tree = (n: XmlNode): unknown => [n.ns, n.name, n.attrs, n.children.length ? '' : n.text, n.children.map(tree)];

describe('endpoint: jCard and xCard, compared with vcard4', () => {
  let t: TestServer;
  const uid = '0b9b7c4e-8d1f-4a55-9a3e-5e1f6b2c7d80';
  const ref = referenceCard(uid);
  before(async () => {
    t = await TestServer.start();
    const put = await t.req('PUT', `${C}ann.vcf`, { body: ref.repr(), headers: { 'content-type': 'text/vcard; charset=utf-8' } });
    assert.equal(put.status, 201, put.text);
  });
  after(() => t.stop());

  test('GET with Accept: application/vcard+json returns the jCard vcard4 generates', async () => {
    const r = await t.req('GET', `${C}ann.vcf`, { headers: { accept: 'application/vcard+json' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/vcard\+json/);
    const got = JSON.parse(r.text) as unknown[];
    assert.equal(got[0], 'vcard');
    assert.deepEqual(propsOf(got), propsOf(ref.reprJSON()));
    assert.ok((got[1] as unknown[][]).some((p) => JSON.stringify(p) === '["version",{},"text","4.0"]'), 'RFC 7095 §3.3: VERSION is present');
  });

  test('address-data content-type="application/vcard+json" in a multiget returns the same jCard', async () => {
    const body = `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data content-type="application/vcard+json" version="4.0"/></D:prop><D:href>${C}ann.vcf</D:href></C:addressbook-multiget>`;
    const r = await t.req('REPORT', C, { body, headers: { depth: '1' } });
    assert.equal(r.status, 207);
    assert.deepEqual(propsOf(JSON.parse(textOf(r.text, 'address-data')!)), propsOf(ref.reprJSON()));
  });

  test('PUT of a jCard stores the card the same text would; GET as vCard 4.0 gives it back', async () => {
    const other = referenceCard('5d2f0a51-2a8c-4f7e-b9a4-0c6e3d1b2a77');
    const jcard = JSON.stringify([...other.reprJSON(), []]);
    const put = await t.req('PUT', `${C}json.vcf`, { body: jcard, headers: { 'content-type': 'application/vcard+json' } });
    assert.equal(put.status, 201, put.text);
    const got = await t.req('GET', `${C}json.vcf`, { headers: { accept: 'text/vcard; version=4.0' } });
    assert.deepEqual(decodeVCards(got.text).items, decodeVCards(other.repr()).items);
    const bad = await t.req('PUT', `${C}bad.vcf`, { body: '{"not":"a jcard"}', headers: { 'content-type': 'application/vcard+json' } });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /valid-address-data/);
  });

  test('codec: xCard of a card is the xCard vcard4 generates; jCard decodes back to the card', () => {
    const item = decodeVCards(ref.repr()).items[0]!;
    assert.deepEqual(tree(parseXml(encodeXCards([item]))), tree(parseXml(ref.reprXML())));
    assert.deepEqual(decodeJCard(JSON.stringify(encodeJCard(item))).items, [item]);
  });

  test('pimhub export --format jcard and xcard', () => {
    const s = new Scenario('export-jcard');
    try {
      mkdirSync(s.path('cards'));
      s.write('cards/ann.vcf', ref.repr());
      s.config('store: sqlite:./p.db\nconnectors:\n  d: { type: vdir, path: ./cards }\ncollections:\n  c: { kind: contacts, members: [d] }\n');
      assert.equal(s.run(['sync']).code, 0);
      assert.equal(s.run(['export', 'c', '--format', 'jcard', '-o', s.path('c.json')]).code, 0);
      assert.equal(s.run(['export', 'c', '--format', 'xcard', '-o', s.path('c.xml')]).code, 0);
      const cards = JSON.parse(readFileSync(s.path('c.json'), 'utf8')) as unknown[];
      assert.equal(cards.length, 1);
      assert.deepEqual(propsOf(cards[0]), propsOf(ref.reprJSON()));
      assert.deepEqual(tree(parseXml(readFileSync(s.path('c.xml'), 'utf8'))), tree(parseXml(ref.reprXML())));
    } finally {
      s.cleanup();
    }
  });
});
