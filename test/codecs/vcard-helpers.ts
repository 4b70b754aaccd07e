/** Shared helpers for the vCard codec tests. */
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { ContactItem } from '../../src/model/item.js';
import type { Property } from '../../src/model/property.js';
import { VCARD_CAPABILITIES, decodeVCards, type VCardVersion } from '../../src/codecs/vcard/index.js';

export const VERSIONS: VCardVersion[] = ['4.0', '3.0', '2.1'];

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../fixtures/contacts/${name}`, import.meta.url));
}

export function decodeOk(input: string | Uint8Array): ContactItem[] {
  const r = decodeVCards(input);
  assert.deepEqual(r.problems, [], 'no problems expected');
  return r.items;
}

/** The canonical item as a version can hold it (2.1 drops the 4.0-only properties). */
export function heldBy(item: ContactItem, version: VCardVersion): ContactItem {
  const caps = VCARD_CAPABILITIES[version];
  return { ...item, card: { ...item.card, props: item.card.props.filter((p) => caps.holds(p, item.card)) } };
}

export function props(item: ContactItem, name: string): Property[] {
  return item.card.props.filter((p) => p.name === name);
}

export function one(item: ContactItem, name: string): Property {
  const ps = props(item, name);
  assert.equal(ps.length, 1, `exactly one ${name}`);
  return ps[0];
}

export function photoBytes(item: ContactItem): Buffer {
  const v = one(item, 'photo').values[0];
  assert.equal(typeof v, 'string');
  const m = /^data:image\/jpeg;base64,([A-Za-z0-9+/=]+)$/.exec(v as string);
  assert.ok(m, `photo is a base64 data: URI without white space: ${String(v).slice(0, 40)}`);
  return Buffer.from(m[1], 'base64');
}

/**
 * Every physical line of an encoded vCard: CRLF-terminated, ≤ 75 octets, and valid UTF-8
 * on its own (checked on the bytes, so a fold inside a multi-byte sequence or between
 * the halves of a surrogate pair fails).
 */
export function assertWellFolded(text: string): void {
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  assert.ok(!/[^\r]\n/.test(text) && !/\r[^\n]/.test(text), 'only CRLF line ends');
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const fatal = new TextDecoder('utf-8', { fatal: true });
  for (const line of text.slice(0, -2).split('\r\n')) {
    assert.ok(!lone.test(line), `a surrogate pair was split: ${JSON.stringify(line)}`);
    const bytes = Buffer.from(line, 'utf8');
    assert.ok(bytes.length <= 75, `line longer than 75 octets (${bytes.length}): ${line}`);
  }
  const all = Buffer.from(text, 'utf8');
  let start = 0;
  for (let i = 0; i < all.length - 1; i++) {
    if (all[i] === 13 && all[i + 1] === 10) {
      assert.doesNotThrow(() => fatal.decode(all.subarray(start, i)), 'each line is valid UTF-8 on its own');
      start = i + 2;
    }
  }
}
