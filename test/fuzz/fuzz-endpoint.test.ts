import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { CONFIG_YAML, TestServer, vcard } from '../server/server-harness.js';
import { basic, raw } from '../security/attack-helpers.js';
import { TARGETS } from './targets.js';

/**
 * The endpoint's request parsing under fuzzed requests through real HTTP (issue 13, point 3):
 * methods, paths, Depth / If-Match / Content-Type / Authorization headers and bodies (fuzzed
 * XML, vCards and iCalendar from the parser fuzzers). No request may get a 5xx or be logged
 * as a failure. Count: PIMHUB_FUZZ_HTTP (300 by default).
 */
const COUNT = Number(process.env.PIMHUB_FUZZ_HTTP ?? 300);
const SEED = Number(process.env.PIMHUB_FUZZ_SEED ?? 20261201);
let t: TestServer;
before(async () => {
  t = await TestServer.start(CONFIG_YAML.replace('maxBodyBytes: 20000', 'maxBodyBytes: 2000000'));
  await t.seed('contacts', vcard('fz-1', ['FN:Fuzz Target']));
});
after(() => t.stop());

test(`${COUNT} fuzzed requests: never a 5xx`, { timeout: 10 * 60_000 }, async () => {
  const o = { nestDepth: 2000, hugeBytes: 100_000, heavyOneIn: 50 };
  const bodies = [...TARGETS.xml.inputs(SEED, 100, o), ...TARGETS.vcard.inputs(SEED, 60, o), ...TARGETS.icalendar.inputs(SEED, 60, o)];
  const paths = [...TARGETS.path.inputs(SEED, 100, o)].map((b) => b.toString('utf8'));
  const own = ['/dav/', '/dav/home/alice/', '/dav/home/alice/contacts/', '/dav/home/alice/contacts/fz-1.vcf', '/dav/home/alice/personal/x.ics', '/dav/home/alice/newcol/', '/'];
  const reqs = fc.sample(fc.record({
    method: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'PROPFIND', 'PROPPATCH', 'REPORT', 'MKCOL', 'MKCALENDAR', 'OPTIONS', 'POST', 'COPY', 'MOVE', 'LOCK', 'X-FUZZ'),
    path: fc.oneof(fc.constantFrom(...own), fc.constantFrom(...paths.filter((p) => /^\/[\x21-\x7e]*$/.test(p)))),
    body: fc.option(fc.nat(bodies.length - 1), { nil: undefined }),
    depth: fc.option(fc.constantFrom('0', '1', 'infinity', '2', '-1', '', 'x'), { nil: undefined }),
    ifMatch: fc.option(fc.constantFrom('*', '"x"', 'W/"x"', '"', ',,,', '"a", "b"'), { nil: undefined }),
    ifNoneMatch: fc.option(fc.constantFrom('*', '"x"', ''), { nil: undefined }),
    type: fc.option(fc.constantFrom('text/vcard', 'text/calendar', 'application/xml', 'text/xml; charset=latin1', 'text/vcard; version=4.0', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ';;;'), { nil: undefined }),
    auth: fc.constantFrom('good', 'good', 'good', 'none', 'garbage'),
  }), { seed: SEED, numRuns: COUNT });
  const statuses = new Map<number, number>();
  for (const q of reqs) {
    const headers: Record<string, string> = {};
    if (q.auth === 'good') headers.authorization = basic('alice', 'correct horse');
    if (q.auth === 'garbage') headers.authorization = 'Basic \u00ff\u00fe';
    if (q.depth !== undefined) headers.depth = q.depth;
    if (q.ifMatch !== undefined) headers['if-match'] = q.ifMatch;
    if (q.ifNoneMatch !== undefined) headers['if-none-match'] = q.ifNoneMatch;
    if (q.type !== undefined) headers['content-type'] = q.type;
    const body = q.body === undefined || q.method === 'GET' || q.method === 'HEAD' ? undefined : bodies[q.body];
    let r;
    try {
      r = await raw(t.base, q.method, q.path, { headers, body });
    } catch (e) {
      assert.fail(`${q.method} ${q.path}: the connection failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    assert.ok(r.status < 500, `${q.method} ${q.path} ${JSON.stringify(headers)} body #${q.body}: ${r.status} ${r.text.slice(0, 300)}`);
  }
  console.log(`fuzz endpoint: ${reqs.length} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  assert.deepEqual(t.logs.filter((l) => /failed/.test(l)), []);
});
