#!/usr/bin/env node
// `npm start` syncs a copy of fixtures/sample (in examples/data, not tracked), so running
// the example never changes the repository's fixtures. An existing copy is kept: it holds
// what earlier runs synced.
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = join(root, 'examples', 'data');
if (!existsSync(data)) {
  cpSync(join(root, 'fixtures', 'sample'), data, { recursive: true });
  console.log(`copied fixtures/sample to ${data} for the example`);
}
