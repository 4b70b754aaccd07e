import type {
  CollectionRecord,
  LinkRecord,
  LogAction,
  LogEntry,
  RunRecord,
  RunTrigger,
  MemberState,
  OutboxEntry,
  OutboxOp,
  QuarantineRecord,
  StoredItem,
} from '../../core/store.js';
import type { CollectionKind, Etag, Href, Uid } from '../../core/types.js';
import { PimError } from '../../core/errors.js';

/**
 * Row shapes of the SQLite tables and their mapping to the Store's records. NULL columns
 * become absent properties (never `undefined` values), so records compare equal to what
 * the memory store returns. A row's hrefs and etags are branded here, where a row is read:
 * the store only ever holds what a connector or the endpoint gave it as such.
 */

export interface CollectionRow {
  name: string;
  kind: string;
  owner: string | null;
  display_name: string | null;
  color: string | null;
  description: string | null;
  origin: string;
  created_at: string;
}

export interface ItemRow {
  id: string;
  collection: string;
  uid: Uid;
  version: number;
  seq: number;
  deleted: number;
  data: string;
  meta: string;
  updated_at: string;
}

export interface LinkRow {
  collection: string;
  member: string;
  href: Href;
  item_id: string;
  etag: Etag;
  /**
   * The base as JSON, or '' when `base_version` names the version of the item it equals
   * (link-base.ts). A row as read carries the JSON either way (resolved by the query); null
   * or '' there means the version it names is missing.
   */
  base: string | null;
  /** Absent in MongoDB documents written before bases were stored by reference. */
  base_version?: number | null;
  agreed_version: number;
  updated_at: string;
  raw: string | null;
}

export interface MemberStateRow {
  collection: string;
  member: string;
  token: string | null;
  last_sync: string | null;
  errors: number;
  last_error: string | null;
}

export interface LogRow {
  id: number;
  run: string;
  time: string;
  collection: string;
  uid: string;
  item_id: string | null;
  action: string;
  connector: string;
  fields: string | null;
  message: string | null;
  resolves: number | null;
  /** JSON of LogEntry.entry; absent in Mongo documents written before it existed. */
  entry?: string | null;
}

export interface QuarantineRow {
  collection: string;
  member: string;
  href: Href;
  location: string;
  message: string;
  raw: string | null;
  time: string;
}

export interface OutboxRow {
  id: number;
  collection: string;
  member: string;
  item_id: string;
  op: string;
  href: Href | null;
  etag: Etag | null;
  version: number;
  created_at: string;
}

/** Sets `key` on `o` only when the column is not NULL. */
function opt<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | null | undefined): void {
  if (v !== null && v !== undefined) o[key] = v;
}

export function collectionFromRow(r: CollectionRow): CollectionRecord {
  const c: CollectionRecord = {
    name: r.name,
    kind: r.kind as CollectionKind,
    origin: r.origin as CollectionRecord['origin'],
    createdAt: r.created_at,
  };
  opt(c, 'owner', r.owner);
  opt(c, 'displayName', r.display_name);
  opt(c, 'color', r.color);
  opt(c, 'description', r.description);
  return c;
}

export function collectionToRow(c: CollectionRecord): CollectionRow {
  return {
    name: c.name,
    kind: c.kind,
    owner: c.owner ?? null,
    display_name: c.displayName ?? null,
    color: c.color ?? null,
    description: c.description ?? null,
    origin: c.origin,
    created_at: c.createdAt,
  };
}

export function itemFromRow(r: ItemRow): StoredItem {
  return {
    id: r.id,
    collection: r.collection,
    uid: r.uid,
    version: r.version,
    seq: r.seq,
    deleted: r.deleted !== 0,
    item: JSON.parse(r.data),
    meta: JSON.parse(r.meta),
    updatedAt: r.updated_at,
  };
}

export function linkFromRow(r: LinkRow): LinkRecord {
  const text = r.base;
  if (text === null || text === undefined || text === '') {
    throw new PimError('io', `the store's link of member ${r.member} at ${r.href} (collection ${r.collection}) names version ${r.base_version} of item ${r.item_id} as its base, and that version is missing (was the store changed outside pimhub?); restore the store from a backup`, { where: r.href });
  }
  // The base is read only for the few links whose entry changed: parse it on first use, so
  // listing a member's 10,000 links for a no-change sync costs no JSON parsing.
  let base: LinkRecord['base'] | undefined;
  return {
    collection: r.collection,
    member: r.member,
    href: r.href,
    itemId: r.item_id,
    etag: r.etag,
    agreedVersion: r.agreed_version,
    updatedAt: r.updated_at,
    ...(r.raw === null || r.raw === undefined ? {} : { raw: r.raw }),
    get base() {
      return (base ??= JSON.parse(text) as LinkRecord['base']);
    },
    set base(v: LinkRecord['base']) {
      base = v;
    },
  };
}

/**
 * `base`: the base as JSON when the caller has it already, or '' with `baseVersion`, the
 * version of the item it equals (link-base.ts).
 */
export function linkToRow(l: LinkRecord, base: string = JSON.stringify(l.base), baseVersion: number | null = null): LinkRow & { base: string; base_version: number | null } {
  return {
    collection: l.collection,
    member: l.member,
    href: l.href,
    item_id: l.itemId,
    etag: l.etag,
    base,
    base_version: baseVersion,
    agreed_version: l.agreedVersion,
    updated_at: l.updatedAt,
    raw: l.raw ?? null,
  };
}

export function memberStateFromRow(r: MemberStateRow): MemberState {
  const s: MemberState = { collection: r.collection, member: r.member, errors: r.errors };
  opt(s, 'token', r.token);
  opt(s, 'lastSync', r.last_sync);
  opt(s, 'lastError', r.last_error);
  return s;
}

export function memberStateToRow(s: MemberState): MemberStateRow {
  return {
    collection: s.collection,
    member: s.member,
    token: s.token ?? null,
    last_sync: s.lastSync ?? null,
    errors: s.errors,
    last_error: s.lastError ?? null,
  };
}

export function logFromRow(r: LogRow): LogEntry {
  const e: LogEntry = {
    id: r.id,
    run: r.run,
    time: r.time,
    collection: r.collection,
    uid: r.uid,
    action: r.action as LogAction,
    connector: r.connector,
  };
  opt(e, 'itemId', r.item_id);
  if (r.fields !== null) e.fields = JSON.parse(r.fields);
  opt(e, 'message', r.message);
  opt(e, 'resolves', r.resolves);
  if (r.entry) e.entry = JSON.parse(r.entry);
  return e;
}

export function logToRow(e: Omit<LogEntry, 'id'>): Omit<LogRow, 'id'> {
  return {
    run: e.run,
    time: e.time,
    collection: e.collection,
    uid: e.uid,
    item_id: e.itemId ?? null,
    action: e.action,
    connector: e.connector,
    fields: e.fields === undefined ? null : JSON.stringify(e.fields),
    message: e.message ?? null,
    resolves: e.resolves ?? null,
    entry: e.entry === undefined ? null : JSON.stringify(e.entry),
  };
}

export function quarantineFromRow(r: QuarantineRow): QuarantineRecord {
  const q: QuarantineRecord = {
    collection: r.collection,
    member: r.member,
    href: r.href,
    where: r.location,
    message: r.message,
    time: r.time,
  };
  opt(q, 'raw', r.raw);
  return q;
}

export function quarantineToRow(q: QuarantineRecord): QuarantineRow {
  return {
    collection: q.collection,
    member: q.member,
    href: q.href,
    location: q.where,
    message: q.message,
    raw: q.raw ?? null,
    time: q.time,
  };
}

export function outboxFromRow(r: OutboxRow): OutboxEntry {
  const o: OutboxEntry = {
    id: r.id,
    collection: r.collection,
    member: r.member,
    itemId: r.item_id,
    op: r.op as OutboxOp,
    version: r.version,
    createdAt: r.created_at,
  };
  opt(o, 'href', r.href);
  opt(o, 'etag', r.etag);
  return o;
}

export function outboxToRow(o: Omit<OutboxEntry, 'id'>): Omit<OutboxRow, 'id'> {
  return {
    collection: o.collection,
    member: o.member,
    item_id: o.itemId,
    op: o.op,
    href: o.href ?? null,
    etag: o.etag ?? null,
    version: o.version,
    created_at: o.createdAt,
  };
}

export interface RunRow {
  id: string;
  start: string;
  end: string | null;
  trigger: string;
  command: string | null;
  collections: string;
}

export function runFromRow(r: RunRow): RunRecord {
  const run: RunRecord = { id: r.id, start: r.start, trigger: r.trigger as RunTrigger, collections: JSON.parse(r.collections) };
  opt(run, 'end', r.end);
  opt(run, 'command', r.command);
  return run;
}

export function runToRow(r: RunRecord): RunRow {
  return {
    id: r.id, start: r.start, end: r.end ?? null, trigger: r.trigger, command: r.command ?? null, collections: JSON.stringify(r.collections),
  };
}
