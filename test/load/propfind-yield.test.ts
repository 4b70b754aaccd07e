import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { propfindBody, TestServer, vcard } from '../server/server-harness.js';

/**
 * A PROPFIND Depth 1 of thousands of objects must not hold up other requests (issue 13,
 * point 5): its answer is built in slices that let the event loop run. Observed as an order,
 * not a duration: a GET sent while the big PROPFIND is being answered comes back first.
 */
const N = 6000;
let t: TestServer;
before(async () => {
  t = await TestServer.start();
  for (let start = 0; start < N; start += 500) {
    const items = Array.from({ length: Math.min(500, N - start) }, (_, k) => {
      const i = start + k;
      const item = decodeVCards(vcard(`y-${i}`, [`FN:Yield ${i}`, `EMAIL:y${i}@example.org`, `NOTE:${'n'.repeat(200)}`])).items[0]!;
      return { id: randomUUID(), collection: 'contacts', uid: item.uid, item, meta: { fieldSources: {} }, expectVersion: 0, identityKeys: t.identity.identityKeys(item) };
    });
    await t.store.commit({ items });
  }
});
after(() => t.stop());

test(`a GET sent during a PROPFIND Depth 1 of ${N} objects is answered before it`, async () => {
  const order: string[] = [];
  const big = t.req('PROPFIND', '/dav/home/alice/contacts/', { headers: { depth: '1' }, body: propfindBody('<d:getetag/><d:getcontentlength/>') })
    .then((r) => {
      order.push('propfind');
      return r;
    });
  // Give the PROPFIND time to reach its answer-building phase.
  await new Promise((ok) => setTimeout(ok, 150));
  const small = await t.req('GET', '/dav/home/alice/contacts/y-1.vcf');
  order.push('get');
  assert.equal(small.status, 200);
  const r = await big;
  assert.equal(r.status, 207);
  assert.equal((r.text.match(/<D:response>/g) ?? []).length, N + 1);
  assert.deepEqual(order, ['get', 'propfind']);
});
