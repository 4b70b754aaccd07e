import { createHash } from 'node:crypto';
import type { CollectionKind } from '../../src/core/types.js';
import type { DavCollection } from './discovery.js';
import { safeUrl } from './http.js';

/**
 * A DAV member's token (`MemberState.token`, stored with the run's links): the collection
 * discovery found, so a later run skips discovery, and the change reader's own token
 * (`sync:…`, `ctag:…`, `list:`). `dav1:` + JSON; a token without the prefix is one written
 * before the collection was kept (its whole text is the change reader's token).
 */
const PREFIX = 'dav1:';

/** What the settings that choose a member's collection hash to; nothing secret goes in. */
export interface MemberSettings {
  type: string;
  url: string;
  username?: string;
  kind: CollectionKind;
  /** The part after the slash in `cloud/contacts`. */
  remote?: string;
}

/**
 * A short hash of the settings: a token written under other settings (another url, user or
 * collection name) is not trusted to name the member's collection. Hashed, so the token
 * does not spell out the user name or the configured URL (a short unsalted hash: someone
 * who knows the URL could still test guesses of the user name against it; no password or
 * other secret goes in).
 */
export function fingerprintOf(s: MemberSettings): string {
  return createHash('sha256').update(JSON.stringify([s.type, s.url, s.username ?? null, s.kind, s.remote ?? null])).digest('hex').slice(0, 16);
}

export interface ReadToken {
  /** The collection the token was written for, when it names one that can be read. */
  collection?: DavCollection;
  /** Whether that collection was found under the member's current settings. */
  trusted: boolean;
  /** The change reader's token; undefined when the token cannot be read (then: list everything). */
  changes?: string;
}

/** What is kept of a collection, in a fixed order. */
function kept(c: DavCollection): DavCollection {
  return {
    name: c.name, url: safeUrl(c.url), kind: c.kind, syncCollection: c.syncCollection, vcardVersions: c.vcardVersions,
    ...(c.displayName !== undefined ? { displayName: c.displayName } : {}), ...(c.color !== undefined ? { color: c.color } : {}),
    ...(c.components !== undefined ? { components: c.components } : {}),
  };
}

/** Whether discovery says of a collection what the token did. */
export function sameCollection(a: DavCollection, b: DavCollection): boolean {
  return JSON.stringify(kept(a)) === JSON.stringify(kept(b));
}

export function writeToken(fingerprint: string, c: DavCollection, changes: string): string {
  return PREFIX + JSON.stringify({ f: fingerprint, c: kept(c), t: changes });
}

export function readToken(token: string, fingerprint: string, kind: CollectionKind): ReadToken {
  if (!token.startsWith(PREFIX)) return { trusted: false, changes: token };
  let parsed: unknown;
  try {
    parsed = JSON.parse(token.slice(PREFIX.length));
  } catch {
    return { trusted: false };
  }
  const o = (parsed ?? {}) as { f?: unknown; c?: unknown; t?: unknown };
  const collection = asCollection(o.c, kind);
  // A change token whose collection cannot be read is not known to belong to the collection
  // found now: sent there, it could skip changes (or match a ctag by chance). List everything.
  if (!collection) return { trusted: false };
  const changes = typeof o.t === 'string' ? o.t : undefined;
  return { collection, trusted: o.f === fingerprint, ...(changes !== undefined ? { changes } : {}) };
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** The stored collection when it has every field the connector needs, of the kind asked. */
function asCollection(v: unknown, kind: CollectionKind): DavCollection | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  if (typeof c.name !== 'string' || typeof c.url !== 'string' || c.kind !== kind || typeof c.syncCollection !== 'boolean' || !strings(c.vcardVersions)) return undefined;
  if (!optionalString(c.displayName) || !optionalString(c.color) || (c.components !== undefined && !strings(c.components))) return undefined;
  try {
    const u = new URL(c.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  } catch {
    return undefined;
  }
  return c as unknown as DavCollection;
}
