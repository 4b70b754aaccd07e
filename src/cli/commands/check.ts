import { hasDiscovery } from '../../core/connector.js';
import { messageOf } from '../../core/errors.js';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';
import { checkLocalEntries } from './check-entries.js';

/** Validates the config (opening it does), reaches every connector and lists remote collections. */
export async function checkCommand(opts: { config?: string; json?: boolean }): Promise<number> {
  const out = createOutput(!!opts.json);
  const app = await openContext(opts.config, { users: true, connectors: 'all' });
  let failures = 0;
  const connectors = [];
  try {
    out.line(`config ${app.config.file}: ok`);
    for (const name of Object.keys(app.config.connectors)) {
      const c = await app.connector(name);
      const entry: { name: string; type: string; ok: boolean; error?: string; collections?: unknown[] } = { name, type: c.type, ok: true };
      try {
        await c.check();
        if (hasDiscovery(c)) entry.collections = await c.discover();
        out.line(`connector ${name} (${c.type}): ok`);
        for (const rc of (entry.collections ?? []) as Array<{ name: string; kind: string; displayName?: string; url: string }>) {
          out.line(`  ${name}/${rc.name}  ${rc.kind}  ${rc.displayName ?? ''}  ${rc.url}`);
        }
      } catch (e) {
        failures += 1;
        entry.ok = false;
        entry.error = messageOf(e);
        out.line(`connector ${name} (${c.type}): FAILED: ${entry.error}`);
      }
      connectors.push(entry);
    }
    const entries = await checkLocalEntries(app);
    for (const r of entries) {
      if (r.ok) continue;
      failures += 1;
      out.line(`${r.collection}/${r.member}: ${r.problems.length} entr${r.problems.length === 1 ? 'y' : 'ies'} cannot be read (quarantined by a sync, never deleted):`);
      for (const p of r.problems.slice(0, 10)) out.line(`  ${p.where}: ${p.message}`);
      if (r.problems.length > 10) out.line(`  … and ${r.problems.length - 10} more (pimhub status lists them after a sync)`);
    }
    if (out.json) out.result({ config: app.config.file, connectors, entries });
    return failures > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}
