import { UsageError } from '../errors.js';
import { existsSync, writeFileSync } from 'node:fs';
import { configPath } from '../context.js';
import { defaultVdirsyncerConfig, initFromVdirsyncer } from '../vdirsyncer/from-vdirsyncer.js';

const STARTER = `# pimhub configuration. Reference: docs/config.md
# Where pimhub keeps its canonical copy, the merge log and sync state.
store: sqlite:./pimhub.db
# When \`pimhub daemon\` syncs (cron syntax).
schedule: "*/15 * * * *"
# Country for phone numbers written without one (E.164 matching).
defaultRegion: DE
# Who wins when two members change one field differently: newest | store | prefer:<connector>,...
conflict: newest
# Refuse to delete more than this share of a collection in one run (override with --allow-mass-delete).
deleteGuard: 0.5

server:
  listen: 127.0.0.1:5233
  users:
    # Set PIMHUB_ALICE_PASSWORD in the environment, or use a hash from \`pimhub passwd alice\`.
    alice: { passwordEnv: PIMHUB_ALICE_PASSWORD }

connectors:
  # A phone export, only read:
  # phone: { type: vcard-file, path: ./exports/phone.vcf, readOnly: true }
  # A vdir folder (khard, vdirsyncer):
  desktop: { type: vdir, path: ~/.local/share/contacts/default }

collections:
  contacts:
    kind: contacts
    members: [desktop]
    owner: alice
`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function initCommand(opts: { config?: string; force?: boolean; fromVdirsyncer?: string | boolean }): Promise<number> {
  const path = configPath(opts.config);
  if (existsSync(path) && !opts.force) throw new UsageError(`${path} exists already; use --force to overwrite it`);
  if (opts.fromVdirsyncer === undefined || opts.fromVdirsyncer === false) {
    writeFileSync(path, STARTER);
    process.stdout.write(`wrote ${path}; edit it, then run \`pimhub check\`\n`);
    return 0;
  }
  const source = typeof opts.fromVdirsyncer === 'string' ? opts.fromVdirsyncer : defaultVdirsyncerConfig();
  const { converted: c, text } = await initFromVdirsyncer(source, path);
  writeFileSync(path, text);
  const lines = [
    `wrote ${path} from ${source}: ${plural(Object.keys(c.connectors).length, 'connector')}, ${plural(Object.keys(c.collections).length, 'collection')} (${Object.keys(c.collections).join(', ')})`,
    ...c.folders.map((f) => `created folder ${f} (its collection is only on the other side)`),
    ...(c.notes.length ? ['not carried over, or to do (also written as comments in the file):', ...c.notes.map((n) => `  - ${n}`)] : []),
    `next: ${c.envVars.length ? `set ${c.envVars.join(', ')}, then ` : ''}run \`pimhub check\`, then \`pimhub sync --dry-run\` and \`pimhub sync\``,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
