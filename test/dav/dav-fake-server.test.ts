import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dns from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dav, carddav } from '../../connectors/dav/index.js';
import { DavHttp, credentialsMayGo } from '../../connectors/dav/http.js';
import { DavRequests } from '../../connectors/dav/requests.js';
import { readToken } from '../../connectors/dav/member-token.js';
import { isIncremental, type IncrementalSource } from '../../src/core/connector.js';
import { isPimError } from '../../src/core/errors.js';
import { asHref } from '../../src/core/types.js';
import { FakeServer, multistatus, response } from './fake-server.js';
import { INSTALL_HINT, availability } from './servers.js';

const servers: FakeServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});
const serve = async (h: ConstructorParameters<typeof FakeServer>[0], tls?: { key: string; cert: string }) => {
  const s = await new FakeServer(h, tls).start();
  servers.push(s);
  return s;
};
const http = (origin: string, over: Partial<ConstructorParameters<typeof DavHttp>[1]> = {}) => new DavHttp(new URL(origin).origin, {
  timeoutMs: 2000, retries: 3, retryBaseMs: 10, maxRetryAfterMs: 5000, authorization: () => undefined, concurrency: 2, insecure: false, ...over,
});

test('retries 5xx with backoff, then succeeds', async () => {
  let n = 0;
  const s = await serve((_q, _b, res) => {
    n += 1;
    res.writeHead(n < 3 ? 503 : 200).end('ok');
  });
  const h = http(s.url);
  const r = await h.fetch(s.url);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'ok');
  assert.equal(n, 3);
  h.close();
});

test('honours Retry-After on 429', async () => {
  let n = 0;
  const s = await serve((_q, _b, res) => {
    n += 1;
    if (n === 1) res.writeHead(429, { 'Retry-After': '1' }).end();
    else res.writeHead(200).end();
  });
  const h = http(s.url);
  const t0 = Date.now();
  assert.equal((await h.fetch(s.url)).status, 200);
  assert.ok(Date.now() - t0 >= 900, 'waited the second it was told');
  h.close();
});

test('a dropped connection is retried; retries are bounded', async () => {
  let n = 0;
  const s = await serve((q, _b, res) => {
    n += 1;
    if (n === 1 || q.url === '/always') q.socket.destroy();
    else res.writeHead(200).end();
  });
  const h = http(s.url);
  assert.equal((await h.fetch(s.url)).status, 200);
  n = 0;
  await assert.rejects(h.fetch(`${s.url}always`), (e: unknown) => isPimError(e, 'io') && /after 4 attempts/.test(e.message));
  h.close();
});

test('a request without an answer times out with a clear error', async () => {
  const s = await serve(() => { /* never answers */ });
  const h = http(s.url, { timeoutMs: 200, retries: 0 });
  await assert.rejects(h.fetch(`${s.url}slow`), (e: unknown) => isPimError(e, 'io') && e.message.includes('no answer within 200 ms') && e.message.includes(`${s.url}slow`));
  h.close();
});

/** A server that answers every request after `ms` (a busy server, not a lost one); counts them. */
async function slowServer(ms: number) {
  const seen = { requests: 0 };
  const s = await serve((_q, _b, res) => {
    seen.requests += 1;
    setTimeout(() => multistatus(res, response('/book/', '<d:getetag>"1"</d:getetag>')), ms);
  });
  return { s, seen };
}

test('a timed-out request is asked again with twice the time, so a busy server gets to answer', async () => {
  const { s, seen } = await slowServer(500);
  // 200 ms, then 400 ms, then 800 ms: the third attempt outlasts the 500 ms the server takes.
  const h = http(s.url, { timeoutMs: 200, retries: 2 });
  const r = await h.fetch(`${s.url}book/`, { method: 'PROPFIND' });
  assert.equal(r.status, 207);
  assert.equal(seen.requests, 3);
  h.close();
});

test('a request listing a whole collection waits ten times the timeout; any other gives up after it', async () => {
  const { s } = await slowServer(400);
  const h = http(s.url, { timeoutMs: 100, retries: 0 });
  const requests = new DavRequests(h);
  const whole = await requests.propfind(`${s.url}book/`, [{ ns: 'DAV:', name: 'getetag' }], '1', true);
  assert.equal(whole.status, 207);
  assert.equal(whole.entries.length, 1);
  await assert.rejects(requests.propfind(`${s.url}book/`, [{ ns: 'DAV:', name: 'getetag' }], '1'), (e: unknown) => isPimError(e, 'io') && e.message.includes('no answer within 100 ms'));
  h.close();
});

test('401 is access-denied naming the URL, never the password; a missing variable is a config error', async () => {
  const s = await serve((q, _b, res) => {
    assert.match(q.headers.authorization ?? '', /^Basic /);
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
  });
  process.env.PIMHUB_FAKE_PW = 'hunter2-very-secret';
  const c = dav.create('cloud', { type: 'dav', url: `${s.url}dav/`, username: 'alice', passwordEnv: 'PIMHUB_FAKE_PW', retries: 0 }, { baseDir: '/' });
  await assert.rejects(c.check(), (e: unknown) => {
    assert.ok(isPimError(e, 'access-denied'), String(e));
    assert.ok(e.message.includes(`${s.url}dav/`) && e.message.includes('alice'), e.message);
    assert.ok(!e.message.includes('hunter2') && !JSON.stringify(e).includes('hunter2') && !String(e.stack).includes('hunter2'));
    return true;
  });
  const missing = dav.create('cloud', { type: 'dav', url: s.url, username: 'alice', passwordEnv: 'PIMHUB_NOT_SET_ANYWHERE' }, { baseDir: '/' });
  await assert.rejects(missing.check(), (e: unknown) => isPimError(e, 'config') && e.message === 'connectors.cloud.passwordEnv: the environment variable PIMHUB_NOT_SET_ANYWHERE is not set');
  process.env.PIMHUB_FAKE_TOKEN = 'tok-123';
  let seen = '';
  const b = await serve((q, _b, res) => {
    seen = q.headers.authorization ?? '';
    res.writeHead(404).end();
  });
  await assert.rejects(dav.create('x', { type: 'dav', url: `${b.url}a/`, bearerTokenEnv: 'PIMHUB_FAKE_TOKEN' }, { baseDir: '/' }).check(), (e: unknown) => isPimError(e, 'not-found'));
  assert.equal(seen, 'Bearer tok-123');
});

test('options: url must be http(s), credentials stay out of it, unknown keys are named', () => {
  const bad = (o: Record<string, unknown>, msg: RegExp) => assert.throws(() => dav.create('cloud', { type: 'dav', ...o }, { baseDir: '/' }), (e: unknown) => isPimError(e, 'config') && msg.test(e.message));
  bad({ url: 'ftp://x.example/' }, /^connectors\.cloud\.url: expected an http\(s\) URL$/);
  bad({ url: 'not a url' }, /connectors\.cloud\.url: expected an http\(s\) URL/);
  bad({ url: 'https://bob:pw@x.example/' }, /credentials do not belong in the URL/);
  bad({ url: 'https://x.example/', passwordEnv: 'P' }, /connectors\.cloud\.username: passwordEnv needs a username/);
  bad({ url: 'https://x.example/', insecure: 'yes' }, /connectors\.cloud\.insecure/);
  bad({ url: 'https://x.example/', colour: 1 }, /connectors\.cloud\.colour: unknown key/);
  assert.equal(carddav.create('c', { type: 'carddav', url: 'https://x.example/' }, { baseDir: '/' }).type, 'carddav');
});

/** A CardDAV collection with getctag and no sync-collection, one good and one broken card. */
async function ctagServer() {
  const state = { ctag: '1' };
  const cards: Record<string, string> = {
    'good.vcf': 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:good\r\nFN:Good\r\nEND:VCARD\r\n',
    'broken.vcf': 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:broken\r\nFN:Broken\r\nBDAY;VALUE=date:not-a-date\r\n',
  };
  const s = await serve((q, body, res) => {
    const path = q.url ?? '';
    if (q.method === 'PROPFIND' && path === '/book/' && q.headers.depth === '0') {
      multistatus(res, response('/book/', `<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Book</d:displayname><cs:getctag>${state.ctag}</cs:getctag>`));
    } else if (q.method === 'PROPFIND' && path === '/book/') {
      multistatus(res, response('/book/', '<d:resourcetype><d:collection/></d:resourcetype>') + Object.keys(cards).map((n) => response(`/book/${n}`, `<d:getetag>"${n}-${state.ctag}"</d:getetag>`)).join(''));
    } else if (q.method === 'REPORT' && body.includes('addressbook-multiget')) {
      const hrefs = [...body.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => m[1]!);
      multistatus(res, hrefs.map((h) => response(h, `<d:getetag>"x"</d:getetag><card:address-data>${cards[h.split('/').pop()!]!.replace(/\r/g, '&#13;')}</card:address-data>`)).join(''));
    } else {
      res.writeHead(404).end();
    }
  });
  return { s, state };
}

test('without sync-collection: getctag says whether to list; an unchanged ctag costs one request', async () => {
  const { s, state } = await ctagServer();
  const c = carddav.create('cloud', { type: 'carddav', url: `${s.url}book/` }, { baseDir: '/' });
  const src = await c.source('contacts');
  assert.ok(isIncremental(src));
  const inc = src as IncrementalSource;
  const first = await inc.changesSince(undefined);
  const changesOf = (token: string | undefined) => readToken(token ?? '', '', 'contacts').changes;
  assert.equal(changesOf(first?.token), 'ctag:1');
  assert.deepEqual(first?.changed.map((e) => e.href).sort(), ['broken.vcf', 'good.vcf']);
  const before = s.requests;
  assert.deepEqual(await inc.changesSince(first!.token), { changed: [], deleted: [], token: first!.token });
  assert.equal(s.requests - before, 1);
  // A later run (a new connector) with the token: the same one request, no discovery.
  const later = carddav.create('cloud', { type: 'carddav', url: `${s.url}book/` }, { baseDir: '/' });
  const again = (await later.source('contacts')) as IncrementalSource;
  const beforeLater = s.requests;
  assert.deepEqual(await again.changesSince(first!.token), { changed: [], deleted: [], token: first!.token });
  assert.equal(s.requests - beforeLater, 1);
  await later.close?.();
  state.ctag = '2';
  assert.equal(await inc.changesSince(first!.token), null, 'a new ctag asks for a full listing');
  await c.close?.();
});

test('an undecodable entry is a FetchProblem naming the URL, the others load', async () => {
  const { s } = await ctagServer();
  const c = carddav.create('cloud', { type: 'carddav', url: `${s.url}book/` }, { baseDir: '/' });
  const src = await c.source('contacts');
  const r = await src.get([asHref('good.vcf'), asHref('broken.vcf')]);
  assert.deepEqual(r.items.map((i) => i.href), ['good.vcf']);
  assert.equal(r.problems.length, 1);
  assert.ok(r.problems[0]!.where.startsWith(`${s.url}book/broken.vcf:`), r.problems[0]!.where);
  assert.ok(r.problems[0]!.message.length > 0 && r.problems[0]!.raw);
  await c.close?.();
});

test('caFile trusts a self-signed server; without it the certificate is refused; insecure accepts it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pimhub-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  } catch {
    t.skip('openssl is not installed');
    return;
  }
  const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  const s = await serve((_q, _b, res) => multistatus(res, response('/book/', '<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>')), tls);
  const opts = { type: 'carddav', url: `${s.url}book/`, retries: 0 };
  await assert.rejects(carddav.create('c', opts, { baseDir: '/' }).check(), (e: unknown) => isPimError(e, 'io') && /certificate/i.test(e.message));
  const trusted = carddav.create('c', { ...opts, caFile: 'cert.pem' }, { baseDir: dir });
  assert.deepEqual((await trusted.discover()).map((x) => x.name), ['book']);
  const insecure = carddav.create('c', { ...opts, insecure: true }, { baseDir: '/' });
  await insecure.check();
  await trusted.close?.();
  await insecure.close?.();
});

test('redirects are followed with the same method; credentials do not follow to another origin', async () => {
  const seen: Array<{ method?: string; auth?: string }> = [];
  const other = await serve((q, _b, res) => {
    seen.push({ method: q.method, auth: q.headers.authorization });
    res.writeHead(200).end();
  });
  const first = await serve((q, _b, res) => {
    seen.push({ method: q.method, auth: q.headers.authorization });
    res.writeHead(301, { Location: q.url === '/away' ? `${other.url}there` : '/here' }).end();
  });
  const h = http(first.url, { authorization: () => 'Basic c2VjcmV0' });
  await h.fetch(`${first.url}away`, { method: 'PROPFIND' });
  assert.deepEqual(seen, [{ method: 'PROPFIND', auth: 'Basic c2VjcmV0' }, { method: 'PROPFIND', auth: undefined }]);
  h.close();
});

test('credentials go only to the configured origin; iCloud partition hosts are the one exception', () => {
  const may = (home: string, target: string) => credentialsMayGo(new URL(home), new URL(target));
  assert.equal(may('https://cloud.example.co.uk/dav/', 'https://cloud.example.co.uk/other'), true);
  assert.equal(may('https://cloud.example.co.uk/', 'https://evil.co.uk/'), false, 'a public suffix is no parent domain');
  assert.equal(may('https://cloud.example.co.uk/', 'https://other.example.co.uk/'), false);
  assert.equal(may('https://alice.github.io/', 'https://bob.github.io/'), false);
  assert.equal(may('https://dav.example.com/', 'https://example.com/'), false);
  assert.equal(may('https://example.com/', 'https://cloud.example.com/'), false);
  assert.equal(may('https://dav.example.com/', 'http://dav.example.com/'), false, 'never downgraded to http');
  assert.equal(may('https://dav.example.com/', 'https://dav.example.com:8443/'), false, 'another port is another origin');
  assert.equal(may('http://127.0.0.1:8000/', 'http://127.0.0.1:8001/'), false);
  assert.equal(may('https://contacts.icloud.com/', 'https://p42-contacts.icloud.com/123/carddavhome/'), true);
  assert.equal(may('https://caldav.icloud.com/', 'https://p07-caldav.icloud.com/'), true);
  assert.equal(may('https://contacts.icloud.com/', 'http://p42-contacts.icloud.com/'), false);
  assert.equal(may('https://contacts.icloud.com/', 'https://icloud.com.evil.example/'), false);
  assert.equal(may('https://contacts.icloud.com/', 'https://evilicloud.com/'), false);
  assert.equal(may('https://cloud.example.com/', 'https://p42-contacts.icloud.com/'), false, 'iCloud trust needs an iCloud account');
});

test('a redirect to a sibling domain gets no Authorization header (over https, names routed to loopback)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pimhub-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const names = ['cloud.example.co.uk', 'evil.co.uk', 'other.example.co.uk', 'alice.github.io', 'bob.github.io', 'contacts.icloud.com', 'p42-contacts.icloud.com'];
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '2', '-subj', '/CN=pimhub-test', '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`], { stdio: 'ignore' });
  } catch {
    t.skip('openssl is not installed');
    return;
  }
  // These names resolve to the loopback fake servers for this test only.
  const original = dns.lookup;
  const patched = (host: string, opts: unknown, cb?: unknown): void => {
    const callback = (typeof opts === 'function' ? opts : cb) as (...a: unknown[]) => void;
    const o = (typeof opts === 'object' && opts !== null ? opts : {}) as { all?: boolean };
    if (!names.includes(host)) return void (original as (...a: unknown[]) => void)(host, opts, cb);
    if (o.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  (dns as { lookup: unknown }).lookup = patched;
  t.after(() => {
    (dns as { lookup: unknown }).lookup = original;
  });
  const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  const seen: Array<{ host?: string; auth?: string }> = [];
  const target = await serve((q, _b, res) => {
    seen.push({ host: q.headers.host?.replace(/:\d+$/, ''), auth: q.headers.authorization });
    res.writeHead(200).end();
  }, tls);
  const targetPort = new URL(target.url).port;
  const first = await serve((q, _b, res) => {
    const to = (q.url ?? '/').slice(1);
    res.writeHead(301, { Location: `https://${to}:${targetPort}/there` }).end();
  }, tls);
  const firstPort = new URL(first.url).port;
  const ca = tls.cert;
  const through = async (home: string, to: string) => {
    seen.length = 0;
    const h = http(`https://${home}:${firstPort}/`, { authorization: () => 'Basic c2VjcmV0', ca, retries: 0 });
    try {
      const res = await h.fetch(`https://${home}:${firstPort}/${to}`, { method: 'PROPFIND' });
      assert.equal(res.status, 200);
      assert.equal(new URL(res.url).hostname, to, 'the answer names the URL after redirects');
    } finally {
      h.close();
    }
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.host, to);
    return seen[0]!.auth;
  };
  assert.equal(await through('cloud.example.co.uk', 'evil.co.uk'), undefined);
  assert.equal(await through('cloud.example.co.uk', 'other.example.co.uk'), undefined);
  assert.equal(await through('alice.github.io', 'bob.github.io'), undefined);
  // Another port is another origin, even on the same host.
  assert.equal(await through('cloud.example.co.uk', 'cloud.example.co.uk'), undefined);
  // iCloud moves an account to a partition host: the credentials follow.
  assert.equal(await through('contacts.icloud.com', 'p42-contacts.icloud.com'), 'Basic c2VjcmV0');
});

/** Server B of a Nextcloud-like pair: a DAV root, a principal and a home set, all with path-absolute or relative hrefs. */
function nextcloudLike(seen: Array<{ method?: string; path?: string; auth?: string }>, requireAuth = false) {
  return (q: import('node:http').IncomingMessage, _b: string, res: import('node:http').ServerResponse) => {
    seen.push({ method: q.method, path: q.url, auth: q.headers.authorization });
    if (requireAuth && !q.headers.authorization) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
    if (q.method !== 'PROPFIND') return void res.writeHead(405).end();
    switch (q.url) {
      case '/remote.php/dav/':
        return multistatus(res, response('/remote.php/dav/', '<d:resourcetype><d:collection/></d:resourcetype><d:current-user-principal><d:href>/remote.php/dav/principals/users/alice/</d:href></d:current-user-principal>'));
      case '/remote.php/dav/principals/users/alice/':
        return multistatus(res, response('/remote.php/dav/principals/users/alice/', '<card:addressbook-home-set><d:href>/remote.php/dav/addressbooks/users/alice/</d:href></card:addressbook-home-set>'));
      case '/remote.php/dav/addressbooks/users/alice/':
        return multistatus(res, response('/remote.php/dav/addressbooks/users/alice/', '<d:resourcetype><d:collection/></d:resourcetype>')
          + response('contacts/', '<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Contacts</d:displayname>'));
      default:
        return void res.writeHead(404).end();
    }
  };
}

test('discovery after a /.well-known redirect to another host asks that host for the principal and home set', async () => {
  const seenA: Array<{ method?: string; path?: string; auth?: string }> = [];
  const seenB: Array<{ method?: string; path?: string; auth?: string }> = [];
  const b = await serve(nextcloudLike(seenB));
  const a = await serve((q, _b, res) => {
    seenA.push({ method: q.method, path: q.url, auth: q.headers.authorization });
    if (q.url === '/.well-known/carddav') return void res.writeHead(301, { Location: `${b.url}remote.php/dav/` }).end();
    res.writeHead(404).end();
  });
  const c = carddav.create('cloud', { type: 'carddav', url: a.url, username: 'alice', retries: 0 }, { baseDir: '/' });
  const found = await c.discover();
  await c.close?.();
  assert.deepEqual(found.map((x) => [x.url, x.displayName]), [[`${b.url}remote.php/dav/addressbooks/users/alice/contacts/`, 'Contacts']]);
  assert.deepEqual(seenA.map((r) => r.path), ['/.well-known/carddav']);
  assert.deepEqual(seenB.map((r) => `${r.method} ${r.path}`), [
    'PROPFIND /remote.php/dav/',
    'PROPFIND /remote.php/dav/principals/users/alice/',
    'PROPFIND /remote.php/dav/addressbooks/users/alice/',
  ]);
  // The credentials went to the configured origin A only, never to B.
  assert.match(seenA[0]!.auth ?? '', /^Basic /);
  assert.ok(seenB.every((r) => r.auth === undefined));
});

test('a 401 after a redirect to another origin says the credentials stay with the configured one', async () => {
  const seenB: Array<{ method?: string; path?: string; auth?: string }> = [];
  const b = await serve(nextcloudLike(seenB, true));
  const a = await serve((q, _b, res) => {
    if (q.url === '/.well-known/carddav') return void res.writeHead(301, { Location: `${b.url}remote.php/dav/` }).end();
    res.writeHead(404).end();
  });
  const c = carddav.create('cloud', { type: 'carddav', url: a.url, username: 'alice', retries: 0 }, { baseDir: '/' });
  await assert.rejects(c.discover(), (e: unknown) => isPimError(e, 'access-denied')
    && e.message.includes(`set the connector's url to ${b.url}remote.php/dav/`) && !e.message.includes('alice:'));
  await c.close?.();
  assert.ok(seenB.length > 0 && seenB.every((r) => r.auth === undefined));
  // Configured with B's URL, the credentials reach B and discovery works.
  const direct = carddav.create('cloud', { type: 'carddav', url: `${b.url}remote.php/dav/`, username: 'alice', retries: 0 }, { baseDir: '/' });
  assert.deepEqual((await direct.discover()).map((x) => x.name), ['contacts']);
  await direct.close?.();
});

test('a missing DAV server is skipped with the install hint, and fails under CI=true', () => {
  const missing = { binary: '/nonexistent/radicale' };
  assert.equal(availability(missing, {}), 'skip');
  assert.equal(availability(missing, { CI: 'true' }), 'fail');
  assert.equal(availability({ binary: process.execPath }, { CI: 'true' }), 'run');
  assert.equal(INSTALL_HINT, 'apt-get install radicale xandikos');
});

test('a collection kept in the token that fails and that the server now describes otherwise (no sync-collection) is discovered again', async () => {
  const state = { sync: true };
  const s = await serve((q, body, res) => {
    const path = q.url ?? '';
    const reports = state.sync ? '<d:supported-report-set><d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report></d:supported-report-set>' : '';
    if (q.method === 'PROPFIND' && path === '/book/' && q.headers.depth === '0') {
      multistatus(res, response('/book/', `<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Book</d:displayname><cs:getctag>c1</cs:getctag>${reports}`));
    } else if (q.method === 'PROPFIND' && path === '/book/') {
      multistatus(res, response('/book/', '<d:resourcetype><d:collection/></d:resourcetype>') + response('/book/good.vcf', '<d:getetag>"g1"</d:getetag>'));
    } else if (q.method === 'REPORT' && body.includes('sync-collection') && state.sync) {
      multistatus(res, response('/book/good.vcf', '<d:getetag>"g1"</d:getetag>'), '<d:sync-token>t1</d:sync-token>');
    } else if (q.method === 'REPORT' && body.includes('sync-collection')) {
      res.writeHead(501).end();
    } else {
      res.writeHead(404).end();
    }
  });
  const connect = () => carddav.create('cloud', { type: 'carddav', url: `${s.url}book/`, retries: 0 }, { baseDir: '/' });
  const before = connect();
  const first = await ((await before.source('contacts')) as IncrementalSource).changesSince(undefined);
  await before.close?.();
  assert.equal(readToken(first!.token, '', 'contacts').changes, 'sync:t1');
  assert.equal(readToken(first!.token, '', 'contacts').collection?.syncCollection, true);

  state.sync = false;
  const later = connect();
  const src = (await later.source('contacts')) as IncrementalSource;
  // The engine's way: the stored token (refused: 501), then a full read, which fails at the
  // kept collection's sync-collection; discovery says the collection has none now: getctag and a listing.
  assert.equal(await src.changesSince(first!.token), null);
  const full = await src.changesSince(undefined);
  assert.deepEqual(full?.changed.map((e) => e.href), ['good.vcf']);
  assert.equal(readToken(full!.token, '', 'contacts').changes, 'ctag:c1');
  assert.equal(readToken(full!.token, '', 'contacts').collection?.syncCollection, false);
  await later.close?.();
});
