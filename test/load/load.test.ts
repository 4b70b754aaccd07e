import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Scenario } from '../cli/cli-harness.js';
import { card } from '../dav/seed.js';
import { availability, radicale, type DavServer } from '../dav/servers.js';
import { runCli } from '../dav/run-cli.js';
import { startServe, stopServe } from '../server/real-client-helpers.js';
import { basic } from '../security/attack-helpers.js';
import { runLoad, type LoadResult, type LoadTarget } from './load-client.js';

/**
 * Load (issue 13, point 5): 50 simulated clients (PROPFIND Depth 1 of the collection,
 * multiget, sync-collection, GET, PUT with If-Match) against a real `pimhub serve` on a
 * generated address book; then, for half as long, 16 clients doing GET and PUT beside 4 that do
 * nothing but PROPFIND Depth 1 of the whole collection. Asserted: no errors, no lost writes (every client's last write is
 * what the server holds afterwards). Recorded, never asserted: latencies, operations per
 * second, the server's RSS. Short by default (2,000 contacts, 10 s); PIMHUB_LONG_TESTS=1 runs
 * 10,000 contacts for 60 s, and the same load against Radicale for comparison.
 */
const LONG = process.env.PIMHUB_LONG_TESTS === '1';
const CONTACTS = Number(process.env.PIMHUB_LOAD_CONTACTS ?? (LONG ? 10_000 : 2_000));
const SECONDS = Number(process.env.PIMHUB_LOAD_SECONDS ?? (LONG ? 60 : 10));
const CLIENTS = 50;
/** The second phase: clients listing the whole collection, and clients doing GET and PUT beside them. */
const LISTERS = 4;
const BESIDE = 16;
const PW = 'load-test-password';

const person = (i: number) => card(`load-${i}`, [`FN:Person ${i} Loadtest`, `N:Loadtest;Person ${i};;;`, `EMAIL:person${i}@load.example`, `TEL;TYPE=cell:+49 170 ${String(1_000_000 + i)}`, 'NOTE:initial']);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** The machine's load average (1, 5, 15 minutes): figures on a shared machine are read beside it. */
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function report(name: string, r: LoadResult, extra: Record<string, unknown> = {}, clients = CLIENTS): void {
  const ops = Object.entries(r.ops).map(([k, v]) => `${k} ${v.count} (p50 ${v.p50} ms, p99 ${v.p99} ms, errors ${v.errors})`).join('; ');
  console.log(`load ${name}: ${clients} clients, ${CONTACTS} contacts, ${r.seconds.toFixed(1)} s: ${r.requests} operations, ${r.rps}/s; ${ops}; writes ${r.writes} ${JSON.stringify(extra)}`);
}

async function lostWrites(t: LoadTarget, r: LoadResult, get: (href: string) => Promise<string>): Promise<string[]> {
  const lost: string[] = [];
  for (const [href, note] of r.lastWrite) {
    const text = await get(href);
    if (!text.includes(`NOTE:${note}\r\n`)) lost.push(`${href}: expected NOTE:${note}, got ${/NOTE:[^\r\n]*/.exec(text)?.[0]}`);
  }
  return lost;
}

const hrefsIn = (xml: string) => [...xml.matchAll(/<(?:\w+:)?href>([^<]+\.vcf)<\/(?:\w+:)?href>/g)].map((m) => m[1]!);

describe('load', () => {
  test(`pimhub serve: ${CLIENTS} clients for ${SECONDS} s on ${CONTACTS} contacts; no errors, no lost writes`, { timeout: 30 * 60_000 }, async () => {
    const sc = new Scenario('load');
    try {
      mkdirSync(sc.path('cards'));
      writeFileSync(sc.path('cards.vcf'), Array.from({ length: CONTACTS }, (_, i) => person(i)).join(''));
      sc.config(['store: sqlite:./pimhub.db', 'server:', '  listen: 127.0.0.1:0', '  users:', '    alice: { passwordEnv: LOAD_PW }',
        'connectors:', '  phone: { type: vcard-file, path: ./cards.vcf }', 'collections:', '  contacts: { kind: contacts, members: [phone], owner: alice }', ''].join('\n'));
      const sync = await runCli(sc, ['sync', '--json'], { LOAD_PW: PW }, 600_000);
      assert.equal(sync.code, 0, sync.stdout + sync.stderr);
      const serve = await startServe(sc, { LOAD_PW: PW });
      try {
        const authorization = basic('alice', PW);
        const url = `${serve.base}/dav/home/alice/contacts/`;
        const list = await fetch(url, { method: 'PROPFIND', headers: { authorization, depth: '1' } });
        const hrefs = hrefsIn(await list.text());
        assert.equal(hrefs.length, CONTACTS);
        const target: LoadTarget = { url, authorization, hrefs };
        const rssBefore = rssMb(serve.proc.pid!);
        const r = await runLoad(target, { clients: CLIENTS, durationMs: SECONDS * 1000, ownPerClient: 5, seed: 13 });
        const rssAfter = rssMb(serve.proc.pid!);
        report('pimhub', r, { rssMbBefore: rssBefore, rssMbAfter: rssAfter, load: loadAverage() });
        assert.deepEqual(r.errors, []);
        for (const [op, s] of Object.entries(r.ops)) assert.equal(s.errors, 0, `${op} errors`);
        assert.ok(r.writes > 0);
        const lost = await lostWrites(target, r, async (h) => (await fetch(`${serve.base}${h}`, { headers: { authorization } })).text());
        assert.deepEqual(lost, [], 'no write lost');
        // GET and PUT beside clients that do nothing but PROPFIND Depth 1 of the whole collection:
        // what a listing of every object costs the other clients (issue 13: p99 under 250 ms).
        const [listers, others] = await Promise.all([
          runLoad(target, { clients: LISTERS, durationMs: SECONDS * 500, ownPerClient: 5, seed: 14, mix: [['propfind', 1]] }),
          runLoad(target, { clients: BESIDE, durationMs: SECONDS * 500, ownPerClient: 5, seed: 15, mix: [['get', 0.6], ['put', 0.4]], firstClient: CLIENTS }),
        ]);
        report(`pimhub, ${BESIDE} clients doing GET and PUT beside ${LISTERS} doing PROPFIND Depth 1`, others, { propfinds: listers.ops.propfind, rssMb: rssMb(serve.proc.pid!), load: loadAverage() }, LISTERS + BESIDE);
        assert.deepEqual([...listers.errors, ...others.errors], []);
        assert.ok(listers.ops.propfind.count > 0 && others.writes > 0);
        assert.deepEqual(await lostWrites(target, others, async (h) => (await fetch(`${serve.base}${h}`, { headers: { authorization } })).text()), [], 'no write lost beside the listings');
        assert.doesNotMatch(serve.output(), /failed/);
      } finally {
        await stopServe(serve.proc);
      }
    } finally {
      sc.cleanup();
    }
  });

  const radicaleRuns = LONG && availability(radicale) === 'run';
  test(`Radicale under the same load (PIMHUB_LONG_TESTS=1)`, { skip: radicaleRuns ? false : 'the comparison runs with PIMHUB_LONG_TESTS=1 and Radicale installed', timeout: 60 * 60_000 }, async () => {
    const server: DavServer = await radicale.start();
    after(() => server.stop());
    const url = await server.newCollection('contacts', 'load');
    const authorization = basic(server.username!, server.password!);
    // Filled in its storage folder (collection-root/<user>/<collection>/<file>.vcf beside the
    // .Radicale.props the MKCOL wrote): by PUT, 10,000 contacts take over half an hour.
    const folder = join(server.dataDir, 'collections', 'collection-root', server.username!, 'load');
    assert.ok(existsSync(join(folder, '.Radicale.props')), `Radicale's storage layout changed: no ${folder}/.Radicale.props`);
    for (let i = 0; i < CONTACTS; i++) writeFileSync(join(folder, `load-${i}.vcf`), person(i));
    const hrefs = hrefsIn(await (await server.request('PROPFIND', url, undefined, { Depth: '1' })).text());
    assert.equal(hrefs.length, CONTACTS);
    const target: LoadTarget = { url, authorization, hrefs };
    const radicaleRssMb = () => rssMb(Number(execFileSync('pgrep', ['-f', `radicale.*${server.dataDir}`], { encoding: 'utf8' }).trim().split('\n')[0]));
    const rssMbBefore = radicaleRssMb();
    const r = await runLoad(target, { clients: CLIENTS, durationMs: SECONDS * 1000, ownPerClient: 5, seed: 13 });
    report('radicale', r, { firstErrors: r.errors.slice(0, 3), rssMbBefore, rssMbAfter: radicaleRssMb(), load: loadAverage() });
    const lost = await lostWrites(target, r, async (h) => (await server.request('GET', new URL(h, url).href)).text());
    console.log(`load radicale: ${lost.length} lost writes of ${r.lastWrite.size}`);
  });
});
