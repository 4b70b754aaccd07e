import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENV, PASSWORD, TestServer, vcard } from '../server/server-harness.js';
import { basic, raw, storeFingerprint } from './attack-helpers.js';

/**
 * The review page under attack, through real HTTP (issue 13, point 4): a vCard with script in
 * FN, NOTE and ORG written by a client through the endpoint and merged into a conflict is
 * shown as text; forged resolves (CSRF) are refused and change nothing; no redirect of the
 * server leads to another site.
 */
const HOSTILE = {
  fn: '<script>alert("fn")</script>',
  note: '<img src=x onerror=alert(1)>',
  org: '"><svg/onload=alert(2)>',
};
const OTHER = { fn: '<iframe src=javascript:alert(3)>', note: '</textarea><script>alert(4)</script>', org: "'><a href=javascript:alert(5)>x</a>" };
const AUTH = { authorization: basic('alice', PASSWORD) };
const C = '/dav/home/alice/contacts/';

describe('attacks: the review page', () => {
  let t: TestServer;
  let page = '';
  before(async () => {
    t = await TestServer.start();
    const s = await t.seed('contacts', vcard('hostile-1', ['FN:Harmless', 'NOTE:base', 'ORG:Base Inc', 'REV:20240101T000000Z']));
    const read = await t.req('GET', `${C}hostile-1.vcf`);
    await t.changeElsewhere(s.id, vcard('hostile-1', [`FN:${OTHER.fn}`, `NOTE:${OTHER.note}`, `ORG:${OTHER.org}`, 'REV:20240102T000000Z']));
    // A client writes script into FN, NOTE and ORG: a conflict with every value logged.
    const mine = read.text.replace('FN:Harmless', `FN:${HOSTILE.fn}`).replace('NOTE:base', `NOTE:${HOSTILE.note}`).replace('ORG:Base Inc', `ORG:${HOSTILE.org}`)
      .replace(/REV:[^\r\n]*/, 'REV:20240103T000000Z');
    assert.equal((await t.req('PUT', `${C}hostile-1.vcf`, { body: mine, headers: { 'content-type': 'text/vcard' } })).status, 204);
    const r = await t.req('GET', '/');
    assert.equal(r.status, 200);
    page = r.text;
  });
  after(() => t.stop());

  test('script in FN, NOTE and ORG is shown as text', async () => {
    const [entry] = await t.store.listLog({ uid: 'hostile-1', limit: 1 });
    assert.equal(entry!.action, 'conflict', 'the hostile values reached the log');
    for (const v of [...Object.values(HOSTILE), ...Object.values(OTHER)]) {
      assert.ok(!page.includes(v), `raw on the page: ${v}`);
    }
    const tags = page.match(/<[a-zA-Z][^>]*>/g) ?? [];
    for (const tag of tags) {
      assert.doesNotMatch(tag, /^<(script|img|svg|iframe)/i, tag);
      assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, tag);
      assert.doesNotMatch(tag, /javascript:/i, tag);
    }
    assert.match(page, /&lt;script&gt;alert\(&quot;fn&quot;\)&lt;\/script&gt;/);
    assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/);
    const r = await t.req('GET', '/');
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/, 'no script runs even if one slipped through');
    assert.doesNotMatch(csp, /script-src/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });

  test('forged resolves (CSRF) are refused and change nothing', async () => {
    const before = await storeFingerprint(t.store);
    const [entry] = await t.store.listLog({ uid: 'hostile-1', limit: 1 });
    const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
    const bobPage = await t.req('GET', '/', { user: 'bob' });
    const bobToken = /name="token" value="([^"]+)"/.exec(bobPage.text)?.[1] ?? 'none';
    const form = (fields: Record<string, string>) => new URLSearchParams({ entry: String(entry!.id), keep: '1', ...fields }).toString();
    const FORM = { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' };
    const attempts: Array<[string, string, Record<string, string>, string?]> = [
      ['POST', '/review/resolve', FORM, form({})],
      ['POST', '/review/resolve', FORM, form({ token: 'forged.AAAA' })],
      ['POST', '/review/resolve', FORM, form({ token: bobToken })],
      ['POST', '/review/resolve', { ...FORM, origin: 'https://evil.example' }, form({ token })],
      ['POST', '/review/resolve', { ...FORM, origin: 'null' }, form({ token })],
      ['POST', '/review/resolve', { ...FORM, referer: 'http://evil.example/' }, form({ token })],
      ['POST', '/review/resolve', { ...FORM, origin: `http://127.0.0.1.evil.example` }, form({ token })],
      ['POST', '/review/resolve', { ...AUTH, 'content-type': 'text/plain' }, `entry=${entry!.id}&keep=1`],
    ];
    for (const [method, path, headers, body] of attempts) {
      const r = await raw(t.base, method, path, { headers, body });
      assert.equal(r.status, 403, `${JSON.stringify(headers)} ${body}: ${r.status}`);
    }
    // A GET never changes anything, whatever its query says.
    const g = await raw(t.base, 'GET', `/review/resolve?entry=${entry!.id}&keep=1&token=${encodeURIComponent(token)}`, { headers: AUTH });
    assert.ok(g.status >= 400 && g.status < 500, `GET resolve: ${g.status}`);
    assert.equal(await storeFingerprint(t.store), before);
  });

  test('no redirect leads to another site', async () => {
    const paths = ['//evil.example/', '/\\evil.example', '/%2F%2Fevil.example', '/.well-known/carddav?next=http://evil.example', '/.well-known/caldav/..//evil.example',
      '/.well-known//evil.example', '/dav//evil.example', '/%5C%5Cevil.example/', '/?redirect=https://evil.example', '/.well-known/carddav/%2F%2Fevil.example',
      '/https:/evil.example', '/.well-known/carddav#@evil.example'];
    let redirects = 0;
    for (const p of paths) {
      for (const method of ['GET', 'PROPFIND', 'POST']) {
        const r = await raw(t.base, method, p, { headers: { ...AUTH, host: 'pimhub.local' } });
        assert.ok(r.status < 500, `${method} ${p}: ${r.status}`);
        const loc = r.headers.location;
        if (loc === undefined) continue;
        redirects++;
        assert.match(String(loc), /^\/(?![/\\])/, `${method} ${p} redirects to ${String(loc)}`);
      }
    }
    assert.ok(redirects > 0, 'the well-known redirects were exercised');
    // After a real resolve the form's filters cannot steer the redirect off the site.
    const [entry] = await t.store.listLog({ uid: 'hostile-1', limit: 1 });
    const token = /name="token" value="([^"]+)"/.exec((await t.req('GET', '/')).text)![1]!;
    const body = new URLSearchParams({ entry: String(entry!.id), keep: '1', token, q: '//evil.example', collection: 'https://evil.example', action: '/\\evil' }).toString();
    const r = await raw(t.base, 'POST', '/review/resolve', { headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(r.status, 303, r.text);
    assert.match(String(r.headers.location), /^\/(\?|#)/);
    assert.ok(!String(r.headers.location).includes('//evil'));
  });

  test('bob cannot see alice\'s hostile entry nor resolve it', async () => {
    const b = await t.req('GET', '/', { user: 'bob' });
    assert.ok(!b.text.includes('hostile-1'));
    const before = await storeFingerprint(t.store);
    const [entry] = await t.store.listLog({ uid: 'hostile-1', limit: 1 });
    // bob has no entry, hence no form of his own: he replays alice's token (bound to alice).
    const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
    const r = await raw(t.base, 'POST', '/review/resolve', {
      headers: { authorization: basic('bob', ENV.BOB_PW), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ entry: String(entry!.id), keep: '0', token }).toString(),
    });
    assert.equal(r.status, 403);
    assert.equal(await storeFingerprint(t.store), before);
  });
});
