import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli-harness.js';

/*
 * bin/pimhub starts the esbuild bundle (scripts/bundle.mjs) only while it is newer than the
 * compiled sources: after a `tsc` alone, the bundle is stale and dist/ runs. Checked on a
 * copy of bin/pimhub beside two stand-in entries that print which one ran.
 */
function tree(): { root: string; bundle: string; compiled: string; bin: string } {
  const root = mkdtempSync(join(tmpdir(), 'pimhub-bin-'));
  const bin = join(root, 'bin', 'pimhub');
  mkdirSync(join(root, 'bin'));
  copyFileSync(BIN, bin);
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  const compiled = join(root, 'dist', 'src', 'cli', 'main.js');
  const bundle = join(root, 'dist', 'bundle', 'cli', 'main.js');
  mkdirSync(join(root, 'dist', 'src', 'cli'), { recursive: true });
  writeFileSync(compiled, "console.log('compiled');\n");
  return { root, bundle, compiled, bin };
}

const ran = (bin: string) => spawnSync(process.execPath, [bin], { encoding: 'utf8' });

test('bin/pimhub: the bundle when it is newer than the compiled sources, else dist/src', () => {
  const t = tree();
  try {
    assert.equal(ran(t.bin).stdout.trim(), 'compiled', 'no bundle: dist/src');
    mkdirSync(join(t.root, 'dist', 'bundle', 'cli'), { recursive: true });
    writeFileSync(t.bundle, "console.log('bundle');\n");
    utimesSync(t.compiled, new Date(1_000_000), new Date(1_000_000));
    utimesSync(t.bundle, new Date(2_000_000), new Date(2_000_000));
    assert.equal(ran(t.bin).stdout.trim(), 'bundle', 'a fresh bundle is used');
    utimesSync(t.compiled, new Date(3_000_000), new Date(3_000_000));
    assert.equal(ran(t.bin).stdout.trim(), 'compiled', 'tsc ran after the bundle: the bundle is stale');
  } finally {
    rmSync(t.root, { recursive: true, force: true });
  }
});
