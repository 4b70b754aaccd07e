import { openContext } from '../context.js';
import { createOutput } from '../output.js';

export async function statusCommand(opts: { config?: string; json?: boolean }): Promise<number> {
  const out = createOutput(!!opts.json);
  const app = await openContext(opts.config);
  try {
    const { store } = app;
    const collections = [];
    for (const col of await store.listCollections()) {
      const states = await store.listMemberStates(col.name);
      const quarantine = await store.listQuarantine(col.name);
      const configured = app.config.collections[col.name]?.members.map((m) => m.name) ?? [];
      const names = [...new Set([...configured, ...states.map((s) => s.member)])];
      const members = [];
      for (const name of names) {
        const s = states.find((x) => x.member === name);
        const q = quarantine.filter((x) => x.member === name);
        members.push({
          connector: name,
          // Heads only: counting needs no link's base or text.
          items: (await store.linkHeads(col.name, name)).length,
          lastSync: s?.lastSync ?? null,
          errors: s?.errors ?? 0,
          lastError: s?.lastError ?? null,
          quarantined: q.length,
          quarantine: q.map((x) => ({ href: x.href, where: x.where, message: x.message, time: x.time })),
        });
      }
      const lastSync = members.map((m) => m.lastSync).filter((x): x is string => !!x).sort().pop() ?? null;
      collections.push({ name: col.name, kind: col.kind, origin: col.origin, owner: col.owner ?? null, items: await store.countItems(col.name), lastSync, members });
    }
    if (out.json) {
      out.result({ collections });
      return 0;
    }
    if (collections.length === 0) out.line('no collections yet: add some to the config and run `pimhub sync`');
    for (const c of collections) {
      out.line(`${c.name} (${c.kind}): ${c.items} items, last sync ${c.lastSync ?? 'never'}`);
      for (const m of c.members) {
        out.line(`  ${m.connector.padEnd(20)} ${String(m.items).padStart(6)} items  last sync ${m.lastSync ?? 'never'}${m.errors ? `  ${m.errors} errors (${m.lastError})` : ''}${m.quarantined ? `  ${m.quarantined} quarantined` : ''}`);
        for (const q of m.quarantine) out.line(`    quarantined ${q.where}: ${q.message}`);
      }
    }
    return 0;
  } finally {
    await app.close();
  }
}
