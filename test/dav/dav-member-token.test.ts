import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dav } from '../../connectors/dav/index.js';
import { fingerprintOf, readToken } from '../../connectors/dav/member-token.js';
import { create as createVdir } from '../../connectors/vdir/index.js';
import type { Connector } from '../../src/core/connector.js';
import { parsePolicy } from '../../src/merge/policy.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { syncCollection } from '../../src/sync/sync-collection.js';
import type { CollectionReport } from '../../src/sync/types.js';
import { CountingProxy } from './counting-proxy.js';
import { davOptions, freshName, useServer } from './dav-setup.js';
import { card, putText } from './seed.js';
import { forEachServer, type DavServer } from './servers.js';

const VCARD = 'text/vcard; charset=utf-8';

/**
 * A DAV member keeps the collection discovery found in its token, so a later run sends no
 * discovery request. Each run here is what a new `pimhub sync` process does: a new
 * connector (nothing remembered in memory) over the same store, through a proxy that
 * records every request the server got.
 */
forEachServer((profile) => {
  describe(`a DAV member's collection kept in its token (${profile.name})`, () => {
    const server = useServer(profile);
    let proxy: CountingProxy;
    const dirs: string[] = [];
    before(async () => {
      proxy = await new CountingProxy(server().url).start();
    });
    after(async () => {
      await proxy.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    /** One store and one vdir; `run(remote)` syncs `cloud/REMOTE` with the vdir as a new process would. */
    function member(connectorUrl = () => proxy.url) {
      const store = new MemoryStore();
      const dir = mkdtempSync(join(tmpdir(), 'pimhub-dav-token-'));
      dirs.push(dir);
      const desk = createVdir('desktop', { type: 'vdir', path: dir }, { baseDir: '/' });
      return {
        store,
        files: () => readdirSync(dir).filter((f) => !f.startsWith('.')).sort(),
        token: async () => (await store.getMemberState('c', 'cloud'))?.token ?? '',
        /** `kept`: a connector kept from run to run (the daemon's), else a new one (a new process's). */
        async run(remote: string, extra: Record<string, unknown> = {}, kept?: Connector): Promise<CollectionReport> {
          const conn = kept ?? dav.create('cloud', davOptions(server(), { url: connectorUrl(), ...extra }), { baseDir: '/' });
          try {
            return await syncCollection({
              store, collection: 'c', kind: 'contacts', policy: parsePolicy('newest')!, deleteGuard: 0.5, allowMassDelete: false,
              dryRun: false, identity: createIdentity('DE'), run: 'r-test', now: () => new Date(), lines: true,
              members: [{ name: 'cloud', source: await conn.source('contacts', remote) }, { name: 'desktop', source: await desk.source('contacts') }],
            });
          } finally {
            if (!kept) await conn.close?.();
          }
        },
      };
    }

    const seen = () => proxy.seen.map((q) => `${q.method} ${q.path}${q.report ? ` ${q.report}` : ''}`);
    const discovery = () => proxy.seen.filter((q) => q.method === 'PROPFIND');
    const pathOf = (url: string) => new URL(url).pathname;
    const cards = async (s: DavServer, url: string, names: string[]) => {
      for (const n of names) await putText(s, `${url}${n}.vcf`, card(`${n}@pimhub.test`, [`FN:${n}`, `N:${n};;;;`, `EMAIL:${n}@example.org`]), VCARD);
    };

    test('a later run takes the collection from the token: one sync-collection and nothing else; no secret in the token', async () => {
      const s = server();
      const name = freshName('book');
      const url = await s.newCollection('contacts', name);
      await cards(s, url, ['ada', 'bob']);
      const m = member();
      proxy.reset();
      assert.deepEqual((await m.run(name)).errors, []);
      assert.ok(discovery().length >= 2, `the first run discovers: ${seen().join(', ')}`);
      assert.deepEqual(m.files(), ['ada@pimhub.test.vcf', 'bob@pimhub.test.vcf']);
      const token = await m.token();
      assert.ok(token.startsWith('dav1:'), token);
      assert.equal(readToken(token, fingerprintOf({ type: 'dav', url: proxy.url, username: s.username, kind: 'contacts', remote: name }), 'contacts').collection?.url, `${proxy.url.replace(/\/$/, '')}${pathOf(url)}`);
      if (s.password) {
        assert.ok(!token.includes(s.password), 'no password in the token');
        assert.ok(!token.includes(Buffer.from(`${s.username}:${s.password}`).toString('base64')), 'no credentials in the token');
      }

      proxy.reset();
      const quiet = await m.run(name);
      assert.deepEqual([quiet.errors, quiet.changes, quiet.writes], [[], [], []]);
      assert.deepEqual(seen(), [`REPORT ${pathOf(url)} sync-collection`], 'no discovery on a later run');

      await cards(s, url, ['cleo']);
      proxy.reset();
      assert.deepEqual((await m.run(name)).errors, []);
      assert.deepEqual(m.files(), ['ada@pimhub.test.vcf', 'bob@pimhub.test.vcf', 'cleo@pimhub.test.vcf']);
      assert.deepEqual(discovery(), [], `a change costs no discovery either: ${seen().join(', ')}`);
    });

    test('an old token (without the collection) still works: discovery once, then the new form is written', async () => {
      const s = server();
      const name = freshName('book');
      const url = await s.newCollection('contacts', name);
      await cards(s, url, ['ada']);
      const m = member();
      await m.run(name);
      const state = (await m.store.getMemberState('c', 'cloud'))!;
      const old = readToken(state.token!, '', 'contacts').changes!;
      assert.match(old, /^sync:/);
      await m.store.commit({ memberStates: [{ ...state, token: old }] });

      proxy.reset();
      const upgraded = await m.run(name);
      assert.deepEqual([upgraded.errors, upgraded.changes, upgraded.writes], [[], [], []]);
      assert.ok(discovery().length >= 2, 'discovery, as before');
      assert.equal(seen().filter((q) => q.endsWith('sync-collection')).length, 1, 'the old sync token is used: no full listing');
      assert.ok((await m.token()).startsWith('dav1:'));
      proxy.reset();
      await m.run(name);
      assert.deepEqual(seen(), [`REPORT ${pathOf(url)} sync-collection`]);
    });

    test('a collection moved under the same display name is found again and synced on; only what it lost is deleted', async () => {
      const s = server();
      const shown = freshName('Family');
      const first = await s.newCollection('contacts', freshName('old-path'), shown);
      await cards(s, first, ['ada', 'bob', 'cleo']);
      const m = member();
      assert.deepEqual((await m.run(shown)).errors, []);
      assert.equal(m.files().length, 3);

      // Moved: a new collection under the same display name holds two of the three, the old one is gone.
      const second = await s.newCollection('contacts', freshName('new-path'), shown);
      await cards(s, second, ['ada', 'bob']);
      const del = await s.request('DELETE', first);
      await del.arrayBuffer();
      assert.ok(del.status < 300, `DELETE ${first}: ${del.status}`);

      proxy.reset();
      const moved = await m.run(shown);
      assert.deepEqual(moved.errors, []);
      assert.ok(seen().includes(`REPORT ${pathOf(first)} sync-collection`) && discovery().length >= 2, seen().join(', '));
      assert.ok(seen().includes(`REPORT ${pathOf(second)} sync-collection`), 'the new collection is read');
      assert.deepEqual(m.files(), ['ada@pimhub.test.vcf', 'bob@pimhub.test.vcf'], 'what still exists stays; the card the new one lacks goes');
      assert.deepEqual(moved.changes.map((c) => `${c.action} ${c.uid}`), ['deleted cleo@pimhub.test']);
      assert.equal(readToken(await m.token(), '', 'contacts').collection?.url, `${proxy.url.replace(/\/$/, '')}${pathOf(second)}`);

      proxy.reset();
      const quiet = await m.run(shown);
      assert.deepEqual([quiet.errors, quiet.changes, quiet.writes], [[], [], []]);
      assert.deepEqual(seen(), [`REPORT ${pathOf(second)} sync-collection`]);
    });

    test('a stored collection that answers with a redirect is found again by discovery, never read at the other URL as empty', async () => {
      const s = server();
      const shown = freshName('Work');
      const first = await s.newCollection('contacts', freshName('old-path'), shown);
      await cards(s, first, ['ada', 'bob', 'cleo']);
      const m = member();
      await m.run(shown);
      const second = await s.newCollection('contacts', freshName('new-path'), shown);
      await cards(s, second, ['ada', 'bob', 'cleo']);
      const del = await s.request('DELETE', first);
      await del.arrayBuffer();
      proxy.moved.set(pathOf(first), pathOf(second));
      try {
        proxy.reset();
        const r = await m.run(shown);
        assert.deepEqual([r.errors, r.changes], [[], []], 'nothing deleted');
        assert.ok(proxy.seen.some((q) => q.status === 301) && discovery().length >= 2, seen().join(', '));
        assert.deepEqual(m.files(), ['ada@pimhub.test.vcf', 'bob@pimhub.test.vcf', 'cleo@pimhub.test.vcf']);
        assert.equal(readToken(await m.token(), '', 'contacts').collection?.url, `${proxy.url.replace(/\/$/, '')}${pathOf(second)}`);
      } finally {
        proxy.moved.clear();
      }
    });

    test('a connector kept from run to run (the daemon) discovers afresh when the kept collection moved', async () => {
      const s = server();
      const shown = freshName('Club');
      const first = await s.newCollection('contacts', freshName('old-path'), shown);
      await cards(s, first, ['ada', 'bob']);
      const m = member();
      const conn = dav.create('cloud', davOptions(s, { url: proxy.url }), { baseDir: '/' });
      try {
        assert.deepEqual((await m.run(shown, {}, conn)).errors, []);
        const second = await s.newCollection('contacts', freshName('new-path'), shown);
        await cards(s, second, ['ada', 'bob']);
        const del = await s.request('DELETE', first);
        await del.arrayBuffer();
        const r = await m.run(shown, {}, conn);
        assert.deepEqual([r.errors, r.changes], [[], []], 'not what the connector discovered in the first run');
        assert.equal(readToken(await m.token(), '', 'contacts').collection?.url, `${proxy.url.replace(/\/$/, '')}${pathOf(second)}`);
        assert.deepEqual(m.files(), ['ada@pimhub.test.vcf', 'bob@pimhub.test.vcf']);
      } finally {
        await conn.close?.();
      }
    });

    test('a collection gone is the config error naming what exists; nothing is deleted', async () => {
      const s = server();
      const name = freshName('book');
      const other = freshName('other');
      const url = await s.newCollection('contacts', name);
      await s.newCollection('contacts', other);
      await cards(s, url, ['ada', 'bob']);
      const m = member();
      await m.run(name);
      const token = await m.token();
      const del = await s.request('DELETE', url);
      await del.arrayBuffer();
      assert.ok(del.status < 300);

      const r = await m.run(name);
      assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
      assert.match(r.errors[0]!.message, new RegExp(`no address book "${name}"`));
      assert.ok(r.errors[0]!.message.includes(`cloud/${other}`), r.errors[0]!.message);
      assert.deepEqual(r.changes, []);
      assert.deepEqual(m.files(), ['ada@pimhub.test.vcf', 'bob@pimhub.test.vcf']);
      assert.equal(await m.token(), token, 'the member keeps its token');
    });

    test('changed settings ignore the stored collection: another url or another collection name is discovered', async () => {
      const s = server();
      const name = freshName('book');
      const url = await s.newCollection('contacts', name, freshName('Shown'));
      const otherName = freshName('book');
      const otherUrl = await s.newCollection('contacts', otherName);
      await cards(s, url, ['ada']);
      const m = member();
      await m.run(name);

      // Another url (the service's well-known address) naming the same collection: discovery, then the stored sync token.
      proxy.reset();
      const moved = await m.run(name, { url: `${proxy.url}.well-known/carddav` });
      assert.deepEqual([moved.errors, moved.changes], [[], []]);
      assert.ok(discovery().length >= 2, seen().join(', '));

      // Another collection named: discovered and listed in full, the old one not asked.
      await cards(s, otherUrl, ['ada']);
      proxy.reset();
      const other = await m.run(otherName);
      assert.deepEqual(other.errors, []);
      assert.ok(discovery().length >= 2, seen().join(', '));
      assert.ok(!seen().some((q) => q.includes(`${pathOf(url)} sync-collection`) || q.includes(`REPORT ${pathOf(url)}`)), seen().join(', '));
      assert.ok(seen().includes(`REPORT ${pathOf(otherUrl)} sync-collection`));
      assert.equal(readToken(await m.token(), '', 'contacts').collection?.url, `${proxy.url.replace(/\/$/, '')}${pathOf(otherUrl)}`);
    });
  });
});

test('the fingerprint changes with url, user, kind and collection name, and holds none of them', () => {
  const base = { type: 'dav', url: 'https://cloud.example.org/dav/', username: 'alice', kind: 'contacts' as const, remote: 'family' };
  const f = fingerprintOf(base);
  for (const other of [{ url: 'https://cloud.example.org/other/' }, { username: 'bob' }, { kind: 'calendar' as const }, { remote: 'work' }, { type: 'carddav' }]) {
    assert.notEqual(fingerprintOf({ ...base, ...other }), f, JSON.stringify(other));
  }
  assert.match(f, /^[0-9a-f]{16}$/);
  assert.equal(readToken('sync:abc', f, 'contacts').changes, 'sync:abc', 'an old token is the change reader\'s token');
  assert.deepEqual(readToken('dav1:{not json', f, 'contacts'), { trusted: false }, 'an unreadable token lists everything');
});

test('a change token whose collection cannot be read is not used: the member lists everything', () => {
  const f = fingerprintOf({ type: 'dav', url: 'https://cloud.example.org/dav/', username: 'alice', kind: 'contacts', remote: 'family' });
  const collection = { name: 'family', url: 'https://cloud.example.org/dav/addressbooks/alice/family/', kind: 'contacts', syncCollection: true, vcardVersions: ['3.0'] };
  const good = readToken(`dav1:${JSON.stringify({ f, c: collection, t: 'sync:41' })}`, f, 'contacts');
  assert.equal(good.changes, 'sync:41');
  assert.equal(good.trusted, true);
  for (const c of [undefined, null, 'family', { ...collection, url: 'ftp://cloud.example.org/x/' }, { ...collection, vcardVersions: 3 }, { ...collection, kind: 'calendar' }]) {
    assert.deepEqual(readToken(`dav1:${JSON.stringify({ f, c, t: 'sync:41' })}`, f, 'contacts'), { trusted: false }, JSON.stringify(c));
  }
});
