/**
 * The one place that knows connector type names (architecture principle 1): the config
 * schema and the CLI reach connectors only through this table.
 */
import type { Schema } from '../src/config/zod.js';
import type { Connector } from '../src/core/connector.js';
import { PimError } from '../src/core/errors.js';
import type { ConnectorContext } from './shared/connector-options.js';
import { caldav, carddav, dav } from './dav/index.js';
import * as googleCsv from './google-csv/index.js';
import * as icsFile from './ics-file/index.js';
import * as outlookCsv from './outlook-csv/index.js';
import * as vcardFile from './vcard-file/index.js';
import * as vdir from './vdir/index.js';

export type { ConnectorContext };

export interface ConnectorType {
  /** The connector's config keys, `type` included; unknown keys are refused. */
  optionsSchema: Schema;
  /** Validates the options (PimError `config` naming `connectors.NAME.key`) and makes the connector. */
  create(name: string, options: unknown, ctx: ConnectorContext): Connector;
}

export const connectorTypes: Record<string, ConnectorType> = {
  vdir,
  'vcard-file': vcardFile,
  'ics-file': icsFile,
  'google-csv': googleCsv,
  'outlook-csv': outlookCsv,
  carddav,
  caldav,
  dav,
};

export function createConnector(name: string, options: unknown, ctx: ConnectorContext): Connector {
  const type = typeof options === 'object' && options !== null ? (options as { type?: unknown }).type : undefined;
  const known = Object.keys(connectorTypes);
  if (typeof type !== 'string' || !Object.hasOwn(connectorTypes, type)) {
    const what = typeof type === 'string' ? `unknown connector type "${type}"` : 'missing connector type';
    throw new PimError('config', `connectors.${name}.type: ${what}; expected one of ${known.join(', ')}`, { where: `connectors.${name}.type` });
  }
  return connectorTypes[type].create(name, options, ctx);
}

/** Each type's option schema (connectors/schemas.ts holds the same without loading the connectors). */
export { connectorSchemas } from './schemas.js';
