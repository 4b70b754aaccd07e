import type { Connector, Source } from '../../src/core/connector.js';
import type { CollectionKind } from '../../src/core/types.js';
import { noRemote, parseOptions, type ConnectorContext } from '../shared/connector-options.js';
import { resolveConfigPath } from '../shared/paths.js';
import { readOnly } from '../shared/read-only.js';
import { itemCodec } from '../shared/item-codec.js';
import { optionsSchema } from './options.js';
import { VdirSource } from './vdir-source.js';

export { optionsSchema };

/** A vdir folder; the collection's kind picks `.vcf` or `.ics` unless `fileExtension` says otherwise. */
export function create(name: string, options: unknown, ctx: ConnectorContext): Connector {
  const o = parseOptions(optionsSchema, name, options);
  const dir = resolveConfigPath(o.path, ctx.baseDir);
  const sourceOf = (kind: CollectionKind): VdirSource => {
    const codec = itemCodec(kind, o.vcardVersion ?? '3.0');
    const ext = o.fileExtension === undefined ? codec.extension : o.fileExtension.startsWith('.') ? o.fileExtension : `.${o.fileExtension}`;
    return new VdirSource({ id: name, kind, dir, codec, extension: ext, configKey: `connectors.${name}.path` });
  };
  return {
    name,
    type: 'vdir',
    async source(kind: CollectionKind, remote?: string): Promise<Source> {
      noRemote(name, 'vdir', remote);
      const s = sourceOf(kind);
      await s.checkFolder();
      return o.readOnly ? readOnly(s) : s;
    },
    check: () => sourceOf('contacts').checkFolder(),
  };
}
