import { create as createVcardFile } from '../../connectors/vcard-file/index.js';
import { create as createVdir } from '../../connectors/vdir/index.js';
import type { Source } from '../../src/core/connector.js';
import type { Store } from '../../src/core/store.js';
import { parsePolicy } from '../../src/merge/policy.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { syncCollection } from '../../src/sync/sync-collection.js';
import type { CollectionReport, CollectionSyncInput } from '../../src/sync/types.js';

/** The engine tests' usual pair: a desktop vdir and a phone's .vcf export, synced in process (policy newest, region DE). */
export async function syncDesktopAndPhone(store: Store, w: { vdir: string; file: string }, extra: Partial<CollectionSyncInput> = {}): Promise<CollectionReport> {
  const members: Array<{ name: string; source: Source }> = [
    { name: 'desktop', source: await createVdir('desktop', { type: 'vdir', path: w.vdir }, { baseDir: '/' }).source('contacts') },
    { name: 'phone', source: await createVcardFile('phone', { type: 'vcard-file', path: w.file }, { baseDir: '/' }).source('contacts') },
  ];
  return syncCollection({
    store, collection: 'contacts', kind: 'contacts', members, policy: parsePolicy('newest')!, deleteGuard: 0.5,
    allowMassDelete: false, dryRun: false, identity: createIdentity('DE'), run: `r-${Date.now()}`, now: () => new Date(),
    ...extra,
  });
}
