import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Connector } from '../../src/core/connector.js';
import type { CollectionKind } from '../../src/core/types.js';
import type { ContractSetup } from './connector-contract.js';
import { removeDir, tempDir } from './temp-files.js';

export interface SingleFileSetupOptions {
  create(name: string, options: unknown, ctx: { baseDir: string }): Connector;
  type: string;
  kind: CollectionKind;
  file: string;
  /** Some other valid content, written behind the source's back. */
  otherText: string;
  /** One good and one broken entry, and the line the broken one starts at. */
  broken: { text: string; line: number };
  extraOptions?: Record<string, unknown>;
}

/** The contract setup of a single-file connector: a fresh file (absent at first) in a temp folder. */
export function singleFileSetup(o: SingleFileSetupOptions): () => Promise<ContractSetup> {
  return async () => {
    const dir = await tempDir();
    const path = join(dir, o.file);
    const conn = o.create('member', { type: o.type, path: o.file, ...o.extraOptions }, { baseDir: dir });
    return {
      source: await conn.source(o.kind),
      reopen: () => conn.source(o.kind),
      cleanup: () => removeDir(dir),
      tamper: () => fs.writeFile(path, o.otherText),
      async writeBroken() {
        await fs.writeFile(path, o.broken.text);
        return { file: o.file, line: o.broken.line };
      },
    };
  };
}
