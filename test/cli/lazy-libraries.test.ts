import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './cli-harness.js';

/*
 * Start-up (docs/performance.md, "Speed round 4"): iconv-lite's code pages and node-cron are
 * loaded when first needed, not by every command that imports the codecs or checks a
 * config. Each case runs in a fresh process that records what it loads: URLs resolved for
 * ES imports (a resolve hook) and the CommonJS module cache (require()).
 */
const url = (rel: string) => pathToFileURL(join(ROOT, 'dist', rel)).href;

const RESOLVE_HOOK = 'let port; export function initialize(d) { port = d.port; } export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }';

function probe(body: string): Record<string, unknown> {
  const script = [
    "import { createRequire, register } from 'node:module';",
    "import { MessageChannel } from 'node:worker_threads';",
    // ES imports: a resolve hook reports every URL resolved (hooks run on their own thread).
    'const { port1, port2 } = new MessageChannel();',
    'const resolved = [];',
    'port1.on("message", (u) => resolved.push(u));',
    'port1.unref();',
    `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(RESOLVE_HOOK)}), { data: { port: port2 }, transferList: [port2] });`,
    // require(): the CommonJS module cache.
    `const cache = createRequire(${JSON.stringify(url('src/cli/main.js'))}).cache;`,
    'const settle = () => new Promise((r) => setTimeout(r, 100));',
    "const inPackage = (pkg) => (k) => k.includes(`/node_modules/${pkg}/`);",
    'const loaded = async (pkg) => { await settle(); return Object.keys(cache).some(inPackage(pkg)) || resolved.some(inPackage(pkg)); };',
    body,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('iconv-lite is loaded by the first text that is not UTF-8, not by importing the codecs', () => {
  const r = probe([
    `const { decodeVCards } = await import(${JSON.stringify(url('src/codecs/vcard/index.js'))});`,
    `await import(${JSON.stringify(url('src/codecs/icalendar/index.js'))});`,
    "const utf8 = decodeVCards(Buffer.from('BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nUID:u1\\r\\nFN:Jürgen Müller\\r\\nEND:VCARD\\r\\n', 'utf8'));",
    'const afterUtf8 = await loaded("iconv-lite");',
    "const latin = decodeVCards(Buffer.from('BEGIN:VCARD\\r\\nVERSION:2.1\\r\\nUID:u2\\r\\nFN:J\\u00fcrgen M\\u00fcller\\r\\nEND:VCARD\\r\\n', 'latin1'));",
    'const fn = (r) => r.items[0].card.props.find((p) => p.name === "fn").values[0];',
    'console.log(JSON.stringify({ afterUtf8, utf8: fn(utf8), latin: fn(latin), afterLatin: await loaded("iconv-lite") }));',
  ].join('\n'));
  assert.deepEqual(r, { afterUtf8: false, utf8: 'Jürgen Müller', latin: 'Jürgen Müller', afterLatin: true });
});

test('node-cron is loaded to check a schedule, not for a config without one', () => {
  const r = probe([
    `const { parseConfig } = await import(${JSON.stringify(url('src/config/load-config.js'))});`,
    `const { connectorSchemas } = await import(${JSON.stringify(url('connectors/schemas.js'))});`,
    "const plain = parseConfig('store: sqlite:./p.db\\n', '/tmp/pimhub.yaml', connectorSchemas());",
    'const afterPlain = await loaded("node-cron");',
    "let bad = '';",
    "try { parseConfig('schedule: every hour\\n', '/tmp/pimhub.yaml', connectorSchemas()); } catch (e) { bad = e.message; }",
    'console.log(JSON.stringify({ schedule: plain.schedule, afterPlain, bad, afterSchedule: await loaded("node-cron") }));',
  ].join('\n'));
  assert.equal(r.schedule, '*/15 * * * *', 'the default schedule');
  assert.equal(r.afterPlain, false);
  assert.match(String(r.bad), /schedule: expected a cron expression like "\*\/15 \* \* \* \*"/);
  assert.equal(r.afterSchedule, true);
});

test('the config and the connector options are checked with zod/mini: classic zod is never loaded', () => {
  const r = probe([
    `const { parseConfig } = await import(${JSON.stringify(url('src/config/load-config.js'))});`,
    `const { connectorSchemas } = await import(${JSON.stringify(url('connectors/schemas.js'))});`,
    "const text = 'connectors:\\n  desk: { type: vdir, path: ./c }\\n  cloud: { type: carddav, url: \"https://dav.example.org/\", username: a, passwordEnv: P }\\ncollections:\\n  c: { kind: contacts, members: [desk, cloud/book] }\\n';",
    "const ok = Object.keys(parseConfig(text, '/tmp/pimhub.yaml', connectorSchemas()).connectors);",
    "let bad = '';",
    "try { parseConfig('deleteGuard: 2\\nconnectors:\\n  desk: { type: vdir, path: 7 }\\n', '/tmp/pimhub.yaml', connectorSchemas()); } catch (e) { bad = e.message; }",
    'await loaded("zod");',
    'const zod = resolved.filter((u) => u.includes("/node_modules/zod/")).map((u) => u.replace(/.*\\/node_modules\\/zod\\//, ""));',
    'console.log(JSON.stringify({ ok, bad, mini: zod.some((f) => f.startsWith("v4/mini/")), classic: zod.filter((f) => f.includes("classic/")) }));',
  ].join('\n'));
  assert.deepEqual(r.ok, ['desk', 'cloud']);
  // zod's English texts still reach the config layer (mini sets no locale by itself).
  assert.match(String(r.bad), /deleteGuard: expected a share between 0 and 1/);
  assert.match(String(r.bad), /connectors\.desk\.path: expected text, found the number 7/);
  assert.equal(r.mini, true, 'zod/mini is what the schemas use');
  assert.deepEqual(r.classic, [], 'no module of classic zod');
});

test('a connector type\'s code is loaded when a connector of that type is made: DAV and vdir members load no CSV parser', () => {
  const r = probe([
    `const { createConnector } = await import(${JSON.stringify(url('connectors/registry.js'))});`,
    "const made = [(await createConnector('desk', { type: 'vdir', path: '/tmp/pimhub-lazy-vdir' }, { baseDir: '/' })).type,",
    "  (await createConnector('cloud', { type: 'carddav', url: 'https://dav.example.org/' }, { baseDir: '/' })).type];",
    'const csvAfterDav = (await loaded("csv-parse")) || (await loaded("csv-stringify"));',
    "made.push((await createConnector('sheet', { type: 'google-csv', path: '/tmp/pimhub-lazy.csv' }, { baseDir: '/' })).type);",
    'console.log(JSON.stringify({ made, csvAfterDav, csvAfterSheet: await loaded("csv-parse") }));',
  ].join('\n'));
  assert.deepEqual(r, { made: ['vdir', 'carddav', 'google-csv'], csvAfterDav: false, csvAfterSheet: true });
});

test('a valid config is read without yaml; a config with a problem loads it and the message keeps its line and column', () => {
  const r = probe([
    `const { parseConfig } = await import(${JSON.stringify(url('src/config/load-config.js'))});`,
    `const { connectorSchemas } = await import(${JSON.stringify(url('connectors/schemas.js'))});`,
    "const text = 'store: sqlite:./p.db\\nconnectors:\\n  desk: { type: vdir, path: ./c }\\ncollections:\\n  c: { kind: contacts, members: [desk] }\\n';",
    "const ok = parseConfig(text, '/tmp/pimhub.yaml', connectorSchemas()).collections.c.members.map((m) => m.name);",
    'const afterValid = await loaded("yaml");',
    "let bad = '';",
    "try { parseConfig('store: sqlite:./p.db\\nconnectors:\\n  desk: { type: vdir, path: 7 }\\n', '/tmp/pimhub.yaml', connectorSchemas()); } catch (e) { bad = e.message; }",
    'console.log(JSON.stringify({ ok, afterValid, bad, afterProblem: await loaded("yaml") }));',
  ].join('\n'));
  assert.deepEqual(r, { ok: ['desk'], afterValid: false, bad: '/tmp/pimhub.yaml:3:29: connectors.desk.path: expected text, found the number 7', afterProblem: true });
});

test('opening the SQLite store loads better-sqlite3\'s addon by its path, not through the bindings package\'s search', () => {
  const r = probe([
    `const { openStore } = await import(${JSON.stringify(url('src/store/open-store.js'))});`,
    'const store = await openStore("sqlite::memory:", "/");',
    'const collections = (await store.listCollections()).length;',
    'await store.close();',
    'const ours = (dir) => resolved.some((u) => u.includes(`/dist/src/store/${dir}/`));',
    'console.log(JSON.stringify({ collections, bindings: await loaded("bindings"), addon: Object.keys(cache).some((k) => k.endsWith("better_sqlite3.node")), memoryStore: ours("memory") }));',
  ].join('\n'));
  assert.deepEqual(r, { collections: 0, bindings: false, addon: true, memoryStore: false });
});

test('a DAV request does not load node\'s fetch library (undici): the answer is the connector\'s own', () => {
  const r = probe([
    `const { DavHttp } = await import(${JSON.stringify(url('connectors/dav/http.js'))});`,
    "const { createServer } = await import('node:http');",
    "const server = createServer((q, res) => res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8', ETag: '\"e1\"' }).end('\\ufeff<multistatus/>'));",
    "await new Promise((r) => server.listen(0, '127.0.0.1', r));",
    'const origin = `http://127.0.0.1:${server.address().port}`;',
    'const undici = () => process.moduleLoadList.some((m) => m.includes("undici"));',
    'const before = undici();',
    'const http = new DavHttp(origin, { timeoutMs: 5000, retries: 0, retryBaseMs: 10, maxRetryAfterMs: 10, authorization: () => undefined, concurrency: 1, insecure: false });',
    "const res = await http.fetch(`${origin}/book/`, { method: 'PROPFIND', headers: { Depth: '0' }, body: '<propfind/>' });",
    "const answer = { status: res.status, ok: res.ok, etag: res.headers.get('ETag'), type: res.headers.get('content-type'), text: await res.text(), url: res.url };",
    'http.close(); server.close();',
    'console.log(JSON.stringify({ before, answer, after: undici() }));',
  ].join('\n'));
  assert.deepEqual(r, {
    before: false,
    answer: { status: 207, ok: true, etag: '"e1"', type: 'application/xml; charset=utf-8', text: '<multistatus/>', url: r.answer && (r.answer as { url: string }).url },
    after: false,
  });
  assert.match(String((r.answer as { url: string }).url), /^http:\/\/127\.0\.0\.1:\d+\/book\/$/);
});
