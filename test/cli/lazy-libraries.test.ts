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
