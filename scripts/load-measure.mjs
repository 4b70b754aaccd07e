#!/usr/bin/env node
// Measures `pimhub serve` under the load suite's clients (test/load/load-client.ts, compiled
// to dist/) outside `npm test`, for docs/reliability.md: the 50-client mix for SECONDS, then
// 16 GET/PUT clients beside 4 PROPFIND-only clients for half as long, then every client's last
// write read back. Prints latencies, operations per second, the server's CPU seconds (from
// /proc, so operations per CPU-second can be compared on a shared machine), RSS every 15 s
// and the load average. The synced store is made once per size in DIR/base-N and copied for
// each run, so runs start alike. Build first (`npx tsc -p tsconfig.json`).
// Usage: node scripts/load-measure.mjs [--contacts 10000 (at least 330)] [--seconds 60] [--dir /tmp/pimhub-load] [--prof]
//   --prof: the server runs with `node --cpu-prof` (DIR/run/prof; see scripts/profile-summary.mjs)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const CONTACTS = Number(opt('contacts', 10_000));
const SECONDS = Number(opt('seconds', 60));
const DIR = opt('dir', '/tmp/pimhub-load');
// Each of the 66 clients writes 5 cards of its own.
if (!(CONTACTS >= 330)) throw new Error('--contacts: at least 330 (66 clients write 5 cards each)');
const PW = 'load-test-password';
const BIN = `${ROOT}bin/pimhub`;
const { runLoad } = await import(`${ROOT}dist/test/load/load-client.js`);
const { card } = await import(`${ROOT}dist/test/dav/seed.js`);

// The same contacts and configuration as test/load/load.test.ts.
const person = (i) => card(`load-${i}`, [`FN:Person ${i} Loadtest`, `N:Loadtest;Person ${i};;;`, `EMAIL:person${i}@load.example`, `TEL;TYPE=cell:+49 170 ${String(1_000_000 + i)}`, 'NOTE:initial']);
const base = `${DIR}/base-${CONTACTS}`;
if (!existsSync(`${base}/pimhub.db`)) {
  mkdirSync(base, { recursive: true });
  writeFileSync(`${base}/cards.vcf`, Array.from({ length: CONTACTS }, (_, i) => person(i)).join(''));
  writeFileSync(`${base}/pimhub.yaml`, ['store: sqlite:./pimhub.db', 'server:', '  listen: 127.0.0.1:0', '  users:', '    alice: { passwordEnv: LOAD_PW }',
    'connectors:', '  phone: { type: vcard-file, path: ./cards.vcf }', 'collections:', '  contacts: { kind: contacts, members: [phone], owner: alice }', ''].join('\n'));
  const sync = spawnSync(process.execPath, [BIN, '-c', `${base}/pimhub.yaml`, 'sync'], { cwd: base, env: { ...process.env, LOAD_PW: PW }, encoding: 'utf8' });
  if (sync.status !== 0) throw new Error(`pimhub sync failed: ${sync.stdout}${sync.stderr}`);
}
const dir = `${DIR}/run`;
rmSync(dir, { recursive: true, force: true });
cpSync(base, dir, { recursive: true });

const nodeArgs = args.includes('--prof') ? ['--cpu-prof', `--cpu-prof-dir=${dir}/prof`] : [];
const proc = spawn(process.execPath, [...nodeArgs, BIN, '-c', `${dir}/pimhub.yaml`, 'serve'], { cwd: dir, env: { ...process.env, LOAD_PW: PW }, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
proc.stderr.on('data', (d) => (out += d));
const served = await new Promise((ok, fail) => {
  const timer = setTimeout(() => fail(new Error(`pimhub serve did not start:\n${out}`)), 60_000);
  proc.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/[^\s]+?)\/\s/.exec(out);
    if (m) {
      clearTimeout(timer);
      ok(m[1]);
    }
  });
});
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))[1]) / 1024);
/** utime + stime of the server, in seconds (clock ticks of 1/100 s). */
const cpu = () => {
  const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const authorization = `Basic ${Buffer.from(`alice:${PW}`).toString('base64')}`;
const url = `${served}/dav/home/alice/contacts/`;

try {
  const t0 = Date.now();
  const xml = await (await fetch(url, { method: 'PROPFIND', headers: { authorization, depth: '1' } })).text();
  const hrefs = [...xml.matchAll(/<(?:\w+:)?href>([^<]+\.vcf)<\/(?:\w+:)?href>/g)].map((m) => m[1]);
  console.log(`first listing: ${hrefs.length} objects in ${Date.now() - t0} ms`);
  const target = { url, authorization, hrefs };
  const fmt = (r) => `${r.requests} operations in ${r.seconds.toFixed(1)} s = ${r.rps}/s; `
    + Object.entries(r.ops).filter(([, v]) => v.count > 0).map(([k, v]) => `${k} ${v.count} (p50 ${v.p50} ms, p99 ${v.p99} ms, errors ${v.errors})`).join('; ')
    + `; writes ${r.writes}${r.errors.length ? `; errors: ${r.errors.slice(0, 3).join(' | ')}` : ''}`;

  const [rss0, load0, cpu0] = [rss(), loadAverage(), cpu()];
  const trace = [];
  const every = setInterval(() => trace.push(rss()), 15_000);
  const mix = await runLoad(target, { clients: 50, durationMs: SECONDS * 1000, ownPerClient: 5, seed: 13 });
  clearInterval(every);
  const cpu1 = cpu();
  console.log(`mix: ${fmt(mix)}; server CPU ${(cpu1 - cpu0).toFixed(1)} s (${(mix.requests / (cpu1 - cpu0)).toFixed(0)} operations per CPU-second); RSS ${rss0} → ${rss()} MB (every 15 s: ${trace.join(', ')}); load average ${load0} → ${loadAverage()}`);

  const load1 = loadAverage();
  const [listers, others] = await Promise.all([
    runLoad(target, { clients: 4, durationMs: SECONDS * 500, ownPerClient: 5, seed: 14, mix: [['propfind', 1]] }),
    runLoad(target, { clients: 16, durationMs: SECONDS * 500, ownPerClient: 5, seed: 15, mix: [['get', 0.6], ['put', 0.4]], firstClient: 50 }),
  ]);
  const p = listers.ops.propfind;
  console.log(`beside listings: ${fmt(others)}; PROPFIND Depth 1 ${p.count} (p50 ${p.p50} ms, p99 ${p.p99} ms, errors ${p.errors}); server CPU ${(cpu() - cpu1).toFixed(1)} s; RSS ${rss()} MB; load average ${load1} → ${loadAverage()}`);

  let lost = 0;
  for (const r of [mix, others]) {
    for (const [href, note] of r.lastWrite) {
      const text = await (await fetch(`${served}${href}`, { headers: { authorization } })).text();
      if (!text.includes(`NOTE:${note}\r\n`)) lost++;
    }
  }
  console.log(`lost writes: ${lost} of ${mix.lastWrite.size + others.lastWrite.size}`);
} finally {
  await new Promise((ok) => {
    proc.once('exit', ok);
    proc.kill('SIGTERM');
  });
}
if (/failed/.test(out)) console.log(`the server logged failures:\n${out.slice(-2000)}`);
