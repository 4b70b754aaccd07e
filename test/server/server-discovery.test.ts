import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'node:http';
import { hrefsOf, PASSWORD, propfindBody, TestServer } from './server-harness.js';

function rawStatus(t: TestServer, method: string, path: string): Promise<number> {
  const auth = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
  return new Promise((ok, fail) => {
    const r = request(`${t.base}/`, { method, path, headers: { authorization: auth } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    r.on('error', fail);
    r.end();
  });
}

describe('endpoint: discovery, PROPFIND, OPTIONS', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  test('well-known URLs redirect to the context path (RFC 6764)', async () => {
    for (const s of ['carddav', 'caldav']) {
      const r = await t.req('PROPFIND', `/.well-known/${s}`, { auth: false });
      assert.equal(r.status, 301);
      assert.equal(r.headers.get('location'), '/dav/');
    }
  });

  test('without credentials: 401 with a Basic challenge; wrong password: 401', async () => {
    const r = await t.req('PROPFIND', '/dav/', { auth: false });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="pimhub"/);
    const w = await t.req('PROPFIND', '/dav/', { password: 'nope' });
    assert.equal(w.status, 401);
    assert.ok(!w.text.includes('nope'));
    assert.equal((await t.req('PROPFIND', '/dav/', { user: 'mallory', password: 'x' })).status, 401);
  });

  test('OPTIONS advertises DAV classes and methods', async () => {
    const r = await t.req('OPTIONS', '/dav/home/alice/contacts/', { auth: false });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('dav') ?? '', /addressbook/);
    assert.match(r.headers.get('dav') ?? '', /calendar-access/);
    assert.match(r.headers.get('allow') ?? '', /MKCALENDAR/);
  });

  test('current-user-principal, home sets; unknown properties in a 404 propstat', async () => {
    const r = await t.req('PROPFIND', '/dav/', { headers: { depth: '0' }, body: propfindBody('<d:current-user-principal/><x:nope xmlns:x="urn:x"/>') });
    assert.equal(r.status, 207);
    assert.match(r.text, /<D:current-user-principal><D:href>\/dav\/principals\/alice\/<\/D:href>/);
    assert.match(r.text, /<D:propstat><D:prop><X:nope xmlns:X="urn:x"\/><\/D:prop><D:status>HTTP\/1.1 404 Not Found/);
    const p = await t.req('PROPFIND', '/dav/principals/alice/', { headers: { depth: '0' }, body: propfindBody('<cr:addressbook-home-set/><c:calendar-home-set/><d:resourcetype/>') });
    assert.match(p.text, /<CR:addressbook-home-set><D:href>\/dav\/home\/alice\/<\/D:href>/);
    assert.match(p.text, /<C:calendar-home-set><D:href>\/dav\/home\/alice\/<\/D:href>/);
    assert.match(p.text, /<D:principal\/>/);
  });

  test('Depth 1 on the home lists only the user\'s collections with ctag, sync-token, report sets', async () => {
    const r = await t.req('PROPFIND', '/dav/home/alice/', {
      headers: { depth: '1' },
      body: propfindBody('<d:resourcetype/><cs:getctag/><d:sync-token/><d:supported-report-set/><cr:supported-address-data/><c:supported-calendar-component-set/>'),
    });
    assert.deepEqual(hrefsOf(r.text).filter((h) => !h.includes('principals')), ['/dav/home/alice/', '/dav/home/alice/contacts/', '/dav/home/alice/personal/']);
    assert.ok(!r.text.includes('bobs'));
    assert.match(r.text, /<CS:getctag>"0"<\/CS:getctag>/);
    assert.match(r.text, /<CR:address-data-type content-type="text\/vcard" version="4.0"\/>/);
    assert.match(r.text, /<C:comp name="VTODO"\/>/);
    assert.match(r.text, /<D:report><CR:addressbook-multiget\/><\/D:report>/);
    assert.match(r.text, /<D:report><D:sync-collection\/><\/D:report>/);
  });

  test('allprop (no body) and propname', async () => {
    const all = await t.req('PROPFIND', '/dav/home/alice/contacts/', { headers: { depth: '0' } });
    assert.equal(all.status, 207);
    assert.match(all.text, /<D:resourcetype>/);
    assert.ok(!all.text.includes('404 Not Found'));
    const names = await t.req('PROPFIND', '/dav/home/alice/contacts/', {
      headers: { depth: '0' }, body: '<d:propfind xmlns:d="DAV:"><d:propname/></d:propfind>',
    });
    assert.match(names.text, /<CS:getctag\/>/);
    assert.match(names.text, /<D:sync-token\/>/);
  });

  test('another user\'s home is 403, their collection 404 in mine', async () => {
    assert.equal((await t.req('PROPFIND', '/dav/home/bob/', { headers: { depth: '0' } })).status, 403);
    assert.equal((await t.req('PROPFIND', '/dav/home/bob/bobs/', { headers: { depth: '0' } })).status, 403);
    assert.equal((await t.req('PROPFIND', '/dav/home/alice/bobs/', { headers: { depth: '0' } })).status, 404);
    assert.equal((await t.req('PROPFIND', '/dav/home/bob/bobs/', { user: 'bob', headers: { depth: '0' } })).status, 207);
  });

  test('path traversal is refused (raw paths, not normalised by a URL parser)', async () => {
    const paths = ['/dav/home/alice/../bob/bobs/', '/dav/home/alice/%2e%2e/bob/', '/dav/home/alice/contacts/..%2F..%2Fx.vcf',
      '/dav/home/alice/contacts/%2E%2E', '/dav/home/alice/contacts/%zz', '/dav/home/alice/contacts/a%00b.vcf'];
    for (const p of paths) {
      const status = await rawStatus(t, 'GET', p);
      assert.ok(status === 400 || status === 404, `${p}: ${status}`);
    }
  });

  test('XXE and billion-laughs bodies get 400 and are never expanded', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&x;</d:displayname></d:prop></d:propfind>';
    const r = await t.req('PROPFIND', '/dav/home/alice/contacts/', { headers: { depth: '0' }, body: xxe });
    assert.equal(r.status, 400);
    assert.ok(!r.text.includes('root:'));
    const lol = ['<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&lol9;</d:displayname></d:prop></d:propfind>'].join('');
    const b = await t.req('REPORT', '/dav/home/alice/contacts/', { body: lol });
    assert.equal(b.status, 400);
    const bad = await t.req('PROPFIND', '/dav/home/alice/contacts/', { headers: { depth: '0' }, body: '<d:propfind xmlns:d="DAV:"><d:prop>' });
    assert.equal(bad.status, 400);
  });

  test('a body over maxBodyBytes is 413', async () => {
    const big = 'x'.repeat(30000);
    const r = await t.req('PUT', '/dav/home/alice/contacts/big.vcf', { body: big, headers: { 'content-type': 'text/vcard' } });
    assert.equal(r.status, 413);
  });

  test('unknown methods are 405; GET / lists the collections', async () => {
    assert.equal((await t.req('LOCK', '/dav/home/alice/contacts/')).status, 405);
    const home = await t.req('GET', '/');
    assert.equal(home.status, 200);
    assert.match(home.text, /\/dav\/home\/alice\/contacts\//);
    assert.ok(!home.text.includes('bobs'));
    assert.equal((await t.req('GET', '/', { auth: false })).status, 401);
  });
});
