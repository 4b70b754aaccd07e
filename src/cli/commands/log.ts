import type { FieldDecision, LogAction, LogEntry, Store } from '../../core/store.js';
import { itemLabel } from '../../sync/item-info.js';
import { openContext } from '../context.js';
import { UsageError } from '../errors.js';
import { createOutput } from '../output.js';
import { displayWidth, fit, pad, painter, renderTable, STYLE, type Paint } from '../table.js';

export interface LogOptions {
  config?: string;
  conflicts?: boolean;
  /** With --conflicts: resolved conflicts too. */
  all?: boolean;
  item?: string;
  since?: string;
  limit?: string;
  collection?: string;
  json?: boolean;
}

export async function logCommand(opts: LogOptions): Promise<number> {
  const out = createOutput(!!opts.json);
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`--limit ${opts.limit}: expected a positive whole number`);
  if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) {
    throw new UsageError(`--since ${opts.since}: expected an ISO date or time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z`);
  }
  const app = await openContext(opts.config);
  try {
    const query = { collection: opts.collection, uid: opts.item, since: opts.since ? new Date(opts.since).toISOString() : undefined };
    const resolvedBy = opts.conflicts ? await resolutions(app.store, query) : new Map<number, number>();
    const entries = opts.conflicts
      ? (await app.store.listLog({ ...query, actions: ['conflict'] })).filter((e) => opts.all || !resolvedBy.has(e.id)).slice(0, limit)
      : await app.store.listLog({ ...query, limit });
    if (out.json) {
      out.result({ entries });
      return 0;
    }
    if (entries.length === 0) {
      out.line(opts.conflicts ? `no ${opts.all ? '' : 'open '}conflicts${opts.all ? '' : ' (`pimhub log --conflicts --all` lists resolved ones too)'}` : 'no entries');
      return 0;
    }
    const tty = process.stdout.isTTY === true;
    const colour = tty && !process.env.NO_COLOR;
    const lines = await formatLog(app.store, entries, { paint: painter(colour), width: tty ? process.stdout.columns || 100 : 120, resolvedBy: opts.conflicts ? resolvedBy : await resolutions(app.store, query) });
    for (const line of lines) out.line(line);
    return 0;
  } finally {
    await app.close();
  }
}

const ACTION_STYLE: Partial<Record<LogAction, string>> = {
  conflict: `${STYLE.bold};${STYLE.red}`, deleted: STYLE.yellow, quarantined: STYLE.magenta, created: STYLE.green, resolved: STYLE.cyan, merged: STYLE.blue,
};

interface Row {
  e: LogEntry;
  label: string;
}

/**
 * The merge log as a table for people: one line per entry (number, time, action in colour,
 * collection, the item's name, where the change came from), then for merges and conflicts
 * one line per field: the base, each member's value, the kept one marked; conflicts end with
 * the `pimhub resolve` command that would change them.
 */
/** Conflict entry id → the id of the `resolved` entry that changed it (the latest). */
async function resolutions(store: Store, q: { collection?: string; uid?: string }): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const r of await store.listLog({ collection: q.collection, uid: q.uid, actions: ['resolved'] })) {
    if (r.resolves !== undefined && !out.has(r.resolves)) out.set(r.resolves, r.id);
  }
  return out;
}

export async function formatLog(store: Store, entries: LogEntry[], opts: { paint: Paint; width: number; resolvedBy?: Map<number, number> }): Promise<string[]> {
  const { paint, width } = opts;
  const labels = new Map<string, string>();
  const rows: Row[] = [];
  for (const e of entries) {
    let label = e.uid || '-';
    if (e.itemId) {
      if (!labels.has(e.itemId)) {
        const item = await store.getItem(e.itemId);
        labels.set(e.itemId, item ? itemLabel(item.item) : label);
      }
      label = labels.get(e.itemId)!;
    }
    rows.push({ e, label });
  }
  const table = renderTable<Row>(rows, [
    { title: '#', value: (r) => String(r.e.id), align: 'right' },
    { title: 'time (UTC)', value: (r) => r.e.time.replace('T', ' ').slice(0, 16), style: () => STYLE.dim },
    { title: 'action', value: (r) => r.e.action, style: (r) => ACTION_STYLE[r.e.action] },
    { title: 'collection', value: (r) => r.e.collection, flexible: true, min: 8 },
    { title: 'item', value: (r) => r.label, flexible: true, min: 12 },
    { title: 'from', value: (r) => r.e.connector, flexible: true, min: 6 },
  ], paint, width);
  const indent = ' '.repeat(Math.max(2, String(rows[rows.length - 1]?.e.id ?? '').length + 2, String(rows[0]?.e.id ?? '').length + 2));
  const out = [table.header];
  rows.forEach((r, i) => {
    out.push(table.lines[i]!);
    const valueWidth = Math.max(16, Math.floor((width - indent.length - 20) / Math.max(2, (r.e.fields?.[0]?.values.length ?? 1) + 1)));
    if (r.label !== r.e.uid && r.e.uid && (r.e.action === 'conflict' || r.e.action === 'quarantined')) out.push(`${indent}${paint(STYLE.dim, `uid ${r.e.uid}`)}`);
    if (r.e.message) out.push(`${indent}${paint(STYLE.dim, fit(r.e.message, width - indent.length))}`);
    const nameWidth = Math.max(0, ...(r.e.fields ?? []).map((f) => displayWidth(f.field)));
    for (const f of r.e.fields ?? []) out.push(`${indent}${fieldLine(f, paint, valueWidth, nameWidth)}`);
    const resolvedIn = opts.resolvedBy?.get(r.e.id);
    if (resolvedIn !== undefined) out.push(`${indent}${paint(STYLE.dim, `resolved by #${resolvedIn}`)}`);
    const conflicting = r.e.action === 'conflict' && resolvedIn === undefined ? r.e.fields?.find((f) => f.conflict) : undefined;
    const other = conflicting?.values.find((_v, k) => k !== conflicting.chosenIndex);
    if (other) out.push(`${indent}${paint(STYLE.dim, `to keep ${other.connector}'s value: pimhub resolve ${r.e.id} --keep ${other.connector}`)}`);
  });
  return out;
}

function fieldLine(f: FieldDecision, paint: Paint, max: number, nameWidth: number): string {
  const show = (v: unknown) => fit(v === null || v === undefined ? '(none)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v), max);
  const mark = f.conflict ? paint(`${STYLE.bold};${STYLE.red}`, '!') : ' ';
  const values = f.values.map((v, i) => {
    const text = `[${i}] ${v.connector} ${show(v.value)}`;
    return i === f.chosenIndex ? paint(`${STYLE.bold};${STYLE.green}`, `${text} ✓`) : text;
  });
  const kept = f.chosenIndex < 0 ? `  → ${paint(`${STYLE.bold};${STYLE.green}`, show(f.chosen))}` : '';
  return `${mark} ${paint(STYLE.bold, pad(f.field, nameWidth))}  ${paint(STYLE.dim, `base ${show(f.base)}`)}  ${values.join('  ')}${kept}`;
}
