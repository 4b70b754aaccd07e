import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openContext } from '../../src/cli/context.js';
import { isPimError } from '../../src/core/errors.js';
import { createServer } from '../../src/server/create-server.js';
import type { CollectionRecord } from '../../src/core/store.js';
import { openStore } from '../../src/store/open-store.js';
import { Scenario } from './cli-harness.js';

const CONFIG = (collections: string) => `
store: "sqlite:./store.db"
server:
  users:
    alice: { passwordEnv: ALICE_PW }
    bob: { passwordEnv: BOB_PW }
connectors:
  phone: { type: vcard-file, path: ./phone.vcf }
collections:
${collections}`;

async function seedStore(s: Scenario, ...cols: CollectionRecord[]): Promise<void> {
  const store = await openStore(`sqlite:${s.path('store.db')}`, s.dir);
  for (const c of cols) await store.upsertCollection(c);
  await store.close();
}

async function storedCollection(s: Scenario, name: string): Promise<CollectionRecord | undefined> {
  const store = await openStore(`sqlite:${s.path('store.db')}`, s.dir);
  try {
    return await store.getCollection(name);
  } finally {
    await store.close();
  }
}

const T0 = '2024-01-01T00:00:00.000Z';

test('a config collection named like a client-made collection is a config error (exit 2, collections.NAME); the collection keeps its owner', async () => {
  const s = new Scenario('ctx-endpoint-name');
  try {
    await seedStore(s, { name: 'work', kind: 'contacts', owner: 'bob', origin: 'endpoint', createdAt: T0 });
    s.config(CONFIG('  work: { kind: contacts, members: [phone], owner: alice }\n'));
    const r = s.run(['status']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /collections\.work/);
    await assert.rejects(openContext(s.path('pimhub.yaml')), (e) => isPimError(e, 'config') && /collections\.work: the store holds/.test(e.message));
    const col = await storedCollection(s, 'work');
    assert.deepEqual([col?.owner, col?.origin], ['bob', 'endpoint']);
  } finally {
    s.cleanup();
  }
});

test('a config collection whose store record has another owner or kind is a config error; the same owner and kind start', async () => {
  const s = new Scenario('ctx-owner');
  try {
    await seedStore(s,
      { name: 'contacts', kind: 'contacts', owner: 'bob', origin: 'config', createdAt: T0 },
      { name: 'cal', kind: 'contacts', owner: 'alice', origin: 'config', createdAt: T0 },
      { name: 'same', kind: 'contacts', owner: 'alice', origin: 'config', createdAt: T0 });
    s.config(CONFIG('  contacts: { kind: contacts, members: [phone], owner: alice }\n'));
    await assert.rejects(openContext(s.path('pimhub.yaml')), (e) => isPimError(e, 'config') && /collections\.contacts: the store holds/.test(e.message));
    assert.equal((await storedCollection(s, 'contacts'))?.owner, 'bob');
    s.config(CONFIG('  cal: { kind: calendar, members: [phone], owner: alice }\n'));
    await assert.rejects(openContext(s.path('pimhub.yaml')), (e) => isPimError(e, 'config') && /collections\.cal: the store holds/.test(e.message));
    s.config(CONFIG('  same: { kind: contacts, members: [phone], owner: alice }\n'));
    const app = await openContext(s.path('pimhub.yaml'));
    await app.close();
  } finally {
    s.cleanup();
  }
});

test('a config collection removed from the config becomes a client-made one, with a warning, and its owner can delete it through the endpoint', async () => {
  const s = new Scenario('ctx-removed');
  try {
    await seedStore(s,
      { name: 'contacts', kind: 'contacts', owner: 'alice', origin: 'config', createdAt: T0 },
      { name: 'old', kind: 'contacts', owner: 'alice', origin: 'config', createdAt: T0, displayName: 'Old book' });
    s.config(CONFIG('  contacts: { kind: contacts, members: [phone], owner: alice }\n'));
    const r = s.run(['status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: collection "old" is no longer in/);
    const old = await storedCollection(s, 'old');
    assert.deepEqual([old?.origin, old?.owner, old?.displayName], ['endpoint', 'alice', 'Old book']);
    assert.equal((await storedCollection(s, 'contacts'))?.origin, 'config');

    const app = await openContext(s.path('pimhub.yaml'));
    const server = createServer({ store: app.store, config: app.config, identity: app.identity, env: { ALICE_PW: 'pw', BOB_PW: 'pw2' }, log: () => {} });
    const http = await new Promise<import('node:http').Server>((ok) => {
      const h = server.listen(0, '127.0.0.1', () => ok(h));
    });
    try {
      const base = `http://127.0.0.1:${(http.address() as import('node:net').AddressInfo).port}`;
      const auth = { authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}` };
      assert.equal((await fetch(`${base}/dav/home/alice/contacts/`, { method: 'DELETE', headers: auth })).status, 403);
      assert.equal((await fetch(`${base}/dav/home/alice/old/`, { method: 'DELETE', headers: auth })).status, 204);
      assert.equal(await app.store.getCollection('old'), undefined);
    } finally {
      await new Promise<void>((ok) => http.close(() => ok()));
      http.closeAllConnections?.();
      await app.close();
    }
  } finally {
    s.cleanup();
  }
});
