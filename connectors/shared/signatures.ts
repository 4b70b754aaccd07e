import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import type { Item } from '../../src/model/item.js';
import type { Component } from '../../src/model/property.js';
import { ICAL_RULES, VCARD_RULES, isVolatile } from '../../src/model/field-rules.js';
import { asEtag, type Etag } from '../../src/core/types.js';
import { assertNever } from '../../src/core/errors.js';

/** A file's stat signature `mtimeNs-size`: the etag of a vdir entry (cheap, no read). */
export function statEtag(st: BigIntStats): Etag {
  return asEtag(`${st.mtimeNs}-${st.size}`);
}

/** A whole file's signature `mtimeNs:size:sha256`: the change token of single-file sources. */
export function fileSignature(st: BigIntStats, bytes: Uint8Array): string {
  return signatureOf(st, sha256(bytes));
}

/** The same signature from a sha256 computed elsewhere (over a file written or read in pieces). */
export function signatureOf(st: BigIntStats, sha256Hex: string): string {
  return `${st.mtimeNs}:${st.size}:${sha256Hex}`;
}

export function sha1(s: string | Uint8Array): string {
  return createHash('sha1').update(s).digest('hex');
}

export function sha256(s: string | Uint8Array): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * JSON with object keys sorted, so equal values give equal text whatever their key order.
 * The text is stored (single-file etags), so it must never change form; built with plain
 * loops because every entry of a single file is hashed on each read of it.
 */
export function canonicalJson(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i += 1) {
      if (i > 0) s += ',';
      // As Array#join would: an element with no JSON form (undefined) is empty.
      s += canonicalJson(v[i]) ?? '';
    }
    return `${s}]`;
  }
  const o = v as Record<string, unknown>;
  let s = '{';
  for (const k of Object.keys(o).sort()) {
    const x = o[k];
    if (x === undefined) continue;
    if (s.length > 1) s += ',';
    s += `${JSON.stringify(k)}:${canonicalJson(x)}`;
  }
  return `${s}}`;
}

/** The component without volatile properties (PRODID, REV, DTSTAMP: rewritten on every export). */
function withoutVolatile(c: Component, rules: typeof VCARD_RULES): Component {
  return {
    name: c.name,
    props: c.props.filter((p) => !isVolatile(rules, p.name)),
    components: c.components.map((s) => withoutVolatile(s, rules)),
  };
}

/**
 * The content etag of an item inside a single file: sha1 of its canonical JSON without
 * volatile properties, so a re-export that only bumps REV or DTSTAMP leaves it unchanged
 * (architecture principle 8: normalise before comparing, never hash raw bytes).
 */
export function itemEtag(item: Item): Etag {
  switch (item.kind) {
    case 'contact':
      return asEtag(sha1(canonicalJson({ ...item, card: withoutVolatile(item.card, VCARD_RULES) })));
    case 'calendar': {
      const strip = (c: Component) => withoutVolatile(c, ICAL_RULES);
      return asEtag(sha1(canonicalJson({
        ...item,
        master: item.master && strip(item.master),
        overrides: item.overrides.map(strip),
        timezones: item.timezones.map(strip),
      })));
    }
    default:
      return assertNever(item, 'item');
  }
}
