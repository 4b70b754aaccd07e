import { readFileSync } from 'node:fs';
import type { CollectionDiscovery, Connector, RemoteCollectionInfo, Source } from '../../src/core/connector.js';
import { PimError, messageOf } from '../../src/core/errors.js';
import type { CollectionKind } from '../../src/core/types.js';
import { parseOptions, type ConnectorContext } from '../shared/connector-options.js';
import { resolveConfigPath } from '../shared/paths.js';
import { readOnly } from '../shared/read-only.js';
import { authorizationOf } from './auth.js';
import { DavSource } from './dav-source.js';
import { discoverCollections, type DavCollection } from './discovery.js';
import { DavHttp, safeUrl } from './http.js';
import { itemFormat } from './item-format.js';
import { DavMemberSource } from './member-source.js';
import { fingerprintOf } from './member-token.js';
import { caldavSchema, carddavSchema, davSchema, type DavOptions, type DavType } from './options.js';
import { DavRequests } from './requests.js';

const KINDS: Record<DavType, CollectionKind[]> = { carddav: ['contacts'], caldav: ['calendar'], dav: ['contacts', 'calendar'] };
const DEFAULTS = { timeoutMs: 30_000, retries: 3, concurrency: 4, batchSize: 100 };

/** A DAV account: its collections are found by discovery, each member names one. */
export type DavConnector = Connector & CollectionDiscovery;

function typeOf(type: DavType, schema: typeof carddavSchema | typeof caldavSchema | typeof davSchema) {
  return {
    optionsSchema: schema,
    create: (name: string, options: unknown, ctx: ConnectorContext): DavConnector =>
      createDav(name, parseOptions(schema, name, options) as DavOptions, ctx, type),
  };
}

export const carddav = typeOf('carddav', carddavSchema);
export const caldav = typeOf('caldav', caldavSchema);
export const dav = typeOf('dav', davSchema);

function readCa(name: string, o: DavOptions, ctx: ConnectorContext): Buffer | undefined {
  if (o.caFile === undefined) return undefined;
  const path = resolveConfigPath(o.caFile, ctx.baseDir);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new PimError('config', `connectors.${name}.caFile: cannot read ${path} (${messageOf(e)})`, { where: path });
  }
}

function createDav(name: string, o: DavOptions, ctx: ConnectorContext, type: DavType): DavConnector {
  const kinds = KINDS[type];
  let client: DavRequests | undefined;
  const requests = (): DavRequests => {
    if (!client) {
      const http = new DavHttp(new URL(o.url).origin, {
        timeoutMs: o.timeoutMs ?? DEFAULTS.timeoutMs,
        retries: o.retries ?? DEFAULTS.retries,
        retryBaseMs: 250,
        maxRetryAfterMs: 60_000,
        authorization: authorizationOf(name, o),
        concurrency: o.concurrency ?? DEFAULTS.concurrency,
        ca: readCa(name, o, ctx),
        insecure: o.insecure ?? false,
      });
      client = new DavRequests(http, o.username);
    }
    return client;
  };
  let found: Promise<DavCollection[]> | undefined;
  /** `fresh`: discovery again even if this connector ran it already (a daemon keeps its connectors for its lifetime). */
  const collections = (fresh = false): Promise<DavCollection[]> => {
    if (fresh) found = undefined;
    found ??= discoverCollections(requests(), o.url, kinds).catch((e: unknown) => {
      found = undefined;
      throw e;
    });
    return found;
  };
  const info = (c: DavCollection): RemoteCollectionInfo => ({
    name: c.name, url: safeUrl(c.url), kind: c.kind,
    ...(c.displayName ? { displayName: c.displayName } : {}), ...(c.color ? { color: c.color } : {}), ...(c.components ? { components: c.components } : {}),
  });

  return {
    name,
    type,
    discover: async () => (await collections()).map(info),
    check: async () => {
      await collections();
    },
    async source(kind: CollectionKind, remote?: string): Promise<Source> {
      if (!kinds.includes(kind)) {
        throw new PimError('config', `${name}: a ${type} connector holds ${kinds.join(' and ')}, not ${kind}; use type dav or caldav/carddav`, { where: `connectors.${name}.type` });
      }
      const format = (c: DavCollection) => itemFormat(kind, o.vcardVersion ?? (c.vcardVersions.includes('4.0') && !c.vcardVersions.includes('3.0') ? '4.0' : '3.0'));
      const id = remote === undefined ? name : `${name}/${remote}`;
      // The collection is found on first use: from the member's token when it holds one (no discovery), else by discovery.
      const s = new DavMemberSource({
        id, kind,
        fingerprint: fingerprintOf({ type, url: o.url, username: o.username, kind, remote }),
        find: async (fresh) => pick(name, kind, await collections(fresh), remote, o.url),
        open: (c) => new DavSource({
          id, kind, collection: c, dav: requests(), format: format(c),
          batchSize: o.batchSize ?? DEFAULTS.batchSize, concurrency: o.concurrency ?? DEFAULTS.concurrency,
        }),
        ...(kind === 'calendar' || o.vcardVersion !== undefined ? { fixedCapabilities: itemFormat(kind, o.vcardVersion ?? '3.0').capabilities } : {}),
      });
      return o.readOnly ? readOnly(s) : s;
    },
    async close() {
      client?.http.close();
    },
  };
}

/** `cloud/contacts`: the collection whose last path segment, else display name, is `contacts`. */
function pick(name: string, kind: CollectionKind, all: DavCollection[], remote: string | undefined, url: string): DavCollection {
  const ofKind = all.filter((c) => c.kind === kind);
  if (remote === undefined && ofKind.length === 1) return ofKind[0]!;
  const hit = remote === undefined ? undefined
    : ofKind.find((c) => c.name === remote) ?? ofKind.find((c) => c.displayName === remote)
      ?? ofKind.find((c) => c.displayName?.toLowerCase() === remote.toLowerCase());
  if (hit) return hit;
  const what = kind === 'contacts' ? 'address book' : 'calendar';
  const exists = ofKind.length === 0 ? `it has no ${what}` : `it has ${ofKind.map((c) => `${name}/${c.name}${c.displayName && c.displayName !== c.name ? ` ("${c.displayName}")` : ''}`).join(', ')}`;
  const problem = remote === undefined ? `name the ${what} as ${name}/NAME` : `no ${what} "${remote}"`;
  throw new PimError('config', `${name}: ${problem} at ${safeUrl(url)}; ${exists}`, { where: `connectors.${name}` });
}
