import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asEtag, asHref } from '../../src/core/types.js';
import { headOf } from '../../src/sync/decide/context.js';
import type { LinkHead } from '../../src/core/store.js';

/**
 * A run keeps a head (href, etag) of every link it puts, for the whole run. Cut from a
 * server's answer, an href or etag is a view into that answer: a first sync of 10,000
 * cards from Radicale kept all its 100 multiget answers alive (19.5 MB) through them.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const ANSWERS = 100;
const CARDS = 50;

/** Like a multistatus answer: ~2 KB per card, its href and etag somewhere inside. */
function answer(n: number): { text: string; at: Array<{ href: [number, number]; etag: [number, number] }> } {
  let text = `<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns="DAV:">`;
  const at: Array<{ href: [number, number]; etag: [number, number] }> = [];
  for (let i = 0; i < CARDS; i += 1) {
    const href = `bench-${n}-${i}@pimhub.example.vcf`;
    const etag = `"${(n * 7919 + i).toString(16).padStart(32, '0')}"`;
    text += `<response><href>/alice/book/`;
    const h = text.length;
    text += `${href}</href><propstat><prop><getetag>`;
    const e = text.length;
    text += `${etag}</getetag><address-data>BEGIN:VCARD\r\nNOTE:${'x'.repeat(2000)}\r\nEND:VCARD\r\n</address-data></prop></propstat></response>`;
    at.push({ href: [h, h + href.length], etag: [e, e + etag.length] });
  }
  return { text: `${text}</multistatus>`, at };
}

/** In a function of its own, so nothing but the heads outlives it. */
function headsFrom(n: number): LinkHead[] {
  const { text, at } = answer(n);
  return at.map(({ href, etag }, i) => headOf({
    member: 'cloud', href: asHref(text.slice(...href)), itemId: `item-${n}-${i}`, etag: asEtag(text.slice(...etag)), agreedVersion: 1,
  }));
}

test('a link head does not keep the server answer its href and etag were cut from', () => {
  const before = heapAfterGc();
  const heads: LinkHead[] = [];
  for (let n = 0; n < ANSWERS; n += 1) heads.push(...headsFrom(n));
  const held = heapAfterGc() - before;
  assert.equal(heads.length, ANSWERS * CARDS);
  assert.equal(heads[CARDS + 1]!.href, 'bench-1-1@pimhub.example.vcf');
  // The answers are ~10 MB in all; a head with its two short strings ~0.2 KB.
  assert.ok(held < ANSWERS * CARDS * 400, `the heads hold ${Math.round(held / (ANSWERS * CARDS))} bytes each`);
});
