import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { hasDiscovery } from '../../core/connector.js';
import { messageOf, PimError } from '../../core/errors.js';
import { createConnector } from '../../../connectors/registry.js';
import { convertVdirsyncer, type Converted, type Discover } from './convert.js';
import { parseVdirsyncerConfig } from './parse-config.js';

/** Where vdirsyncer itself looks: $VDIRSYNCER_CONFIG, ~/.vdirsyncer/config, $XDG_CONFIG_HOME/vdirsyncer/config. */
export function defaultVdirsyncerConfig(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VDIRSYNCER_CONFIG) return env.VDIRSYNCER_CONFIG;
  const old = join(homedir(), '.vdirsyncer', 'config');
  if (existsSync(old)) return old;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vdirsyncer', 'config');
}

/** Lists a DAV storage's collections through pimhub's own connector (short timeout, no retries). */
function discoverWith(baseDir: string): Discover {
  return async (name, options) => {
    // Made outside the try: bad options fail the import, as they did before the registry was async.
    const c = await createConnector(name, { ...options, timeoutMs: 15_000, retries: 0 }, { baseDir });
    try {
      if (!hasDiscovery(c)) return { error: 'this connector cannot list collections' };
      return { names: (await c.discover()).map((x) => x.name) };
    } catch (e) {
      return { error: messageOf(e) };
    } finally {
      await c.close?.();
    }
  };
}

/** The pimhub.yaml text for a converted vdirsyncer config, with what was not carried over as comments. */
export function renderConfig(source: string, c: Converted): string {
  const body: Record<string, unknown> = { store: 'sqlite:./pimhub.db' };
  if (c.conflict) body.conflict = c.conflict;
  body.connectors = c.connectors;
  body.collections = c.collections;
  const head = [
    `# pimhub configuration written by \`pimhub init --from-vdirsyncer\` from ${source}.`,
    '# Reference: docs/config.md. Check it with `pimhub check`, then run `pimhub sync`.',
    '# To serve these collections to clients, add server.users and an owner per collection.',
    ...(c.notes.length ? ['#', '# Not carried over, or to do:', ...c.notes.map((n) => `#  - ${n}`)] : []),
  ];
  return `${head.join('\n')}\n${stringify(body, { lineWidth: 0 })}`;
}

export async function initFromVdirsyncer(source: string, target: string): Promise<{ converted: Converted; text: string }> {
  const file = resolve(source);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PimError('not-found', `${file}: cannot read the vdirsyncer config (${messageOf(e)}); pass its path: pimhub init --from-vdirsyncer PATH`, { where: file });
  }
  const converted = await convertVdirsyncer(parseVdirsyncerConfig(text, file), discoverWith(dirname(target)));
  if (Object.keys(converted.connectors).length === 0) {
    throw new PimError('config', `${file}: no storage could be mapped to a pimhub connector:\n${converted.notes.map((n) => `  ${n}`).join('\n')}`, { where: file });
  }
  for (const f of converted.folders) mkdirSync(f, { recursive: true });
  return { converted, text: renderConfig(file, converted) };
}
