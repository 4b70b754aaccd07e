import type { Connector } from '../../src/core/connector.js';
import { decodeOutlookCsv, encodeOutlookCsv, OUTLOOK_CSV_CAPABILITIES } from '../../src/codecs/csv/index.js';
import { parseOptions, type ConnectorContext } from '../shared/connector-options.js';
import { csvFormat } from '../shared/csv-format.js';
import { resolveConfigPath } from '../shared/paths.js';
import { singleFileConnector } from '../shared/single-file-connector.js';
import { optionsSchema } from './options.js';

export { optionsSchema };

/** Outlook Contacts CSV export: one file of many contacts, rewritten as a whole on flush. */
export function create(name: string, options: unknown, ctx: ConnectorContext): Connector {
  const o = parseOptions(optionsSchema, name, options);
  const codec = { decode: decodeOutlookCsv, encode: encodeOutlookCsv, capabilities: OUTLOOK_CSV_CAPABILITIES };
  return singleFileConnector({
    name, type: 'outlook-csv', path: resolveConfigPath(o.path, ctx.baseDir), readOnly: o.readOnly ?? false,
    format: csvFormat(codec, ctx.defaultRegion),
  });
}
