import { resolveEntry } from '../../sync/resolve.js';
import { openContext } from '../context.js';
import { UsageError } from '../errors.js';
import { createOutput } from '../output.js';

export async function resolveCommand(entry: string, opts: { config?: string; keep?: string; json?: boolean }): Promise<number> {
  const out = createOutput(!!opts.json);
  if (!/^\d+$/.test(entry)) throw new UsageError(`ENTRY ${entry}: expected a log entry number (see \`pimhub log --conflicts\`)`);
  if (!opts.keep) throw new UsageError('--keep is required: a value index (0, 1, …) or a connector name from the log entry');
  const app = await openContext(opts.config);
  try {
    const r = await resolveEntry({ store: app.store, identity: app.identity, entryId: Number(entry), keep: opts.keep, by: 'cli', now: new Date() });
    if (out.json) out.result({ entry: r, unchanged: !!r.unchanged });
    else if (r.unchanged) out.line(`entry ${entry}: the item holds ${opts.keep}'s value already${r.action === 'resolved' ? ` (resolved as #${r.id})` : ''}; nothing changed`);
    else out.line(`entry ${entry}: kept ${opts.keep} (${(r.fields ?? []).map((f) => `${f.field} = ${JSON.stringify(f.chosen)}`).join(', ')}); logged as #${r.id}. The next \`pimhub sync\` writes it to every member.`);
    return 0;
  } finally {
    await app.close();
  }
}
