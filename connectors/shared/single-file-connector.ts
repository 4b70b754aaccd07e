import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import type { Connector, Source } from '../../src/core/connector.js';
import { PimError } from '../../src/core/errors.js';
import type { CollectionKind } from '../../src/core/types.js';
import type { Item } from '../../src/model/item.js';
import { noRemote } from './connector-options.js';
import { fsCall } from './fs-errors.js';
import { readOnly } from './read-only.js';
import { missingFile, SingleFileSource, type SingleFileFormat } from './single-file-source.js';

export interface SingleFileConnectorOptions<T extends Item> {
  name: string;
  type: string;
  /** Absolute, already resolved. */
  path: string;
  readOnly: boolean;
  format: SingleFileFormat<T>;
}

/**
 * The Connector of every one-file type (vcard-file, ics-file, google-csv, outlook-csv):
 * they differ only in their {@link SingleFileFormat}.
 */
export function singleFileConnector<T extends Item>(o: SingleFileConnectorOptions<T>): Connector {
  const wrongKind = (kind: CollectionKind) =>
    new PimError('config', `connector ${o.name} (${o.type}) holds ${o.format.kind}, not ${kind}`, { where: `connectors.${o.name}` });
  return {
    name: o.name,
    type: o.type,
    async source(kind: CollectionKind, remote?: string): Promise<Source> {
      noRemote(o.name, o.type, remote);
      if (kind !== o.format.kind) throw wrongKind(kind);
      const s = await SingleFileSource.open({ id: o.name, path: o.path, format: o.format, mustExist: o.readOnly });
      return o.readOnly ? readOnly(s) : s;
    },
    async check(): Promise<void> {
      try {
        await fs.access(o.path, fs.constants.R_OK);
      } catch (e) {
        // A writable file may be missing: the first flush creates it, in a folder that must exist.
        if (o.readOnly) throw missingFile(o.path, o.name, e);
        const dir = dirname(o.path);
        await fsCall(dir, 'open the folder of', () => fs.access(dir, fs.constants.W_OK));
      }
    },
  };
}
