import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contacts } from '../../bench/generate.js';
import { create } from '../../connectors/vcard-file/index.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { isFlushable, isWritable } from '../../src/core/connector.js';
import { asHref, type Href } from '../../src/core/types.js';
import { withTempDir } from './temp-files.js';
import { heapAfterGc } from '../heap.js';

/**
 * A .vcf source keeps where each card is in the file, not the decoded card: a sync of a
 * 100,000-card export held every card decoded for the whole run (1.8 GB, B5). A card is
 * decoded again when asked for, and gives what decoding the whole file gives; a rewrite
 * keeps the cards it did not change.
 */

const N = 3000;

test('an opened .vcf of 3,000 cards holds far less than its decoded cards, and gives each card as the whole file decodes it', async () => {
  const text = contacts(N, 7).map((c) => c.text).join('');
  const decoded = decodeVCards(text).items;
  assert.equal(decoded.length, N);
  await withTempDir(async (dir) => {
    const path = join(dir, 'phone.vcf');
    await fs.writeFile(path, text);
    const before = heapAfterGc();
    const source = await create('phone', { type: 'vcard-file', path }, { baseDir: dir }).source('contacts');
    const listed = await source.list();
    const held = heapAfterGc() - before;
    assert.equal(listed.length, N);
    // Decoded, these cards take ~3.5 KB each; the listing, the hrefs and the file's spans ~0.3 KB.
    assert.ok(held < N * 1024, `the open source holds ${Math.round(held / N)} bytes per card`);

    const byUid = new Map(decoded.map((c) => [c.uid, c]));
    const got = await source.get(listed.map((e) => e.href));
    assert.equal(got.items.length, N);
    for (const f of got.items) assert.deepEqual(f.item, byUid.get(f.item.uid), f.href);
    assert.ok(listed.every((e, i) => got.items[i]!.etag === e.etag));
  });
});

test('after a rewrite of a spanned .vcf, the cards it did not change read back as before, and the changed one as written', async () => {
  const cards = contacts(20, 3);
  const text = cards.map((c) => c.text).join('');
  await withTempDir(async (dir) => {
    const path = join(dir, 'phone.vcf');
    await fs.writeFile(path, text);
    const source = await create('phone', { type: 'vcard-file', path }, { baseDir: dir }).source('contacts');
    assert.ok(isWritable(source) && isFlushable(source));
    const listed = await source.list();
    const target = listed[5]!;
    const [entry] = (await source.get([target.href])).items;
    assert.ok(entry && entry.item.kind === 'contact');
    const card = { ...entry.item.card, props: [...entry.item.card.props, { name: 'note', params: {}, type: 'text', values: ['moved to Lisbon'] }] };
    await source.update(target.href, target.etag, { ...entry.item, card });
    await source.flush();
    const written = readFileSync(path, 'utf8');
    assert.match(written, /NOTE:moved to Lisbon/);
    const again = await source.get(listed.map((e) => e.href));
    const fresh = decodeVCards(written).items;
    assert.equal(again.items.length, 20);
    for (const f of again.items) assert.deepEqual(f.item, fresh.find((c) => c.uid === f.item.uid), f.href);
    assert.equal((await source.get([asHref(`uid:${cards[6]!.uid}`)])).items[0]?.etag, listed[6]!.etag);
  });
});

/** In a function of its own: a suspended async function keeps its temporaries (the whole answer) alive. */
async function uidsOf(source: { get(hrefs: readonly Href[]): Promise<{ items: Array<{ item: { uid: string } }> }> }, hrefs: Href[]): Promise<string[]> {
  const got = await source.get(hrefs);
  return got.items.map((f) => f.item.uid);
}

test('a UID kept from a card the file gives does not keep the card\'s whole text alive', async () => {
  const text = contacts(N, 9).map((c) => c.text).join('');
  await withTempDir(async (dir) => {
    const path = join(dir, 'phone.vcf');
    await fs.writeFile(path, text);
    const source = await create('phone', { type: 'vcard-file', path }, { baseDir: dir }).source('contacts');
    const hrefs = (await source.list()).map((e) => e.href);
    await source.get(hrefs.slice(0, 100));
    const before = heapAfterGc();
    // What a run keeps of each card once it is written elsewhere: its UID (report lines, hrefs).
    const uids = await uidsOf(source, hrefs);
    const held = heapAfterGc() - before;
    assert.equal(new Set(uids).size, N);
    // A UID here is ~30 characters; a card's text ~560 bytes (575 bytes per UID before).
    assert.ok(held < N * 200, `each kept UID holds ${Math.round(held / N)} bytes`);
  });
});
