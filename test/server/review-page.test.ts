import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FieldDecision, StoredItem } from '../../src/core/store.js';
import type { WriteEvent } from '../../src/server/context.js';
import { createServer } from '../../src/server/create-server.js';
import { CsrfTokens, sameOrigin } from '../../src/server/review/csrf.js';
import { marked } from '../../src/server/review/diff.js';
import { esc } from '../../src/server/review/escape.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { connectorSchemas } from '../../connectors/registry.js';
import { parseConfig } from '../../src/config/load-config.js';
import { CONFIG_YAML, ENV, PASSWORD, TestServer, vcard } from './server-harness.js';
import { asHref } from '../../src/core/types.js';

const XSS_NAME = '<script>alert(1)</script>';
const XSS_ATTR = '"><img src=x onerror=alert(2)>';
const XSS_UID = "x'\"><svg onload=alert(3)>";

const fnProp = (v: string) => [{ name: 'fn', params: {}, type: 'text', values: [v] }];
function fnConflict(base: string, a: string, b: string): FieldDecision {
  return {
    field: 'fn', path: { component: '', field: 'fn', element: '' }, conflict: true, base,
    values: [{ connector: 'a', value: a, raw: fnProp(a) }, { connector: 'b', value: b, raw: fnProp(b) }],
    chosen: a, chosenIndex: 0,
  };
}

/**
 * The review page in process (memory store): what it shows whom, escaping, and the resolve
 * POST with its CSRF checks. The browser test (review-browser.test.ts) drives the real thing.
 */
describe('review page', () => {
  let t: TestServer;
  let server: Server;
  let base: string;
  const writes: WriteEvent[] = [];
  let joerg: StoredItem;
  let xss: StoredItem;
  let conflictId: number;
  let xssConflictId: number;
  let bobsEntryId: number;

  const get = (path: string, user = 'alice', pw = user === 'bob' ? ENV.BOB_PW : PASSWORD) =>
    fetch(`${base}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` }, redirect: 'manual' });
  const page = async (path = '/', user = 'alice') => {
    const r = await get(path, user);
    assert.equal(r.status, 200);
    return { text: await r.text(), headers: r.headers };
  };
  const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no token in the page');
  const post = (fields: Record<string, string>, headers: Record<string, string> = {}, user = 'alice') =>
    fetch(`${base}/review/resolve`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${user === 'bob' ? ENV.BOB_PW : PASSWORD}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded', ...headers,
      },
    });

  before(async () => {
    t = new TestServer(new MemoryStore(), parseConfig(CONFIG_YAML, '/tmp/pimhub-test.yaml', connectorSchemas()));
    // A server of our own, with the daemon's hooks.
    const store = t.store;
    await store.init();
    for (const c of Object.values(t.config.collections)) {
      await store.upsertCollection({ name: c.name, kind: c.kind, owner: c.owner, origin: 'config', displayName: c.name, createdAt: '2024-01-01T00:00:00.000Z' });
    }
    const app = createServer({
      store, config: t.config, identity: t.identity, env: ENV, log: () => {}, onWrite: (e) => writes.push(e),
      syncInfo: () => ({ running: false, schedule: '*/15 * * * *' }),
    });
    await new Promise<void>((ok) => {
      server = app.listen(0, '127.0.0.1', () => ok());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t.base = base;

    joerg = await t.seed('contacts', vcard('joerg', ['FN:Jörg A', 'N:Müller;Jörg;;;']));
    xss = await t.seed('contacts', vcard(XSS_UID, [`FN:${XSS_NAME}`]));
    const bobs = await t.seed('bobs', vcard('bobs-secret-friend', ['FN:Bobs Friend']));
    const now = '2024-05-01T10:00:00.000Z';
    const { logIds } = await store.commit({
      log: [
        { run: 'r1', time: now, collection: 'contacts', uid: 'joerg', itemId: joerg.id, action: 'created', connector: 'phone' },
        { run: 'r1', time: now, collection: 'contacts', uid: 'joerg', itemId: joerg.id, action: 'conflict', connector: 'b', fields: [fnConflict('Jörg Müller', 'Jörg A', 'Jörg B')] },
        { run: 'r1', time: now, collection: 'contacts', uid: XSS_UID, itemId: xss.id, action: 'conflict', connector: 'b', message: XSS_NAME, fields: [fnConflict(XSS_NAME, XSS_NAME, XSS_ATTR)] },
        { run: 'r1', time: now, collection: 'bobs', uid: 'bobs-secret-friend', itemId: bobs.id, action: 'conflict', connector: 'b', fields: [fnConflict('Bobs Friend', 'Bobs Friend', 'Bobs Foe')] },
      ],
      quarantine: [{ collection: 'contacts', member: 'phone', href: asHref('broken.vcf'), where: 'phone.vcf line 7', message: `cannot parse ${XSS_ATTR}`, raw: `BEGIN:VCARD\nFN:${XSS_NAME}\n`, time: now }],
    });
    conflictId = logIds[1]!;
    xssConflictId = logIds[2]!;
    bobsEntryId = logIds[3]!;
  });
  after(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
    server.closeAllConnections();
  });
  beforeEach(() => {
    writes.length = 0;
  });

  test('asks for a login; /healthz answers without one', async () => {
    const r = await fetch(`${base}/`);
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal((await get('/', 'alice', 'wrong')).status, 401);
    const h = await fetch(`${base}/healthz`);
    assert.equal(h.status, 200);
    const body = await h.json() as { status: string };
    assert.equal(body.status, 'ok');
  });

  test('shows a conflict side by side with a button for the other value, a status panel and the quarantine', async () => {
    const { text, headers } = await page();
    const card = text.slice(text.indexOf(`id="entry-${conflictId}"`));
    assert.match(card, /<span class="who">base<\/span>Jörg <mark>Müller<\/mark>|<span class="who">base<\/span>Jörg Müller/);
    assert.match(card, /<span class="who">a · kept<\/span>Jörg <mark>A<\/mark>/);
    assert.match(card, /<span class="who">b<\/span>Jörg <mark>B<\/mark>/);
    assert.match(card, /name="keep" value="b"/);
    assert.match(card, /Keep b&#39;s value/);
    assert.doesNotMatch(card.slice(0, card.indexOf('</article>')), /name="keep" value="a"/, 'no button for the value already kept');
    assert.match(text, /<td>phone<\/td>/);
    assert.match(text, /phone\.vcf line 7/);
    assert.match(text, /Daemon: no sync yet/);
    assert.match(headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.doesNotMatch(headers.get('content-security-policy') ?? '', /script-src/);
    assert.equal(headers.get('x-frame-options'), 'DENY');
  });

  test('a user sees only their own collections', async () => {
    const alice = (await page()).text;
    assert.ok(!alice.includes('bobs-secret-friend') && !alice.includes('Bobs Fo'), 'alice sees none of bob’s entries');
    const bob = (await page('/', 'bob')).text;
    assert.match(bob, /bobs-secret-friend/);
    assert.match(bob, /Bobs <mark>Foe<\/mark>/);
    assert.ok(!bob.includes('Jörg'), 'bob sees none of alice’s entries');
    // Bob cannot filter his way into alice's collection either.
    assert.ok(!(await page('/?collection=contacts', 'bob')).text.includes('Jörg'));
  });

  test('item data is shown as text, never as markup', async () => {
    const { text } = await page();
    // Every tag in the page is one of ours: none from data, none with an event handler.
    const tags = text.match(/<[a-zA-Z][^>]*>/g) ?? [];
    assert.ok(tags.length > 50);
    for (const tag of tags) {
      assert.doesNotMatch(tag, /^<(script|img|svg|iframe)/i, tag);
      assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, tag);
    }
    assert.match(text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(text, /&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.match(text, /x&#39;&quot;&gt;&lt;svg onload=alert\(3\)&gt;/);
    // Also inside attribute values (the text filter echoes the search).
    const search = (await page(`/?q=${encodeURIComponent(XSS_ATTR)}`)).text;
    assert.ok(!search.includes('<img src=x'));
    assert.match(search, /value="&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;"/);
    assert.match(search, new RegExp(`id="entry-${xssConflictId}"`));
  });

  test('filters by action, collection and text on the server', async () => {
    const conflicts = (await page('/?action=conflict')).text;
    assert.ok(conflicts.includes(`id="entry-${conflictId}"`));
    assert.ok(!/class="badge a-created"/.test(conflicts));
    const text = (await page('/?q=j%C3%B6rg+b')).text;
    assert.ok(text.includes(`id="entry-${conflictId}"`));
    assert.ok(!text.includes(`id="entry-${xssConflictId}"`));
    const none = (await page('/?collection=personal')).text;
    assert.match(none, /No entries match these filters/);
    // Unknown values are ignored, not echoed.
    const odd = (await page('/?action=%3Cb%3E&limit=9999')).text;
    assert.ok(!odd.includes('<b>'));
  });

  test('a POST without the token, with a foreign token or from another site is refused and changes nothing', async () => {
    const before = await t.store.getItem(joerg.id);
    const token = tokenOf((await page()).text);
    const bobToken = tokenOf((await page('/', 'bob')).text);
    const refused = [
      await post({ entry: String(conflictId), keep: 'b' }),
      await post({ entry: String(conflictId), keep: 'b', token: 'x' }),
      await post({ entry: String(conflictId), keep: 'b', token: bobToken }),
      await post({ entry: String(conflictId), keep: 'b', token }, { origin: 'https://evil.example' }),
      await post({ entry: String(conflictId), keep: 'b', token }, { origin: 'null' }),
      await post({ entry: String(conflictId), keep: 'b', token }, { referer: 'https://evil.example/page' }),
    ];
    for (const r of refused) assert.equal(r.status, 403, await r.text());
    const after = await t.store.getItem(joerg.id);
    assert.equal(after!.version, before!.version);
    assert.equal((await t.store.listLog({ actions: ['resolved'] })).length, 0);
    assert.equal(writes.length, 0);
  });

  test('another user’s entry cannot be resolved', async () => {
    const token = tokenOf((await page()).text);
    const r = await post({ entry: String(bobsEntryId), keep: 'b', token });
    assert.equal(r.status, 404);
    assert.match(await r.text(), /No such log entry/);
    assert.equal((await t.store.listLog({ actions: ['resolved'] })).length, 0);
  });

  test('the button keeps the other value like `pimhub resolve`, and asks for a sync', async () => {
    const token = tokenOf((await page()).text);
    const r = await post({ entry: String(conflictId), keep: 'b', token, action: 'conflict' }, { origin: base });
    assert.equal(r.status, 303);
    const location = r.headers.get('location') ?? '';
    assert.match(location, /^\/\?action=conflict&resolved=\d+#entry-\d+$/);
    const item = await t.store.getItem(joerg.id);
    assert.equal(item!.version, joerg.version + 1);
    const fn = item!.item.kind === 'contact' ? item!.item.card.props.find((p) => p.name === 'fn')?.values[0] : undefined;
    assert.equal(fn, 'Jörg B');
    const [resolved] = await t.store.listLog({ actions: ['resolved'] });
    assert.equal(resolved!.resolves, conflictId);
    assert.equal(resolved!.connector, 'review');
    assert.deepEqual(writes, [{ source: 'review', method: 'POST', user: 'alice', collection: 'contacts' }]);
    const shown = (await page(location.split('#')[0]!)).text;
    assert.match(shown, /Entry #\d+ changed/);
    assert.match(shown, /A sync is scheduled in a few seconds/);
    assert.match(shown, /decision changed later by/);
    assert.match(shown, /b · kept \(#\d+\)/);
    // Resolving a decision on an item that no longer agrees is reported, not a 500.
    const again = await post({ entry: String(conflictId), keep: 'nobody', token }, { origin: base });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /was not changed/);
  });

  test('writes through the endpoint are announced once committed; refused ones are not', async () => {
    const put = await t.req('PUT', '/dav/home/alice/contacts/new.vcf', { body: vcard('new-one', ['FN:New One']), headers: { 'content-type': 'text/vcard' } });
    assert.equal(put.status, 201);
    const refused = await t.req('PUT', '/dav/home/alice/contacts/new.vcf', { body: vcard('new-one', ['FN:New Two']), headers: { 'content-type': 'text/vcard', 'if-match': '"nope"' } });
    assert.equal(refused.status, 412);
    const del = await t.req('DELETE', '/dav/home/alice/contacts/new.vcf');
    assert.equal(del.status, 204);
    assert.deepEqual(writes, [
      { source: 'dav', method: 'PUT', user: 'alice', collection: 'contacts' },
      { source: 'dav', method: 'DELETE', user: 'alice', collection: 'contacts' },
    ]);
  });
});

describe('review page helpers', () => {
  test('esc escapes markup and quotes and drops control characters', () => {
    assert.equal(esc(`<a href="x" title='y'>&\u0000\``), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;');
  });

  test('marked highlights the changed words', () => {
    assert.equal(marked('+49 171 7654321', '+49 171 1234567').text, '+49 171 <mark>7654321</mark>');
    assert.equal(marked('Jörg Müller', 'Jörg Muller').text, 'Jörg <mark>Müller</mark>');
    assert.equal(marked(null, 'x').text, '<em class="none">(none)</em>');
    assert.equal(marked('<b>', '<i>').text, '&lt;<mark>b</mark>&gt;');
  });

  test('CSRF tokens are bound to the user and expire', () => {
    const c = new CsrfTokens(Buffer.alloc(32, 1), 1000);
    const tok = c.issue('alice', 10_000);
    assert.equal(c.verify('alice', tok, 10_500), true);
    assert.equal(c.verify('bob', tok, 10_500), false);
    assert.equal(c.verify('alice', tok, 12_000), false);
    assert.equal(c.verify('alice', `${tok}x`, 10_500), false);
    assert.equal(c.verify('alice', undefined, 10_500), false);
  });

  test('same-origin check: Origin, then Referer, against Host or X-Forwarded-Host', () => {
    assert.equal(sameOrigin({ host: 'a.example:5233', origin: 'http://a.example:5233' }), true);
    assert.equal(sameOrigin({ host: 'a.example:5233', origin: 'http://b.example:5233' }), false);
    assert.equal(sameOrigin({ host: '127.0.0.1:5233', 'x-forwarded-host': 'pim.example.org', origin: 'https://pim.example.org' }), true);
    assert.equal(sameOrigin({ host: 'a.example', referer: 'https://evil.example/x' }), false);
    assert.equal(sameOrigin({ host: 'a.example', origin: 'null' }), false);
    assert.equal(sameOrigin({ host: 'a.example' }), true);
  });
});
