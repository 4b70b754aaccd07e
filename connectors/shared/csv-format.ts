import type * as z from '../../src/config/zod.js';
import type { Connector } from '../../src/core/connector.js';
import type { DecodeOptions, DecodeResult } from '../../src/codecs/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { ContactItem } from '../../src/model/item.js';
import { parseOptions, type ConnectorContext } from './connector-options.js';
import { resolveConfigPath } from './paths.js';
import { singleFileConnector } from './single-file-connector.js';
import type { SingleFileFormat } from './single-file-source.js';

/** A CSV codec as the csv branch exports it (Google and Outlook have one each). */
export interface CsvCodec {
  decode(input: string | Uint8Array, opts?: DecodeOptions): DecodeResult<ContactItem>;
  encode(items: ContactItem[]): string;
  capabilities: FormatCapabilities;
}

/**
 * A contacts CSV as a single-file format. Rows carry no UID, so hrefs come from names.
 * A broken row is not written back (its columns belong to the header it was read
 * under), so a file with broken rows is not rewritten until they are fixed.
 */
export function csvFormat(codec: CsvCodec, defaultRegion: string | undefined): SingleFileFormat<ContactItem> {
  return {
    kind: 'contacts',
    capabilities: () => codec.capabilities,
    decode(bytes) {
      const r = bytes === undefined ? { items: [], problems: [] } : codec.decode(bytes, { defaultRegion });
      return { ...r, encode: (items) => codec.encode(items) };
    },
  };
}

/** The `create` of a CSV connector type: its options, then a single-file connector over the codec. */
export function csvConnector(type: string, optionsSchema: z.ZodMiniType<{ path: string; readOnly?: boolean }>, codec: CsvCodec) {
  return (name: string, options: unknown, ctx: ConnectorContext): Connector => {
    const o = parseOptions(optionsSchema, name, options);
    return singleFileConnector({
      name, type, path: resolveConfigPath(o.path, ctx.baseDir), readOnly: o.readOnly ?? false,
      format: csvFormat(codec, ctx.defaultRegion),
    });
  };
}
