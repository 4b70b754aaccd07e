/**
 * The one place that knows connector type names (architecture principle 1): the config
 * schema and the CLI reach connectors only through this table.
 */
import type { Schema } from '../src/config/zod.js';
import type { Connector } from '../src/core/connector.js';
import { PimError } from '../src/core/errors.js';
import type { ConnectorContext } from './shared/connector-options.js';
export type { ConnectorContext };

export interface ConnectorType {
  /** The connector's config keys, `type` included; unknown keys are refused. */
  optionsSchema: Schema;
  /** Validates the options (PimError `config` naming `connectors.NAME.key`) and makes the connector. */
  create(name: string, options: unknown, ctx: ConnectorContext): Connector;
}

/**
 * Each type's code, imported when the first connector of that type is made: a sync of
 * DAV and vdir members loads no CSV parser (docs/performance.md, "Speed round 5"). Local
 * file types and CSV types come in one module each, so the bundle has few chunks.
 */
const LOADERS: Record<string, () => Promise<ConnectorType>> = {
  vdir: async () => (await import('./local-types.js')).vdir,
  'vcard-file': async () => (await import('./local-types.js')).vcardFile,
  'ics-file': async () => (await import('./local-types.js')).icsFile,
  'google-csv': async () => (await import('./csv-types.js')).googleCsv,
  'outlook-csv': async () => (await import('./csv-types.js')).outlookCsv,
  carddav: async () => (await import('./dav/index.js')).carddav,
  caldav: async () => (await import('./dav/index.js')).caldav,
  dav: async () => (await import('./dav/index.js')).dav,
};

/** The connector type names, in the order the config's messages list them. */
export const connectorTypeNames: readonly string[] = Object.keys(LOADERS);

/** The type's code; PimError `config` naming `connectors.NAME.type` for a missing or unknown type. */
export async function connectorType(name: string, options: unknown): Promise<ConnectorType> {
  const type = typeof options === 'object' && options !== null ? (options as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(LOADERS, type)) {
    const what = typeof type === 'string' ? `unknown connector type "${type}"` : 'missing connector type';
    throw new PimError('config', `connectors.${name}.type: ${what}; expected one of ${connectorTypeNames.join(', ')}`, { where: `connectors.${name}.type` });
  }
  return LOADERS[type]!();
}

export async function createConnector(name: string, options: unknown, ctx: ConnectorContext): Promise<Connector> {
  return (await connectorType(name, options)).create(name, options, ctx);
}

/** Each type's option schema (connectors/schemas.ts holds the same without loading the connectors). */
export { connectorSchemas } from './schemas.js';
