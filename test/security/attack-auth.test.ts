import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENV, PASSWORD, propfindBody, TestServer, vcard } from '../server/server-harness.js';
import { basic, raw, storeFingerprint } from './attack-helpers.js';

/**
 * Attacks on authentication and authorisation, through real HTTP (issue 13, point 4): no
 * credentials, guessed passwords (rate limited per client address and user, logged without
 * the password), and alice reaching for bob's data every way the protocol offers. Each is
 * refused with its status and the store is unchanged afterwards.
 */
const LIMITS = { perUser: 5, perAddress: 12, windowMs: 60_000, maxEntries: 100 };
const VCF = { 'content-type': 'text/vcard; charset=utf-8' };

describe('attacks: authentication and other users\' data', () => {
  let t: TestServer;
  let bobsCard = '';
  before(async () => {
    t = await TestServer.start(undefined, undefined, { loginLimits: LIMITS });
    await t.seed('contacts', vcard('alice-1', ['FN:Alice Own']));
    const b = await t.seed('bobs', vcard('bob-1', ['FN:Bob Secret', 'NOTE:only for bob']));
    bobsCard = `/dav/home/bob/bobs/${b.uid}.vcf`;
    const r = await t.req('GET', bobsCard, { user: 'bob' });
    assert.equal(r.status, 200, 'bob reads his own card');
  });
  after(() => t.stop());

  test('no credentials: 401 with a challenge on every method and resource, nothing stored', async () => {
    const before = await storeFingerprint(t.store);
    const targets = ['/dav/', '/dav/principals/alice/', '/dav/home/alice/', '/dav/home/alice/contacts/', '/dav/home/alice/contacts/alice-1.vcf', '/dav/home/alice/contacts/new.vcf'];
    const bodies: Record<string, string> = { PUT: vcard('anon-1', ['FN:Anonymous']), PROPFIND: propfindBody('<d:displayname/>'), PROPPATCH: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>x</d:displayname></d:prop></d:set></d:propertyupdate>', REPORT: '<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:prop><d:getetag/></d:prop></d:sync-collection>', MKCOL: '' };
    let n = 0;
    for (const path of targets) {
      for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PROPFIND', 'PROPPATCH', 'REPORT', 'MKCOL', 'MKCALENDAR']) {
        for (const headers of [{} as Record<string, string>, { authorization: 'Basic' }, { authorization: 'Bearer abc' }, { authorization: `Basic ${Buffer.from('alice').toString('base64')}` }, { authorization: 'Basic !!!' }]) {
          const r = await raw(t.base, method, path, { headers: { ...VCF, ...headers }, body: bodies[method] });
          assert.equal(r.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
          if (method !== 'HEAD') assert.match(String(r.headers['www-authenticate']), /^Basic realm="pimhub"/);
          n++;
        }
      }
    }
    assert.equal((await raw(t.base, 'GET', '/')).status, 401, 'the review page too');
    assert.equal(await storeFingerprint(t.store), before);
    assert.ok(n >= 270);
  });

  test('wrong passwords: logged with user and address (never the password), then 429 per address and user', async () => {
    const guesses = Array.from({ length: LIMITS.perUser }, (_, i) => `guess-${i}-Zq9`);
    for (const g of guesses) {
      const r = await raw(t.base, 'PROPFIND', '/dav/', { headers: { authorization: basic('alice', g), depth: '0' }, localAddress: '127.0.0.2' });
      assert.equal(r.status, 401);
      assert.ok(!r.text.includes(g));
    }
    const lines = t.logs.filter((l) => l.includes('wrong password'));
    assert.equal(lines.length, LIMITS.perUser);
    assert.match(lines[0]!, /wrong password for user "alice" from (::ffff:)?127\.0\.0\.2 \(1 of 5/);
    for (const g of guesses) assert.ok(!t.logs.some((l) => l.includes(g)), 'no log line holds a guessed password');
    // Past the limit even the right password is refused from there: guessing learns nothing.
    const blocked = await raw(t.base, 'PROPFIND', '/dav/', { headers: { authorization: basic('alice', PASSWORD), depth: '0' }, localAddress: '127.0.0.2' });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.equal((await raw(t.base, 'GET', '/', { headers: { authorization: basic('alice', PASSWORD) }, localAddress: '127.0.0.2' })).status, 429, 'the review page shares the limit');
    // Another address, and another user from the same address, are not held back.
    assert.equal((await raw(t.base, 'PROPFIND', '/dav/', { headers: { authorization: basic('alice', PASSWORD), depth: '0' }, localAddress: '127.0.0.3' })).status, 207);
    assert.equal((await raw(t.base, 'PROPFIND', '/dav/', { headers: { authorization: basic('bob', ENV.BOB_PW), depth: '0' }, localAddress: '127.0.0.2' })).status, 207);
  });

  test('spraying many user names from one address hits the per-address limit', async () => {
    let status = 0;
    let tries = 0;
    for (; tries < LIMITS.perAddress + 2 && status !== 429; tries++) {
      status = (await raw(t.base, 'PROPFIND', '/dav/', { headers: { authorization: basic(`user${tries}`, 'pw'), depth: '0' }, localAddress: '127.0.0.4' })).status;
    }
    assert.equal(status, 429);
    assert.equal(tries, LIMITS.perAddress + 1);
    assert.ok(t.logs.some((l) => /wrong password for unknown user "user0" from (::ffff:)?127\.0\.0\.4/.test(l)));
  });

  test('a right password clears the count: a user who mistypes now and then is never locked out', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LIMITS.perUser - 1; i++) {
        assert.equal((await raw(t.base, 'PROPFIND', '/dav/', { headers: { authorization: basic('alice', 'typo'), depth: '0' }, localAddress: '127.0.0.5' })).status, 401);
      }
      assert.equal((await raw(t.base, 'PROPFIND', '/dav/', { headers: { authorization: basic('alice', PASSWORD), depth: '0' }, localAddress: '127.0.0.5' })).status, 207);
    }
  });

  test('alice cannot read, list, write, delete or sync bob\'s data', async () => {
    const before = await storeFingerprint(t.store);
    const bobToken = /<D:sync-token>([^<]+)</.exec((await t.req('PROPFIND', '/dav/home/bob/bobs/', { user: 'bob', headers: { depth: '0' }, body: propfindBody('<d:sync-token/>') })).text)![1]!;
    const sync = (token: string) => `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/><cr:address-data xmlns:cr="urn:ietf:params:xml:ns:carddav"/></d:prop></d:sync-collection>`;
    const cases: Array<[string, string, { body?: string; headers?: Record<string, string> }, number[]]> = [
      ['GET', bobsCard, {}, [403]],
      ['HEAD', bobsCard, {}, [403]],
      ['GET', '/dav/home/alice/bobs/bob-1.vcf', {}, [404]],
      ['PROPFIND', '/dav/home/bob/', { headers: { depth: '1' } }, [403]],
      ['PROPFIND', '/dav/principals/bob/', { headers: { depth: '0' } }, [403]],
      ['PROPFIND', '/dav/home/bob/bobs/', { headers: { depth: '1' } }, [403]],
      ['PUT', bobsCard, { body: vcard('bob-1', ['FN:Hijacked']), headers: VCF }, [403]],
      ['PUT', '/dav/home/bob/bobs/planted.vcf', { body: vcard('planted', ['FN:Planted']), headers: VCF }, [403]],
      ['PUT', '/dav/home/alice/bobs/planted.vcf', { body: vcard('planted', ['FN:Planted']), headers: VCF }, [404, 409]],
      ['DELETE', bobsCard, {}, [403]],
      ['DELETE', '/dav/home/bob/bobs/', {}, [403]],
      ['PROPPATCH', '/dav/home/bob/bobs/', { body: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>pwned</d:displayname></d:prop></d:set></d:propertyupdate>' }, [403]],
      ['MKCOL', '/dav/home/bob/newbook/', {}, [403]],
      ['MKCALENDAR', '/dav/home/bob/newcal/', {}, [403]],
      ['REPORT', '/dav/home/bob/bobs/', { body: sync(''), headers: { depth: '1' } }, [403]],
      ['REPORT', '/dav/home/bob/bobs/', { body: sync(bobToken), headers: { depth: '1' } }, [403]],
    ];
    for (const [method, path, opts, statuses] of cases) {
      const r = await t.req(method, path, opts);
      assert.ok(statuses.includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
      assert.ok(!r.text.includes('Bob Secret') && !r.text.includes('only for bob'), `${method} ${path} leaked bob's card`);
    }
    // bob's token on alice's own collection: refused as RFC 6578 says, nothing of bob's listed.
    const cross = await t.req('REPORT', '/dav/home/alice/contacts/', { body: sync(bobToken), headers: { depth: '1' } });
    assert.equal(cross.status, 403);
    assert.match(cross.text, /<D:valid-sync-token\/>/);
    // A multiget in alice's collection naming bob's hrefs gets 404 for them, never the data.
    const mg = await t.req('REPORT', '/dav/home/alice/contacts/', { headers: { depth: '1' }, body: `<cr:addressbook-multiget xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"><d:prop><cr:address-data/></d:prop><d:href>${bobsCard}</d:href><d:href>/dav/home/alice/contacts/../../bob/bobs/bob-1.vcf</d:href></cr:addressbook-multiget>` });
    assert.ok([207, 400].includes(mg.status), `multiget: ${mg.status}`);
    assert.ok(!mg.text.includes('Bob Secret'));
    assert.equal(await storeFingerprint(t.store), before);
    assert.equal((await t.req('GET', bobsCard, { user: 'bob' })).status, 200);
  });
});
