import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { statEtag } from '../../connectors/shared/signatures.js';
import { statSignatures } from '../../connectors/shared/stat-listing.js';
import { isPimError } from '../../src/core/errors.js';
import { withTempDir } from './temp-files.js';

/** 600 names over three chunks of stats; every seventh file is gone by the time it is stat'ed. */
async function folderWithGaps(dir: string): Promise<{ names: string[]; expected: Array<string | undefined> }> {
  const names: string[] = [];
  const expected: Array<string | undefined> = [];
  for (let i = 0; i < 600; i += 1) {
    const name = `c${String(i).padStart(4, '0')}.vcf`;
    names.push(name);
    if (i % 7 === 3) {
      expected.push(undefined);
      continue;
    }
    await fs.writeFile(join(dir, name), `BEGIN:VCARD\r\nUID:${i}\r\n${'x'.repeat(i)}\r\nEND:VCARD\r\n`);
    expected.push(statEtag(await fs.stat(join(dir, name), { bigint: true })));
  }
  return { names, expected };
}

test('stat-listing: one signature per name in name order, none for a file gone; the same on a slow folder (stat\'ed in parallel)', () => withTempDir(async (dir) => {
  const { names, expected } = await folderWithGaps(dir);
  assert.deepEqual(await statSignatures(dir, names, statEtag), expected);
  // A threshold of 0 takes every folder for a slow one: the chunks after the first are stat'ed in parallel.
  assert.deepEqual(await statSignatures(dir, names, statEtag, 0), expected);
}));

test('stat-listing: a folder that is no longer one fails the listing instead of making every entry look deleted', () => withTempDir(async (dir) => {
  const notAFolder = join(dir, 'unmounted');
  await fs.writeFile(notAFolder, 'a file where the folder was');
  const names = Array.from({ length: 300 }, (_, i) => `c${i}.vcf`);
  for (const slow of [undefined, 0]) {
    await assert.rejects(statSignatures(notAFolder, names, statEtag, slow), (e: unknown) => isPimError(e, 'io') && e.where === join(notAFolder, 'c0.vcf'));
  }
}));
