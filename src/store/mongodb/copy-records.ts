import { assertNever } from '../../core/errors.js';
import type { ClientSession, Db, Document } from 'mongodb';
import type { StoreRecords, StoreTable } from '../../core/store.js';
import {
  collectionFromRow, collectionToRow, itemFromRow, linkFromRow, logFromRow, logToRow, memberStateFromRow, memberStateToRow,
  outboxFromRow, outboxToRow, quarantineFromRow, quarantineToRow, runFromRow, runToRow,
  type CollectionRow, type LinkRow, type LogRow, type MemberStateRow, type OutboxRow, type QuarantineRow, type RunRow,
} from '../sqlite/rows.js';
import { lastNumber, seqCounter, type CounterDoc } from './counters.js';
import { idOf, itemDoc, versionDoc, versionFromDoc, type ItemDoc, type VersionDoc } from './docs.js';
import { linkDocs, withBases } from './link-base.js';
import type { Op, Plan } from './plan.js';
import { C } from './schema.js';

/** Store.exportPage and Store.importRecords of the MongoDB store (`pimhub migrate`). */

const SOURCES: Record<Exclude<StoreTable, 'seqs'>, { c: string; sort: Record<string, 1 | -1> }> = {
  collections: { c: C.collections, sort: { _id: 1 } },
  items: { c: C.items, sort: { _id: 1 } },
  versions: { c: C.versions, sort: { item_id: 1, version: 1 } },
  links: { c: C.links, sort: { collection: 1, member: 1, href: 1 } },
  memberStates: { c: C.states, sort: { collection: 1, member: 1 } },
  quarantine: { c: C.quarantine, sort: { collection: 1, member: 1, href: 1 } },
  outbox: { c: C.outbox, sort: { _id: 1 } },
  log: { c: C.log, sort: { _id: 1 } },
  runs: { c: C.runs, sort: { ord: 1 } },
  deadProps: { c: C.dead, sort: { _id: 1 } },
  dismissedPairs: { c: C.dismissed, sort: { collection: 1, a: 1, b: 1 } },
};

export async function exportPage<T extends StoreTable>(db: Db, table: T, offset: number, limit: number): Promise<StoreRecords[T]> {
  if (table === 'seqs') {
    const docs = await db.collection<CounterDoc>(C.counters).find({ name: { $regex: '^seq:' } }).sort({ name: 1 }).toArray();
    const seqs = new Map<string, number>();
    for (const d of docs) {
      const collection = d.name.slice('seq:'.length);
      seqs.set(collection, Math.max(d.last, seqs.get(collection) ?? 0));
    }
    return [...seqs].map(([collection, seq]) => ({ collection, seq })).slice(offset, offset + limit) as StoreRecords[T];
  }
  const { c, sort } = SOURCES[table as Exclude<StoreTable, 'seqs'>];
  const docs = await db.collection(c).find({}).sort(sort).skip(offset).limit(limit).toArray() as Document[];
  if (table === 'links') await withBases(db, docs as LinkRow[]);
  const out = ((): unknown[] => {
    switch (table) {
      case 'collections': return docs.map((d) => collectionFromRow(d as CollectionRow));
      case 'items': return docs.map((d) => ({ ...itemFromRow(d as ItemDoc), identityKeys: [...((d as ItemDoc).keys ?? [])].sort() }));
      case 'versions': return docs.map((d) => ({ ...versionFromDoc(d as VersionDoc), itemId: (d as VersionDoc).item_id }));
      case 'links': return docs.map((d) => ({ ...linkFromRow(d as LinkRow) }));
      case 'memberStates': return docs.map((d) => memberStateFromRow(d as MemberStateRow));
      case 'quarantine': return docs.map((d) => quarantineFromRow(d as QuarantineRow));
      case 'outbox': return docs.map((d) => outboxFromRow(d as OutboxRow));
      case 'log': return docs.map((d) => logFromRow(d as LogRow));
      case 'runs': return docs.map((d) => runFromRow(d as RunRow));
      case 'deadProps': return docs.map((d) => ({ collection: d.collection as string, href: d.href as string, props: JSON.parse(d.props as string) as Record<string, string> }));
      case 'dismissedPairs': return docs.map((d) => ({ collection: d.collection as string, a: d.a as string, b: d.b as string, time: d.time as string }));
      default: return assertNever(table, 'store table');
    }
  })();
  return out as StoreRecords[T];
}

/** Plans the verbatim write of records: puts, then counters raised past the imported ids and seqs. */
export async function planImport(db: Db, session: ClientSession | undefined, r: Partial<StoreRecords>): Promise<Plan<void>> {
  const ops: Op[] = [];
  for (const c of r.collections ?? []) ops.push({ c: C.collections, put: { _id: c.name, ...collectionToRow(c) } });
  for (const { identityKeys, ...i } of r.items ?? []) ops.push({ c: C.items, put: itemDoc(i, identityKeys) });
  for (const { itemId, ...v } of r.versions ?? []) ops.push({ c: C.versions, put: versionDoc(itemId, v) });
  // Versions come before links (STORE_TABLES), so a base equal to its agreed version is stored by reference again.
  if (r.links?.length) for (const put of await linkDocs(db, session, r.links, (v) => JSON.stringify(v))) ops.push({ c: C.links, put });
  for (const s of r.memberStates ?? []) ops.push({ c: C.states, put: { _id: idOf(s.collection, s.member), ...memberStateToRow(s) } });
  for (const q of r.quarantine ?? []) ops.push({ c: C.quarantine, put: { _id: idOf(q.collection, q.member, q.href), ...quarantineToRow(q) } });
  for (const o of r.outbox ?? []) ops.push({ c: C.outbox, put: { _id: o.id, id: o.id, ...outboxToRow(o) } });
  for (const e of r.log ?? []) ops.push({ c: C.log, put: { _id: e.id, id: e.id, ...logToRow(e) } });
  for (const d of r.dismissedPairs ?? []) ops.push({ c: C.dismissed, put: { _id: idOf(d.collection, d.a, d.b), ...d } });
  for (const d of r.deadProps ?? []) ops.push({ c: C.dead, put: { _id: idOf(d.collection, d.href), collection: d.collection, href: d.href, props: JSON.stringify(d.props) } });

  const raises: Array<[string, number]> = [];
  const runs = r.runs ?? [];
  if (runs.length) {
    const ord = (await lastNumber(db, 'runs', session)) + 1;
    runs.forEach((run, i) => ops.push({ c: C.runs, put: { _id: run.id, ...runToRow(run), ord: ord + i } }));
    raises.push(['runs', ord + runs.length - 1]);
  }
  if (r.log?.length) raises.push(['log', Math.max(...r.log.map((e) => e.id))]);
  if (r.outbox?.length) raises.push(['outbox', Math.max(...r.outbox.map((o) => o.id))]);
  for (const s of r.seqs ?? []) raises.push([seqCounter(s.collection), s.seq]);
  for (const [name, last] of raises) {
    const top = await db.collection<CounterDoc>(C.counters).find({ name }, { session }).sort({ last: -1 }).limit(1).toArray();
    const current = top[0]?.last ?? 0;
    if (last <= current) continue;
    ops.push({ c: C.counters, put: { _id: `${name}:${current + 1}`, name, first: current + 1, last } });
    if (top[0]) ops.push({ c: C.counters, del: top[0]._id });
  }
  return { ops, result: undefined };
}
