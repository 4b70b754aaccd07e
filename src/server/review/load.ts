import type { PimhubConfig } from '../../config/load-config.js';
import type { CollectionRecord, LogAction, LogEntry, QuarantineRecord, Store } from '../../core/store.js';
import { itemLabel } from '../../sync/item-info.js';
import { keepChoices, type KeepChoice } from './choices.js';

/**
 * What the review page shows, loaded from the store for one user: only the collections
 * that user owns, like the endpoint. Filters are applied here (server-side), so the page
 * needs no script.
 */
export const ACTIONS: readonly LogAction[] = ['conflict', 'merged', 'updated', 'created', 'matched', 'deleted', 'quarantined', 'resolved', 'undone', 'duplicates-merged'];
export const PAGE_SIZES = [50, 200, 1000] as const;
/** How far back a text search looks (per collection). */
const SEARCH_DEPTH = 5000;

export interface ReviewQuery {
  collection?: string;
  action?: LogAction;
  q?: string;
  limit: number;
}

export interface EntryView {
  entry: LogEntry;
  label: string;
  /** The latest `resolved` entry that changed this decision, if any: its choices are the ones in force. */
  resolution?: LogEntry;
  choices: KeepChoice[];
}

export interface MemberView {
  member: string;
  items: number;
  lastSync?: string;
  errors: number;
  lastError?: string;
  quarantined: number;
}

export interface CollectionView {
  col: CollectionRecord;
  items: number;
  lastSync?: string;
  members: MemberView[];
}

export interface ReviewData {
  user: string;
  query: ReviewQuery;
  collections: CollectionView[];
  entries: EntryView[];
  /** More entries match than are shown. */
  more: boolean;
  quarantine: QuarantineRecord[];
}

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

/** The page's filters from the query string; anything unknown is ignored, not echoed. */
export function parseQuery(raw: Record<string, unknown>, collections: readonly string[]): ReviewQuery {
  const collection = one(raw.collection);
  const action = one(raw.action);
  const q = one(raw.q)?.trim().slice(0, 200);
  const limit = Number(one(raw.limit));
  return {
    ...(collection && collections.includes(collection) ? { collection } : {}),
    ...(action && (ACTIONS as readonly string[]).includes(action) ? { action: action as LogAction } : {}),
    ...(q ? { q } : {}),
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : PAGE_SIZES[0],
  };
}

export async function userCollections(store: Store, user: string): Promise<CollectionRecord[]> {
  return (await store.listCollections()).filter((c) => c.owner === user).sort((a, b) => a.name.localeCompare(b.name));
}

export async function loadReview(opts: { store: Store; config: PimhubConfig; user: string; raw: Record<string, unknown> }): Promise<ReviewData> {
  const { store, user } = opts;
  const cols = await userCollections(store, user);
  const query = parseQuery(opts.raw, cols.map((c) => c.name));
  const shown = query.collection ? cols.filter((c) => c.name === query.collection) : cols;
  const labels = new Map<string, string>();
  const labelOf = async (e: LogEntry): Promise<string> => {
    if (!e.itemId) return e.uid;
    let l = labels.get(e.itemId);
    if (l === undefined) {
      const item = await store.getItem(e.itemId);
      l = item ? itemLabel(item.item) : e.uid;
      labels.set(e.itemId, l);
    }
    return l;
  };

  let entries: LogEntry[] = [];
  const resolutions = new Map<number, LogEntry>();
  for (const c of shown) {
    const depth = query.q ? SEARCH_DEPTH : query.limit + 1;
    entries.push(...(await store.listLog({ collection: c.name, actions: query.action ? [query.action] : undefined, limit: depth })));
    for (const r of await store.listLog({ collection: c.name, actions: ['resolved'], limit: 1000 })) {
      if (r.resolves !== undefined && !resolutions.has(r.resolves)) resolutions.set(r.resolves, r);
    }
  }
  entries.sort((a, b) => b.id - a.id);
  if (query.q) {
    const needle = query.q.toLowerCase();
    const kept: LogEntry[] = [];
    for (const e of entries) {
      if (kept.length > query.limit) break;
      if (searchText(e, await labelOf(e)).includes(needle)) kept.push(e);
    }
    entries = kept;
  }
  const more = entries.length > query.limit;
  const views: EntryView[] = [];
  for (const e of entries.slice(0, query.limit)) {
    const resolution = resolutions.get(e.id);
    views.push({ entry: e, label: await labelOf(e), ...(resolution ? { resolution } : {}), choices: keepChoices(e, resolution) });
  }

  const collections: CollectionView[] = [];
  const quarantine: QuarantineRecord[] = [];
  for (const c of shown) {
    const q = await store.listQuarantine(c.name);
    quarantine.push(...q);
    collections.push(await collectionView(store, opts.config, c, q));
  }
  quarantine.sort((a, b) => b.time.localeCompare(a.time));
  return { user, query, collections, entries: views, more, quarantine };
}

async function collectionView(store: Store, config: PimhubConfig, col: CollectionRecord, quarantine: QuarantineRecord[]): Promise<CollectionView> {
  const states = await store.listMemberStates(col.name);
  const configured = config.collections[col.name]?.members.map((m) => m.name) ?? [];
  const names = [...new Set([...configured, ...states.map((s) => s.member)])];
  const members: MemberView[] = [];
  for (const member of names) {
    const s = states.find((x) => x.member === member);
    members.push({
      member,
      items: (await store.linksForMember(col.name, member)).length,
      ...(s?.lastSync ? { lastSync: s.lastSync } : {}),
      errors: s?.errors ?? 0,
      ...(s?.lastError ? { lastError: s.lastError } : {}),
      quarantined: quarantine.filter((x) => x.member === member).length,
    });
  }
  const lastSync = members.map((m) => m.lastSync).filter((x): x is string => !!x).sort().pop();
  return { col, items: await store.countItems(col.name), ...(lastSync ? { lastSync } : {}), members };
}

/** What a text search looks at: the item's name and uid, where the change came from, the message and every value. */
function searchText(e: LogEntry, label: string): string {
  const parts: string[] = [label, e.uid, e.connector, e.action, e.message ?? ''];
  for (const f of e.fields ?? []) {
    parts.push(f.field, JSON.stringify(f.base ?? ''), JSON.stringify(f.chosen ?? ''));
    for (const v of f.values) parts.push(v.connector, JSON.stringify(v.value ?? ''));
  }
  return parts.join('\n').toLowerCase();
}

/** A log entry of one of the user's collections, or undefined (another user's entries do not exist for them). */
export async function ownEntry(store: Store, user: string, id: number): Promise<LogEntry | undefined> {
  const e = await store.getLogEntry(id);
  if (!e) return undefined;
  const col = await store.getCollection(e.collection);
  return col && col.owner === user ? e : undefined;
}
