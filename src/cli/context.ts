import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connector, Source } from '../core/connector.js';
import { PimError } from '../core/errors.js';
import type { CollectionRecord, Store } from '../core/store.js';
import { loadConfig, type CollectionConfig, type PimhubConfig } from '../config/load-config.js';
import { connectorsOf, requireSecrets } from '../config/require-secrets.js';
import { createIdentity } from '../normalize/item-identity.js';
import { openStore } from '../store/open-store.js';
import type { Identity, MemberInput } from '../sync/types.js';
import { connectorSchemas } from '../../connectors/schemas.js';

/** The composition root: config, store, connectors, identity. Only here are connector types known. */
export interface AppContext {
  config: PimhubConfig;
  store: Store;
  identity: Identity;
  /** The configured connector of that name; its code is loaded on first use (status and log never need it). */
  connector(name: string): Promise<Connector>;
  members(collection: CollectionConfig): Promise<MemberInput[]>;
  close(): Promise<void>;
}

export function configPath(option: string | undefined): string {
  const file = option ?? (process.env.PIMHUB_CONFIG || 'pimhub.yaml');
  return resolve(file);
}

export function readConfig(option: string | undefined): PimhubConfig {
  const file = configPath(option);
  if (!existsSync(file)) {
    throw new PimError('config', `${file}: no config file here; create one with \`pimhub init\` or pass -c FILE`, { where: file });
  }
  return loadConfig(file, connectorSchemas());
}

/**
 * Opens config, store and connectors. `secrets`: what the command needs to log in with;
 * each secret is read before anything opens, and a missing one refuses the start (exit 2).
 */
export async function openContext(option: string | undefined, secrets?: { users?: boolean; connectors?: 'all' | { ofCollections?: string[] } }): Promise<AppContext> {
  const config = readConfig(option);
  if (secrets) {
    requireSecrets(config, { users: secrets.users, connectors: secrets.connectors === 'all' ? Object.keys(config.connectors) : secrets.connectors ? connectorsOf(config, secrets.connectors.ofCollections) : [] });
  }
  const store = await openStore(config.store, config.baseDir);
  const connectors = new Map<string, Connector>();
  const ctxOpts = { baseDir: config.baseDir, defaultRegion: config.defaultRegion };
  const connector = async (name: string): Promise<Connector> => {
    let c = connectors.get(name);
    if (!c) {
      const cfg = config.connectors[name];
      if (!cfg) throw new PimError('config', `no connector named "${name}"`);
      const { createConnector } = await import('../../connectors/registry.js');
      c = await createConnector(name, cfg.options, ctxOpts);
      connectors.set(name, c);
    }
    return c;
  };
  // A name the store already holds for a client-made collection, or for another owner or
  // kind, is not taken over: its items would change hands silently.
  const stored = new Map<string, CollectionRecord>();
  try {
    for (const col of await store.listCollections()) stored.set(col.name, col);
    checkConfigCollections(config, stored);
  } catch (e) {
    await store.close();
    throw e;
  }
  // A collection removed from the config file is kept (still served to its owner) as if a
  // client had made it: the owner can now delete it through the endpoint.
  for (const col of stored.values()) {
    if (col.origin !== 'config' || config.collections[col.name]) continue;
    await store.upsertCollection({ ...col, origin: 'endpoint' });
    process.stderr.write(`pimhub: warning: collection "${col.name}" is no longer in ${config.file}; it is kept in the store${col.owner ? ` and served to ${col.owner}, who can delete it through the endpoint` : ' (it has no owner)'}\n`);
  }
  // Collections of the config file are kept in the store so the endpoint can serve them;
  // one already stored as the config says is not written again (most starts write nothing).
  for (const col of Object.values(config.collections)) {
    const existing = stored.get(col.name);
    const record: CollectionRecord = {
      name: col.name, kind: col.kind, owner: col.owner, origin: 'config',
      displayName: existing?.displayName ?? col.displayName ?? col.name,
      color: existing?.color ?? col.color, description: existing?.description ?? col.description,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    if (existing === undefined || !sameCollection(existing, record)) await store.upsertCollection(record);
  }
  return {
    config,
    store,
    identity: createIdentity(config.defaultRegion),
    connector,
    async members(collection) {
      const out: MemberInput[] = [];
      for (const m of collection.members) {
        const source: Source = await (await connector(m.connector)).source(collection.kind, m.remote);
        out.push({ name: m.name, source });
      }
      return out;
    },
    async close() {
      for (const c of connectors.values()) await c.close?.();
      await store.close();
    },
  };
}

/**
 * Refuses (config error, exit 2) a config collection whose name the store holds for a
 * collection created through the endpoint, or for another owner or kind.
 */
function checkConfigCollections(config: PimhubConfig, stored: Map<string, CollectionRecord>): void {
  const problems: string[] = [];
  for (const col of Object.values(config.collections)) {
    const existing = stored.get(col.name);
    if (!existing) continue;
    const where = `${config.file}: collections.${col.name}`;
    if (existing.origin === 'endpoint') {
      problems.push(`${where}: the store holds a collection of that name created through the endpoint${existing.owner ? ` by ${existing.owner}` : ''}; choose another name (or delete that collection through the endpoint first)`);
    } else if (existing.owner !== col.owner) {
      problems.push(`${where}: the store holds this collection for ${existing.owner ? `owner ${existing.owner}` : 'no owner'}, not ${col.owner ? `owner ${col.owner}` : 'no owner'}; its items would change hands: choose another name or restore the owner`);
    } else if (existing.kind !== col.kind) {
      problems.push(`${where}: the store holds a ${existing.kind} collection of that name, not ${col.kind}; choose another name`);
    }
  }
  if (problems.length > 0) throw new PimError('config', problems.join('\n'), { where: config.file });
}

const COLLECTION_FIELDS = ['name', 'kind', 'owner', 'origin', 'displayName', 'color', 'description', 'createdAt'] as const satisfies ReadonlyArray<keyof CollectionRecord>;

/** Whether two records hold the same values (an absent field and an undefined one are the same). */
function sameCollection(a: CollectionRecord, b: CollectionRecord): boolean {
  return COLLECTION_FIELDS.every((k) => (a[k] ?? undefined) === (b[k] ?? undefined));
}
