import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { dav } from '../../connectors/dav/index.js';
import { create as createVdir } from '../../connectors/vdir/index.js';
import { isIncremental, type Source } from '../../src/core/connector.js';
import type { CollectionKind } from '../../src/core/types.js';
import { parsePolicy } from '../../src/merge/policy.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { syncCollection } from '../../src/sync/sync-collection.js';
import type { CollectionReport, MemberInput } from '../../src/sync/types.js';
import { CountingProxy } from './counting-proxy.js';
import { davOptions, freshName, freshSource, useServer } from './dav-setup.js';
import { card, putText, seedCalendar } from './seed.js';
import { forEachServer, type DavServer } from './servers.js';

const VCARD = 'text/vcard; charset=utf-8';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const contact = (uid: string, note: string) => card(uid, [`FN:${uid} Tester`, `N:Tester;${uid};;;`, `NOTE:${note}`]);

function engine(kind: CollectionKind) {
  const store = new MemoryStore();
  return async (members: MemberInput[]): Promise<CollectionReport> => syncCollection({
    store, collection: 'c', kind, members, policy: parsePolicy('newest')!, deleteGuard: 0.5, allowMassDelete: false,
    dryRun: false, identity: createIdentity('DE'), run: 'r-test', now: () => new Date(),
  });
}

/** A connector for the server through a proxy (same path), so the test sees and orders the requests. */
async function throughProxy(s: DavServer): Promise<{ proxy: CountingProxy; options: Record<string, unknown> }> {
  const proxy = await new CountingProxy(new URL(s.url).origin).start();
  return { proxy, options: { ...davOptions(s), url: new URL(new URL(s.url).pathname, proxy.url).href } };
}

const byHref = (entries: Array<{ href: string; etag: string }>) => [...entries].sort((a, b) => a.href.localeCompare(b.href)).map((e) => `${e.href} ${e.etag}`);

forEachServer((profile) => {
  describe(`first sync with ${profile.name}`, () => {
    const server = useServer(profile);
    const dirs: string[] = [];
    after(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    for (const kind of ['contacts', 'calendar'] as const) {
      test(`${kind}: the quick listing names what list() names, and the full answer brings a working token`, async () => {
        const s = server();
        const { conn, url, source } = await freshSource(s, kind);
        if (kind === 'contacts') for (const u of ['ann', 'bob', 'cy']) await putText(s, `${url}${u}.vcf`, contact(u, 'x'), VCARD);
        else await seedCalendar(s, url);
        assert.ok(isIncremental(source) && source.firstSync);
        const first = source.firstSync();
        assert.ok(first, 'offered where sync-collection is');
        const listed = await source.list();
        assert.ok(listed.length >= 3);
        assert.deepEqual(byHref(await first.listing), byHref(listed));
        const full = await first.full;
        assert.ok(full);
        assert.deepEqual(byHref(full.changed), byHref(listed));
        assert.match(full.token, /^sync:/);
        assert.deepEqual(await source.changesSince(full.token), { changed: [], deleted: [], token: full.token }, 'nothing since');
        await conn.close?.();
      });
    }

    test('entries are fetched while the first sync-collection is pending; what changes before its answer ends up right', async () => {
      const s = server();
      const name = freshName('race');
      const url = await s.newCollection('contacts', name);
      for (const u of ['ann', 'bob', 'cy', 'dee']) await putText(s, `${url}${u}.vcf`, contact(u, 'as first listed'), VCARD);
      const { proxy, options } = await throughProxy(s);
      let fetchedBeforeAnswer = false;
      // The token-less sync-collection is held until the listing's entries were fetched, and
      // the server changed meanwhile: its answer then differs from what was fetched.
      proxy.hold = (req, body) => {
        if (req.report !== 'sync-collection' || /sync-token>[^<]/.test(body)) return undefined;
        return (async () => {
          const until = Date.now() + 15_000;
          const fetched = () => proxy.seen.some((r) => r.report === 'addressbook-multiget' && r.status === 207);
          while (!fetched() && Date.now() < until) await sleep(20);
          fetchedBeforeAnswer = fetched();
          await putText(s, `${url}ann.vcf`, contact('ann', 'changed on the server'), VCARD);
          const del = await s.request('DELETE', `${url}bob.vcf`);
          await del.arrayBuffer();
          assert.ok(del.status >= 200 && del.status < 300, `DELETE bob: ${del.status}`);
          await putText(s, `${url}eve.vcf`, contact('eve', 'created meanwhile'), VCARD);
        })();
      };
      const conn = dav.create('cloud', options, { baseDir: '/' });
      try {
        const dir = mkdtempSync(join(tmpdir(), 'pimhub-dav-first-'));
        dirs.push(dir);
        const members = async (): Promise<MemberInput[]> => [
          { name: 'cloud', source: await conn.source('contacts', name) as Source },
          { name: 'desktop', source: await createVdir('desktop', { type: 'vdir', path: dir }, { baseDir: '/' }).source('contacts') },
        ];
        const run = engine('contacts');
        const first = await run(await members());
        assert.deepEqual(first.errors, []);
        assert.ok(fetchedBeforeAnswer, 'the entries were fetched before the sync-collection was answered');

        const files = readdirSync(dir).sort();
        assert.deepEqual(files, ['ann.vcf', 'cy.vcf', 'dee.vcf', 'eve.vcf'], 'bob, deleted before the token, is not written; eve, created before it, is');
        assert.match(readFileSync(join(dir, 'ann.vcf'), 'utf8'), /changed on the server/, 'ann as the token saw it');

        proxy.hold = undefined;
        proxy.reset();
        const second = await run(await members());
        assert.deepEqual([second.changes, second.writes, second.errors], [[], [], []], 'the token matches what was stored: all quiet');
        assert.deepEqual(proxy.seen.filter((r) => r.method === 'REPORT').map((r) => r.report), ['sync-collection'], 'one delta, nothing fetched again');
      } finally {
        await conn.close?.();
        await proxy.stop();
      }
    });

    test('an entry created after the first sync-collection was answered, and listed and fetched after it, is kept', async () => {
      const s = server();
      const name = freshName('late');
      const url = await s.newCollection('contacts', name);
      for (const u of ['ann', 'bob']) await putText(s, `${url}${u}.vcf`, contact(u, 'there from the start'), VCARD);
      const { proxy, options } = await throughProxy(s);
      let listedAfterAnswer = false;
      // The query listing is held until the token-less sync-collection was answered, and a
      // card is created meanwhile: the listing has it, the answer that gave the token does not.
      proxy.hold = (req) => {
        if (req.report !== 'addressbook-query') return undefined;
        return (async () => {
          const until = Date.now() + 15_000;
          const answered = () => proxy.seen.some((r) => r.report === 'sync-collection' && r.status === 207);
          while (!answered() && Date.now() < until) await sleep(20);
          listedAfterAnswer = answered();
          await putText(s, `${url}fay.vcf`, contact('fay', 'created after the token'), VCARD);
        })();
      };
      const conn = dav.create('cloud', options, { baseDir: '/' });
      try {
        const dir = mkdtempSync(join(tmpdir(), 'pimhub-dav-first-'));
        dirs.push(dir);
        const members = async (): Promise<MemberInput[]> => [
          { name: 'cloud', source: await conn.source('contacts', name) as Source },
          { name: 'desktop', source: await createVdir('desktop', { type: 'vdir', path: dir }, { baseDir: '/' }).source('contacts') },
        ];
        const run = engine('contacts');
        const first = await run(await members());
        assert.deepEqual(first.errors, []);
        assert.ok(listedAfterAnswer, 'the listing was made after the sync-collection was answered');
        assert.deepEqual(readdirSync(dir).sort(), ['ann.vcf', 'bob.vcf', 'fay.vcf'], 'fay is not taken for gone: the server still has it');
        proxy.hold = undefined;
        const second = await run(await members());
        assert.deepEqual([second.changes, second.writes, second.errors], [[], [], []], 'the next delta names fay at the version stored: all quiet');
        assert.deepEqual(readdirSync(dir).sort(), ['ann.vcf', 'bob.vcf', 'fay.vcf']);
      } finally {
        await conn.close?.();
        await proxy.stop();
      }
    });
  });
});
