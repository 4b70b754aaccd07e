import { PimError } from '../../core/errors.js';
import type { Store } from '../../core/store.js';
import { copyStore } from '../../store/copy-store.js';
import { openStore } from '../../store/open-store.js';
import { redactUrl } from '../../store/store-url.js';
import { readConfig } from '../context.js';
import { createOutput } from '../output.js';

/**
 * `pimhub migrate --to STORE_URL` (SPEC §3): copies the configured store, whole, into an
 * empty store (`sqlite:` ⇄ `mongodb://`), verifies the counts, and says how to switch.
 * The source is only read. A relative `sqlite:` path is relative to the config file's folder.
 */
export async function migrateCommand(opts: { config?: string; to: string; json?: boolean }): Promise<number> {
  const out = createOutput(!!opts.json);
  const config = readConfig(opts.config);
  if (opts.to === config.store) throw new PimError('config', 'migrate --to names the store the config already uses; give another, empty store');
  const from = await openStore(config.store, config.baseDir);
  let to: Store | undefined;
  try {
    to = await openStore(opts.to, config.baseDir);
    const counts = await copyStore(from, to, { progress: (table, n) => { if (!out.json && n % 5000 === 0) out.warn(`  ${table}: ${n}`); } });
    const target = redactUrl(opts.to);
    if (out.json) {
      out.result({ from: redactUrl(config.store), to: target, counts });
      return 0;
    }
    out.line(`copied ${redactUrl(config.store)} to ${target}:`);
    for (const [table, n] of Object.entries(counts)) out.line(`  ${table.padEnd(13)} ${String(n).padStart(8)}`);
    out.line('the counts match the source. To switch, stop pimhub, then set in the config:');
    out.line(`  store: ${target}${target === opts.to ? '' : '   (with the password, as you gave it)'}`);
    return 0;
  } finally {
    await to?.close();
    await from.close();
  }
}
