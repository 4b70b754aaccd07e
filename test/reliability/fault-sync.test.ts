import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Scenario } from '../cli/cli-harness.js';
import { PASSWORD_ENV, freshName } from '../dav/dav-setup.js';
import { runCli } from '../dav/run-cli.js';
import { card, putText } from '../dav/seed.js';
import { forEachServer, type DavServer } from '../dav/servers.js';
import { FaultProxy, type FaultRule } from './fault-proxy.js';

/**
 * `pimhub sync` (the CLI, black box) between a vdir and a real Radicale behind a proxy that
 * injects 500/503, 429 with Retry-After, resets, lost answers, stalls past the connector's
 * timeout, truncated bodies, and concurrent edits between the connector's read and its write
 * (412). Edits on both sides, then two runs with faults and one without: afterwards both
 * members hold the same items, every edit (the concurrent ones included) is there, nothing is
 * duplicated, deleted items stay deleted unless edited meanwhile; the faulty runs report their
 * errors per member and item, never with a stack trace. Seed: PIMHUB_FAULT_SEED.
 */
const SEED = Number(process.env.PIMHUB_FAULT_SEED ?? 1313);
const VCARD = 'text/vcard; charset=utf-8';
const RULES: FaultRule[] = [
  { fault: 'race', rate: 0.3, methods: ['PUT', 'DELETE'] },
  { fault: 'lost-answer', rate: 0.08, methods: ['PUT', 'DELETE'] },
  { fault: '500', rate: 0.04 },
  { fault: '503', rate: 0.04 },
  { fault: '429', rate: 0.03 },
  { fault: 'reset', rate: 0.04 },
  { fault: 'truncate', rate: 0.06, methods: ['GET', 'REPORT', 'PROPFIND'] },
  { fault: 'stall', rate: 0.015 },
];

interface SyncJson { errors: Array<{ collection: string; member: string; where: string; message: string }>; exitCode: number }

const uidOf = (text: string) => /^UID:(.*)$/m.exec(text)?.[1]?.trim() ?? '';

forEachServer((profile) => {
  if (profile.name !== 'radicale') return;
  describe(`faults between pimhub sync and ${profile.name}`, () => {
    let server: DavServer;
    let proxy: FaultProxy;
    const sc = new Scenario('faults');
    let env: Record<string, string> = {};
    let bookUrl = '';
    const raced = new Map<string, string>();

    const hrefs = new Map<string, string>();
    const remote = async (): Promise<Map<string, string[]>> => {
      const r = await server.request('PROPFIND', bookUrl, undefined, { Depth: '1' });
      const found = [...(await r.text()).matchAll(/<(?:\w+:)?href>([^<]+\.vcf)<\/(?:\w+:)?href>/g)].map((m) => m[1]!);
      const out = new Map<string, string[]>();
      for (const h of found) {
        const url = new URL(h, bookUrl).href;
        const text = await (await server.request('GET', url)).text();
        out.set(uidOf(text), [...(out.get(uidOf(text)) ?? []), text]);
        hrefs.set(uidOf(text), url);
      }
      return out;
    };
    const local = (): Map<string, string[]> => {
      const out = new Map<string, string[]>();
      for (const f of readdirSync(sc.path('cards')).filter((x) => x.endsWith('.vcf'))) {
        const text = readFileSync(sc.path('cards', f), 'utf8');
        out.set(uidOf(text), [...(out.get(uidOf(text)) ?? []), text]);
      }
      return out;
    };
    const editLocal = (uid: string, edit: (t: string) => string) => {
      const f = readdirSync(sc.path('cards')).find((x) => uidOf(readFileSync(sc.path('cards', x), 'utf8')) === uid)!;
      writeFileSync(sc.path('cards', f), edit(readFileSync(sc.path('cards', f), 'utf8')));
      const later = new Date(Date.now() + 5000);
      utimesSync(sc.path('cards', f), later, later);
    };
    const sync = async (): Promise<{ code: number; json: SyncJson; stderr: string }> => {
      const r = await runCli(sc, ['sync', '--json'], env, 300_000);
      return { code: r.code, json: r.json<SyncJson>(), stderr: r.stderr };
    };

    before(async () => {
      server = await profile.start();
      env = { [PASSWORD_ENV]: server.password! };
      bookUrl = await server.newCollection('contacts', freshName('faults'));
      for (let i = 0; i < 30; i++) await putText(server, `${bookUrl}cloud-${i}.vcf`, card(`cloud-${i}`, [`FN:Cloud Person ${i}`, `N:Person ${i};Cloud;;;`]), VCARD);
      mkdirSync(sc.path('cards'));
      for (let i = 0; i < 30; i++) sc.write(`cards/local-${i}.vcf`, card(`local-${i}`, [`FN:Local Person ${i}`, `N:Person ${i};Local;;;`]));
      // The concurrent client: edits the object the connector is about to write (TITLE only).
      proxy = await new FaultProxy(server.url, {
        seed: SEED, rules: RULES,
        race: async (path) => {
          const url = new URL(path, server.url).href;
          const r = await server.request('GET', url);
          if (r.status !== 200) return void (await r.arrayBuffer());
          const text = await r.text();
          const title = `Raced ${raced.size + 1}`;
          const edited = /^TITLE:/m.test(text) ? text.replace(/^TITLE:.*$/m, `TITLE:${title}`) : text.replace('END:VCARD', `TITLE:${title}\r\nEND:VCARD`);
          const w = await server.request('PUT', url, edited, { 'Content-Type': VCARD, 'If-Match': r.headers.get('etag') ?? '*' });
          await w.arrayBuffer();
          if (w.status < 300) raced.set(uidOf(text), title);
        },
      }).start();
      sc.config([
        'store: sqlite:./pimhub.db',
        'connectors:',
        `  cloud: { type: dav, url: "${proxy.url}", username: ${server.username}, passwordEnv: ${PASSWORD_ENV}, retries: 1, timeoutMs: 1500 }`,
        '  cards: { type: vdir, path: ./cards }',
        'collections:',
        `  contacts: { kind: contacts, members: [cloud/${bookUrl.split('/').at(-2)}, cards] }`,
        '',
      ].join('\n'));
    });
    after(async () => {
      await proxy?.stop();
      await server?.stop();
      sc.cleanup();
    });

    test('two runs with faults and one without converge: nothing lost, duplicated or resurrected; errors per member and item', async () => {
      proxy.enabled = false;
      const first = await sync();
      assert.equal(first.code, 0, JSON.stringify(first.json.errors));
      // Edits on both sides: notes and new cards in the vdir, emails and new cards on the server, deletions on both.
      for (let i = 0; i < 10; i++) editLocal(`cloud-${i}`, (t) => t.replace('END:VCARD', `NOTE:edited locally ${i}\r\nEND:VCARD`));
      for (let i = 0; i < 10; i++) sc.write(`cards/new-local-${i}.vcf`, card(`new-local-${i}`, [`FN:New Local ${i}`]));
      for (let i = 20; i < 23; i++) rmSync(sc.path('cards', `local-${i}.vcf`));
      const rem = await remote();
      for (const uid of [...Array.from({ length: 5 }, (_, i) => `cloud-${i}`), ...Array.from({ length: 5 }, (_, i) => `local-${i}`)]) {
        const text = rem.get(uid)![0]!;
        await putText(server, hrefs.get(uid)!, text.replace('END:VCARD', `EMAIL:${uid}@remote.example\r\nEND:VCARD`), VCARD);
      }
      for (let i = 0; i < 10; i++) await putText(server, `${bookUrl}new-cloud-${i}.vcf`, card(`new-cloud-${i}`, [`FN:New Cloud ${i}`]), VCARD);
      for (let i = 20; i < 23; i++) await (await server.request('DELETE', `${bookUrl}cloud-${i}.vcf`)).arrayBuffer();

      proxy.enabled = true;
      const faulty = [await sync(), await sync()];
      proxy.enabled = false;
      const clean = await sync();
      const settled = await sync();
      const report = { injected: proxy.injected, requests: proxy.requests, exits: [...faulty, clean, settled].map((r) => r.code), raced: raced.size };
      console.log(`fault-sync: ${JSON.stringify(report)}`);
      assert.ok(proxy.total() >= 5, `faults were injected: ${JSON.stringify(proxy.injected)}`);

      for (const r of [...faulty, clean, settled]) {
        assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
        assert.ok(!JSON.stringify(r.json).includes(server.password!), 'no password in the report');
        for (const e of r.json.errors) {
          assert.ok(e.collection === 'contacts' && e.where !== '' && e.message !== '', JSON.stringify(e));
          assert.doesNotMatch(e.message, /\n\s+at /);
        }
      }
      assert.equal(settled.code, 0, `the run after the clean one: ${JSON.stringify(settled.json.errors)}`);

      const [l, r] = [local(), await remote()];
      const expected = new Set<string>();
      for (let i = 0; i < 30; i++) {
        for (const p of ['cloud', 'local']) if (!(i >= 20 && i < 23) || raced.has(`${p}-${i}`)) expected.add(`${p}-${i}`);
      }
      for (let i = 0; i < 10; i++) expected.add(`new-local-${i}`).add(`new-cloud-${i}`);
      assert.deepEqual([...l.keys()].sort(), [...expected].sort(), 'the vdir holds exactly the expected cards');
      assert.deepEqual([...r.keys()].sort(), [...expected].sort(), 'Radicale holds exactly the expected cards');
      for (const [uid, copies] of [...l, ...r]) assert.equal(copies.length, 1, `${uid} is duplicated`);
      for (const side of [l, r]) {
        for (let i = 0; i < 10; i++) assert.match(side.get(`cloud-${i}`)![0]!, new RegExp(`NOTE:edited locally ${i}`));
        for (let i = 0; i < 5; i++) {
          for (const p of ['cloud', 'local']) assert.match(side.get(`${p}-${i}`)![0]!, new RegExp(`EMAIL[^:]*:${p}-${i}@remote\\.example`, 'i'));
        }
        for (const [uid, title] of raced) if (side.has(uid)) assert.match(side.get(uid)![0]!, new RegExp(`TITLE:${title}\\r?\\n`), `${uid}: the concurrent edit survives`);
      }
    });
  });
});
