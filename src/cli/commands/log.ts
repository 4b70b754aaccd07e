import { PimError } from '../../core/errors.js';
import type { LogAction, LogEntry } from '../../core/store.js';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

export interface LogOptions {
  config?: string;
  conflicts?: boolean;
  item?: string;
  since?: string;
  limit?: string;
  collection?: string;
  json?: boolean;
}

export async function logCommand(opts: LogOptions): Promise<number> {
  const out = createOutput(!!opts.json);
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new PimError('config', `--limit ${opts.limit}: expected a positive whole number`);
  if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) {
    throw new PimError('config', `--since ${opts.since}: expected an ISO date or time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z`);
  }
  const app = await openContext(opts.config);
  try {
    const actions: LogAction[] | undefined = opts.conflicts ? ['conflict'] : undefined;
    const entries = await app.store.listLog({
      collection: opts.collection, uid: opts.item, since: opts.since ? new Date(opts.since).toISOString() : undefined, actions, limit,
    });
    if (out.json) {
      out.result({ entries });
      return 0;
    }
    if (entries.length === 0) out.line('no entries');
    const colour = process.stdout.isTTY === true;
    for (const e of entries) out.line(formatEntry(e, colour));
    return 0;
  } finally {
    await app.close();
  }
}

const COLOURS: Partial<Record<LogAction, string>> = { conflict: '\x1b[31m', deleted: '\x1b[33m', quarantined: '\x1b[35m', created: '\x1b[32m', resolved: '\x1b[36m' };

function formatEntry(e: LogEntry, colour: boolean): string {
  const action = colour && COLOURS[e.action] ? `${COLOURS[e.action]}${e.action.padEnd(11)}\x1b[0m` : e.action.padEnd(11);
  const lines = [`#${String(e.id).padEnd(5)} ${e.time.replace('T', ' ').slice(0, 19)}  ${action} ${e.collection}  ${e.uid || '-'}  from ${e.connector}${e.message ? `  ${e.message}` : ''}`];
  for (const f of e.fields ?? []) {
    const values = f.values.map((v, i) => `[${i}] ${v.connector}: ${JSON.stringify(v.value)}`).join('   ');
    lines.push(`        ${f.conflict ? '!' : ' '} ${f.field}: base ${JSON.stringify(f.base)}   ${values}   → kept ${JSON.stringify(f.chosen)}`);
  }
  return lines.join('\n');
}
