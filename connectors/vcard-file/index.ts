import type { Connector } from '../../src/core/connector.js';
import { parseOptions, type ConnectorContext } from '../shared/connector-options.js';
import { resolveConfigPath } from '../shared/paths.js';
import { singleFileConnector } from '../shared/single-file-connector.js';
import { vcardFileFormat } from './format.js';
import { optionsSchema } from './options.js';

export { optionsSchema };

export function create(name: string, options: unknown, ctx: ConnectorContext): Connector {
  const o = parseOptions(optionsSchema, name, options);
  return singleFileConnector({
    name, type: 'vcard-file', path: resolveConfigPath(o.path, ctx.baseDir), readOnly: o.readOnly ?? false,
    format: vcardFileFormat(o.version),
  });
}
