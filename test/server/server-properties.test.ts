/**
 * Dead properties (RFC 4918 §4, §9.2): PROPPATCH stores any property that is not a live one,
 * on collections and objects; PROPFIND returns it at Depth 0 and 1, by name, in allprop and
 * in propname; remove removes it; DELETE of the object forgets it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseXml, type XmlNode } from '../../src/xml/dav-xml.js';
import { TestServer, vcard } from './server-harness.js';

const C = '/dav/home/alice/contacts/';
const NSS = 'xmlns:d="DAV:" xmlns:z="http://example.com/ns/z" xmlns:y="urn:y"';
const patch = (ops: string) => `<?xml version="1.0"?><d:propertyupdate ${NSS}>${ops}</d:propertyupdate>`;

/** The responses of a multistatus by href: property key → its element. */
function props(xml: string): Map<string, Map<string, XmlNode>> {
  const out = new Map<string, Map<string, XmlNode>>();
  for (const r of parseXml(xml).children) {
    const href = r.children.find((c) => c.name === 'href')!.text;
    const m = new Map<string, XmlNode>();
    for (const ps of r.children.filter((c) => c.name === 'propstat')) {
      if (!ps.children.find((c) => c.name === 'status')!.text.includes('200')) continue;
      for (const p of ps.children.find((c) => c.name === 'prop')!.children) m.set(`{${p.ns}}${p.name}`, p);
    }
    out.set(href, m);
  }
  return out;
}

describe('endpoint: dead properties', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
    await t.req('PUT', `${C}dp.vcf`, { body: vcard('dp', ['FN:Dead Props']), headers: { 'content-type': 'text/vcard' } });
  });
  after(() => t.stop());

  test('set on an object and on its collection; PROPFIND by name, allprop and propname, Depth 0 and 1', async () => {
    const set = `<d:set><d:prop><z:color>blue &amp; green</z:color><z:nested><y:a k="v">one</y:a><y:b/></z:nested><y:empty/></d:prop></d:set>`;
    const r = await t.req('PROPPATCH', `${C}dp.vcf`, { body: patch(set) });
    assert.equal(r.status, 207);
    assert.doesNotMatch(r.text, /403|424/);
    assert.equal((await t.req('PROPPATCH', C, { body: patch('<d:set><d:prop><z:note>book note ü</z:note></d:prop></d:set>') })).status, 207);

    const byName = props((await t.req('PROPFIND', `${C}dp.vcf`, { headers: { depth: '0' }, body: `<d:propfind ${NSS}><d:prop><z:color/><z:nested/><y:empty/><z:absent/></d:prop></d:propfind>` })).text);
    const o = byName.get(`${C}dp.vcf`)!;
    assert.equal(o.get('{http://example.com/ns/z}color')?.text, 'blue & green');
    const nested = o.get('{http://example.com/ns/z}nested')!;
    assert.deepEqual(nested.children.map((c) => [c.ns, c.name, c.text, c.attrs.k]), [['urn:y', 'a', 'one', 'v'], ['urn:y', 'b', '', undefined]]);
    assert.ok(o.has('{urn:y}empty'));
    assert.ok(!o.has('{http://example.com/ns/z}absent'));

    const all = props((await t.req('PROPFIND', C, { headers: { depth: '1' }, body: `<d:propfind ${NSS}><d:allprop/></d:propfind>` })).text);
    assert.equal(all.get(C)!.get('{http://example.com/ns/z}note')?.text, 'book note ü');
    assert.equal(all.get(`${C}dp.vcf`)!.get('{http://example.com/ns/z}color')?.text, 'blue & green');
    assert.ok(all.get(`${C}dp.vcf`)!.has('{DAV:}getetag'), 'live properties still there');

    const names = props((await t.req('PROPFIND', `${C}dp.vcf`, { headers: { depth: '0' }, body: `<d:propfind ${NSS}><d:propname/></d:propfind>` })).text);
    assert.ok(names.get(`${C}dp.vcf`)!.has('{http://example.com/ns/z}nested'));
    assert.equal(names.get(`${C}dp.vcf`)!.get('{http://example.com/ns/z}nested')!.children.length, 0);
  });

  test('remove removes, set replaces, in document order', async () => {
    const ops = '<d:remove><d:prop><z:color/></d:prop></d:remove><d:set><d:prop><y:empty>now full</y:empty></d:prop></d:set><d:set><d:prop><y:empty>last wins</y:empty></d:prop></d:set>';
    assert.equal((await t.req('PROPPATCH', `${C}dp.vcf`, { body: patch(ops) })).status, 207);
    const o = props((await t.req('PROPFIND', `${C}dp.vcf`, { headers: { depth: '0' }, body: `<d:propfind ${NSS}><d:allprop/></d:propfind>` })).text).get(`${C}dp.vcf`)!;
    assert.ok(!o.has('{http://example.com/ns/z}color'));
    assert.equal(o.get('{urn:y}empty')?.text, 'last wins');
  });

  test('a collection keeps displayname as its field while dead properties sit beside it; DELETE of the object forgets its own', async () => {
    assert.equal((await t.req('PROPPATCH', C, { body: patch('<d:set><d:prop><d:displayname>Kontakte</d:displayname><z:x>1</z:x></d:prop></d:set>') })).status, 207);
    assert.equal((await t.store.getCollection('contacts'))?.displayName, 'Kontakte');
    assert.equal((await t.store.deadProperties('contacts'))['']?.['{http://example.com/ns/z}x'], '1');
    assert.equal((await t.req('DELETE', `${C}dp.vcf`)).status, 204);
    assert.equal((await t.store.deadProperties('contacts'))['dp.vcf'], undefined);
  });
});
